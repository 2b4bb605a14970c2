package mailcache

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
)

// imapConns counts this machine's established TCP connections to port
// (the client ends, from /proc/net/tcp and tcp6).
func imapConns(t *testing.T, port int) int {
	n := 0
	want := fmt.Sprintf(":%04X", port)
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			// sl local_address rem_address st ...; 01 = ESTABLISHED
			if len(fields) > 3 && strings.HasSuffix(fields[2], want) && fields[3] == "01" {
				n++
			}
		}
		fh.Close()
	}
	return n
}

// The account idles the way the app and `deskport mail sync` run it: IDLE on
// the inbox, syncs on every push and periodically, bodies fetched on demand
// meanwhile (six at once). Dovecot never sees more than 3 connections from
// it, and once idle exactly the IDLE one and the sync's kept one.
func TestIdleUsesAtMostThreeConnections(t *testing.T) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("needs /proc/net/tcp (Linux)")
	}
	d := testpeer.StartDovecot(t)
	old := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"}
	big := strings.Repeat("a body outside the offline policy, fetched when opened\r\n", 20000) // ~1 MB
	for _, w := range old {
		d.Append("INBOX", testMail("old "+w, big))
	}
	c := openCache(t, t.TempDir(), Policy{})
	a := account(d, nil)
	mustSync(t, c, a)

	var peak atomic.Int64
	stopSampling := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		for {
			if n := int64(imapConns(t, d.Port)); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stopSampling:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 1)
	idling := make(chan struct{}, 1)
	c.crash = func(p string) {
		if p == "idling" {
			select {
			case idling <- struct{}{}:
			default:
			}
		}
	}
	watchDone := make(chan error, 1)
	go func() {
		watchDone <- c.Watch(ctx, a, func() {
			select {
			case changed <- struct{}{}:
			default:
			}
		})
	}()
	waitIdle := func() {
		t.Helper()
		select {
		case <-idling:
		case err := <-watchDone:
			t.Fatalf("watch ended: %v", err)
		case <-time.After(20 * time.Second):
			t.Fatal("not idling within 20 s")
		}
	}
	waitIdle()
	for round := 0; round < 3; round++ {
		d.Append("INBOX", testMail(fmt.Sprintf("pushed %d", round), "arrived while idling"))
		select {
		case <-changed:
		case <-time.After(20 * time.Second):
			t.Fatal("no push within 20 s of a new message")
		}
		// The push's sync, a periodic one, and (first round) the user opening
		// six old messages at once, each fetched on demand.
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); mustSync(t, c, a); mustSync(t, c, a) }()
		for _, w := range old {
			if round > 0 {
				break
			}
			found := find(t, c, w)
			if len(found) != 1 {
				t.Fatalf("%s: %v", w, found)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.FetchBody(context.Background(), a, found[0].ID); err != nil {
					t.Errorf("fetch body: %v", err)
				}
			}()
		}
		wg.Wait()
		waitIdle()
	}
	// Idle now: the IDLE connection and the sync's kept one, nothing else.
	time.Sleep(300 * time.Millisecond)
	idle := imapConns(t, d.Port)
	who := d.Doveadm("who")
	close(stopSampling)
	sampler.Wait()
	t.Logf("peak %d connections, idle %d; doveadm who:\n%s", peak.Load(), idle, who)
	if p := peak.Load(); p > 3 || p < 2 {
		t.Fatalf("peak of %d IMAP connections from one account (want 2–3)", p)
	}
	if idle != 2 {
		t.Fatalf("idle with %d IMAP connections, want 2 (IDLE + the kept sync connection)", idle)
	}
	if !strings.Contains(who, d.User) || !strings.Contains(who, " 2 ") {
		t.Fatalf("doveadm who does not show 2 connections for %s:\n%s", d.User, who)
	}
}
