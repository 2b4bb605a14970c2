package app

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/testpeer"
)

type memKeyring struct {
	mu   sync.Mutex
	m    map[string]string
	fail error
}

func (s *memKeyring) Get(k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return "", s.fail
	}
	if v, ok := s.m[k]; ok {
		return v, nil
	}
	return "", secrets.ErrNotFound
}
func (s *memKeyring) Set(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.m[k] = v
	return nil
}
func (s *memKeyring) Delete(k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, k)
	return nil
}

type recRuntime struct {
	mu     sync.Mutex
	events []string
	data   [][]interface{} // each event's data, by index in events
	opened []string
}

func (r *recRuntime) Emit(e string, data ...interface{}) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.data = append(r.data, data)
	r.mu.Unlock()
}
func (r *recRuntime) Show()            {}
func (r *recRuntime) OpenURL(u string) { r.mu.Lock(); r.opened = append(r.opened, u); r.mu.Unlock() }

type syncNav struct {
	mu   sync.Mutex
	urls []string
}

func (n *syncNav) Navigate(u string) { n.mu.Lock(); n.urls = append(n.urls, u); n.mu.Unlock() }
func (n *syncNav) last() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.urls) == 0 {
		return ""
	}
	return n.urls[len(n.urls)-1]
}

func TestAccountsServiceFirstRun(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	dir := t.TempDir()
	paths := config.Paths{Config: dir + "/c", Data: dir + "/d", Cache: dir + "/k", Logs: dir + "/l"}
	store := &memKeyring{m: map[string]string{}}
	m := accounts.New(paths, store, nil)
	cfg := &config.Config{Effective: config.Settings{Domain: "example.org", Hosts: map[string]string{"files": nc.URL}}}
	load := func() (*config.Config, error) { return cfg, nil }
	nav := &syncNav{}
	changed := 0
	a := NewAccounts(m, load, nav, "wails://wails/", func() { changed++ })
	rt := &recRuntime{}
	a.rt = rt

	if st := a.State(); st.Domain != "example.org" || st.Files != nil || st.DomainLocked {
		t.Fatalf("first state: %+v", st)
	}
	if r := a.Discover("https://example.org/"); r.Problem == nil || r.Problem.Code != "invalid_domain" {
		t.Errorf("bad domain: %+v", r.Problem)
	}
	r := a.Discover(" Example.org ")
	if r.Problem != nil || len(r.Checks) == 0 {
		t.Fatalf("discover: %+v", r)
	}
	if p, ok := SuiteProfile(a); !ok || p.Origin("files") != nc.URL || changed != 1 {
		t.Fatalf("profile after discovery: %+v %v, changed %d", p, ok, changed)
	}

	// Login Flow v2 in the window: the window goes to the login page...
	if res := a.StartFilesSignIn(false); !res.OK {
		t.Fatalf("start: %+v", res.Problem)
	}
	login := nav.last()
	if !strings.HasPrefix(login, nc.URL+"/index.php/login/v2/flow/") || !a.State().Flow.Active {
		t.Fatalf("window went to %q", login)
	}
	// ...the user signs in there, and the window comes back to the view.
	resp, err := http.PostForm(login, url.Values{"user": {nc.User}, "password": {nc.Pass}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	deadline := time.Now().Add(15 * time.Second)
	for a.State().Flow.Active && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	st := a.State()
	if st.Flow.Active || st.Flow.Problem != nil || st.Files == nil || st.Files.UserID != nc.User {
		t.Fatalf("after sign-in: %+v / flow %+v", st.Files, st.Flow)
	}
	if nav.last() != "wails://wails/#/accounts" {
		t.Errorf("window left at %q", nav.last())
	}

	// A second flow, canceled: nothing changes, the view learns it was canceled.
	before := st.Files.SignedIn
	if res := a.StartFilesSignIn(true); !res.OK || len(rt.opened) != 1 {
		t.Fatalf("start in browser: %+v %v", res, rt.opened)
	}
	a.CancelFilesSignIn()
	st = a.State()
	if st.Flow.Active || st.Flow.Problem == nil || st.Flow.Problem.Code != "canceled" || !st.Files.SignedIn.Equal(before) {
		t.Errorf("after cancel: %+v", st.Flow)
	}

	// Signing out; the window's web session is cleared once (a failure to
	// clear is a warning, not a failed sign-out); then a locked keyring
	// gives its own code.
	cleared := 0
	a.ClearWebSession = func() error { cleared++; return errors.New("view gone") }
	if res := a.SignOut("files"); !res.OK || a.State().Files != nil || cleared != 1 ||
		len(res.Warnings) == 0 || !strings.Contains(res.Warnings[len(res.Warnings)-1], "web session could not be deleted: view gone") {
		t.Errorf("sign-out: %+v, web session cleared %d times", res, cleared)
	}
	a.ClearWebSession = nil
	store.fail = errors.Join(secrets.ErrLocked, errors.New("unlock it"))
	if res := a.SignInMail(MailForm{Username: "alice", Password: "x", IMAPHost: "127.0.0.1", IMAPPort: testpeer.FreePort(t), IMAPSecurity: "none",
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: "none"}); res.OK || res.Problem.Code != "unreachable" {
		t.Errorf("mail to a closed port: %+v", res.Problem)
	}
	if p := problemOf(store.Set("k", "v")); p.Code != "keyring_locked" {
		t.Errorf("locked keyring code %q", p.Code)
	}
	if res := a.SignInMail(MailForm{IMAPHost: "mail.example.org", IMAPPort: 143, IMAPSecurity: "none"}); res.Problem == nil || res.Problem.Code != "invalid" {
		t.Errorf("plain IMAP to a remote host: %+v", res.Problem)
	}
}
