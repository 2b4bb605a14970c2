package secrets

import (
	"strings"
	"testing"

	"github.com/danieljoos/wincred"
)

// TestRealWindowsCredentialManager stores, reads, shrinks and deletes secrets
// through the real Win32 Credential Manager API (CredWriteW/CredReadW/
// CredDeleteW via go-keyring's wincred backend), then reads the raw
// credentials back with wincred to check the chunk layout: no blob over the
// 2,560-byte limit, the header last, nothing left after Delete. Under Wine
// (make test) the credentials live in Wine's registry, not in Windows' vault:
// this proves the calls and the layout, not Windows' storage or its limits,
// which is why the rule itself is also tested with a limited fake
// (TestChunksFitWindowsCredentialManager) on every OS.
func TestRealWindowsCredentialManager(t *testing.T) {
	k := NewKeyring()
	roundTrips(t, k)

	const key = "probe/windows-big"
	value := strings.Repeat("z", 4*MaxChunk+100) // five chunks
	if err := k.Set(key, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Delete(key) })
	prefix := Service + ":" + key
	head, err := wincred.GetGenericCredential(prefix)
	if err != nil {
		t.Fatalf("the header credential %q is not in Credential Manager: %v", prefix, err)
	}
	if got := string(head.CredentialBlob); got != chunkHeader+"5" {
		t.Fatalf("header blob = %q, want %q", got, chunkHeader+"5")
	}
	all, err := wincred.List()
	if err != nil {
		t.Fatal(err)
	}
	var parts int
	for _, c := range all {
		if !strings.HasPrefix(c.TargetName, prefix+"#") {
			continue
		}
		parts++
		cred, err := wincred.GetGenericCredential(c.TargetName)
		if err != nil {
			t.Fatal(err)
		}
		if len(cred.CredentialBlob) > MaxChunk {
			t.Fatalf("%s holds %d bytes, over the Windows limit", c.TargetName, len(cred.CredentialBlob))
		}
	}
	if parts != 5 {
		t.Fatalf("%d chunk credentials, want 5", parts)
	}
	if got, err := k.Get(key); err != nil || got != value {
		t.Fatalf("Get = %d bytes, %v; want %d bytes", len(got), err, len(value))
	}
	if err := k.Delete(key); err != nil {
		t.Fatal(err)
	}
	all, _ = wincred.List()
	for _, c := range all {
		if strings.HasPrefix(c.TargetName, prefix) {
			t.Fatalf("%s left behind after Delete", c.TargetName)
		}
	}
}
