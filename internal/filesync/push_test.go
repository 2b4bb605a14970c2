package filesync_test

// Run with Nextcloud's notify_push: the Nextcloud-compatible server announces
// the notify_push stand-in (internal/testpeer/notifypushd) in its
// capabilities; what the server is asked is read from its request log.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/notifypush"
	"github.com/deskport/deskport/internal/testpeer"
	"github.com/deskport/deskport/internal/webdav"
)

type pushRun struct {
	nc     *testpeer.NCServer
	dir    string
	passes chan filesync.Result
}

// startPushRun starts the server with push and a running engine polling
// every poll (when push is down).
func startPushRun(t *testing.T, poll time.Duration) *pushRun {
	nc := testpeer.StartNCServer(t, testpeer.NCPush(30*time.Second))
	r := &pushRun{nc: nc, dir: t.TempDir(), passes: make(chan filesync.Result, 64)}
	ctx, cancel := context.WithCancel(context.Background())
	j, err := filesync.OpenJournal(ctx, filepath.Join(t.TempDir(), "journal.db"), r.dir, nc.FilesURL)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := webdav.New(webdav.Options{FilesURL: nc.FilesURL, User: nc.User, Password: nc.Pass})
	if err != nil {
		t.Fatal(err)
	}
	push := notifypush.New(notifypush.Config{ServerURL: notifypush.ServerURLOf(nc.FilesURL), User: nc.User,
		Password: nc.Pass, Logf: t.Logf, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	e, err := filesync.New(filesync.Options{LocalDir: r.dir, Remote: davremote.New(cl), Journal: j, Logf: t.Logf, Push: push})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.Run(ctx, filesync.RunOptions{Poll: poll, Settle: 50 * time.Millisecond, OnPass: func(res filesync.Result, err error) {
			if err != nil {
				t.Logf("pass: %v", err)
			}
			select {
			case r.passes <- res:
			default:
			}
		}})
	}()
	t.Cleanup(func() { cancel(); <-done; j.Close() })
	select {
	case <-r.passes:
	case <-time.After(30 * time.Second):
		t.Fatal("no first pass within 30 s")
	}
	if err := nc.Push.WaitConnections(1, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return r
}

// quiet waits until the server's log stops growing (the check made on
// connecting), empties it, waits d and returns what was asked meanwhile.
func (r *pushRun) quiet(t *testing.T, d time.Duration) []string {
	t.Helper()
	for i := 0; i < 10; i++ { // stable for a second (a loaded machine may be slow to make it)
		n := r.nc.CountRequests("")
		time.Sleep(time.Second)
		if r.nc.CountRequests("") == n {
			break
		}
	}
	if err := r.nc.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(d)
	r.nc.CountRequests("")
	return r.nc.Requests()
}

func (r *pushRun) waitLocal(t *testing.T, rel, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		b, err := os.ReadFile(filepath.Join(r.dir, rel))
		if err == nil && string(b) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not synced here within %s (%v); server log:\n%s", rel, within, err, strings.Join(r.nc.Requests(), "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPushUpPollsNothing(t *testing.T) {
	// Polling every 200 ms would be about 20 requests in the window.
	r := startPushRun(t, 200*time.Millisecond)
	if reqs := r.quiet(t, 4*time.Second); len(reqs) != 0 {
		t.Fatalf("push is up, yet the server was asked %d times in 4 s:\n%s", len(reqs), strings.Join(reqs, "\n"))
	}
}

func TestPushNotifyFileSyncs(t *testing.T) {
	// No poll within the test: only the push can bring the file.
	r := startPushRun(t, time.Hour)
	r.quiet(t, 0)
	if err := r.nc.Upload("from-the-web.txt", []byte("uploaded in the browser"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	r.waitLocal(t, "from-the-web.txt", "uploaded in the browser", 30*time.Second)
	if s, _ := r.nc.Push.Stats(); s.Sent == 0 {
		t.Fatalf("synced, but the push server sent no notify_file (%+v)", s)
	}
}

func TestPushDropFallsBackAndReconnects(t *testing.T) {
	r := startPushRun(t, 300*time.Millisecond)
	if reqs := r.quiet(t, 2*time.Second); len(reqs) != 0 {
		t.Fatalf("push is up, yet %d requests:\n%s", len(reqs), strings.Join(reqs, "\n"))
	}
	r.nc.Push.Kill()
	// Fallen back: polling again, and a change on the server arrives by it.
	if err := r.nc.Upload("while-down.txt", []byte("no push to tell"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	r.waitLocal(t, "while-down.txt", "no push to tell", 30*time.Second)
	if n := r.nc.CountRequests("PROPFIND"); n < 2 {
		t.Fatalf("push down: expected polling (PROPFINDs), the server saw %d", n)
	}
	// Back: the client reconnects by itself and stops polling again.
	r.nc.Push.Start()
	if err := r.nc.Push.WaitConnections(1, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if reqs := r.quiet(t, 2*time.Second); len(reqs) != 0 {
		t.Fatalf("push is back, yet %d requests:\n%s", len(reqs), strings.Join(reqs, "\n"))
	}
	if err := r.nc.Upload("after.txt", []byte("pushed again"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	r.waitLocal(t, "after.txt", "pushed again", 30*time.Second)
}
