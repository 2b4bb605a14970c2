package webdav

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func testClient(t *testing.T, srv *httptest.Server, path string) *Client {
	t.Helper()
	c, err := New(Options{FilesURL: srv.URL + path, User: "alice", Password: "secret", RetryBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func multistatus(responses ...string) string {
	return `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">` +
		strings.Join(responses, "") + `</d:multistatus>`
}

func resp(href string, dir bool, extra string) string {
	rt := "<d:resourcetype/>"
	if dir {
		rt = "<d:resourcetype><d:collection/></d:resourcetype>"
	}
	return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop>" + rt + extra +
		"</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
}

func TestHostileHrefs(t *testing.T) {
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(207)
		io.WriteString(w, body)
	}))
	defer srv.Close()
	c := testClient(t, srv, "/remote.php/dav/files/alice/")
	base := "/remote.php/dav/files/alice/dir/"
	body = multistatus(
		resp(base, true, `<d:getetag>"root"</d:getetag>`),
		resp(base+"ok.txt", false, `<d:getcontentlength>3</d:getcontentlength>`),
		resp(srv.URL+base+"abs%20ok.txt", false, ""),
		resp(base+"../../../etc/passwd", false, ""),
		resp(base+"%2e%2e", false, ""),
		resp(base+"%2E", false, ""),
		resp(base+"a%2Fb", false, ""),
		resp(base+"nul%00.txt", false, ""),
		resp("http://evil.example"+base+"x", false, ""),
		resp("https://"+strings.TrimPrefix(srv.URL, "http://")+base+"scheme", false, ""),
		resp("/remote.php/dav/files/bob/dir/x", false, ""),
		resp("/remote.php/dav/files/alice/other/x", false, ""),
		resp(base+"sub/deep.txt", false, ""),
		resp("relative.txt", false, ""),
		resp(base+"%zz", false, ""),
		resp(base+"ok.txt", false, ""),
		resp(base+"badsize", false, `<d:getcontentlength>-5</d:getcontentlength>`),
		resp(base+"baddate", false, `<d:getlastmodified>yesterday</d:getlastmodified>`),
		resp(base+"a//b", false, ""),
		resp(base+"q?x=1", false, ""),
		resp(base+"frag#x", false, ""),
		resp("//evil.example/x", false, ""),
		`<d:response><d:href>`+base+`two</d:href><d:href>`+base+`hrefs</d:href></d:response>`,
	)
	l, err := c.List(context.Background(), "dir")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range l.Entries {
		names = append(names, e.Path)
	}
	if strings.Join(names, "|") != "dir/ok.txt|dir/abs ok.txt" {
		t.Fatalf("entries %q", names)
	}
	if len(l.Errors) != 20 {
		for _, e := range l.Errors {
			t.Log(e)
		}
		t.Fatalf("%d entry errors, want 20", len(l.Errors))
	}
	for _, e := range l.Errors {
		if !errors.Is(e, ErrBadHref) {
			t.Fatalf("%v is not ErrBadHref", e)
		}
	}
	if l.Self.ETag != "root" {
		t.Fatalf("self %+v", l.Self)
	}

	// a listing that never describes the requested folder is refused as a whole
	body = multistatus(resp("/remote.php/dav/files/alice/elsewhere/", true, ""))
	if _, err := c.List(context.Background(), "dir"); !errors.Is(err, ErrBadHref) {
		t.Fatalf("listing without the folder: %v", err)
	}
	if _, err := c.Stat(context.Background(), "dir"); !errors.Is(err, ErrBadHref) {
		t.Fatalf("stat answer for another path: %v", err)
	}
	body = "<html>not xml"
	if _, err := c.List(context.Background(), "dir"); err == nil || !strings.Contains(err.Error(), "not valid multistatus XML") {
		t.Fatalf("garbage answer: %v", err)
	}
}

func TestCallerPathsValidated(t *testing.T) {
	c, _ := New(Options{FilesURL: "http://127.0.0.1:1/dav/"})
	for _, p := range []string{"../x", "a/../b", "a/./b", "a//b", "nul\x00"} {
		if _, err := c.Stat(context.Background(), p); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("%q: %v, want ErrInvalidPath", p, err)
		}
	}
	if err := c.Delete(context.Background(), "/", DeleteOptions{}); !errors.Is(err, ErrInvalidPath) {
		t.Errorf("delete root: %v", err)
	}
	u, _ := c.URL("a b/c#d/e%f/g?h/ü")
	if u != "http://127.0.0.1:1/dav/a%20b/c%23d/e%25f/g%3Fh/%C3%BC" {
		t.Errorf("URL = %s", u)
	}
	nfd, _ := c.URL("u\u0308")
	if nfd != "http://127.0.0.1:1/dav/u%CC%88" {
		t.Errorf("NFD name not kept byte-exact: %s", nfd)
	}
	if _, err := New(Options{FilesURL: "http://bob:pw@host/dav/"}); err == nil {
		t.Error("credentials in the URL accepted")
	}
	if _, err := New(Options{FilesURL: "ftp://host/"}); err == nil {
		t.Error("ftp URL accepted")
	}
}

func TestParseApacheAndNextcloud(t *testing.T) {
	apache := `<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:ns0="http://owncloud.org/ns">
<D:response xmlns:lp1="DAV:" xmlns:lp2="http://apache.org/dav/props/">
<D:href>/files/a%20b.txt</D:href>
<D:propstat><D:prop>
<lp1:resourcetype/>
<lp1:getcontentlength>42</lp1:getcontentlength>
<lp1:getlastmodified>Sat, 28 Nov 2026 02:58:34 GMT</lp1:getlastmodified>
<lp1:getetag>W/"2a-6614d5a4167b4"</lp1:getetag>
<D:getcontenttype>text/plain</D:getcontenttype>
</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>
<D:propstat><D:prop><ns0:fileid/><ns0:permissions/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>
</D:response></D:multistatus>`
	nc := `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
<d:response><d:href>/remote.php/dav/files/alice/Docs/</d:href>
<d:propstat><d:prop><d:getlastmodified>Tue, 03 Mar 2020 10:00:00 GMT</d:getlastmodified><d:resourcetype><d:collection/></d:resourcetype>
<d:getetag>&quot;5e5e2e7f1c2d3&quot;</d:getetag><oc:id>00000123ocabcdef</oc:id><oc:permissions>RGDNVCK</oc:permissions><oc:size>1234</oc:size></d:prop>
<d:status>HTTP/1.1 200 OK</d:status></d:propstat>
<d:propstat><d:prop><d:getcontentlength/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
</d:multistatus>`
	c, _ := New(Options{FilesURL: "http://h/files/"})
	ms, err := parseMultistatus(strings.NewReader(apache))
	if err != nil {
		t.Fatal(err)
	}
	e, segs, perr := c.entryOf(ms.Responses[0])
	if perr != nil || len(segs) != 1 {
		t.Fatal(perr)
	}
	want := Entry{Path: "a b.txt", Name: "a b.txt", Size: 42, ETag: "2a-6614d5a4167b4", WeakETag: true,
		ModTime: time.Date(2026, 11, 28, 2, 58, 34, 0, time.UTC), ContentType: "text/plain"}
	if e != want {
		t.Fatalf("apache entry\n got %+v\nwant %+v", e, want)
	}
	c2, _ := New(Options{FilesURL: "http://h/remote.php/dav/files/alice/"})
	ms, err = parseMultistatus(strings.NewReader(nc))
	if err != nil {
		t.Fatal(err)
	}
	e, _, perr = c2.entryOf(ms.Responses[0])
	if perr != nil {
		t.Fatal(perr)
	}
	want = Entry{Path: "Docs", Name: "Docs", IsDir: true, Size: 1234, ETag: "5e5e2e7f1c2d3", FileID: "123",
		Permissions: "RGDNVCK", ModTime: time.Date(2020, 3, 3, 10, 0, 0, 0, time.UTC)}
	if e != want {
		t.Fatalf("nextcloud entry\n got %+v\nwant %+v", e, want)
	}
}

func TestSmallHelpers(t *testing.T) {
	for in, want := range map[string][2]string{
		`"abc"`: {"abc", ""}, `W/"abc"`: {"abc", "weak"}, ` abc `: {"abc", ""}, `""`: {"", ""},
	} {
		got, weak := normalizeETag(in)
		if got != want[0] || weak != (want[1] == "weak") {
			t.Errorf("normalizeETag(%q) = %q %v", in, got, weak)
		}
	}
	for in, want := range map[string]string{"00000123ocabc": "123", "00000000ocx": "0", "987": "987", "": ""} {
		if got := fileIDFromOCID(in); got != want {
			t.Errorf("fileIDFromOCID(%q) = %q", in, got)
		}
	}
	if s, tot, ok := parseContentRange("bytes 100-199/200"); !ok || s != 100 || tot != 200 {
		t.Error("Content-Range")
	}
	if _, _, ok := parseContentRange("items 1-2/3"); ok {
		t.Error("bad Content-Range accepted")
	}
	if got := chunkSizeFor(200_000<<20, 10<<20); got*maxChunks < 200_000<<20 {
		t.Errorf("chunk size %d needs more than 10000 chunks", got)
	}
	a := UploadID("a.bin", 10, 5, "x")
	if a != UploadID("/a.bin/", 10, 5, "x") || a == UploadID("b.bin", 10, 5, "x") || a == UploadID("a.bin", 11, 5, "x") {
		t.Error("UploadID not stable or not specific")
	}
}

func TestRetryAndNoExpect(t *testing.T) {
	var hits atomic.Int32
	var sawExpect atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Expect") != "" {
			sawExpect.Store(true)
		}
		io.Copy(io.Discard, r.Body)
		if hits.Add(1)%3 != 0 {
			w.WriteHeader(503)
			return
		}
		w.Header().Set("ETag", `"e1"`)
		w.Header().Set("OC-FileId", "00000042ocx")
		w.WriteHeader(201)
	}))
	defer srv.Close()
	c := testClient(t, srv, "/remote.php/dav/files/alice/")
	data := bytes.Repeat([]byte("x"), 100000)
	res, err := c.Put(context.Background(), "f", bytes.NewReader(data), int64(len(data)), PutOptions{})
	if err != nil || res.ETag != "e1" || res.FileID != "42" || hits.Load() != 3 || c.Requests() != 3 {
		t.Fatalf("seekable PUT after two 503s: %+v %v (%d hits)", res, err, hits.Load())
	}
	if sawExpect.Load() {
		t.Fatal("an Expect header was sent")
	}
	hits.Store(0)
	_, err = c.Put(context.Background(), "f", io.LimitReader(bytes.NewReader(data), 100000), 100000, PutOptions{})
	if !errors.Is(err, ErrServer) || hits.Load() != 1 {
		t.Fatalf("non-seekable PUT: %v after %d hits, want one try and ErrServer", err, hits.Load())
	}
}

func TestRedirectsNotFollowedElsewhere(t *testing.T) {
	var evilHits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { evilHits.Add(1) }))
	defer evil.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c := testClient(t, srv, "/dav/")
	_, err := c.Stat(context.Background(), "x")
	if err == nil || !strings.Contains(err.Error(), "redirected") || evilHits.Load() != 0 {
		t.Fatalf("redirect: %v, %d requests reached the other host", err, evilHits.Load())
	}
}

func TestUnreachableAndCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := srv.URL
	srv.Close()
	c, _ := New(Options{FilesURL: url + "/dav/", RetryBase: time.Millisecond})
	_, err := c.Stat(context.Background(), "x")
	var ne *NetError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "check the network") {
		t.Fatalf("unreachable server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, "x", io.Discard, GetOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestLimiterNeverFasterThanRate(t *testing.T) {
	l := NewLimiter(200 << 10)
	var out bytes.Buffer
	start := time.Now()
	n, err := io.Copy(&out, l.Reader(context.Background(), bytes.NewReader(make([]byte, 100<<10))))
	if err != nil || n != 100<<10 {
		t.Fatal(n, err)
	}
	if el := time.Since(start); el < 400*time.Millisecond {
		t.Fatalf("100 KiB at 200 KiB/s took only %v", el)
	}
	l.SetRate(0)
	if _, err := io.Copy(l.Writer(context.Background(), io.Discard), bytes.NewReader(make([]byte, 10<<20))); err != nil {
		t.Fatal(err)
	}
	l.SetRate(1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := l.Writer(ctx, io.Discard).Write(make([]byte, 4096)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("limited write did not stop on cancel: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	ro := Entry{Permissions: "SG"}
	if ro.CanWrite() || ro.CanDelete() || ro.CanRename() || !ro.Shared() {
		t.Errorf("read-only share: %+v", ro)
	}
	rw := Entry{Permissions: "RGDNVW"}
	if !rw.CanWrite() || !rw.CanDelete() || !rw.CanRename() || rw.Shared() {
		t.Errorf("own file: %+v", rw)
	}
	dir := Entry{IsDir: true, Permissions: "RGDNVCK"}
	if !dir.CanWrite() || !dir.CanMkdir() {
		t.Errorf("own folder: %+v", dir)
	}
	if generic := (Entry{}); !generic.CanWrite() || !generic.CanDelete() {
		t.Error("generic entries must not be refused locally")
	}
}

func TestStalledDownloadAborts(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		w.Write(make([]byte, 10))
		w.(http.Flusher).Flush()
		<-release // then nothing more: a stalled server
	}))
	defer srv.Close()
	defer close(release)
	c, _ := New(Options{FilesURL: srv.URL + "/dav/", StallTimeout: 200 * time.Millisecond, MaxRetries: -1})
	var b bytes.Buffer
	_, err := c.Get(context.Background(), "f", &b, GetOptions{})
	var ne *NetError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "stalled") || b.Len() != 10 {
		t.Fatalf("stalled download: %v (%d bytes)", err, b.Len())
	}
}

func TestLimitersApplyToTransfers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Method == "GET" {
			w.Write(make([]byte, 100<<10))
			return
		}
		w.Header().Set("ETag", `"x"`)
		w.WriteHeader(201)
	}))
	defer srv.Close()
	c, _ := New(Options{FilesURL: srv.URL + "/dav/"})
	c.SetUploadLimiter(NewLimiter(200 << 10))
	c.SetDownloadLimiter(NewLimiter(200 << 10))
	start := time.Now()
	if _, err := c.Put(context.Background(), "f", bytes.NewReader(make([]byte, 100<<10)), 100<<10, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 400*time.Millisecond {
		t.Fatalf("100 KiB upload at 200 KiB/s took only %v", el)
	}
	start = time.Now()
	if _, err := c.Get(context.Background(), "f", io.Discard, GetOptions{}); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 200*time.Millisecond { // 50 KiB may pass at once after idling
		t.Fatalf("100 KiB download at 200 KiB/s took only %v", el)
	}
}

func TestPutOntoFolderRedirectDoesNotPanic(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		w.WriteHeader(http.StatusMethodNotAllowed)
	}))
	defer srv.Close()
	c := testClient(t, srv, "/dav/")
	_, err := c.Put(context.Background(), "dir", io.LimitReader(strings.NewReader("abc"), 3), 3, PutOptions{})
	if err == nil || !strings.Contains(err.Error(), "cannot be resent") {
		t.Fatalf("non-seekable PUT after a redirect: %v", err)
	}
	_, err = c.Put(context.Background(), "dir", strings.NewReader("abc"), 3, PutOptions{})
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusMethodNotAllowed {
		t.Fatalf("seekable PUT after a redirect: %v", err)
	}
}
