package filesync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/webdav"
)

// A file being transferred shows how many of its bytes have moved, for a
// download and an upload against the Nextcloud-compatible server: some but
// not all while it runs (the rate limit makes each take about a second),
// never going back, and nothing once it is synced.
func TestTreeTransferProgressAgainstNextcloud(t *testing.T) {
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	const size = 600 << 10
	h.remoteWrite("down.bin", strings.Repeat("d", size))
	h.write("up.bin", strings.Repeat("u", size))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	j, err := filesync.OpenJournal(ctx, filepath.Join(h.state, "journal.db"), h.dir, p.url)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, err := filesync.New(filesync.Options{LocalDir: h.dir, Remote: davremote.New(p.client(t)), Journal: j,
		Parallel: 1, Limit: 512 << 10, BulkMax: 1, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	// The pass's progress also moves within a file, not only when one is done.
	var mu sync.Mutex
	var midFile []filesync.Progress
	e.SetProgress(func(pr filesync.Progress) {
		if pr.BytesDone%size != 0 {
			mu.Lock()
			midFile = append(midFile, pr)
			mu.Unlock()
		}
	})
	done := make(chan error, 1)
	go func() { _, err := e.Sync(ctx); done <- err }()
	last := map[string]int64{}
	partway := map[string]bool{}
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		case <-time.After(20 * time.Millisecond):
		}
		for _, x := range states(t, e, "") {
			if x.State != filesync.StateTransferring {
				if x.Done != 0 || x.Total != 0 {
					t.Errorf("%s in state %q has progress %d of %d", x.Name, x.State, x.Done, x.Total)
				}
				continue
			}
			if x.Total == 0 && x.Done == 0 {
				continue // started, its bytes not counted yet (opening the file)
			}
			if x.Total != size || x.Done < 0 || x.Done > x.Total {
				t.Fatalf("%s transferring: %d of %d bytes, want 0..%d of %d", x.Name, x.Done, x.Total, size, size)
			}
			if x.Done < last[x.Name] {
				t.Errorf("%s went back from %d to %d bytes", x.Name, last[x.Name], x.Done)
			}
			last[x.Name] = x.Done
			if x.Done > 0 && x.Done < x.Total {
				partway[x.Name] = true
			}
		}
	}
	for _, n := range []string{"down.bin", "up.bin"} {
		if !partway[n] {
			t.Errorf("%s never showed a transfer part-way (last seen %d bytes)", n, last[n])
		}
	}
	mu.Lock()
	if len(midFile) < 2 {
		t.Errorf("progress reported %d times within a file, want some (a 600 KiB file takes over a second): %+v", len(midFile), midFile)
	}
	mu.Unlock()
	for n, x := range states(t, e, "") {
		if x.State != filesync.StateSynced || x.Done != 0 || x.Total != 0 {
			t.Errorf("%s after the sync: %+v", n, x)
		}
	}
}

// The last bytes before a transfer stalls are reported (within 200 ms)
// although no more come: the progress shown during a stall is the truth.
func TestProgressReportsTheBytesBeforeAStall(t *testing.T) {
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	const size, sent = 256 << 10, 128 << 10
	h.remoteWrite("held.bin", strings.Repeat("h", size))
	release := make(chan struct{})
	defer close(release)
	target, _ := url.Parse(p.url)
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/held.bin") {
			proxy.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		proxy.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		for i := 0; i < sent; i += 8 << 10 { // many small writes, quickly: the last ones within 200 ms of a report
			w.Write(body[i : i+8<<10])
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(p.url)
	cl, err := webdav.New(webdav.Options{FilesURL: srv.URL + u.EscapedPath(), User: p.user, Password: p.pass})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	j, err := filesync.OpenJournal(ctx, filepath.Join(h.state, "journal.db"), h.dir, p.url)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, err := filesync.New(filesync.Options{LocalDir: h.dir, Remote: davremote.New(cl), Journal: j, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var last filesync.Progress
	e.SetProgress(func(pr filesync.Progress) { mu.Lock(); last = pr; mu.Unlock() })
	go e.Sync(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		got := last.BytesDone
		mu.Unlock()
		if got == sent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the last report during the stall says %d bytes; %d arrived before it", got, sent)
		}
		time.Sleep(50 * time.Millisecond)
	}
	m := states(t, e, "")
	if x := m["held.bin"]; x.State != filesync.StateTransferring || x.Done != sent || x.Total != size || x.Size != size {
		t.Errorf("held.bin during the stall: %+v, want transferring %d of %d (size %d)", x, sent, size, size)
	}
	// the download is written to a temporary file beside it: not an entry of the tree
	if len(m) != 1 {
		t.Errorf("the tree during a download lists %d entries, want held.bin only: %+v", len(m), m)
	}
}
