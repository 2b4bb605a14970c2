package mailcache

import (
	"context"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/deskport/deskport/internal/testpeer"
)

func TestSyncInitialAndIncremental(t *testing.T) {
	d := testpeer.StartDovecot(t)
	u1 := d.Append("INBOX", testMailFrom("Jürgen Müller <juergen.mueller@example.de>", "Rechnung für Müller", "Bitte zahlen Sie bis Freitag an die Straße."))
	u2 := d.Append("INBOX", testMail("Hello", "plain english"), imap.FlagSeen)
	d.Append("Archive", testMail("Alt", "archived words"))
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	a := account(d, nil)
	ctx := context.Background()

	res := mustSync(t, c, a)
	if res.New != 3 {
		t.Fatalf("initial sync fetched %d, want 3", res.New)
	}
	fc := folderCounts(t, c)
	if fc["INBOX"] != [2]int{2, 1} || fc["Archive"] != [2]int{1, 1} || fc["Sent"] != [2]int{0, 0} {
		t.Fatalf("folders %v", fc)
	}
	for _, q := range []string{"Müller", "Muller", "mueller", "MUELLER", "Strasse", "straße", "subject:rechnung", "body:freitag", "from:juergen.mueller@example.de", "folder:INBOX is:unread"} {
		if r := find(t, c, q); len(r) != 1 || r[0].Subject != "Rechnung für Müller" {
			t.Errorf("search %q: %d results %v", q, len(r), r)
		}
	}
	if r := find(t, c, "subject:freitag"); len(r) != 0 {
		t.Errorf("subject:freitag matched the body")
	}

	// nothing changed: no folder is fetched again
	if res := mustSync(t, c, a); res.Folders != 0 || res.New != 0 {
		t.Fatalf("no-change resync did work: %+v", res)
	}

	// another device: flags, a new message, an expunge
	d.Store("INBOX", u1, imap.StoreFlagsAdd, imap.FlagSeen, imap.FlagFlagged)
	d.Expunge("INBOX", u2)
	d.Append("INBOX", testMail("Neu", "new message"))
	res = mustSync(t, c, a)
	if res.New != 1 || res.Expunged != 1 || res.Flags != 1 {
		t.Fatalf("incremental: %+v", res)
	}
	list, _ := c.List(ctx, "INBOX", 0, 10)
	if len(list) != 2 {
		t.Fatalf("INBOX %v", list)
	}
	for _, s := range list {
		if s.Subject == "Rechnung für Müller" && (!s.Seen || !s.Flagged) {
			t.Fatalf("flags not pulled: %+v", s)
		}
		if s.Subject == "Hello" {
			t.Fatal("expunged message still listed")
		}
	}
	if r := find(t, c, "english"); len(r) != 0 {
		t.Fatal("expunged message still in the index")
	}
	raw, err := c.Raw(ctx, list[0].ID)
	if err != nil || len(raw) == 0 {
		t.Fatalf("raw: %v", err)
	}
}
