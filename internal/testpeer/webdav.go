package testpeer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// NCServer is a running Nextcloud-compatible test server (scripts/peers/ncserver.sh:
// SabreDAV under php -S) with one account.
type NCServer struct {
	URL      string // base, e.g. http://127.0.0.1:PORT (no trailing slash)
	User     string
	Pass     string
	FilesURL string      // URL + "/remote.php/dav/files/<user>/"
	Root     string      // the user's files on disk
	DataDir  string      // server data: files/, meta/, uploads/, requests.log, app-passwords
	Push     *NotifyPush // the notify_push stand-in, with NCPush (else nil)
	mu       sync.Mutex
}

// NCOption changes how StartNCServer starts the server.
type NCOption func(*ncConfig)

type ncConfig struct {
	user, pass       string
	noBulk, noChunks bool
	hostile          bool
	workers          int
	push             *pushConfig
}

// NCUser sets the account (default alice / secret).
func NCUser(user, pass string) NCOption { return func(c *ncConfig) { c.user, c.pass = user, pass } }

// NCNoBulk hides bulk upload from the capabilities (like Nextcloud < 25).
func NCNoBulk() NCOption { return func(c *ncConfig) { c.noBulk = true } }

// NCNoChunking hides chunked upload v2 from the capabilities.
func NCNoChunking() NCOption { return func(c *ncConfig) { c.noChunks = true } }

// NCHostile makes every folder listing also carry entries with unsafe hrefs
// (../ segments, encoded slashes, NUL, other hosts, other users, deeper paths)
// that a safe client must refuse one by one.
func NCHostile() NCOption { return func(c *ncConfig) { c.hostile = true } }

// NCWorkers sets the number of php -S workers (default 4).
func NCWorkers(n int) NCOption { return func(c *ncConfig) { c.workers = n } }

// StartNCServer starts the Nextcloud-compatible server on a free loopback port
// in a temp dir and stops it when the test ends.
func StartNCServer(t testing.TB, opts ...NCOption) *NCServer {
	t.Helper()
	Need(t, "apt-get install php-cli php-sabre-dav curl", "php", "curl", "setsid")
	if _, err := os.Stat("/usr/share/php/Sabre/autoload.php"); err != nil {
		Missing(t, "SabreDAV (/usr/share/php/Sabre)", "apt-get install php-sabre-dav")
	}
	cfg := ncConfig{user: "alice", pass: "secret", workers: 4}
	for _, o := range opts {
		o(&cfg)
	}
	dir := t.TempDir()
	env := append(os.Environ(), "NC_USER="+cfg.user, "NC_PASS="+cfg.pass)
	if cfg.noBulk {
		env = append(env, "NC_BULK=0")
	}
	if cfg.noChunks {
		env = append(env, "NC_CHUNKING=0")
	}
	if cfg.hostile {
		env = append(env, "NC_HOSTILE=1")
	}
	if cfg.push != nil {
		cfg.push.port = FreePort(t)
		env = append(env, fmt.Sprintf("NC_PUSH_WS=ws://127.0.0.1:%d/ws", cfg.push.port))
	}
	var port int
	for attempt := 0; ; attempt++ {
		port = FreePort(t)
		cmd := exec.Command(Script("ncserver.sh"), "start", dir, strconv.Itoa(port), strconv.Itoa(cfg.workers))
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err == nil {
			break
		}
		if attempt == 2 { // the free port may have been taken in between: retry a few times
			t.Fatalf("ncserver.sh start: %v\n%s", err, out)
		}
	}
	t.Cleanup(func() { Run(t, "ncserver.sh", "stop", dir) })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	WaitPort(t, addr, 10*time.Second)
	base := "http://" + addr
	s := &NCServer{
		URL: base, User: cfg.user, Pass: cfg.pass,
		FilesURL: base + "/remote.php/dav/files/" + cfg.user + "/",
		Root:     filepath.Join(dir, "files", cfg.user),
		DataDir:  dir,
	}
	if cfg.push != nil {
		s.Push = startNotifyPush(t, s, *cfg.push)
	}
	return s
}

// Requests returns the request log so far, one "METHOD STATUS URI" per entry.
func (s *NCServer) Requests() []string { return readLog(filepath.Join(s.DataDir, "requests.log")) }

// CountRequests counts logged requests with this method ("" = all), once the
// log has settled (servers log just after the answer has gone out).
func (s *NCServer) CountRequests(method string) int {
	return settledCount(s.Requests, method)
}

// ResetRequests empties the request log.
func (s *NCServer) ResetRequests() error {
	return os.WriteFile(filepath.Join(s.DataDir, "requests.log"), nil, 0o644)
}

// AddAppPassword makes pw a valid password for the account (as Login Flow v2 would).
func (s *NCServer) AddAppPassword(pw, label string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := sha256.Sum256([]byte(pw))
	f, err := os.OpenFile(filepath.Join(s.DataDir, "app-passwords"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "%s %s\n", hex.EncodeToString(sum[:]), label)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// RevokeAppPasswords revokes every app password (the account password stays valid).
func (s *NCServer) RevokeAppPasswords() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := os.Remove(filepath.Join(s.DataDir, "app-passwords"))
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// ApacheDAV is a running private Apache httpd with mod_dav_fs (scripts/peers/apache-dav.sh).
type ApacheDAV struct {
	URL  string // e.g. http://127.0.0.1:PORT/ (the DAV root, with trailing slash)
	User string
	Pass string
	Root string // served tree on disk (owned by www-data when tests run as root)
	Dir  string // server dir: root/, logs/, run/, httpd.conf
}

// StartApacheDAV starts Apache mod_dav on a free loopback port and stops it when the test ends.
func StartApacheDAV(t testing.TB) *ApacheDAV {
	t.Helper()
	Need(t, "apt-get install apache2 apache2-utils curl", "apache2", "htpasswd", "curl", "setsid")
	// Not t.TempDir(): as root, Apache's workers run as www-data and must be able to
	// reach the served tree, which t.TempDir's 0700 parents forbid.
	dir, err := os.MkdirTemp("", "deskport-apache-dav-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var port int
	for attempt := 0; ; attempt++ {
		port = FreePort(t)
		cmd := exec.Command(Script("apache-dav.sh"), "start", dir, strconv.Itoa(port))
		cmd.Env = append(os.Environ(), "DAV_USER=alice", "DAV_PASS=secret")
		out, err := cmd.CombinedOutput()
		if err == nil {
			break
		}
		if attempt == 2 {
			t.Fatalf("apache-dav.sh start: %v\n%s", err, out)
		}
	}
	t.Cleanup(func() { Run(t, "apache-dav.sh", "stop", dir) })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	WaitPort(t, addr, 10*time.Second)
	return &ApacheDAV{URL: "http://" + addr + "/", User: "alice", Pass: "secret",
		Root: filepath.Join(dir, "root"), Dir: dir}
}

// Requests returns the request log so far, one "METHOD STATUS PATH" per entry.
func (a *ApacheDAV) Requests() []string { return readLog(filepath.Join(a.Dir, "logs", "requests.log")) }

// CountRequests counts logged requests with this method ("" = all).
func (a *ApacheDAV) CountRequests(method string) int { return settledCount(a.Requests, method) }

// ResetRequests empties the request log.
func (a *ApacheDAV) ResetRequests() error {
	return os.WriteFile(filepath.Join(a.Dir, "logs", "requests.log"), nil, 0o644)
}

// WriteFile puts a file straight into the served tree (creating parents), owned
// like the server's own files, as if another client had written it.
func (a *ApacheDAV) WriteFile(rel string, data []byte, mtime time.Time) error {
	p := filepath.Join(a.Root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	if !mtime.IsZero() {
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			return err
		}
	}
	if os.Geteuid() == 0 {
		for d := p; d != a.Root && strings.HasPrefix(d, a.Root); d = filepath.Dir(d) {
			if err := os.Lchown(d, 33, 33); err != nil { // www-data
				return err
			}
		}
	}
	return nil
}

func readLog(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func settledCount(read func() []string, method string) int {
	n := countLog(read(), method)
	for i := 0; i < 50; i++ {
		time.Sleep(40 * time.Millisecond)
		m := countLog(read(), method)
		if m == n {
			return n
		}
		n = m
	}
	return n
}

func countLog(lines []string, method string) int {
	n := 0
	for _, l := range lines {
		if method == "" || strings.HasPrefix(l, method+" ") {
			n++
		}
	}
	return n
}

// Another client's changes, made over WebDAV (so that the server's ETag
// propagation happens, unlike writing into Root). rel is relative to the
// user's files folder.

// Upload stores a file (mtime kept when not zero).
func (s *NCServer) Upload(rel string, data []byte, mtime time.Time) error {
	return davDo(s.FilesURL, s.User, s.Pass, "PUT", rel, data, mtimeHeader(mtime))
}

// Mkdir creates one folder.
func (s *NCServer) Mkdir(rel string) error {
	return davDo(s.FilesURL, s.User, s.Pass, "MKCOL", rel, nil, nil)
}

// Remove deletes a file or folder.
func (s *NCServer) Remove(rel string) error {
	return davDo(s.FilesURL, s.User, s.Pass, "DELETE", rel, nil, nil)
}

// Rename moves a file or folder (the file id is kept); an existing target is replaced.
func (s *NCServer) Rename(from, to string) error {
	return davDo(s.FilesURL, s.User, s.Pass, "MOVE", from, nil,
		http.Header{"Destination": {s.FilesURL + escapeRel(to)}, "Overwrite": {"T"}})
}

// Upload stores a file over WebDAV.
func (a *ApacheDAV) Upload(rel string, data []byte) error {
	return davDo(a.URL, a.User, a.Pass, "PUT", rel, data, nil)
}

// Mkdir creates one folder over WebDAV.
func (a *ApacheDAV) Mkdir(rel string) error {
	return davDo(a.URL, a.User, a.Pass, "MKCOL", rel, nil, nil)
}

// Remove deletes a file or folder over WebDAV.
func (a *ApacheDAV) Remove(rel string) error {
	return davDo(a.URL, a.User, a.Pass, "DELETE", rel, nil, nil)
}

// Rename moves a file or folder over WebDAV; an existing target is replaced.
func (a *ApacheDAV) Rename(from, to string) error {
	return davDo(a.URL, a.User, a.Pass, "MOVE", from, nil,
		http.Header{"Destination": {a.URL + escapeRel(to)}, "Overwrite": {"T"}})
}

func mtimeHeader(t time.Time) http.Header {
	if t.IsZero() {
		return nil
	}
	return http.Header{"X-Oc-Mtime": {fmt.Sprint(t.Unix())}}
}

func escapeRel(rel string) string {
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func davDo(base, user, pass, method, rel string, body []byte, h http.Header) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, base+escapeRel(rel), r)
	if err != nil {
		return err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s %s", method, rel, resp.Status, msg)
	}
	return nil
}
