package webdav

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

// cutProxy forwards TCP to upstream and, once, closes the connection that
// carries the request bytes past cutAt: a connection dropped mid-upload.
type cutProxy struct {
	l        net.Listener
	upstream string
	cutAt    int64
	sent     atomic.Int64
	cut      atomic.Bool
	wg       sync.WaitGroup
}

func startCutProxy(t *testing.T, upstream string, cutAt int64) *cutProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{l: l, upstream: upstream, cutAt: cutAt}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() { defer p.wg.Done(); p.serve(c) }()
		}
	}()
	t.Cleanup(func() { l.Close(); p.wg.Wait() })
	return p
}

func (p *cutProxy) serve(c net.Conn) {
	defer c.Close()
	u, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	defer u.Close()
	go func() { io.Copy(c, u); c.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			total := p.sent.Add(int64(n))
			if total > p.cutAt && p.cut.CompareAndSwap(false, true) {
				u.Write(buf[:n-int(total-p.cutAt)])
				return // drop both sides mid-request
			}
			if _, werr := u.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// A connection cut in the middle of a chunk: without retries the upload fails
// and the next call sends only the chunks that did not arrive; with retries the
// same call recovers. Both give a byte-identical file.
func TestChunkedUploadSurvivesConnectionCut(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	upstream := strings.TrimPrefix(nc.URL, "http://")
	data := randomData(4*testChunk + 777)
	want := sha256.Sum256(data)

	for _, retries := range []int{-1, 3} {
		proxy := startCutProxy(t, upstream, 2*testChunk+testChunk/3) // in the middle of chunk 3
		files := "http://" + proxy.l.Addr().String() + "/remote.php/dav/files/" + nc.User + "/"
		c, err := New(Options{FilesURL: files, User: nc.User, Password: nc.Pass, MaxRetries: retries})
		if err != nil {
			t.Fatal(err)
		}
		name := "cut.bin"
		if retries > 0 {
			name = "cut-retry.bin"
		}
		o := ChunkedOptions{ChunkSize: testChunk, Identity: name + " v1"}
		nc.ResetRequests()
		res, err := c.PutChunked(ctxT(t), name, bytes.NewReader(data), int64(len(data)), o)
		if retries < 0 {
			var ne *NetError
			if !errors.As(err, &ne) {
				t.Fatalf("cut without retries: %v, want a NetError", err)
			}
			if _, err := os.Stat(filepath.Join(nc.Root, name)); !os.IsNotExist(err) {
				t.Fatal("a cut upload produced a destination file")
			}
			before := nc.CountRequests("PUT")
			nc.ResetRequests()
			res, err = c.PutChunked(ctxT(t), name, bytes.NewReader(data), int64(len(data)), o)
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			if before != 2 || res.ChunksSent != 3 || nc.CountRequests("PUT") != 3 {
				t.Fatalf("first try stored %d chunks; resume sent %d (%d logged), want 2 then the missing 3",
					before, res.ChunksSent, nc.CountRequests("PUT"))
			}
		} else if err != nil {
			t.Fatalf("cut with retries: %v", err)
		}
		got, err := os.ReadFile(filepath.Join(nc.Root, name))
		if err != nil || sha256.Sum256(got) != want {
			t.Fatalf("%s differs after the cut (%d bytes, %v)", name, len(got), err)
		}
		if !proxy.cut.Load() {
			t.Fatal("the proxy never cut the connection: the test proved nothing")
		}
	}
}

// The Nextcloud peer in hostile mode adds unsafe entries to every listing:
// each is refused on its own, the real entries still come through.
func TestHostileServerListing(t *testing.T) {
	nc := testpeer.StartNCServer(t, testpeer.NCHostile())
	c, err := New(Options{FilesURL: nc.FilesURL, User: nc.User, Password: nc.Pass})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.MkdirAll(ctxT(t), "dir"); err != nil {
		t.Fatal(err)
	}
	put(t, c, "dir/good.txt", "good", PutOptions{})
	for _, dir := range []string{"", "dir"} {
		l, err := c.List(ctxT(t), dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Entries) != 1 || len(l.Errors) != 7 {
			t.Fatalf("list %q: %d entries %+v, %d errors %v", dir, len(l.Entries), l.Entries, len(l.Errors), l.Errors)
		}
		for _, e := range l.Entries {
			if strings.Contains(e.Path, "..") || strings.Contains(e.Name, "evil") || strings.ContainsRune(e.Path, 0) {
				t.Fatalf("unsafe entry passed: %+v", e)
			}
		}
	}
}
