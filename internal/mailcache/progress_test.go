package mailcache

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

// A view learns from OnStatus how far the first sync is: per folder, done
// never goes back and reaches the folder's count; the end clears it.
func TestSyncReportsProgress(t *testing.T) {
	d := testpeer.StartDovecot(t)
	for i := 0; i < 30; i++ {
		d.Append("INBOX", testMail(fmt.Sprintf("Nachricht %d", i), "Text"))
	}
	for i := 0; i < 5; i++ {
		d.Append("Archive", testMail(fmt.Sprintf("Alt %d", i), "Text"))
	}
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	var mu sync.Mutex
	var seen []Status
	c.OnStatus(func() {
		s := c.Status(context.Background())
		mu.Lock()
		seen = append(seen, s)
		mu.Unlock()
	})
	mustSync(t, c, account(d, nil))

	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 3 || !seen[0].Syncing {
		t.Fatalf("statuses %+v", seen)
	}
	last := map[string]int{}
	final := map[string]Progress{}
	for _, s := range seen {
		p := s.Progress
		if p.Folder == "" {
			continue
		}
		if p.Done < last[p.Folder] || p.Done > p.Total {
			t.Errorf("progress went %d -> %+v", last[p.Folder], p)
		}
		last[p.Folder] = p.Done
		final[p.Folder] = p
	}
	if final["INBOX"] != (Progress{"INBOX", 30, 30}) || final["Archive"] != (Progress{"Archive", 5, 5}) {
		t.Errorf("final progress %+v", final)
	}
	if end := seen[len(seen)-1]; end.Syncing || end.Progress != (Progress{}) {
		t.Errorf("after the sync: %+v", end)
	}
}

// The first batch of a fetch is small, so a first sync shows mail at once;
// later batches are large (fewer commits, fewer index segments).
func TestFirstBatchIsSmall(t *testing.T) {
	d := testpeer.StartDovecot(t)
	for i := 0; i < 260; i++ {
		d.Append("INBOX", testMail(fmt.Sprintf("Nachricht %d", i), "Text"))
	}
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	var sizes []int
	c.crash = func(p string) {
		if p == "fetch-batch" {
			var n int
			c.db.QueryRow(`SELECT count(*) FROM messages`).Scan(&n)
			sizes = append(sizes, n)
		}
	}
	mustSync(t, c, account(d, nil))
	if len(sizes) != 2 || sizes[0] != firstBatch || sizes[1] != 260 {
		t.Fatalf("messages stored after each batch: %v, want [%d 260]", sizes, firstBatch)
	}
}

// Parse workers finish out of order; messages of the same second still list
// in the server's order, newest (highest UID) first.
func TestSameDateListsInServerOrder(t *testing.T) {
	d := testpeer.StartDovecot(t)
	for i := 0; i < 150; i++ {
		d.Append("INBOX", []byte(fmt.Sprintf("Date: Mon, 02 Jun 2025 10:00:00 +0200\r\nFrom: a@example.org\r\nSubject: Rundschreiben %03d\r\nMessage-ID: <r%d@x>\r\n\r\nText\r\n", i, i)))
	}
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	mustSync(t, c, account(d, nil))
	list, err := c.List(context.Background(), "INBOX", 0, 150)
	if err != nil || len(list) != 150 {
		t.Fatalf("list: %d, %v", len(list), err)
	}
	for i, m := range list {
		if want := fmt.Sprintf("Rundschreiben %03d", 149-i); m.Subject != want {
			t.Fatalf("row %d is %q, want %q", i, m.Subject, want)
		}
	}
}
