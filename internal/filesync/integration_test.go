package filesync_test

// Integration tests: the engine against real servers on loopback, the
// Nextcloud-compatible SabreDAV server and Apache mod_dav_fs.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/testpeer"
	"github.com/deskport/deskport/internal/webdav"
)

type peer struct {
	name     string
	nc       bool
	url      string
	user     string
	pass     string
	root     string // the served tree on disk
	requests func(method string) int
	reset    func()
}

func startPeer(t *testing.T, name string, opts ...testpeer.NCOption) *peer {
	if name == "nextcloud" {
		s := testpeer.StartNCServer(t, opts...)
		return &peer{name: name, nc: true, url: s.FilesURL, user: s.User, pass: s.Pass, root: s.Root,
			requests: s.CountRequests, reset: func() { s.ResetRequests() }}
	}
	s := testpeer.StartApacheDAV(t)
	return &peer{name: name, url: s.URL, user: s.User, pass: s.Pass, root: s.Root,
		requests: s.CountRequests, reset: func() { s.ResetRequests() }}
}

func (p *peer) client(t *testing.T) *webdav.Client {
	c, err := webdav.New(webdav.Options{FilesURL: p.url, User: p.user, Password: p.pass})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type davHarness struct {
	t     *testing.T
	p     *peer
	dir   string
	state string
	other *webdav.Client // another client changing the server meanwhile
}

func newDAVHarness(t *testing.T, p *peer) *davHarness {
	h := &davHarness{t: t, p: p, dir: t.TempDir(), state: t.TempDir(), other: p.client(t)}
	return h
}

// sync runs one engine the way one CLI run would: a new client, the journal opened and closed.
func (h *davHarness) sync(confirm bool) (filesync.Result, error) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	j, err := filesync.OpenJournal(ctx, filepath.Join(h.state, "journal.db"), h.dir, h.p.url)
	if err != nil {
		h.t.Fatal(err)
	}
	defer j.Close()
	e, err := filesync.New(filesync.Options{LocalDir: h.dir, Remote: davremote.New(h.p.client(h.t)), Journal: j, ConfirmDeletes: confirm,
		Logf: h.t.Logf})
	if err != nil {
		h.t.Fatal(err)
	}
	return e.Sync(ctx)
}

func (h *davHarness) mustSync() filesync.Result {
	h.t.Helper()
	res, err := h.sync(false)
	if err != nil {
		h.t.Fatalf("sync: %v", err)
	}
	return res
}

func (h *davHarness) write(rel, content string) {
	p := filepath.Join(h.dir, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
	tm := time.Now().Add(-time.Duration(len(content)+1) * time.Minute)
	os.Chtimes(p, tm, tm)
}

func (h *davHarness) remoteWrite(rel, content string) {
	h.t.Helper()
	ctx := context.Background()
	if d := filepath.ToSlash(filepath.Dir(rel)); d != "." {
		if err := h.other.MkdirAll(ctx, d); err != nil {
			h.t.Fatal(err)
		}
	}
	if _, err := h.other.Put(ctx, rel, strings.NewReader(content), int64(len(content)), webdav.PutOptions{}); err != nil {
		h.t.Fatal(err)
	}
}

func serverFiles(root string) map[string]string {
	m := localFiles(nil, root)
	for p := range m {
		if strings.HasPrefix(p, ".DAV") {
			delete(m, p)
		}
	}
	return m
}

func (h *davHarness) assertEqual() map[string]string {
	h.t.Helper()
	l, r := localFiles(h.t, h.dir), serverFiles(h.p.root)
	if keys(l) != keys(r) {
		h.t.Fatalf("%s: trees differ:\nlocal  %s\nserver %s", h.p.name, keys(l), keys(r))
	}
	for p, c := range l {
		if r[p] != c {
			h.t.Fatalf("%s: %s differs: local %q server %q", h.p.name, p, c, r[p])
		}
	}
	return l
}

func forBothServers(t *testing.T, fn func(t *testing.T, p *peer)) {
	for _, name := range []string{"nextcloud", "apache"} {
		t.Run(name, func(t *testing.T) { fn(t, startPeer(t, name)) })
	}
}

const nfc, nfd = "caf\u00e9.txt", "cafe\u0301.txt"

func TestDAVScenarios(t *testing.T) {
	forBothServers(t, func(t *testing.T, p *peer) {
		h := newDAVHarness(t, p)
		// first sync both ways
		h.write("a.txt", "local a")
		h.write("empty.txt", "")
		h.write("docs/deep/b.txt", "local b")
		h.write("Übersicht "+nfc, "nfc name")
		h.remoteWrite("remote/c.txt", "remote c")
		h.remoteWrite(nfd, "nfd name")
		h.mustSync()
		got := h.assertEqual()
		if got[nfd] != "nfd name" || got["Übersicht "+nfc] != "nfc name" || got["empty.txt"] != "" {
			t.Fatalf("names: %v", keys(got))
		}
		mt, _ := os.Stat(filepath.Join(h.dir, "a.txt"))
		if st, err := os.Stat(filepath.Join(p.root, "a.txt")); err == nil && p.nc && !st.ModTime().Equal(mt.ModTime().Truncate(time.Second)) {
			t.Errorf("mtime not kept on upload: server %v local %v", st.ModTime(), mt.ModTime())
		}

		// a server file's mtime comes down with it
		old := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
		if p.nc { // another client sets it with X-OC-Mtime
			if _, err := h.other.Put(context.Background(), "dated.txt", strings.NewReader("dated"), 5, webdav.PutOptions{ModTime: old}); err != nil {
				t.Fatal(err)
			}
		} else { // Apache serves the file's own mtime
			os.WriteFile(filepath.Join(p.root, "dated.txt"), []byte("dated"), 0o644)
			os.Chtimes(filepath.Join(p.root, "dated.txt"), old, old)
		}
		h.mustSync()
		st, err := os.Stat(filepath.Join(h.dir, "dated.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if !st.ModTime().Equal(old) {
			t.Fatalf("mtime not kept on download: %v, want %v", st.ModTime(), old)
		}

		// no-change rerun
		p.reset()
		res := h.mustSync()
		n := p.requests("")
		if res.Uploaded+res.Downloaded+res.Moved != 0 {
			t.Fatalf("rerun did something: %v", res)
		}
		if p.nc && p.requests("PROPFIND") != 1 {
			t.Fatalf("no-change rerun on Nextcloud: %d requests, %d PROPFIND; want one PROPFIND", n, p.requests("PROPFIND"))
		}
		t.Logf("%s: no-change rerun: %d requests", p.name, n)

		// edits on both sides, delete vs change, plain deletes
		h.write("a.txt", "local edit of a")
		h.remoteWrite("remote/c.txt", "remote edit of c")
		os.Remove(filepath.Join(h.dir, "docs/deep/b.txt"))
		h.remoteWrite("docs/deep/b.txt", "remote edit of b after local delete")
		h.remoteWrite("new-remote.txt", "new remote")
		h.mustSync()
		got = h.assertEqual()
		if got["docs/deep/b.txt"] != "remote edit of b after local delete" || got["a.txt"] != "local edit of a" || got["remote/c.txt"] != "remote edit of c" {
			t.Fatalf("after edits: %v", got)
		}
		os.Remove(filepath.Join(h.dir, "new-remote.txt"))
		if err := h.other.Delete(context.Background(), "empty.txt", webdav.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		h.mustSync()
		got = h.assertEqual()
		if _, ok := got["new-remote.txt"]; ok {
			t.Fatal("local delete not synced")
		}
		if _, ok := got["empty.txt"]; ok {
			t.Fatal("server delete not synced")
		}

		// conflict: both sides edit the same file
		h.write("a.txt", "mine")
		h.remoteWrite("a.txt", "theirs")
		res = h.mustSync()
		got = h.assertEqual()
		var copies []string
		for k, v := range got {
			if strings.Contains(k, "conflicted copy") {
				copies = append(copies, k)
				if v != "mine" {
					t.Fatalf("conflict copy holds %q", v)
				}
			}
		}
		if got["a.txt"] != "theirs" || len(copies) != 1 || res.Conflicts != 1 {
			t.Fatalf("conflict: %v %v", res, got)
		}

		// moves both ways
		p.reset()
		if err := os.Rename(filepath.Join(h.dir, "docs"), filepath.Join(h.dir, "Documents")); err != nil {
			t.Fatal(err)
		}
		os.Rename(filepath.Join(h.dir, "remote/c.txt"), filepath.Join(h.dir, "remote/C.txt")) // case-only
		res = h.mustSync()
		h.assertEqual()
		// Apache may need a MOVE again once its one-second weak ETag turns strong.
		if p.requests("MOVE") < 2 || p.requests("PUT") != 0 || res.Moved != 2 {
			t.Fatalf("local moves: %v, %d MOVE %d PUT", res, p.requests("MOVE"), p.requests("PUT"))
		}
		p.reset()
		if err := h.other.Move(context.Background(), "Documents", "docs2", webdav.MoveOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := h.other.Move(context.Background(), "remote/C.txt", "remote/c.txt", webdav.MoveOptions{}); err != nil {
			t.Fatal(err)
		}
		p.reset()
		res = h.mustSync()
		got = h.assertEqual()
		if got["docs2/deep/b.txt"] == "" || got["remote/c.txt"] == "" {
			t.Fatalf("remote moves: %v", keys(got))
		}
		if p.nc && (res.Downloaded != 0 || res.Moved != 2) {
			t.Fatalf("remote moves on Nextcloud should be local renames: %v", res)
		}

		// mass-delete guard
		for i := 0; i < 12; i++ {
			h.write(fmt.Sprintf("many/f%02d.txt", i), "x")
		}
		h.mustSync()
		os.RemoveAll(filepath.Join(h.dir, "many"))
		os.RemoveAll(filepath.Join(h.dir, "docs2"))
		_, err = h.sync(false)
		var md *filesync.MassDeleteError
		if !errors.As(err, &md) {
			t.Fatalf("mass delete not stopped: %v", err)
		}
		if _, err := os.Stat(filepath.Join(p.root, "many/f00.txt")); err != nil {
			t.Fatal("the guard let a server file go")
		}
		if _, err := h.sync(true); err != nil {
			t.Fatal(err)
		}
		got = h.assertEqual()
		if _, err := os.Stat(filepath.Join(p.root, "many")); err == nil {
			t.Fatalf("confirmed deletes not done: %v", keys(got))
		}
	})
}

func TestDAVHostileNamesFromServer(t *testing.T) {
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	os.MkdirAll(filepath.Join(p.root, "sub"), 0o755)
	for _, n := range []string{"ok.txt", "sub/fine.txt", "bad\\name", "sub/CON", "trail.", "a:b"} {
		os.WriteFile(filepath.Join(p.root, n), []byte("x "+n), 0o644)
	}
	ctx := context.Background()
	j, err := filesync.OpenJournal(ctx, filepath.Join(h.state, "j.db"), h.dir, p.url)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, _ := filesync.New(filesync.Options{LocalDir: h.dir, Remote: davremote.New(p.client(t)), Journal: j, GOOS: "windows"})
	res, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := localFiles(t, h.dir)
	if len(got) != 2 || got["ok.txt"] == "" || got["sub/fine.txt"] == "" || res.Errors != 4 {
		t.Fatalf("windows rules: %v %v", res, keys(got))
	}
	errs, _ := j.Errors(ctx)
	if len(errs) != 4 {
		t.Fatalf("errors: %+v", errs)
	}
}

// A server that answers PROPFIND with hrefs that try to leave the folder.
func TestDAVHostileHrefsNeverWriteOutside(t *testing.T) {
	srv := hostileServer(t)
	dir := t.TempDir()
	outside := filepath.Dir(dir)
	ctx := context.Background()
	c, _ := webdav.New(webdav.Options{FilesURL: srv + "/dav/", User: "u", Password: "p", MaxRetries: -1})
	j, err := filesync.OpenJournal(ctx, filepath.Join(t.TempDir(), "j.db"), dir, srv)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: davremote.New(c), Journal: j})
	res, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := localFiles(t, dir)
	if len(got) != 1 || got["good.txt"] != "good" {
		t.Fatalf("local tree %v (res %v)", got, res)
	}
	for _, n := range []string{"evil", "passwd"} {
		if _, err := os.Stat(filepath.Join(outside, n)); err == nil {
			t.Fatalf("%s written outside the sync folder", n)
		}
	}
	if res.Errors == 0 {
		t.Fatal("hostile entries not reported")
	}
}

func TestDAVLargeSparseFile(t *testing.T) {
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	// A sparse file: cheap locally, still every byte over the wire. 256 MB by
	// default; DESKPORT_BIG=1 makes it 2 GB (about 20 s here).
	size := int64(256 << 20)
	if os.Getenv("DESKPORT_BIG") != "" {
		size = 2 << 30
	}
	f, _ := os.Create(filepath.Join(h.dir, "sparse.img"))
	f.Truncate(size)
	f.WriteAt([]byte("end"), size-3)
	f.Close()
	start := time.Now()
	h.mustSync()
	st, err := os.Stat(filepath.Join(p.root, "sparse.img"))
	if err != nil || st.Size() != size {
		t.Fatalf("sparse file on the server: %v %v", st, err)
	}
	t.Logf("%d MB sparse upload in %v", size>>20, time.Since(start))
	// and back down into a fresh folder
	h2 := newDAVHarness(t, p)
	h2.mustSync()
	st2, err := os.Stat(filepath.Join(h2.dir, "sparse.img"))
	if err != nil || st2.Size() != size {
		t.Fatalf("download: %v %v", st2, err)
	}
	tail := make([]byte, 3)
	g, _ := os.Open(filepath.Join(h2.dir, "sparse.img"))
	g.ReadAt(tail, size-3)
	g.Close()
	if !bytes.Equal(tail, []byte("end")) {
		t.Fatal("content differs")
	}
}
