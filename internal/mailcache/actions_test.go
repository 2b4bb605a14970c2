package mailcache

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/deskport/deskport/internal/testpeer"
)

// idBySubject finds the cached message with this subject.
func idBySubject(t testing.TB, c *Cache, subject string) int64 {
	t.Helper()
	var id int64
	if err := c.db.QueryRow(`SELECT id FROM messages WHERE subject=?`, subject).Scan(&id); err != nil {
		t.Fatalf("no cached message %q: %v", subject, err)
	}
	return id
}

// serverHas returns how many messages in folder have subject, and the first one.
func serverHas(d *testpeer.Dovecot, folder, subject string) (int, testpeer.ServerMessage) {
	n := 0
	var first testpeer.ServerMessage
	for _, m := range d.Messages(folder) {
		if m.Contains("Subject: " + subject + "\r\n") {
			if n == 0 {
				first = m
			}
			n++
		}
	}
	return n, first
}

// cacheMatchesServer checks per-folder counts, seen and flagged between cache and server.
func cacheMatchesServer(t testing.TB, c *Cache, d *testpeer.Dovecot) {
	t.Helper()
	fc := folderCounts(t, c)
	for name, counts := range fc {
		ms := d.Messages(name)
		unread := 0
		for _, m := range ms {
			if !m.HasFlag(imap.FlagSeen) {
				unread++
			}
		}
		if counts[0] != len(ms) || counts[1] != unread {
			t.Errorf("folder %s: cache has %d (%d unread), server %d (%d unread)", name, counts[0], counts[1], len(ms), unread)
		}
	}
}

func TestOfflineActionsReplayed(t *testing.T) {
	d := testpeer.StartDovecot(t)
	for _, s := range []string{"read me", "flag me", "file me", "delete me", "gone soon", "unflag me"} {
		d.Append("INBOX", testMail(s, "text of "+s))
	}
	uGone := d.Messages("INBOX")[4].UID
	d.Store("INBOX", d.Messages("INBOX")[5].UID, imap.StoreFlagsAdd, imap.FlagFlagged, imap.FlagSeen)
	c := openCache(t, t.TempDir(), Policy{})
	a := account(d, nil)
	ctx := context.Background()
	mustSync(t, c, a)

	d.Stop() // offline from here
	if _, err := c.Sync(ctx, a); !errors.Is(err, ErrOffline) {
		t.Fatalf("sync with the server gone: %v, want ErrOffline", err)
	}
	steps := []error{
		c.SetSeen(ctx, idBySubject(t, c, "read me"), true),
		c.SetFlagged(ctx, idBySubject(t, c, "flag me"), true),
		c.Move(ctx, idBySubject(t, c, "file me"), "Archive"),
		c.Delete(ctx, idBySubject(t, c, "delete me")),
		c.SetSeen(ctx, idBySubject(t, c, "gone soon"), true),
		c.SetFlagged(ctx, idBySubject(t, c, "unflag me"), false),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("offline action %d: %v", i, err)
		}
	}
	// applied locally at once
	fc := folderCounts(t, c)
	if fc["INBOX"] != [2]int{4, 1} || fc["Archive"] != [2]int{1, 1} || fc["Trash"] != [2]int{1, 1} {
		t.Fatalf("local state after offline actions: %v", fc)
	}
	if st := c.Status(ctx); st.Pending != 6 || st.Online {
		t.Fatalf("status %+v", st)
	}
	if err := c.Move(ctx, idBySubject(t, c, "read me"), "Nowhere"); err == nil || !strings.Contains(err.Error(), "no folder") {
		t.Fatalf("move to a missing folder: %v", err)
	}

	d.Start()
	d.Expunge("INBOX", uGone) // gone on the server before the change reaches it
	res := mustSync(t, c, a)
	if res.Replayed != 6 {
		t.Fatalf("replayed %d of 6", res.Replayed)
	}
	if n, m := serverHas(d, "INBOX", "read me"); n != 1 || !m.HasFlag(imap.FlagSeen) {
		t.Error("read me: not seen on the server")
	}
	if n, m := serverHas(d, "INBOX", "flag me"); n != 1 || !m.HasFlag(imap.FlagFlagged) {
		t.Error("flag me: not flagged on the server")
	}
	if n, m := serverHas(d, "INBOX", "unflag me"); n != 1 || m.HasFlag(imap.FlagFlagged) {
		t.Error("unflag me: still flagged on the server")
	}
	if n, _ := serverHas(d, "INBOX", "file me"); n != 0 {
		t.Error("file me: still in INBOX")
	}
	if n, _ := serverHas(d, "Archive", "file me"); n != 1 {
		t.Errorf("file me: %d copies in Archive", n)
	}
	if n, _ := serverHas(d, "Trash", "delete me"); n != 1 {
		t.Errorf("delete me: %d copies in Trash", n)
	}
	dropped, _ := c.DroppedActions(ctx)
	if len(dropped) != 1 || dropped[0].Subject != "gone soon" || dropped[0].Kind != "seen" {
		t.Fatalf("dropped %+v", dropped)
	}
	cacheMatchesServer(t, c, d)

	// delete from the trash: gone for good, on the server too
	if err := c.Delete(ctx, idBySubject(t, c, "delete me")); err != nil {
		t.Fatal(err)
	}
	mustSync(t, c, a)
	if n, _ := serverHas(d, "Trash", "delete me"); n != 0 {
		t.Error("delete from trash: still on the server")
	}
	if res := mustSync(t, c, a); res.Folders != 0 || res.Replayed != 0 {
		t.Fatalf("a sync after everything settled still did work: %+v", res)
	}
	cacheMatchesServer(t, c, d)
}

func TestUIDValidityResetKeepsQueuedChanges(t *testing.T) {
	d := testpeer.StartDovecot(t)
	d.Append("Archive", testMail("keep me", "one"))
	d.Append("Archive", testMail("flag later", "two"))
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	a := account(d, nil)
	ctx := context.Background()
	mustSync(t, c, a)
	keep := idBySubject(t, c, "keep me")
	if err := c.SetFlagged(ctx, idBySubject(t, c, "flag later"), true); err != nil {
		t.Fatal(err)
	}

	d.ResetUIDValidity("Archive") // new UIDVALIDITY, same messages
	mustSync(t, c, a)
	if n, m := serverHas(d, "Archive", "flag later"); n != 1 || !m.HasFlag(imap.FlagFlagged) {
		t.Fatal("the queued flag did not reach the renumbered folder")
	}
	if got := idBySubject(t, c, "keep me"); got != keep {
		t.Errorf("message id changed across the UIDVALIDITY reset: %d -> %d", keep, got)
	}
	if raw, err := c.Raw(ctx, keep); err != nil || !strings.Contains(string(raw), "one") {
		t.Errorf("body lost across the reset: %v", err)
	}
	if dropped, _ := c.DroppedActions(ctx); len(dropped) != 0 {
		t.Errorf("dropped %+v", dropped)
	}
	var zero int
	c.db.QueryRow(`SELECT count(*) FROM messages WHERE uid=0`).Scan(&zero)
	if zero != 0 {
		t.Errorf("%d rows without UID after the reset", zero)
	}
	cacheMatchesServer(t, c, d)
}
