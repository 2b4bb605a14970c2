package accounts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/accounts/nextcloud"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/testpeer"
)

// memStore is an in-memory keyring; failWith makes every call fail.
type memStore struct {
	mu       sync.Mutex
	m        map[string]string
	failWith error
}

func newMem() *memStore { return &memStore{m: map[string]string{}} }

func (s *memStore) Get(k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return "", s.failWith
	}
	v, ok := s.m[k]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}
func (s *memStore) Set(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return s.failWith
	}
	s.m[k] = v
	return nil
}
func (s *memStore) Delete(k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return s.failWith
	}
	if _, ok := s.m[k]; !ok {
		return secrets.ErrNotFound
	}
	delete(s.m, k)
	return nil
}

func testPaths(t *testing.T) config.Paths {
	d := t.TempDir()
	return config.Paths{Config: d + "/config", Data: d + "/data", Cache: d + "/cache", Logs: d + "/logs"}
}

func fillLoginPage(t *testing.T, loginURL, user, pass string) {
	resp, err := http.PostForm(loginURL, url.Values{"user": {user}, "password": {pass}})
	if err != nil {
		t.Error(err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func TestFilesHeadlessSignIn(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	ctx := context.Background()
	store := newMem()
	m := New(testPaths(t), store, nil)
	m.UserAgent = "Deskport test"
	var changes []Kind
	m.OnChange(func(k Kind) { changes = append(changes, k) })

	if _, _, err := m.SignInFiles(ctx, nc.URL, nc.User, "wrong"); !errors.Is(err, ErrWrongPassword) || !strings.Contains(err.Error(), "app password") {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := m.Files(); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("after a failed sign-in: %v", err)
	}
	f, warnings, err := m.SignInFiles(ctx, nc.URL+"/", nc.User, nc.Pass)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("sign-in: %v %v", err, warnings)
	}
	if f.UserID != nc.User || f.ServerURL != nc.URL || f.WebDAVURL() != nc.FilesURL {
		t.Errorf("account: %+v, WebDAV %s", f, f.WebDAVURL())
	}
	// The account password was traded for an app password; only that is kept.
	got, secret, err := m.Files()
	if err != nil || got.SecretKey() != "files/alice@"+strings.TrimPrefix(nc.URL, "http://") {
		t.Fatalf("Files() = %+v, %v", got, err)
	}
	if secret == nc.Pass || len(secret) < 32 {
		t.Errorf("kept secret is not an app password (%d chars)", len(secret))
	}
	if u, err := nextcloud.New(nc.URL, nil).User(ctx, f.LoginName, secret); err != nil || u.ID != nc.User {
		t.Errorf("kept app password does not work: %v", err)
	}
	// An app password given by a script is kept as it is.
	if err := nc.AddAppPassword("scripted-app-password-0123456789", "rollout"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.SignInFiles(ctx, nc.URL, nc.User, "scripted-app-password-0123456789"); err != nil {
		t.Fatal(err)
	}
	if _, secret, _ = m.Files(); secret != "scripted-app-password-0123456789" {
		t.Errorf("scripted app password replaced")
	}

	// A computer whose clock is 20 minutes fast is warned, and still signed in.
	m.Clock = func() time.Time { return time.Now().Add(20 * time.Minute) }
	if _, warnings, err := m.SignInFiles(ctx, nc.URL, nc.User, "scripted-app-password-0123456789"); err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "20m0s ahead of the server's") {
		t.Errorf("clock skew: %v %v", warnings, err)
	}
	m.Clock = nil

	// The server revokes it: sync reports the 401, and from then on the
	// account asks for a new sign-in, with the record kept.
	nc.RevokeAppPasswords()
	if _, err := nextcloud.New(nc.URL, nil).User(ctx, f.LoginName, secret); !errors.Is(err, nextcloud.ErrUnauthorized) {
		t.Fatalf("revoked app password: %v", err)
	}
	if err := m.ReportUnauthorized(FilesKind); !errors.Is(err, ErrSignInAgain) {
		t.Errorf("ReportUnauthorized: %v", err)
	}
	if a, _, err := m.Files(); !errors.Is(err, ErrSignInAgain) || a.UserID != nc.User {
		t.Errorf("after 401: %+v %v", a, err)
	}
	if _, _, err := m.SignInFiles(ctx, nc.URL, nc.User, nc.Pass); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Files(); err != nil {
		t.Errorf("signed in again: %v", err)
	}
	// Engines heard of every successful sign-in and of the 401, not of the failed attempt.
	if len(changes) != 5 {
		t.Errorf("change notifications: %v", changes)
	}
}

func TestFilesLoginFlowAndSignOut(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	ctx := context.Background()
	store := newMem()
	paths := testPaths(t)
	m := New(paths, store, nil)

	flow, _, err := m.StartFilesLogin(ctx, nc.URL)
	if err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(100 * time.Millisecond); fillLoginPage(t, flow.LoginURL, nc.User, nc.Pass) }()
	f, err := m.FinishFilesLogin(ctx, nc.URL, flow, nextcloud.PollOptions{First: 20 * time.Millisecond, Max: 50 * time.Millisecond})
	if err != nil || f.UserID != nc.User {
		t.Fatalf("login flow: %+v %v", f, err)
	}
	_, secret, err := m.Files()
	if err != nil || secret == nc.Pass {
		t.Fatalf("after login flow: %v", err)
	}
	// A restart: a new manager over the same folders and keyring is still signed in.
	if f2, _, err := New(paths, store, nil).Files(); err != nil || f2.UserID != nc.User {
		t.Fatalf("after restart: %+v %v", f2, err)
	}

	// A canceled second flow leaves the account as it was.
	flow2, _, err := m.StartFilesLogin(ctx, nc.URL)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	if _, err := m.FinishFilesLogin(cctx, nc.URL, flow2, nextcloud.PollOptions{First: 20 * time.Millisecond}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("canceled flow: %v", err)
	}
	if _, s, err := m.Files(); err != nil || s != secret {
		t.Errorf("canceled flow changed the account: %v", err)
	}

	// Sign-out revokes the app password on the server and forgets it here.
	notes, err := m.SignOut(ctx, FilesKind)
	if err != nil || len(notes) != 0 {
		t.Fatalf("sign-out: %v %v", err, notes)
	}
	if _, err := nextcloud.New(nc.URL, nil).User(ctx, nc.User, secret); !errors.Is(err, nextcloud.ErrUnauthorized) {
		t.Errorf("app password still valid after sign-out: %v", err)
	}
	if len(store.m) != 0 {
		t.Errorf("keyring still holds %v", store.m)
	}
	if _, _, err := m.Files(); !errors.Is(err, ErrNoAccount) {
		t.Errorf("after sign-out: %v", err)
	}
}

func TestFilesServerProblems(t *testing.T) {
	ctx := context.Background()
	m := New(testPaths(t), newMem(), nil)
	web := testpeer.StartApacheDAV(t) // a real web server that is not a Nextcloud
	if _, _, err := m.SignInFiles(ctx, web.URL, "alice", "secret"); !errors.Is(err, nextcloud.ErrNotNextcloud) {
		t.Errorf("not a Nextcloud: %v", err)
	}
	port := testpeer.FreePort(t)
	if _, _, err := m.StartFilesLogin(ctx, fmt.Sprintf("http://127.0.0.1:%d", port)); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("unreachable: %v", err)
	}
}

func TestKeyringProblemsAreClearAndSaveNothing(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	ctx := context.Background()
	for _, kerr := range []error{
		errors.Join(secrets.ErrLocked, errors.New("unlock your keyring")),
		errors.Join(secrets.ErrNoService, errors.New("install gnome-keyring")),
	} {
		store := newMem()
		store.failWith = kerr
		m := New(testPaths(t), store, nil)
		_, _, err := m.SignInFiles(ctx, nc.URL, nc.User, nc.Pass)
		if err == nil || !strings.Contains(err.Error(), "keyring") {
			t.Fatalf("keyring failure: %v", err)
		}
		if !errors.Is(err, secrets.ErrLocked) && !errors.Is(err, secrets.ErrNoService) {
			t.Errorf("typed error lost: %v", err)
		}
		if b, _ := m.Book(); b.Files != nil {
			t.Error("account saved although its secret was not")
		}
	}
	// An account whose keyring is locked later reports that, not "sign in again".
	store := newMem()
	m := New(testPaths(t), store, nil)
	if _, _, err := m.SignInFiles(ctx, nc.URL, nc.User, nc.Pass); err != nil {
		t.Fatal(err)
	}
	store.failWith = secrets.ErrLocked
	if _, _, err := m.Files(); !errors.Is(err, secrets.ErrLocked) || errors.Is(err, ErrSignInAgain) {
		t.Errorf("locked keyring on read: %v", err)
	}
}

// The real keyring, missing: no session bus. The error says what to do and nothing is saved.
func TestNoKeyringService(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	m := New(testPaths(t), secrets.NewKeyring(), nil)
	_, _, err := m.SignInFiles(context.Background(), nc.URL, nc.User, nc.Pass)
	if !errors.Is(err, secrets.ErrNoService) || !strings.Contains(err.Error(), "dbus-run-session") {
		t.Fatalf("no keyring: %v", err)
	}
	if b, _ := m.Book(); b.Files != nil {
		t.Error("account saved without a keyring")
	}
	if _, err := os.Stat(BookPath(m.Paths)); err == nil {
		data, _ := os.ReadFile(BookPath(m.Paths))
		if strings.Contains(string(data), nc.Pass) {
			t.Error("password written to disk")
		}
	}
}

func TestMailSignIn(t *testing.T) {
	dc := testpeer.StartDovecot(t)
	sink := testpeer.StartSMTPSink(t)
	ctx := context.Background()
	store := newMem()
	m := New(testPaths(t), store, nil)
	s := mail.Settings{
		IMAP:     mail.Server{Host: dc.Host, Port: dc.Port, Security: mail.Plain},
		SMTP:     mail.Server{Host: sink.Host, Port: sink.Port, Security: mail.Plain},
		Username: dc.User,
	}
	if _, _, err := m.SignInMail(ctx, s, "alice@example.org", "wrong"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := m.Mail(); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("saved after a wrong password: %v", err)
	}
	a, warnings, err := m.SignInMail(ctx, s, "alice@example.org", dc.Pass)
	if err != nil || len(warnings) != 0 || a.Auth != mail.AuthPassword {
		t.Fatalf("mail sign-in: %+v %v %v", a, warnings, err)
	}
	got, pw, err := m.Mail()
	if err != nil || pw != dc.Pass || got.IMAP != s.IMAP || got.SecretKey() != "mail/alice@127.0.0.1" {
		t.Fatalf("Mail() = %+v, %v", got, err)
	}
	if _, err := m.SignOut(ctx, MailKind); err != nil {
		t.Fatal(err)
	}
	if len(store.m) != 0 {
		t.Errorf("mail secret left: %v", store.m)
	}
}

func TestMailDefaultsFromProfile(t *testing.T) {
	p, err := suite.New("deskport-test.invalid", map[suite.App]string{suite.Bare: "http://[::1]:8080"})
	if err != nil {
		t.Fatal(err)
	}
	m := New(testPaths(t), newMem(), nil)
	s, ok, attempts := m.MailDefaults(context.Background(), p)
	if ok || s.IMAP.Host != "::1" || s.IMAP.Port != 993 || s.SMTP.Port != 587 || len(attempts) != 6 {
		t.Errorf("MailDefaults = %+v %v %d attempts", s, ok, len(attempts))
	}
	p, _ = suite.New("deskport-test.invalid", nil)
	if s, _, attempts = m.MailDefaults(context.Background(), p); s.IMAP.Host != "deskport-test.invalid" || attempts[1].Server.Host != "imap.deskport-test.invalid" || attempts[1].Error == "" {
		t.Errorf("MailDefaults = %+v %+v", s, attempts)
	}
}
