package filesync_test

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/testpeer"
	"github.com/deskport/deskport/internal/webdav"
)

// cutProxy forwards TCP to upstream; once cutAt bytes went up it cuts every
// connection and refuses new ones until allow() (the network is down).
type cutProxy struct {
	l     net.Listener
	up    string
	cutAt int64
	sent  atomic.Int64
	down  atomic.Bool
	mu    sync.Mutex
	conns []net.Conn
	// countDown counts server-to-client bytes (cut a download) instead.
	countDown bool
}

func startCutProxy(t *testing.T, upstream string, cutAt int64, down ...bool) *cutProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{l: l, up: upstream, cutAt: cutAt, countDown: len(down) > 0 && down[0]}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if p.down.Load() {
				c.Close()
				continue
			}
			go p.serve(c)
		}
	}()
	t.Cleanup(func() { l.Close() })
	return p
}

func (p *cutProxy) serve(c net.Conn) {
	u, err := net.Dial("tcp", p.up)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, u)
	p.mu.Unlock()
	go func() {
		if !p.countDown {
			io.Copy(c, u)
			c.Close()
			return
		}
		buf := make([]byte, 32<<10)
		for {
			n, err := u.Read(buf)
			if n > 0 {
				if p.sent.Add(int64(n)) > p.cutAt && p.cutAt > 0 && !p.down.Load() {
					p.cut()
					return
				}
				if _, err := c.Write(buf[:n]); err != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		c.Close()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if !p.countDown && p.sent.Add(int64(n)) > p.cutAt && p.cutAt > 0 && !p.down.Load() {
				p.cut()
				return
			}
			if _, err := u.Write(buf[:n]); err != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	u.Close()
}

func (p *cutProxy) cut() {
	p.down.Store(true)
	p.mu.Lock()
	for _, x := range p.conns {
		x.Close()
	}
	p.mu.Unlock()
}

func (p *cutProxy) allow() { p.cutAt = 0; p.down.Store(false) }

func TestDAVUploadResumesAfterConnectionCut(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	proxy := startCutProxy(t, strings.TrimPrefix(nc.URL, "http://"), 35<<20)
	url := "http://" + proxy.l.Addr().String() + "/remote.php/dav/files/" + nc.User + "/"
	dir, state := t.TempDir(), t.TempDir()
	data := make([]byte, 48<<20)
	for i := range data {
		data[i] = byte(i * 7 >> 10)
	}
	os.WriteFile(filepath.Join(dir, "big.bin"), data, 0o644)
	run := func() (filesync.Result, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		j, err := filesync.OpenJournal(ctx, filepath.Join(state, "j.db"), dir, url)
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		c, _ := webdav.New(webdav.Options{FilesURL: url, User: nc.User, Password: nc.Pass, MaxRetries: 1, RetryBase: 50 * time.Millisecond})
		e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: davremote.New(c), Journal: j})
		return e.Sync(ctx)
	}
	res, err := run()
	if err == nil && res.Errors == 0 {
		t.Fatalf("the cut did not hit the upload: %v", res)
	}
	if _, err := os.Stat(filepath.Join(nc.Root, "big.bin")); err == nil {
		t.Fatal("a half upload appeared on the server")
	}
	okChunks := func() int {
		n := 0
		for _, l := range nc.Requests() {
			f := strings.Fields(l)
			if len(f) == 3 && f[0] == "PUT" && strings.Contains(f[2], "/uploads/") && strings.HasPrefix(f[1], "2") {
				n++
			}
		}
		return n
	}
	before := okChunks()
	if before == 0 {
		t.Fatal("no chunk reached the server before the cut")
	}
	proxy.allow()
	if _, err := run(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(nc.Root, "big.bin"))
	if err != nil || len(got) != len(data) || string(got) != string(data) {
		t.Fatalf("server copy differs (%d bytes, %v)", len(got), err)
	}
	chunks := (len(data) + webdav.DefaultChunkSize - 1) / webdav.DefaultChunkSize
	if total := okChunks(); total != chunks {
		t.Fatalf("%d chunks stored before the cut, %d in all for a %d-chunk file: the upload started over instead of resuming", before, total, chunks)
	}
	t.Logf("%d of %d chunks were on the server before the cut; the next run sent only the rest", before, chunks)
}

func TestDAVDownloadResumesAfterConnectionCut(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	data := make([]byte, 40<<20)
	for i := range data {
		data[i] = byte(i*13>>12) ^ byte(i)
	}
	if err := os.WriteFile(filepath.Join(nc.Root, "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	proxy := startCutProxy(t, strings.TrimPrefix(nc.URL, "http://"), 25<<20, true)
	url := "http://" + proxy.l.Addr().String() + "/remote.php/dav/files/" + nc.User + "/"
	dir, state := t.TempDir(), t.TempDir()
	run := func() (filesync.Result, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		j, err := filesync.OpenJournal(ctx, filepath.Join(state, "j.db"), dir, url)
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		c, _ := webdav.New(webdav.Options{FilesURL: url, User: nc.User, Password: nc.Pass, MaxRetries: 1, RetryBase: 50 * time.Millisecond})
		e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: davremote.New(c), Journal: j})
		return e.Sync(ctx)
	}
	res, err := run()
	if err == nil && res.Errors == 0 {
		t.Fatalf("the cut did not hit the download: %v", res)
	}
	if _, err := os.Stat(filepath.Join(dir, "big.bin")); err == nil {
		t.Fatal("a half download was put in place")
	}
	proxy.allow()
	proxy.sent.Store(0)
	if _, err := run(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "big.bin"))
	if err != nil || string(got) != string(data) {
		t.Fatalf("downloaded copy differs (%d bytes, %v)", len(got), err)
	}
	if n := proxy.sent.Load(); n > int64(len(data))-10<<20 {
		t.Fatalf("the second run received %d bytes of a %d-byte file: the download started over", n, len(data))
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".deskport-tmp-*"))
	if len(left) != 0 {
		t.Fatalf("temp files left: %v", left)
	}
}
