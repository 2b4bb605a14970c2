package webdav

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
)

// peer is one real server the shared suite runs against.
type peer struct {
	name     string
	c        *Client
	root     string // the served files on disk
	nc       bool   // Nextcloud-compatible: mtime, fileid, chunking, bulk
	requests func(method string) int
	reset    func()
	url      string
}

func startPeers(t *testing.T) []*peer {
	nc := testpeer.StartNCServer(t)
	ncc, err := New(Options{FilesURL: nc.FilesURL, User: nc.User, Password: nc.Pass})
	if err != nil {
		t.Fatal(err)
	}
	ap := testpeer.StartApacheDAV(t)
	apc, err := New(Options{FilesURL: ap.URL, User: ap.User, Password: ap.Pass})
	if err != nil {
		t.Fatal(err)
	}
	return []*peer{
		{name: "nextcloud", c: ncc, root: nc.Root, nc: true, requests: nc.CountRequests,
			reset: func() { nc.ResetRequests() }, url: nc.FilesURL},
		{name: "apache", c: apc, root: ap.Root, requests: ap.CountRequests,
			reset: func() { ap.ResetRequests() }, url: ap.URL},
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func put(t *testing.T, c *Client, p, data string, o PutOptions) PutResult {
	t.Helper()
	r, err := c.Put(ctxT(t), p, strings.NewReader(data), int64(len(data)), o)
	if err != nil {
		t.Fatalf("Put %q: %v", p, err)
	}
	return r
}

func get(t *testing.T, c *Client, p string) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := c.Get(ctxT(t), p, &b, GetOptions{}); err != nil {
		t.Fatalf("Get %q: %v", p, err)
	}
	return b.String()
}

// strongETag waits until a generic server (Apache) stops calling the file's ETag weak;
// mod_dav marks files changed within the last second weak.
func strongETag(t *testing.T, c *Client, p string) Entry {
	t.Helper()
	for i := 0; ; i++ {
		e, err := c.Stat(ctxT(t), p)
		if err != nil {
			t.Fatal(err)
		}
		if !e.WeakETag || i == 40 {
			return e
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestServers(t *testing.T) {
	for _, pr := range startPeers(t) {
		t.Run(pr.name, func(t *testing.T) {
			t.Run("ListStat", func(t *testing.T) { testListStat(t, pr) })
			t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, pr) })
			t.Run("RangeResume", func(t *testing.T) { testRangeResume(t, pr) })
			t.Run("Conditional", func(t *testing.T) { testConditional(t, pr) })
			t.Run("MoveCopy", func(t *testing.T) { testMoveCopy(t, pr) })
			t.Run("MkdirAll", func(t *testing.T) { testMkdirAll(t, pr) })
			t.Run("Names", func(t *testing.T) { testNames(t, pr) })
			t.Run("Unauthorized", func(t *testing.T) { testUnauthorized(t, pr) })
			t.Run("Capabilities", func(t *testing.T) { testCapabilities(t, pr) })
			t.Run("Parallel", func(t *testing.T) { testParallel(t, pr) })
			if pr.nc {
				t.Run("Chunked", func(t *testing.T) { testChunked(t, pr) })
				t.Run("ChunkedResume", func(t *testing.T) { testChunkedResume(t, pr) })
				t.Run("ChunkedConditional", func(t *testing.T) { testChunkedConditional(t, pr) })
				t.Run("Bulk", func(t *testing.T) { testBulk(t, pr) })
			}
		})
	}
}

func testListStat(t *testing.T, pr *peer) {
	c := pr.c
	if err := c.MkdirAll(ctxT(t), "ls/sub"); err != nil {
		t.Fatal(err)
	}
	put(t, c, "ls/a.txt", "hello", PutOptions{})
	put(t, c, "ls/empty", "", PutOptions{})
	l, err := c.List(ctxT(t), "ls")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Errors) > 0 {
		t.Fatalf("listing errors: %v", l.Errors)
	}
	if !l.Self.IsDir || l.Self.Path != "ls" || l.Self.ETag == "" {
		t.Fatalf("self = %+v", l.Self)
	}
	got := map[string]Entry{}
	for _, e := range l.Entries {
		got[e.Name] = e
	}
	if len(got) != 3 {
		t.Fatalf("entries = %+v", l.Entries)
	}
	if e := got["a.txt"]; e.IsDir || e.Size != 5 || e.Path != "ls/a.txt" || e.ETag == "" || e.ModTime.IsZero() {
		t.Fatalf("a.txt = %+v", e)
	}
	if e := got["empty"]; e.IsDir || e.Size != 0 {
		t.Fatalf("empty = %+v", e)
	}
	if e := got["sub"]; !e.IsDir || e.Path != "ls/sub" {
		t.Fatalf("sub = %+v", e)
	}
	if pr.nc {
		if e := got["a.txt"]; e.FileID == "" || e.Permissions == "" {
			t.Fatalf("Nextcloud entry without fileid/permissions: %+v", e)
		}
	}
	if get(t, c, "ls/empty") != "" {
		t.Fatal("0-byte file has content")
	}
	e, err := c.Stat(ctxT(t), "ls/a.txt")
	if err != nil || e.Size != 5 || e.Name != "a.txt" {
		t.Fatalf("Stat = %+v, %v", e, err)
	}
	if _, err := c.Stat(ctxT(t), "ls/missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Stat missing: %v, want ErrNotFound", err)
	}
	if _, err := c.List(ctxT(t), "ls/a.txt"); err == nil {
		t.Fatal("List of a file succeeded")
	}
	root, err := c.List(ctxT(t), "")
	if err != nil || root.Self.Path != "" {
		t.Fatalf("List root: %+v %v", root, err)
	}
}

func testRoundTrip(t *testing.T, pr *peer) {
	c := pr.c
	mt := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	data := strings.Repeat("0123456789", 10000)
	r1 := put(t, c, "rt.bin", data, PutOptions{ModTime: mt})
	if r1.ETag == "" {
		t.Fatal("no ETag after Put")
	}
	if got := get(t, c, "rt.bin"); got != data {
		t.Fatalf("round trip: %d bytes back, want %d", len(got), len(data))
	}
	onDisk, err := os.ReadFile(filepath.Join(pr.root, "rt.bin"))
	if err != nil || string(onDisk) != data {
		t.Fatalf("on disk: %d bytes, %v", len(onDisk), err)
	}
	e, err := c.Stat(ctxT(t), "rt.bin")
	if err != nil {
		t.Fatal(err)
	}
	if e.ETag != r1.ETag {
		t.Fatalf("Put said ETag %q, Stat says %q", r1.ETag, e.ETag)
	}
	if pr.nc {
		if !r1.MtimeAccepted || !e.ModTime.Equal(mt) || r1.FileID == "" || r1.FileID != e.FileID {
			t.Fatalf("Nextcloud: put %+v, stat %+v; want mtime %v kept and fileid reported", r1, e, mt)
		}
	}
	r2 := put(t, c, "rt.bin", data+"x", PutOptions{})
	if r2.ETag == r1.ETag {
		t.Fatal("ETag did not change after a write")
	}
	if pr.nc && r2.FileID != r1.FileID {
		t.Fatalf("overwrite changed fileid %s -> %s", r1.FileID, r2.FileID)
	}
	// Nextcloud propagates ETags to every ancestor.
	if pr.nc {
		before, _ := c.Stat(ctxT(t), "")
		put(t, c, "ls/sub/deep.txt", "x", PutOptions{})
		after, _ := c.Stat(ctxT(t), "")
		if before.ETag == after.ETag {
			t.Fatal("root ETag unchanged after a write below it")
		}
	}
}

func testRangeResume(t *testing.T, pr *peer) {
	c := pr.c
	data := strings.Repeat("abcdefghij", 5000)
	put(t, c, "range.bin", data, PutOptions{})
	e, err := c.Stat(ctxT(t), "range.bin") // on Apache still weak: Get waits until it can compare
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	res, err := c.Get(ctxT(t), "range.bin", &b, GetOptions{Offset: 12345, ETag: e.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != data[12345:] || res.Written != int64(len(data)-12345) || res.Size != int64(len(data)) {
		t.Fatalf("resumed download: %d bytes written, size %d", res.Written, res.Size)
	}
	// a changed file must not be resumed onto the old part
	put(t, c, "range.bin", strings.Repeat("Z", len(data)), PutOptions{})
	b.Reset()
	_, err = c.Get(ctxT(t), "range.bin", &b, GetOptions{Offset: 100, ETag: e.ETag})
	if !errors.Is(err, ErrChangedWhileReading) || b.Len() != 0 {
		t.Fatalf("resume of a changed file: err %v, %d bytes written; want ErrChangedWhileReading and nothing", err, b.Len())
	}
}

func testConditional(t *testing.T, pr *peer) {
	c := pr.c
	put(t, c, "cond.txt", "v1", PutOptions{})
	v1 := strongETag(t, c, "cond.txt")
	put(t, c, "cond.txt", "v2-from-someone-else", PutOptions{})
	_, err := c.Put(ctxT(t), "cond.txt", strings.NewReader("v3"), 2, PutOptions{IfMatch: v1.ETag})
	if !errors.Is(err, ErrPrecondition) {
		t.Fatalf("Put with stale If-Match: %v, want ErrPrecondition", err)
	}
	if _, err := c.Put(ctxT(t), "cond.txt", strings.NewReader("v3"), 2, PutOptions{CreateOnly: true}); !errors.Is(err, ErrPrecondition) {
		t.Fatalf("CreateOnly Put over an existing file: %v, want ErrPrecondition", err)
	}
	if err := c.Delete(ctxT(t), "cond.txt", DeleteOptions{IfMatch: v1.ETag}); !errors.Is(err, ErrPrecondition) {
		t.Fatalf("Delete with stale If-Match: %v, want ErrPrecondition", err)
	}
	if got := get(t, c, "cond.txt"); got != "v2-from-someone-else" {
		t.Fatalf("the other writer's version was clobbered: %q", got)
	}
	// just written: Apache calls the ETag weak for a second; the client waits that out
	v2, err := c.Stat(ctxT(t), "cond.txt")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("current ETag weak: %v", v2.WeakETag)
	r3, err := c.Put(ctxT(t), "cond.txt", strings.NewReader("v3"), 2, PutOptions{IfMatch: v2.ETag})
	if err != nil {
		t.Fatalf("Put with current If-Match: %v", err)
	}
	if r3.ETag == v2.ETag {
		t.Fatal("ETag unchanged")
	}
	if _, err := c.Put(ctxT(t), "cond-new.txt", strings.NewReader("n"), 1, PutOptions{CreateOnly: true}); err != nil {
		t.Fatalf("CreateOnly Put of a new file: %v", err)
	}
	if err := c.Move(ctxT(t), "cond.txt", "cond-new.txt", MoveOptions{IfMatch: r3.ETag}); !errors.Is(err, ErrExists) {
		t.Fatalf("conditional Move onto an existing file: %v, want ErrExists", err)
	}
	if err := c.Delete(ctxT(t), "cond.txt", DeleteOptions{IfMatch: r3.ETag}); err != nil {
		t.Fatalf("Delete with current If-Match: %v", err)
	}
	if _, err := c.Stat(ctxT(t), "cond.txt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after Delete: %v", err)
	}
	if err := c.Delete(ctxT(t), "cond.txt", DeleteOptions{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete of a missing file: %v, want ErrNotFound", err)
	}
}

func testMoveCopy(t *testing.T, pr *peer) {
	c := pr.c
	if err := c.MkdirAll(ctxT(t), "mv/dst"); err != nil {
		t.Fatal(err)
	}
	r := put(t, c, "mv/a.txt", "A", PutOptions{})
	put(t, c, "mv/b.txt", "B", PutOptions{})
	if err := c.Move(ctxT(t), "mv/a.txt", "mv/b.txt", MoveOptions{}); !errors.Is(err, ErrExists) {
		t.Fatalf("Move onto an existing file: %v, want ErrExists", err)
	}
	if get(t, c, "mv/b.txt") != "B" || get(t, c, "mv/a.txt") != "A" {
		t.Fatal("a refused move changed files")
	}
	if err := c.Move(ctxT(t), "mv/a.txt", "mv/dst/renamed a#1.txt", MoveOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := c.Stat(ctxT(t), "mv/dst/renamed a#1.txt")
	if err != nil {
		t.Fatal(err)
	}
	if pr.nc && e.FileID != r.FileID {
		t.Fatalf("fileid changed on move: %s -> %s", r.FileID, e.FileID)
	}
	if _, err := c.Stat(ctxT(t), "mv/a.txt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("source still there: %v", err)
	}
	if err := c.Copy(ctxT(t), "mv/b.txt", "mv/c.txt", MoveOptions{}); err != nil {
		t.Fatal(err)
	}
	if get(t, c, "mv/c.txt") != "B" {
		t.Fatal("copy content")
	}
	if err := c.Move(ctxT(t), "mv/c.txt", "mv/b.txt", MoveOptions{Overwrite: true}); err != nil {
		t.Fatalf("Move with Overwrite: %v", err)
	}
	put(t, c, "mv/Case.txt", "case", PutOptions{})
	if err := c.Move(ctxT(t), "mv/Case.txt", "mv/CASE.txt", MoveOptions{}); err != nil {
		t.Fatalf("case-only rename: %v", err)
	}
	if get(t, c, "mv/CASE.txt") != "case" {
		t.Fatal("case-only rename lost content")
	}
	if _, err := c.Stat(ctxT(t), "mv/Case.txt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old case still there: %v", err)
	}
	if err := c.Move(ctxT(t), "mv/dst", "mv/dst2", MoveOptions{}); err != nil {
		t.Fatalf("folder move: %v", err)
	}
	if get(t, c, "mv/dst2/renamed a#1.txt") != "A" {
		t.Fatal("folder move lost content")
	}
	if err := c.Delete(ctxT(t), "mv", DeleteOptions{}); err != nil {
		t.Fatalf("folder delete: %v", err)
	}
}

func testMkdirAll(t *testing.T, pr *peer) {
	c := pr.c
	deep := "deep/a/b/c/d/e"
	if err := c.MkdirAll(ctxT(t), deep); err != nil {
		t.Fatal(err)
	}
	if err := c.MkdirAll(ctxT(t), deep); err != nil {
		t.Fatalf("MkdirAll of an existing folder: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(pr.root, "deep/a/b/c/d/e")); err != nil || !fi.IsDir() {
		t.Fatalf("not on disk: %v", err)
	}
	put(t, c, "deep/file", "x", PutOptions{})
	if err := c.MkdirAll(ctxT(t), "deep/file/sub"); err == nil {
		t.Fatal("MkdirAll through a file succeeded")
	}
	if err := c.MkdirAll(ctxT(t), "deep/file"); !errors.Is(err, ErrExists) {
		t.Fatalf("MkdirAll onto a file: %v, want ErrExists", err)
	}
	if err := c.Mkcol(ctxT(t), "nope/x"); !errors.Is(err, ErrConflict) {
		t.Fatalf("Mkcol without parent: %v, want ErrConflict", err)
	}
}

func testNames(t *testing.T, pr *peer) {
	c := pr.c
	names := []string{
		"with space.txt", "hash#1.txt", "per%cent%20.txt", "semi;colon,comma.txt", "plus+and&amp=.txt",
		"Gr\u00fc\u00dfe \u00c4rger.txt",   // NFC
		"Gru\u0308\u00dfe A\u0308rger.txt", // NFD: a different name, kept apart
		"emoji \U0001F600.txt", "quote's \"x\".txt", "[brackets] {braces}", "a~b!c@d$e(f)g",
		// valid on the server, invalid on Windows or in openDesk: the client must carry them unchanged
		"colon:x", "back\\slash", "star*q", "pipe|lt<gt>", "ctl\x01char", "trailing dot.", " leading space", "trailing space ",
		"CON", "nul.txt", "Case.txt", "case.txt",
	}
	if err := c.MkdirAll(ctxT(t), "names/sub dir #1"); err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		put(t, c, "names/sub dir #1/"+n, fmt.Sprint(i), PutOptions{})
	}
	l, err := c.List(ctxT(t), "names/sub dir #1")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Errors) > 0 {
		t.Fatalf("listing errors: %v", l.Errors)
	}
	var got []string
	for _, e := range l.Entries {
		got = append(got, e.Name)
		if e.Path != "names/sub dir #1/"+e.Name {
			t.Fatalf("path %q", e.Path)
		}
	}
	want := append([]string(nil), names...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("names differ:\n got %q\nwant %q", got, want)
	}
	for i, n := range names {
		if g := get(t, c, "names/sub dir #1/"+n); g != fmt.Sprint(i) {
			t.Fatalf("%q: content %q", n, g)
		}
		if _, err := os.Stat(filepath.Join(pr.root, "names", "sub dir #1", n)); err != nil {
			t.Fatalf("not byte-exact on disk: %v", err)
		}
	}
}

func testUnauthorized(t *testing.T, pr *peer) {
	bad, err := New(Options{FilesURL: pr.url, User: "alice", Password: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.List(ctxT(t), "")
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "sign in again") {
		t.Fatalf("wrong password: %v, want ErrUnauthorized", err)
	}
	_, err = bad.Put(ctxT(t), "x.txt", strings.NewReader("x"), 1, PutOptions{})
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("Put with a wrong password: %v", err)
	}
	calls := 0
	cb, _ := New(Options{FilesURL: pr.url, Credentials: func(context.Context) (string, string, error) {
		calls++
		return "alice", "secret", nil
	}})
	if _, err := cb.Stat(ctxT(t), ""); err != nil || calls != 1 {
		t.Fatalf("credentials callback: %v (called %d times)", err, calls)
	}
}

func testCapabilities(t *testing.T, pr *peer) {
	caps, err := pr.c.Capabilities(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if pr.nc {
		if !caps.Nextcloud || caps.Version == "" || !caps.CanChunk() || !caps.CanBulk() {
			t.Fatalf("Nextcloud capabilities: %+v", caps)
		}
	} else if caps.Nextcloud || caps.CanBulk() || caps.CanChunk() {
		t.Fatalf("Apache claimed Nextcloud capabilities: %+v", caps)
	}
}

func randomData(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

const testChunk = 1 << 20 // our test server accepts small chunks; Nextcloud needs 5 MB

func testChunked(t *testing.T, pr *peer) {
	data := randomData(3*testChunk + 12345)
	mt := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	res, err := pr.c.PutChunked(ctxT(t), "big/large.bin", bytes.NewReader(data), int64(len(data)),
		ChunkedOptions{PutOptions: PutOptions{ModTime: mt}, ChunkSize: testChunk, Identity: "large-v1"})
	if !errors.Is(err, ErrConflict) || res.ChunksSent != 4 {
		t.Fatalf("chunked upload into a missing folder: %v after %d chunks, want ErrConflict at the final MOVE", err, res.ChunksSent)
	}
	if err := pr.c.MkdirAll(ctxT(t), "big"); err != nil {
		t.Fatal(err)
	}
	// the chunks of the failed call are reused
	res, err = pr.c.PutChunked(ctxT(t), "big/large.bin", bytes.NewReader(data), int64(len(data)),
		ChunkedOptions{PutOptions: PutOptions{ModTime: mt}, ChunkSize: testChunk, Identity: "large-v1"})
	if err != nil || res.ChunksSent != 0 {
		t.Fatalf("second call: %v, %d chunks sent, want 0", err, res.ChunksSent)
	}
	// parallel chunks with progress
	var mu sync.Mutex
	var progress []int64
	res2, err := pr.c.PutChunked(ctxT(t), "big/large2.bin", bytes.NewReader(data), int64(len(data)),
		ChunkedOptions{ChunkSize: testChunk, Identity: "large2", Parallel: 3,
			Progress: func(done, total int64) { mu.Lock(); progress = append(progress, done); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	if res2.ChunksSent != 4 || len(progress) != 4 || progress[3] != int64(len(data)) {
		t.Fatalf("parallel upload: %d chunks, progress %v", res2.ChunksSent, progress)
	}
	if got, _ := os.ReadFile(filepath.Join(pr.root, "big", "large2.bin")); !bytes.Equal(got, data) {
		t.Fatal("parallel chunked upload differs")
	}
	onDisk, err := os.ReadFile(filepath.Join(pr.root, "big", "large.bin"))
	if err != nil || !bytes.Equal(onDisk, data) {
		t.Fatalf("assembled file differs (%d bytes, %v)", len(onDisk), err)
	}
	e, err := pr.c.Stat(ctxT(t), "big/large.bin")
	if err != nil || e.ETag != res.ETag || e.FileID != res.FileID || !e.ModTime.Equal(mt) || !res.MtimeAccepted {
		t.Fatalf("stat %+v err %v; put result %+v", e, err, res)
	}
	// 0-byte file through the chunked path
	if _, err := pr.c.PutChunked(ctxT(t), "big/zero.bin", bytes.NewReader(nil), 0, ChunkedOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(pr.root, "big", "zero.bin")); err != nil || fi.Size() != 0 {
		t.Fatalf("zero.bin: %v", err)
	}
}

// failingReaderAt fails every read that reaches past limit, like a connection cut mid-upload.
type failingReaderAt struct {
	r     io.ReaderAt
	limit int64
}

func (f failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.limit {
		if off >= f.limit {
			return 0, errors.New("simulated cut")
		}
		n, _ := f.r.ReadAt(p[:f.limit-off], off)
		return n, errors.New("simulated cut")
	}
	return f.r.ReadAt(p, off)
}

func testChunkedResume(t *testing.T, pr *peer) {
	data := randomData(3*testChunk + 999)
	if err := pr.c.MkdirAll(ctxT(t), "resume"); err != nil {
		t.Fatal(err)
	}
	o := ChunkedOptions{ChunkSize: testChunk, Identity: "resume-file v1"}
	pr.reset()
	_, err := pr.c.PutChunked(ctxT(t), "resume/f.bin", failingReaderAt{bytes.NewReader(data), 2*testChunk + testChunk/2},
		int64(len(data)), o)
	var lre *LocalReadError
	if !errors.As(err, &lre) {
		t.Fatalf("interrupted upload: %v, want a LocalReadError", err)
	}
	if _, err := os.Stat(filepath.Join(pr.root, "resume", "f.bin")); !os.IsNotExist(err) {
		t.Fatalf("an interrupted upload left a destination file: %v", err)
	}
	firstPuts := pr.requests("PUT")
	if firstPuts != 2 { // chunks 1 and 2 arrived; chunk 3 was cut and not retried
		t.Fatalf("first attempt logged %d chunk PUTs, want 2: %v", firstPuts, firstPuts)
	}
	pr.reset()
	res, err := pr.c.PutChunked(ctxT(t), "resume/f.bin", bytes.NewReader(data), int64(len(data)), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.ChunksSent != 2 || pr.requests("PUT") != 2 {
		t.Fatalf("resume sent %d chunks (%d PUTs logged), want only the missing 2", res.ChunksSent, pr.requests("PUT"))
	}
	onDisk, err := os.ReadFile(filepath.Join(pr.root, "resume", "f.bin"))
	if err != nil || sha256.Sum256(onDisk) != sha256.Sum256(data) {
		t.Fatalf("resumed file differs (%d bytes, %v)", len(onDisk), err)
	}
	// a different version of the file does not reuse the old chunks
	if UploadID("resume/f.bin", int64(len(data)), testChunk, "resume-file v2") == UploadID("resume/f.bin", int64(len(data)), testChunk, "resume-file v1") {
		t.Fatal("upload id ignores the identity")
	}
}

func testChunkedConditional(t *testing.T, pr *peer) {
	c := pr.c
	old := put(t, c, "cc.bin", "old", PutOptions{})
	put(t, c, "cc.bin", "changed remotely", PutOptions{})
	data := randomData(testChunk + 5)
	_, err := c.PutChunked(ctxT(t), "cc.bin", bytes.NewReader(data), int64(len(data)),
		ChunkedOptions{PutOptions: PutOptions{IfMatch: old.ETag}, ChunkSize: testChunk})
	if !errors.Is(err, ErrPrecondition) {
		t.Fatalf("chunked upload over a changed file: %v, want ErrPrecondition", err)
	}
	_, err = c.PutChunked(ctxT(t), "cc.bin", bytes.NewReader(data), int64(len(data)),
		ChunkedOptions{PutOptions: PutOptions{CreateOnly: true}, ChunkSize: testChunk})
	if !errors.Is(err, ErrPrecondition) {
		t.Fatalf("create-only chunked upload over an existing file: %v, want ErrPrecondition", err)
	}
	if get(t, c, "cc.bin") != "changed remotely" {
		t.Fatal("remote change clobbered")
	}
	cur, _ := c.Stat(ctxT(t), "cc.bin")
	if _, err := c.PutChunked(ctxT(t), "cc.bin", bytes.NewReader(data), int64(len(data)),
		ChunkedOptions{PutOptions: PutOptions{IfMatch: cur.ETag}, ChunkSize: testChunk}); err != nil {
		t.Fatalf("chunked upload with the current ETag: %v", err)
	}
	if !bytes.Equal([]byte(get(t, c, "cc.bin")), data) {
		t.Fatal("content")
	}
}

func testBulk(t *testing.T, pr *peer) {
	c := pr.c
	if err := c.MkdirAll(ctxT(t), "bulk/d"); err != nil {
		t.Fatal(err)
	}
	mt := time.Date(2019, 5, 6, 7, 8, 9, 0, time.UTC)
	var files []BulkFile
	for i := 0; i < 150; i++ {
		content := []byte(strings.Repeat(fmt.Sprintf("file %d;", i), i%7+1))
		files = append(files, BulkFile{Path: fmt.Sprintf("bulk/d/f %03d ü.txt", i), Size: int64(len(content)), ModTime: mt,
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil }})
	}
	files = append(files, BulkFile{Path: "bulk/missing-parent/x.txt", Size: 1, Data: []byte("x")})
	pr.reset()
	res := c.BulkUpload(ctxT(t), files, true)
	if n := pr.requests("POST"); n != 2 {
		t.Fatalf("%d bulk POSTs, want 2 for 151 files", n)
	}
	for i, r := range res[:150] {
		if r.Err != nil || r.Fallback || r.ETag == "" || r.FileID == "" {
			t.Fatalf("file %d: %+v", i, r)
		}
		b, err := os.ReadFile(filepath.Join(pr.root, "bulk", "d", fmt.Sprintf("f %03d ü.txt", i)))
		rc, _ := files[i].Open()
		want, _ := io.ReadAll(rc)
		if err != nil || !bytes.Equal(b, want) {
			t.Fatalf("file %d on disk: %q %v", i, b, err)
		}
	}
	last := res[150]
	if !last.Fallback || !errors.Is(last.Err, ErrConflict) {
		t.Fatalf("file with a missing parent: %+v, want a fallback PUT failing with ErrConflict", last)
	}
	e, err := c.Stat(ctxT(t), "bulk/d/f 007 ü.txt")
	if err != nil || !e.ModTime.Equal(mt) || e.ETag != res[7].ETag {
		t.Fatalf("bulk file stat %+v %v (result %+v)", e, err, res[7])
	}
	// without the capability every file goes by PUT
	pr.reset()
	res = c.BulkUpload(ctxT(t), files[:3], false)
	if pr.requests("POST") != 0 || pr.requests("PUT") != 3 {
		t.Fatalf("bulk disabled: %d POST, %d PUT", pr.requests("POST"), pr.requests("PUT"))
	}
	for _, r := range res {
		if r.Err != nil || !r.Fallback {
			t.Fatalf("%+v", r)
		}
	}
}

// One client used from many goroutines at once.
func testParallel(t *testing.T, pr *peer) {
	c := pr.c
	if err := c.MkdirAll(ctxT(t), "par"); err != nil {
		t.Fatal(err)
	}
	before := c.Requests()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				p := fmt.Sprintf("par/g%02d-%d.txt", g, i)
				data := strings.Repeat(p, 100+g)
				if _, err := c.Put(ctxT(t), p, strings.NewReader(data), int64(len(data)), PutOptions{CreateOnly: true}); err != nil {
					errs <- err
					return
				}
				var b bytes.Buffer
				if _, err := c.Get(ctxT(t), p, &b, GetOptions{}); err != nil || b.String() != data {
					errs <- fmt.Errorf("%s: %v (%d bytes)", p, err, b.Len())
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	l, err := c.List(ctxT(t), "par")
	if err != nil || len(l.Entries) != 80 {
		t.Fatalf("listing after parallel uploads: %v, %d entries", err, len(l.Entries))
	}
	if n := c.Requests() - before; n < 161 {
		t.Fatalf("request counter says %d, at least 161 were made", n)
	}
}
