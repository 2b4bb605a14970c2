package mailcache

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

func TestBodyPolicyAndDamagedBodies(t *testing.T) {
	d := testpeer.StartDovecot(t)
	d.Append("INBOX", testMail("old one", "alter Inhalt")) // internal date 2026-01-02
	c := openCache(t, t.TempDir(), Policy{BodyDays: 30})
	a := account(d, nil)
	ctx := context.Background()
	mustSync(t, c, a)
	id := idBySubject(t, c, "old one")
	if _, err := c.Raw(ctx, id); err != ErrNotCached {
		t.Fatalf("body of an old message fetched despite the 30-day policy: %v", err)
	}
	if r := find(t, c, `"old one"`); len(r) != 1 {
		t.Fatal("headers of an old message not searchable")
	}
	raw, err := c.FetchBody(ctx, a, id)
	if err != nil || !strings.Contains(string(raw), "alter Inhalt") {
		t.Fatalf("on demand: %v", err)
	}
	if r := find(t, c, "Inhalt"); len(r) != 1 {
		t.Fatal("body fetched on demand not indexed")
	}

	// damage the stored bytes: the cache notices and fetches again
	packs, _ := filepath.Glob(filepath.Join(c.Dir(), "bodies", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs %v", packs)
	}
	b, _ := os.ReadFile(packs[0])
	os.WriteFile(packs[0], []byte(strings.Repeat("x", len(b))), 0o600)
	if _, err := c.Raw(ctx, id); err != ErrNotCached {
		t.Fatalf("damaged body returned: %v", err)
	}
	if raw, err := c.FetchBody(ctx, a, id); err != nil || !strings.Contains(string(raw), "alter Inhalt") {
		t.Fatalf("refetch after damage: %v", err)
	}
	if raw, err := c.Raw(ctx, id); err != nil || !strings.Contains(string(raw), "alter Inhalt") {
		t.Fatalf("after refetch: %v", err)
	}
}

// An attachment the policy keeps offline fits in the message size it keeps.
func TestPolicyDefaultsKeepTheAttachmentLimit(t *testing.T) {
	if p := (Policy{}).WithDefaults(); p.BodyDays != 90 || p.MaxAttachmentBytes != 10<<20 || p.MaxBodyBytes != 25<<20 {
		t.Fatalf("defaults %+v", p)
	}
	p := Policy{MaxAttachmentBytes: 24 << 20}.WithDefaults()
	if encoded := p.MaxAttachmentBytes * 4 / 3; p.MaxBodyBytes <= encoded || p.wholeBytes() < encoded {
		t.Fatalf("a 24 MB attachment (%d bytes in base64) cannot be kept under %+v", encoded, p)
	}
	if p := (Policy{MaxAttachmentBytes: 24 << 20, MaxBodyBytes: 5 << 20}).WithDefaults(); p.MaxBodyBytes != 5<<20 {
		t.Fatalf("an explicit MaxBodyBytes was changed: %+v", p)
	}
}
