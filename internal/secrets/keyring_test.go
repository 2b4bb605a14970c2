package secrets

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/deskport/deskport/internal/testpeer"
)

// winLimited behaves like Windows Credential Manager: at most 2,560 bytes.
type winLimited struct{ m map[string]string }

func (w *winLimited) Get(s, u string) (string, error) {
	v, ok := w.m[s+"\x00"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}
func (w *winLimited) Set(s, u, v string) error {
	if len(v) > 2560 {
		return keyring.ErrSetDataTooBig
	}
	w.m[s+"\x00"+u] = v
	return nil
}
func (w *winLimited) Delete(s, u string) error {
	if _, ok := w.m[s+"\x00"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(w.m, s+"\x00"+u)
	return nil
}

func fakeKeyring() (*Keyring, *winLimited) {
	w := &winLimited{m: map[string]string{}}
	return &Keyring{be: w, service: Service, timeout: time.Second, goos: "windows", getenv: func(string) string { return "" }}, w
}

func roundTrips(t *testing.T, k Store) {
	t.Helper()
	values := []string{
		"s3cret",
		strings.Repeat("a", MaxChunk),
		strings.Repeat("ü", 4000), // 8,000 bytes of two-byte runes: cuts must not split a rune
		strings.Repeat("x", 3*MaxChunk+7),
		chunkHeader + "3", // a value that looks like our header is still stored faithfully
	}
	for i, v := range values {
		key := fmt.Sprintf("test/%d", i)
		if err := k.Set(key, v); err != nil {
			t.Fatalf("Set(%d bytes): %v", len(v), err)
		}
		got, err := k.Get(key)
		if err != nil || got != v {
			t.Fatalf("Get after Set(%d bytes) = %d bytes, %v", len(v), len(got), err)
		}
	}
	// Shrinking a chunked value removes the extra chunks.
	if err := k.Set("test/3", "short"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get("test/3"); got != "short" {
		t.Fatalf("after shrink: %q", got)
	}
	for i := range values {
		key := fmt.Sprintf("test/%d", i)
		if err := k.Delete(key); err != nil {
			t.Fatalf("Delete %s: %v", key, err)
		}
		if _, err := k.Get(key); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
		}
	}
}

func TestChunksFitWindowsCredentialManager(t *testing.T) {
	k, w := fakeKeyring()
	roundTrips(t, k)
	if len(w.m) != 0 {
		t.Fatalf("entries left behind after delete: %d", len(w.m))
	}
	k.Set("big", strings.Repeat("y", 10000))
	for key, v := range w.m {
		if len(v) > MaxChunk {
			t.Fatalf("entry %q holds %d bytes, over the Windows limit", key, len(v))
		}
	}
	delete(w.m, Service+"\x00big#2")
	if _, err := k.Get("big"); err == nil || !strings.Contains(err.Error(), "sign in again") {
		t.Fatalf("missing chunk: err = %v, want a damaged-secret error", err)
	}
}

type hangingBackend struct{ winLimited }

func (h *hangingBackend) Get(s, u string) (string, error) { select {} }

func TestUnansweredPromptTimesOut(t *testing.T) {
	k := &Keyring{be: &hangingBackend{}, service: Service, timeout: 50 * time.Millisecond, goos: "linux", getenv: os.Getenv}
	_, err := k.Get("x")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "unlock") {
		t.Fatalf("err = %v, want ErrLocked with an unlock hint", err)
	}
}

func TestNoSessionBusIsAClearError(t *testing.T) {
	k := NewKeyring()
	k.getenv = func(string) string { return "" }
	k.goos = "linux"
	_, err := k.Get("x")
	if !errors.Is(err, ErrNoService) || !strings.Contains(err.Error(), "dbus-run-session") {
		t.Fatalf("err = %v, want ErrNoService naming what to do", err)
	}
}

// needKeyring skips (or fails under the test command) without a session bus
// holding a Secret Service: keyring code must never run with
// DBUS_SESSION_BUS_ADDRESS unset.
func needKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("DESKPORT_REQUIRE_PEERS") == "1" {
			t.Fatal("no D-Bus session: run the tests through scripts/with-keyring.sh")
		}
		t.Skip("no D-Bus session: run through scripts/with-keyring.sh")
	}
}

func TestRealGnomeKeyring(t *testing.T) {
	needKeyring(t)
	k := NewKeyring()
	roundTrips(t, k)
	// The value is really in the Secret Service, under our service name.
	if err := k.Set("probe/visible", "v4lue"); err != nil {
		t.Fatal(err)
	}
	defer k.Delete("probe/visible")
	if _, err := exec.LookPath("secret-tool"); err == nil {
		out, err := exec.Command("secret-tool", "lookup", "service", Service, "username", "probe/visible").Output()
		if err != nil || string(out) != "v4lue" {
			t.Fatalf("secret-tool lookup = %q, %v", out, err)
		}
	}
}

// TestLockedKeyring locks the login collection over D-Bus, as a screen lock
// would, then reads: with no prompter (no display) the unlock prompt is
// dismissed and the read must fail fast with ErrLocked, not hang. It runs in
// a private D-Bus session and keyring of its own, so locking it cannot
// disturb other tests that share the test command's keyring.
func TestLockedKeyring(t *testing.T) {
	if !testpeer.InPrivateKeyring(t) {
		return
	}
	k := NewKeyring().WithTimeout(15 * time.Second)
	if err := k.Set("probe/locked", "x"); err != nil {
		t.Fatal(err)
	}
	testpeer.LockKeyring(t)
	_, err := k.Get("probe/locked")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "unlock") {
		t.Fatalf("Get on a locked keyring: err = %v, want ErrLocked saying to unlock", err)
	}
	if err := k.Set("probe/other", "y"); !errors.Is(err, ErrLocked) {
		t.Fatalf("Set on a locked keyring: err = %v, want ErrLocked", err)
	}
}
