package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/accounts/nextcloud"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/suite"
)

// Problem is an error for the sign-in view: Code picks the translated
// advice, Message is the engine's own (English) explanation.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// problemOf classifies an error; nil stays nil.
func problemOf(err error) *Problem {
	if err == nil {
		return nil
	}
	code := "other"
	var ne *suite.NetError
	switch {
	case errors.Is(err, context.Canceled):
		code = "canceled"
	case errors.Is(err, accounts.ErrWrongPassword), errors.Is(err, mail.ErrWrongPassword):
		code = "wrong_password"
	case errors.Is(err, nextcloud.ErrNotNextcloud):
		code = "not_nextcloud"
	case errors.Is(err, nextcloud.ErrFlowExpired):
		code = "expired"
	case errors.Is(err, secrets.ErrLocked):
		code = "keyring_locked"
	case errors.Is(err, secrets.ErrNoService):
		code = "no_keyring"
	case errors.Is(err, accounts.ErrSignInAgain):
		code = "sign_in_again"
	case errors.As(err, &ne):
		code = string(ne.Problem) // dns, unreachable, tls
	}
	return &Problem{Code: code, Message: err.Error()}
}

// AccountsState is what the sign-in view shows.
type AccountsState struct {
	Domain       string          `json:"domain"`       // the saved suite's, else the admin default
	DomainLocked bool            `json:"domainLocked"` // the administrator fixed it
	Connected    bool            `json:"connected"`    // a suite was found and saved
	Files        *accounts.Files `json:"files,omitempty"`
	Mail         *accounts.Mail  `json:"mail,omitempty"`
	Flow         FlowState       `json:"flow"`
	Problem      *Problem        `json:"problem,omitempty"` // reading the accounts failed
}

// FlowState is the Login Flow v2 in progress, if any.
type FlowState struct {
	Active   bool     `json:"active"`
	LoginURL string   `json:"loginUrl,omitempty"`
	Polls    int      `json:"polls"`
	Problem  *Problem `json:"problem,omitempty"` // how the last flow ended, when it failed
	Warnings []string `json:"warnings,omitempty"`
}

// DiscoverResult is the discovery report for a domain.
type DiscoverResult struct {
	Domain  string        `json:"domain"`
	Checks  []suite.Check `json:"checks"`
	Problem *Problem      `json:"problem,omitempty"`
}

// MailForm is the mail sign-in form.
type MailForm struct {
	Address      string `json:"address"`
	Username     string `json:"username"`
	Password     string `json:"password"`
	IMAPHost     string `json:"imapHost"`
	IMAPPort     int    `json:"imapPort"`
	IMAPSecurity string `json:"imapSecurity"`
	SMTPHost     string `json:"smtpHost"`
	SMTPPort     int    `json:"smtpPort"`
	SMTPSecurity string `json:"smtpSecurity"`
	Found        bool   `json:"found"` // MailSuggest: the servers answered
}

// Result is the outcome of a sign-in action.
type Result struct {
	OK       bool     `json:"ok"`
	Warnings []string `json:"warnings,omitempty"`
	Problem  *Problem `json:"problem,omitempty"`
}

// Accounts is the bound service behind the first-run / accounts view.
type Accounts struct {
	m       *accounts.Manager
	load    func() (*config.Config, error)
	nav     Navigator
	shell   string // the shell's address; the view is shell + "#/accounts"
	changed func() // the suite profile changed (navigation policy, menus)
	rt      Runtime

	mu      sync.Mutex
	profile *suite.Profile
	flow    FlowState
	cancel  context.CancelFunc
	started chan struct{} // closed when a flow's poller exits (tests)

	// ClearWebSession (may be nil) deletes the suite's web session in the
	// window (cookies, storage) after a sign-out, so the suite pages ask
	// for login again. Set once before the window starts.
	ClearWebSession func() error
}

// NewAccounts makes the service. load reads settings and admin defaults;
// changed (may be nil) runs after the suite profile was saved.
func NewAccounts(m *accounts.Manager, load func() (*config.Config, error), nav Navigator, shell string, changed func()) *Accounts {
	a := &Accounts{m: m, load: load, nav: nav, shell: shell, changed: changed, rt: noRuntime{}}
	if p, ok, err := m.Profile(); err == nil && ok {
		a.profile = &p
	}
	return a
}

// Startup is called by Wails with the only context its runtime accepts.
func (a *Accounts) Startup(ctx context.Context) { a.rt = NewWailsRuntime(ctx) }

// SuiteProfile returns the saved suite. A plain function so that Wails
// does not bind it; the shell's navigation policy reads it.
func SuiteProfile(a *Accounts) (suite.Profile, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.profile == nil {
		return suite.Profile{}, false
	}
	return *a.profile, true
}

// State is everything the view shows.
func (a *Accounts) State() AccountsState {
	var st AccountsState
	if cfg, err := a.load(); err == nil {
		st.Domain = cfg.Effective.Domain
		st.DomainLocked = cfg.IsLocked("domain")
	} else {
		st.Problem = problemOf(err)
	}
	b, err := a.m.Book()
	if err != nil {
		st.Problem = problemOf(err)
	}
	if b.Suite != nil {
		st.Connected = true
		if !st.DomainLocked {
			st.Domain = b.Suite.Domain
		}
	}
	st.Files, st.Mail = b.Files, b.Mail
	a.mu.Lock()
	st.Flow = a.flow
	a.mu.Unlock()
	return st
}

// Discover checks what the suite at domain offers and, when its files
// service or IdP was found, saves it as the connected suite.
func (a *Accounts) Discover(domain string) DiscoverResult {
	cfg, err := a.load()
	if err != nil {
		return DiscoverResult{Domain: domain, Problem: problemOf(err)}
	}
	if cfg.IsLocked("domain") && cfg.Effective.Domain != "" {
		domain = cfg.Effective.Domain
	}
	p, err := suite.FromSettings(domain, cfg.Effective.Hosts)
	if err != nil {
		return DiscoverResult{Domain: domain, Problem: &Problem{Code: "invalid_domain", Message: err.Error()}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := suite.Discover(ctx, a.m.HTTP, p)
	res := DiscoverResult{Domain: p.Domain, Checks: r.Checks}
	files, _ := r.Get(suite.Files)
	idp, _ := r.Get(suite.ID)
	if !files.OK() && !idp.OK() {
		res.Problem = &Problem{Code: "no_suite", Message: files.Reason}
		return res
	}
	if err := a.m.SetProfile(p); err != nil {
		res.Problem = problemOf(err)
		return res
	}
	a.mu.Lock()
	a.profile = &p
	a.mu.Unlock()
	if a.changed != nil {
		a.changed()
	}
	return res
}

// StartFilesSignIn starts Login Flow v2 and shows the login page in the
// window (the suite's files origin is allowed there); the page's own
// sign-in (SSO included) ends with an app password. Polling runs in the
// background; when it ends the window returns to the accounts view and
// "accounts:changed" is emitted.
func (a *Accounts) StartFilesSignIn(inBrowser bool) Result {
	p, ok := SuiteProfile(a)
	if !ok {
		return Result{Problem: &Problem{Code: "no_suite", Message: "enter your suite's domain first"}}
	}
	a.CancelFilesSignIn()
	server := p.Origin(suite.Files)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	flow, warnings, err := a.m.StartFilesLogin(ctx, server)
	cancel()
	if err != nil {
		return Result{Problem: problemOf(err)}
	}
	pctx, pcancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	a.mu.Lock()
	a.flow = FlowState{Active: true, LoginURL: flow.LoginURL, Warnings: warnings}
	a.cancel, a.started = pcancel, done
	a.mu.Unlock()
	go a.poll(pctx, pcancel, done, server, flow)
	if inBrowser {
		a.rt.OpenURL(flow.LoginURL)
	} else {
		a.nav.Navigate(flow.LoginURL)
	}
	return Result{OK: true, Warnings: warnings}
}

func (a *Accounts) poll(ctx context.Context, cancel context.CancelFunc, done chan struct{}, server string, flow *nextcloud.Flow) {
	defer close(done)
	defer cancel()
	_, err := a.m.FinishFilesLogin(ctx, server, flow, nextcloud.PollOptions{Progress: func(n int, _ error) {
		a.mu.Lock()
		if a.started == done {
			a.flow.Polls = n
		}
		a.mu.Unlock()
		a.rt.Emit("accounts:flow", n)
	}})
	a.mu.Lock()
	current := a.started == done
	if current {
		a.flow.Active, a.flow.LoginURL = false, ""
		a.flow.Problem = problemOf(err)
		a.cancel = nil
	}
	a.mu.Unlock()
	if !current {
		return
	}
	if !errors.Is(err, context.Canceled) {
		a.nav.Navigate(a.shell + "#/accounts")
	}
	a.rt.Emit("accounts:changed")
}

// CancelFilesSignIn stops a running Login Flow; nothing is saved.
func (a *Accounts) CancelFilesSignIn() {
	a.mu.Lock()
	cancel, done := a.cancel, a.started
	a.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// OpenLoginInBrowser shows the running flow's login page in the system
// browser (when the page does not work in the window).
func (a *Accounts) OpenLoginInBrowser() bool {
	a.mu.Lock()
	u := a.flow.LoginURL
	a.mu.Unlock()
	if u != "" {
		a.rt.OpenURL(u)
	}
	return u != ""
}

// MailSuggest proposes mail settings for the connected suite.
func (a *Accounts) MailSuggest() MailForm {
	p, ok := SuiteProfile(a)
	if !ok {
		return MailForm{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	s, found, _ := a.m.MailDefaults(ctx, p)
	f := MailForm{IMAPHost: s.IMAP.Host, IMAPPort: s.IMAP.Port, IMAPSecurity: string(s.IMAP.Security),
		SMTPHost: s.SMTP.Host, SMTPPort: s.SMTP.Port, SMTPSecurity: string(s.SMTP.Security), Found: found}
	if b, err := a.m.Book(); err == nil && b.Files != nil && b.Files.Email != "" {
		f.Address, f.Username = b.Files.Email, b.Files.Email
	}
	return f
}

// SignInMail checks the form with a real login and saves it. The password
// goes to the keyring only.
func (a *Accounts) SignInMail(f MailForm) Result {
	s := mail.Settings{
		IMAP:     mail.Server{Host: f.IMAPHost, Port: f.IMAPPort, Security: mail.Security(f.IMAPSecurity)},
		SMTP:     mail.Server{Host: f.SMTPHost, Port: f.SMTPPort, Security: mail.Security(f.SMTPSecurity)},
		Username: f.Username,
		Auth:     mail.AuthPassword,
	}
	for _, srv := range []mail.Server{s.IMAP, s.SMTP} {
		if err := srv.Validate(); err != nil {
			return Result{Problem: &Problem{Code: "invalid", Message: err.Error()}}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, warnings, err := a.m.SignInMail(ctx, s, f.Address, f.Password)
	if err != nil {
		return Result{Problem: problemOf(err), Warnings: warnings}
	}
	a.rt.Emit("accounts:changed")
	return Result{OK: true, Warnings: warnings}
}

// SignOut signs out of "files" or "mail": the server revokes the app
// password, the keyring forgets it. Synced files and caches stay.
func (a *Accounts) SignOut(kind string) Result {
	k := accounts.Kind(kind)
	if k != accounts.FilesKind && k != accounts.MailKind {
		return Result{Problem: &Problem{Code: "invalid", Message: "unknown account " + kind}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	notes, err := a.m.SignOut(ctx, k)
	if err != nil {
		return Result{Problem: problemOf(err), Warnings: notes}
	}
	// Signing out of either account ends the suite's web session too: the
	// window's cookies would otherwise keep the user signed in to the suite.
	if a.ClearWebSession != nil {
		if cerr := a.ClearWebSession(); cerr != nil {
			notes = append(notes, "the web session could not be deleted: "+cerr.Error())
		}
	}
	a.rt.Emit("accounts:changed")
	return Result{OK: true, Warnings: notes}
}
