package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/testpeer"
)

// While the service's first sync downloads, the view hears "mail:status"
// with the download's progress growing (folder, done of total), and the
// last status after the sync has none.
func TestMailStatusEventsShowSyncProgress(t *testing.T) {
	const n = 300
	d := testpeer.StartDovecot(t)
	cl := d.Client()
	for i := 0; i < n; i++ {
		raw := []byte(fmt.Sprintf("From: amt%d@example.org\r\nTo: alice@example.org\r\nSubject: Bescheid %d\r\nMessage-ID: <prog%d@example.org>\r\n\r\nText %d\r\n", i, i, i, i))
		cmd := cl.Append("INBOX", int64(len(raw)), &imap.AppendOptions{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
		if _, err := cmd.Write(raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	acct := mailcache.Account{IMAP: mailcache.Server{Host: d.Host, Port: d.Port, Security: mailcache.SecurityPlainLoopback}, User: d.User, Password: d.Pass}
	dir := t.TempDir()
	var cache *mailcache.Cache
	m := NewMail(func(ctx context.Context) (*mailcache.Cache, error) {
		c, err := mailcache.Open(ctx, dir, mailcache.Policy{BodyDays: -1})
		cache = c
		return c, err
	}, func() (mailcache.Account, error) { return acct, nil })
	ctx, cancel := context.WithCancel(context.Background())
	rt := &recRuntime{}
	m.start(ctx, rt)
	t.Cleanup(func() {
		cancel()
		time.Sleep(100 * time.Millisecond) // let the background loop leave the database
		if cache != nil {
			cache.Close()
		}
	})

	// The statuses the view got, in order.
	statuses := func() []mailcache.Status {
		rt.mu.Lock()
		defer rt.mu.Unlock()
		var out []mailcache.Status
		for i, e := range rt.events {
			if e != "mail:status" {
				continue
			}
			if len(rt.data[i]) != 1 {
				t.Fatalf("mail:status with %d values", len(rt.data[i]))
			}
			s, ok := rt.data[i][0].(mailcache.Status)
			if !ok {
				t.Fatalf("mail:status data is %T", rt.data[i][0])
			}
			out = append(out, s)
		}
		return out
	}
	// Done: the inbox is full and a status after the sync arrived.
	deadline := time.Now().Add(30 * time.Second)
	for {
		p, err := m.List("INBOX", 0, 1)
		st := statuses()
		if err == nil && p.Total == n && len(st) > 0 && !st[len(st)-1].Syncing {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no finished sync of %d messages within 30 s: %d listed (%v), statuses %+v", n, p.Total, err, st)
		}
		time.Sleep(50 * time.Millisecond)
	}

	st := statuses()
	if !st[0].Syncing || st[0].Progress != (mailcache.Progress{}) {
		t.Errorf("first status is not the sync's start: %+v", st[0])
	}
	var prog []mailcache.Progress
	for _, s := range st {
		if s.Progress != (mailcache.Progress{}) {
			if !s.Syncing {
				t.Errorf("progress while not syncing: %+v", s)
			}
			prog = append(prog, s.Progress)
		}
	}
	// At least one status while it was under way, then done of total; done
	// never goes back.
	if len(prog) < 2 || prog[0].Done <= 0 || prog[0].Done >= n {
		t.Fatalf("no progress under way: %+v", prog)
	}
	for i, p := range prog {
		if p.Folder != "INBOX" || p.Total != n || (i > 0 && p.Done < prog[i-1].Done) {
			t.Fatalf("progress %d of %+v", i, prog)
		}
	}
	if last := prog[len(prog)-1]; last.Done != n {
		t.Errorf("the download ended at %+v", last)
	}
	if end := st[len(st)-1]; end.Syncing || end.Progress != (mailcache.Progress{}) || end.LastSync.IsZero() || !end.Online {
		t.Errorf("last status: %+v", end)
	}
	t.Logf("%d mail:status events, progress %+v", len(st), prog)
}
