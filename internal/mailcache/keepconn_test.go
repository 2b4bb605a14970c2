package mailcache

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

// Syncs reuse the last sync's connection while it works and is for the same
// account; a connection the server dropped is replaced without an error.
func TestSyncKeepsItsConnection(t *testing.T) {
	d := testpeer.StartDovecot(t)
	d.Append("INBOX", testMail("eins", "erste Nachricht"))
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	var dials atomic.Int32
	c.crash = func(p string) {
		if p == "dial" {
			dials.Add(1)
		}
	}
	a := account(d, nil)
	mustSync(t, c, a)
	d.Append("INBOX", testMail("zwei", "zweite Nachricht"))
	if res := mustSync(t, c, a); res.New != 1 || dials.Load() != 1 {
		t.Fatalf("second sync: %+v after %d dials, want 1 new on the kept connection", res, dials.Load())
	}

	// the server restarts: the kept connection is dead, the sync dials anew
	d.Stop()
	d.Start()
	d.Append("INBOX", testMail("drei", "dritte Nachricht"))
	if res := mustSync(t, c, a); res.New != 1 || dials.Load() != 2 {
		t.Fatalf("after a server restart: %+v after %d dials, want 1 new on a new connection", res, dials.Load())
	}

	// another sign-in (here: another password) does not reuse the old login
	b := a
	b.Password = "other"
	if _, err := c.Sync(context.Background(), b); err == nil || dials.Load() != 3 {
		t.Fatalf("sync with another password: %v after %d dials, want a refused new login", err, dials.Load())
	}
	mustSync(t, c, a)
	if dials.Load() != 4 {
		t.Fatalf("%d dials, want 4 (the failed sync keeps nothing)", dials.Load())
	}

	// Disconnect (sign-out) logs it out: the next sync dials
	c.Disconnect()
	mustSync(t, c, a)
	if dials.Load() != 5 {
		t.Fatalf("%d dials after Disconnect, want 5", dials.Load())
	}
	if r := find(t, c, "dritte"); len(r) != 1 {
		t.Fatalf("search after the syncs: %v", r)
	}
}
