// Package files runs the demo's Nextcloud: what Deskport uses of one, on
// loopback — status.php, capabilities, the user endpoint, app passwords,
// Login Flow v2, notifications, and WebDAV under
// /remote.php/dav/files/<user>/ with file ids and ETags that propagate to
// the folders above a change (golang.org/x/net/webdav underneath).
package files

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/webdav"

	"github.com/deskport/deskport/internal/demo/loopback"
)

// Options say who the account is.
type Options struct {
	User, DisplayName, Email, Password string
	Port                               int // preferred port (0: any free one)
	// Documents are the files to start with, by path ("Documents/a.pdf").
	Documents map[string][]byte
	// ModTime is when the documents were last changed.
	ModTime time.Time
}

// Server is a running demo Nextcloud.
type Server struct {
	URL  string // http://127.0.0.1:PORT
	opts Options
	fs   *metaFS
	dav  *webdav.Handler
	srv  *http.Server
	ln   net.Listener
	done chan struct{}

	mu           sync.Mutex
	appPasswords map[string]bool
	flows        map[string]*flow  // by login token
	polls        map[string]*flow  // by poll token
	shares       map[string]string // public link token -> shared path
	requests     int
}

type flow struct {
	loginToken, pollToken string
	granted               string // the app password, once the user said yes
	started               time.Time
}

// Start seeds the files and starts serving.
func Start(o Options) (*Server, error) {
	s := &Server{opts: o, fs: newMetaFS(), appPasswords: map[string]bool{}, flows: map[string]*flow{}, polls: map[string]*flow{}, done: make(chan struct{})}
	if err := s.seed(); err != nil {
		return nil, err
	}
	s.dav = &webdav.Handler{Prefix: s.davPrefix(), FileSystem: s.fs, LockSystem: webdav.NewMemLS()}
	ln, err := loopback.Listen(o.Port)
	if err != nil {
		return nil, fmt.Errorf("demo files: %w", err)
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { defer close(s.done); s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if s.srv.Shutdown(ctx) != nil {
		s.srv.Close()
	}
	s.ln.Close()
	<-s.done
	return nil
}

// Requests counts the WebDAV requests served (tests).
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// ReadFile returns a file's content (tests).
func (s *Server) ReadFile(name string) ([]byte, error) {
	f, err := s.fs.OpenFile(context.Background(), name, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// ETag is the current ETag of a file or folder ("/" the root), for tests.
func (s *Server) ETag(name string) string { return s.fs.etag(name) }

func (s *Server) davPrefix() string { return "/remote.php/dav/files/" + s.opts.User }

func (s *Server) seed() error {
	ctx := context.Background()
	names := make([]string, 0, len(s.opts.Documents))
	for n := range s.opts.Documents {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		dir := "/"
		for _, part := range strings.Split(path.Dir(n), "/") {
			if part == "." {
				continue
			}
			dir = path.Join(dir, part)
			if _, err := s.fs.Stat(ctx, dir); err != nil {
				if err := s.fs.Mkdir(ctx, dir, 0o755); err != nil {
					return err
				}
			}
		}
		f, err := s.fs.OpenFile(ctx, n, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(s.opts.Documents[n])
		f.Close()
		if err != nil {
			return err
		}
		if !s.opts.ModTime.IsZero() {
			s.fs.setMtime(n, s.opts.ModTime)
		}
	}
	return nil
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status.php", s.status)
	mux.HandleFunc("GET /ocs/v2.php/cloud/capabilities", s.capabilities)
	mux.HandleFunc("GET /ocs/v1.php/cloud/capabilities", s.capabilities)
	mux.HandleFunc("GET /ocs/v1.php/cloud/user", s.user)
	mux.HandleFunc("GET /ocs/v2.php/cloud/user", s.user)
	mux.HandleFunc("GET /ocs/v2.php/core/getapppassword", s.getAppPassword)
	mux.HandleFunc("DELETE /ocs/v2.php/core/apppassword", s.deleteAppPassword)
	mux.HandleFunc("GET /ocs/v2.php/apps/notifications/api/v2/notifications", s.notifications)
	mux.HandleFunc("POST /ocs/v2.php/apps/files_sharing/api/v1/shares", s.createShare)
	mux.HandleFunc("GET /index.php/s/{token}", s.sharePage)
	mux.HandleFunc("POST /index.php/login/v2", s.startFlow)
	mux.HandleFunc("POST /index.php/login/v2/poll", s.poll)
	mux.HandleFunc("GET /index.php/login/v2/flow/{token}", s.flowPage)
	mux.HandleFunc("POST /index.php/login/v2/flow/{token}", s.grant)
	mux.Handle("/remote.php/dav/files/", http.HandlerFunc(s.webdav))
	mux.HandleFunc("GET /{$}", s.home)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// ocs answers in Nextcloud's OCS envelope; v1 says 100 where v2 says 200.
func ocs(w http.ResponseWriter, r *http.Request, code int, data any) {
	status, sc := "ok", 200
	if strings.HasPrefix(r.URL.Path, "/ocs/v1.php") {
		sc = 100
	}
	if code != http.StatusOK {
		status, sc = "failure", code
	}
	w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
	writeJSON(w, code, map[string]any{"ocs": map[string]any{
		"meta": map[string]any{"status": status, "statuscode": sc, "message": http.StatusText(code)},
		"data": data,
	}})
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"installed": true, "maintenance": false, "needsDbUpgrade": false,
		"version": "30.0.2.2", "versionstring": "30.0.2", "edition": "", "productname": "Nextcloud (Deskport demo)", "extendedSupport": false})
}

func (s *Server) capabilities(w http.ResponseWriter, r *http.Request) {
	ocs(w, r, http.StatusOK, map[string]any{
		"version": map[string]any{"major": 30, "minor": 0, "micro": 2, "string": "30.0.2", "edition": ""},
		"capabilities": map[string]any{
			"core":          map[string]any{"pollinterval": 60, "webdav-root": "remote.php/webdav"},
			"dav":           map[string]any{}, // no chunked or bulk upload: plain PUTs
			"files":         map[string]any{"bigfilechunking": false, "versioning": false},
			"theming":       map[string]any{"name": "Deskport demo", "url": s.URL, "color": "#1a4d8f"},
			"notifications": map[string]any{"ocs-endpoints": []string{"list", "get"}},
		},
	})
}

// authed checks HTTP basic auth against the account password and the app
// passwords; it returns the secret used.
func (s *Server) authed(r *http.Request) (string, bool) {
	u, p, ok := r.BasicAuth()
	if !ok || u != s.opts.User {
		return "", false
	}
	if subtle.ConstantTimeCompare([]byte(p), []byte(s.opts.Password)) == 1 {
		return p, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return p, s.appPasswords[p]
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="Deskport demo"`)
	http.Error(w, "wrong user name or password", http.StatusUnauthorized)
}

func (s *Server) user(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authed(r); !ok {
		unauthorized(w)
		return
	}
	ocs(w, r, http.StatusOK, map[string]any{"id": s.opts.User, "display-name": s.opts.DisplayName, "email": s.opts.Email,
		"quota": map[string]any{"free": 10 << 30, "used": 0, "total": 10 << 30, "relative": 0}})
}

func (s *Server) newAppPassword() string {
	b := make([]byte, 24)
	rand.Read(b)
	p := hex.EncodeToString(b)
	s.mu.Lock()
	s.appPasswords[p] = true
	s.mu.Unlock()
	return p
}

func (s *Server) getAppPassword(w http.ResponseWriter, r *http.Request) {
	secret, ok := s.authed(r)
	if !ok {
		unauthorized(w)
		return
	}
	if secret != s.opts.Password {
		ocs(w, r, http.StatusForbidden, nil) // already an app password
		return
	}
	ocs(w, r, http.StatusOK, map[string]any{"apppassword": s.newAppPassword()})
}

func (s *Server) deleteAppPassword(w http.ResponseWriter, r *http.Request) {
	secret, ok := s.authed(r)
	if !ok {
		unauthorized(w)
		return
	}
	if secret == s.opts.Password {
		ocs(w, r, http.StatusForbidden, nil)
		return
	}
	s.mu.Lock()
	delete(s.appPasswords, secret)
	s.mu.Unlock()
	ocs(w, r, http.StatusOK, []any{})
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authed(r); !ok {
		unauthorized(w)
		return
	}
	ocs(w, r, http.StatusOK, []map[string]any{{
		"notification_id": 1, "app": "files", "subject": "Welcome to the Deskport demo",
		"message": "Your files are synced to the folder shown in the Files view.", "link": s.URL + "/",
		"datetime": s.opts.ModTime.UTC().Format(time.RFC3339),
	}})
}

func token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) startFlow(w http.ResponseWriter, r *http.Request) {
	f := &flow{loginToken: token(), pollToken: token(), started: time.Now()}
	s.mu.Lock()
	s.flows[f.loginToken] = f
	s.polls[f.pollToken] = f
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"poll":  map[string]string{"token": f.pollToken, "endpoint": s.URL + "/index.php/login/v2/poll"},
		"login": s.URL + "/index.php/login/v2/flow/" + f.loginToken,
	})
}

func (s *Server) flowFor(r *http.Request) *flow {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.flows[r.PathValue("token")]
	if f == nil || time.Since(f.started) > 20*time.Minute {
		return nil
	}
	return f
}

// flowPage is the sign-in page Login Flow v2 sends the user to. The demo
// asks for no password: one button grants access.
func (s *Server) flowPage(w http.ResponseWriter, r *http.Request) {
	if s.flowFor(r) == nil {
		http.Error(w, "This sign-in link has expired. Start signing in again in Deskport.", http.StatusNotFound)
		return
	}
	page(w, "Connect to your account", `<p>Deskport wants to access the files of <b>`+html.EscapeString(s.opts.DisplayName)+
		`</b> on this demo server.</p><form method=post><button type=submit>Grant access</button></form>`)
}

func (s *Server) grant(w http.ResponseWriter, r *http.Request) {
	f := s.flowFor(r)
	if f == nil {
		http.Error(w, "This sign-in link has expired. Start signing in again in Deskport.", http.StatusNotFound)
		return
	}
	p := s.newAppPassword()
	s.mu.Lock()
	f.granted = p
	delete(s.flows, f.loginToken)
	s.mu.Unlock()
	page(w, "Account connected", "<p>Deskport is connected. You can close this page.</p>")
}

func (s *Server) poll(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	s.mu.Lock()
	f := s.polls[r.PostForm.Get("token")]
	if f == nil || f.granted == "" {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	delete(s.polls, f.pollToken) // a grant is handed out once
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"server": s.URL, "loginName": s.opts.User, "appPassword": f.granted})
}

// webdav serves the user's files with Nextcloud's extras: If-Match and
// If-None-Match are honoured, and a PUT answers with OC-ETag and OC-FileId
// and keeps X-OC-Mtime.
func (s *Server) webdav(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authed(r); !ok {
		unauthorized(w)
		return
	}
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	prefix := s.davPrefix()
	if r.URL.Path != prefix && !strings.HasPrefix(r.URL.Path, prefix+"/") {
		http.Error(w, "other users' files are not shared with you", http.StatusForbidden)
		return
	}
	name := clean(strings.TrimPrefix(r.URL.Path, prefix))
	_, statErr := s.fs.Stat(r.Context(), name)
	exists := statErr == nil
	if im := r.Header.Get("If-Match"); im != "" && !(exists && matchETag(im, s.fs.etag(name))) {
		http.Error(w, "the file changed on the server (If-Match)", http.StatusPreconditionFailed)
		return
	}
	if inm := r.Header.Get("If-None-Match"); r.Method == http.MethodPut && exists && (inm == "*" || matchETag(inm, s.fs.etag(name))) {
		http.Error(w, "the file exists (If-None-Match)", http.StatusPreconditionFailed)
		return
	}
	if r.Method == http.MethodPut {
		w = &putWriter{ResponseWriter: w, s: s, name: name, mtime: r.Header.Get("X-OC-Mtime")}
	}
	s.dav.ServeHTTP(w, r)
}

func matchETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag || `"`+t+`"` == etag {
			return true
		}
	}
	return false
}

// putWriter adds Nextcloud's headers to a successful PUT's answer.
type putWriter struct {
	http.ResponseWriter
	s           *Server
	name, mtime string
	wrote       bool
}

func (p *putWriter) WriteHeader(code int) {
	if !p.wrote && code >= 200 && code < 300 {
		if sec, err := strconv.ParseInt(p.mtime, 10, 64); err == nil && sec > 0 {
			p.s.fs.setMtime(p.name, time.Unix(sec, 0))
			p.Header().Set("X-OC-MTime", "accepted")
		}
		etag := p.s.fs.etag(p.name)
		p.Header().Set("ETag", etag)
		p.Header().Set("OC-ETag", etag)
		p.Header().Set("OC-FileId", fmt.Sprintf("%08docdemo", p.s.fs.fileID(p.name)))
	}
	p.wrote = true
	p.ResponseWriter.WriteHeader(code)
}

func (p *putWriter) Write(b []byte) (int, error) {
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

// home is the Files app's web page: the user's top folder.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	f, err := s.fs.OpenFile(r.Context(), "/", os.O_RDONLY, 0)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	list, _ := f.Readdir(-1)
	sort.Slice(list, func(i, j int) bool { return list[i].Name() < list[j].Name() })
	var b strings.Builder
	b.WriteString("<ul>")
	for _, fi := range list {
		kind := "file"
		if fi.IsDir() {
			kind = "folder"
		}
		fmt.Fprintf(&b, "<li>%s <small>(%s)</small></li>", html.EscapeString(fi.Name()), kind)
	}
	b.WriteString("</ul><p>These are the demo account's files. Deskport keeps them in sync with a folder on this computer.</p>")
	page(w, "Files", b.String())
}

func page(w http.ResponseWriter, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	fmt.Fprintf(w, `<!doctype html><html lang=en><head><meta charset=utf-8><title>%s – Deskport demo</title>
<style>body{font:16px system-ui,sans-serif;margin:2em;background:#f6f7f9;color:#1d2433}h1{color:#1a4d8f}button{font:inherit;padding:.5em 1em}</style>
</head><body><h1>%s</h1>%s</body></html>`, html.EscapeString(title), html.EscapeString(title), body)
}

// createShare makes a public link (shareType 3) as Nextcloud's OCS share API
// does, for the Files view's "Copy share link" on the demo; the link opens a
// small page naming what is shared.
func (s *Server) createShare(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authed(r); !ok {
		unauthorized(w)
		return
	}
	if err := r.ParseForm(); err != nil || r.Form.Get("shareType") != "3" {
		ocs(w, r, http.StatusBadRequest, nil)
		return
	}
	p := path.Clean("/" + r.Form.Get("path"))
	if _, err := s.fs.Stat(r.Context(), p); err != nil {
		ocs(w, r, http.StatusNotFound, nil)
		return
	}
	perms, err := strconv.Atoi(r.Form.Get("permissions"))
	if err != nil || perms <= 0 {
		perms = 1
	}
	t := token()[:15]
	s.mu.Lock()
	if s.shares == nil {
		s.shares = map[string]string{}
	}
	s.shares[t] = p
	id := len(s.shares)
	s.mu.Unlock()
	data := map[string]any{"id": strconv.Itoa(id), "share_type": 3, "path": p, "permissions": perms, "token": t,
		"url": s.URL + "/index.php/s/" + t, "expiration": nil, "password": r.Form.Get("password") != ""}
	if e := r.Form.Get("expireDate"); e != "" {
		data["expiration"] = e + " 00:00:00"
	}
	ocs(w, r, http.StatusOK, data)
}

func (s *Server) sharePage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.shares[r.PathValue("token")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><html lang=en><title>Shared: %s</title><h1>%s</h1><p>Shared from the Deskport demo.</p></html>",
		html.EscapeString(path.Base(p)), html.EscapeString(path.Base(p)))
}
