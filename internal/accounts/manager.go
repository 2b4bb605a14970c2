package accounts

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/accounts/nextcloud"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/logging"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/suite"
)

// Manager signs accounts in and out and hands their credentials to the
// file sync and mail engines.
type Manager struct {
	Paths     config.Paths
	Secrets   secrets.Store
	HTTP      *http.Client     // the shared client (proxy, admin CA)
	TLS       *tls.Config      // for IMAP/SMTP; nil = system roots
	UserAgent string           // names the app password on the server, e.g. "Deskport (laptop-12)"
	Clock     func() time.Time // nil = time.Now; tests set a wrong clock
	mu        sync.Mutex
	watchers  []func(Kind)
}

// OnChange registers fn to run (in the caller's goroutine) after an
// account of kind was signed in, signed out or marked as needing a new
// sign-in: the sync and mail engines start, stop or pause on it.
func (m *Manager) OnChange(fn func(kind Kind)) {
	m.mu.Lock()
	m.watchers = append(m.watchers, fn)
	m.mu.Unlock()
}

func (m *Manager) notify(kind Kind) {
	m.mu.Lock()
	ws := append([]func(Kind){}, m.watchers...)
	m.mu.Unlock()
	for _, w := range ws {
		w(kind)
	}
}

// New returns a manager over the user's folders and keyring.
func New(paths config.Paths, store secrets.Store, client *http.Client) *Manager {
	return &Manager{Paths: paths, Secrets: store, HTTP: client, UserAgent: "Deskport"}
}

func (m *Manager) update(fn func(b *Book) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, err := LoadBook(m.Paths)
	if err != nil {
		return err
	}
	if err := fn(&b); err != nil {
		return err
	}
	return SaveBook(m.Paths, b)
}

// Book returns what accounts.json holds.
func (m *Manager) Book() (Book, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return LoadBook(m.Paths)
}

// Profile returns the saved suite, if any.
func (m *Manager) Profile() (suite.Profile, bool, error) {
	b, err := m.Book()
	if err != nil || b.Suite == nil {
		return suite.Profile{}, false, err
	}
	return *b.Suite, true, nil
}

// SetProfile saves the suite the accounts belong to.
func (m *Manager) SetProfile(p suite.Profile) error {
	return m.update(func(b *Book) error { b.Suite = &p; return nil })
}

func keyringErr(what string, err error) error {
	return fmt.Errorf("could not %s the password in the keyring: %w", what, err)
}

// Files returns the files account and its secret. It fails with
// ErrNoAccount, ErrSignInAgain (after a 401) or the keyring's error.
func (m *Manager) Files() (Files, string, error) {
	b, err := m.Book()
	if err != nil {
		return Files{}, "", err
	}
	if b.Files == nil {
		return Files{}, "", fmt.Errorf("files: %w", ErrNoAccount)
	}
	f := *b.Files
	if f.NeedsSignIn {
		return f, "", fmt.Errorf("files at %s: %w", hostOf(f.ServerURL), ErrSignInAgain)
	}
	pw, err := m.Secrets.Get(f.SecretKey())
	logging.Secret(pw)
	if errors.Is(err, secrets.ErrNotFound) {
		return f, "", fmt.Errorf("files at %s: the saved password is missing from the keyring: %w", hostOf(f.ServerURL), ErrSignInAgain)
	}
	if err != nil {
		return f, "", keyringErr("read", err)
	}
	return f, pw, nil
}

// Mail returns the mail account and its secret, like Files.
func (m *Manager) Mail() (Mail, string, error) {
	b, err := m.Book()
	if err != nil {
		return Mail{}, "", err
	}
	if b.Mail == nil {
		return Mail{}, "", fmt.Errorf("mail: %w", ErrNoAccount)
	}
	a := *b.Mail
	if a.NeedsSignIn {
		return a, "", fmt.Errorf("mail at %s: %w", a.IMAP.Host, ErrSignInAgain)
	}
	pw, err := m.Secrets.Get(a.SecretKey())
	logging.Secret(pw)
	if errors.Is(err, secrets.ErrNotFound) {
		return a, "", fmt.Errorf("mail at %s: the saved password is missing from the keyring: %w", a.IMAP.Host, ErrSignInAgain)
	}
	if err != nil {
		return a, "", keyringErr("read", err)
	}
	return a, pw, nil
}

// ReportUnauthorized is what the sync and mail engines call when the server
// answers 401 to the saved secret: the account is marked, and every later
// Files()/Mail() returns ErrSignInAgain until the user signs in again. It
// returns ErrSignInAgain (wrapped) for the caller to pass on.
func (m *Manager) ReportUnauthorized(kind Kind) error {
	err := m.update(func(b *Book) error {
		switch {
		case kind == FilesKind && b.Files != nil:
			b.Files.NeedsSignIn = true
		case kind == MailKind && b.Mail != nil:
			b.Mail.NeedsSignIn = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	m.notify(kind)
	return fmt.Errorf("%s: %w", kind, ErrSignInAgain)
}

func (m *Manager) nc(serverURL string) *nextcloud.Client {
	c := nextcloud.New(serverURL, m.HTTP)
	c.UserAgent = m.UserAgent
	if m.Clock != nil {
		c.Now = m.Clock
	}
	return c
}

// CheckFilesServer makes sure serverURL is a reachable Nextcloud and
// returns a warning when the clocks differ by more than 5 minutes.
func (m *Manager) CheckFilesServer(ctx context.Context, serverURL string) (warning string, err error) {
	_, skew, err := m.nc(serverURL).Status(ctx)
	if err != nil {
		return "", err
	}
	return nextcloud.SkewWarning(skew), nil
}

// SignInFiles is the headless path (no browser): login and secret (the
// account password or an app password) are checked against the server. An
// account password is traded for a new app password, so only a revocable
// secret is kept; an app password is kept as given.
func (m *Manager) SignInFiles(ctx context.Context, serverURL, login, secret string) (Files, []string, error) {
	logging.Secret(secret)
	serverURL = strings.TrimRight(serverURL, "/")
	var warnings []string
	w, err := m.CheckFilesServer(ctx, serverURL)
	if err != nil {
		return Files{}, nil, err
	}
	if w != "" {
		warnings = append(warnings, w)
	}
	if login == "" || secret == "" {
		return Files{}, warnings, errors.New("enter your user name and password (or an app password)")
	}
	// Keep a revocable app password rather than the account password when
	// the server can issue one; an app password given here is kept as is.
	app, err := m.nc(serverURL).GetAppPassword(ctx, login, secret)
	logging.Secret(app)
	switch {
	case err == nil:
		f, err := m.saveFiles(ctx, serverURL, login, app)
		if err != nil {
			m.nc(serverURL).RevokeAppPassword(ctx, login, app)
		}
		return f, warnings, err
	case errors.Is(err, nextcloud.ErrUnauthorized):
		return Files{}, warnings, m.wrongPassword(serverURL)
	}
	f, err := m.saveFiles(ctx, serverURL, login, secret)
	return f, warnings, err
}

// StartFilesLogin begins Login Flow v2; show flow.LoginURL to the user and
// call FinishFilesLogin.
func (m *Manager) StartFilesLogin(ctx context.Context, serverURL string) (*nextcloud.Flow, []string, error) {
	serverURL = strings.TrimRight(serverURL, "/")
	w, err := m.CheckFilesServer(ctx, serverURL)
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	if w != "" {
		warnings = append(warnings, w)
	}
	f, err := m.nc(serverURL).StartLoginFlow(ctx)
	return f, warnings, err
}

// FinishFilesLogin polls until the user has signed in on the login page
// (or ctx is canceled), then verifies and saves the app password.
func (m *Manager) FinishFilesLogin(ctx context.Context, serverURL string, flow *nextcloud.Flow, opt nextcloud.PollOptions) (Files, error) {
	serverURL = strings.TrimRight(serverURL, "/")
	g, err := m.nc(serverURL).Poll(ctx, flow, opt)
	if err != nil {
		return Files{}, err
	}
	logging.Secret(g.AppPassword)
	return m.saveFiles(ctx, serverURL, g.LoginName, g.AppPassword)
}

func (m *Manager) wrongPassword(serverURL string) error {
	return fmt.Errorf("%w for %s: check them; if your organisation uses single sign-on, sign in through the window instead, or create an app password in Nextcloud (Settings → Security)", ErrWrongPassword, hostOf(serverURL))
}

// saveFiles verifies the secret with /ocs/v1.php/cloud/user, stores it in
// the keyring, then records the account. A previous account's secret is
// removed only after the new one is saved.
func (m *Manager) saveFiles(ctx context.Context, serverURL, login, secret string) (Files, error) {
	u, err := m.nc(serverURL).User(ctx, login, secret)
	if errors.Is(err, nextcloud.ErrUnauthorized) {
		return Files{}, m.wrongPassword(serverURL)
	}
	if err != nil {
		return Files{}, err
	}
	f := Files{ServerURL: serverURL, LoginName: login, UserID: u.ID, DisplayName: u.DisplayName, Email: u.Email, SignedIn: time.Now().UTC()}
	if err := m.Secrets.Set(f.SecretKey(), secret); err != nil {
		return Files{}, keyringErr("save", err)
	}
	var old *Files
	err = m.update(func(b *Book) error {
		old = b.Files
		b.Files = &f
		return nil
	})
	if err != nil {
		return Files{}, err
	}
	if old != nil && old.SecretKey() != f.SecretKey() {
		m.Secrets.Delete(old.SecretKey())
	}
	m.notify(FilesKind)
	return f, nil
}

// MailDefaults proposes mail settings for the profile: the admin's or
// user's overrides, else discovery among the usual hosts, else openDesk's
// defaults. ok is false when nothing answered (the user may correct them).
func (m *Manager) MailDefaults(ctx context.Context, p suite.Profile) (mail.Settings, bool, []mail.Attempt) {
	domain := p.Host(suite.Bare)
	if h, _, err := net.SplitHostPort(domain); err == nil {
		domain = h
	}
	imapC, smtpC := mail.Candidates(domain)
	im, sm, ok, attempts := mail.Discover(ctx, imapC, smtpC, m.TLS)
	s := mail.Defaults(domain)
	s.IMAP, s.SMTP = im, sm
	return s, ok, attempts
}

// SignInMail checks the settings with a real IMAP login (and SMTP AUTH when
// the SMTP server answers), then saves them and the password. Warnings
// report what could not be checked.
func (m *Manager) SignInMail(ctx context.Context, s mail.Settings, address, password string) (Mail, []string, error) {
	logging.Secret(password)
	if s.Auth == "" {
		s.Auth = mail.AuthPassword
	}
	smtpErr, err := mail.Check(ctx, s, password, m.TLS)
	if errors.Is(err, mail.ErrWrongPassword) {
		return Mail{}, nil, fmt.Errorf("%w: %v", ErrWrongPassword, err)
	}
	if err != nil {
		return Mail{}, nil, err
	}
	var warnings []string
	if smtpErr != nil {
		warnings = append(warnings, "sending mail could not be checked: "+smtpErr.Error())
	}
	a := Mail{Settings: s, Address: address, SignedIn: time.Now().UTC()}
	if err := m.Secrets.Set(a.SecretKey(), password); err != nil {
		return Mail{}, warnings, keyringErr("save", err)
	}
	var old *Mail
	if err := m.update(func(b *Book) error { old = b.Mail; b.Mail = &a; return nil }); err != nil {
		return Mail{}, warnings, err
	}
	if old != nil && old.SecretKey() != a.SecretKey() {
		m.Secrets.Delete(old.SecretKey())
	}
	m.notify(MailKind)
	return a, warnings, nil
}

// SignOut forgets an account: the server revokes the app password (best
// effort, files only), the keyring entry goes, then the account's record.
// Nothing else is touched: not the synced folder, not caches.
func (m *Manager) SignOut(ctx context.Context, kind Kind) (notes []string, err error) {
	b, err := m.Book()
	if err != nil {
		return nil, err
	}
	var key string
	switch kind {
	case FilesKind:
		if b.Files == nil {
			return nil, nil
		}
		key = b.Files.SecretKey()
		if pw, gerr := m.Secrets.Get(key); gerr == nil {
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			rerr := m.nc(b.Files.ServerURL).RevokeAppPassword(rctx, b.Files.LoginName, pw)
			cancel()
			if rerr != nil && !errors.Is(rerr, nextcloud.ErrUnauthorized) {
				notes = append(notes, "the server could not be told to revoke this device's app password ("+rerr.Error()+"); you can revoke it in Nextcloud under Settings → Security")
			}
		}
	case MailKind:
		if b.Mail == nil {
			return nil, nil
		}
		key = b.Mail.SecretKey()
	default:
		return nil, fmt.Errorf("unknown account kind %q", kind)
	}
	if err := m.Secrets.Delete(key); err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return notes, keyringErr("delete", err)
	}
	err = m.update(func(b *Book) error {
		if kind == FilesKind {
			b.Files = nil
		} else {
			b.Mail = nil
		}
		return nil
	})
	if err == nil {
		m.notify(kind)
	}
	return notes, err
}
