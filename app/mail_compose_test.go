package app

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/accounts"
	accmail "github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/mailto"
	"github.com/deskport/deskport/internal/testpeer"
)

// composeRuntime is a window whose mail view answers "mail:compose" (or not).
type composeRuntime struct {
	*recRuntime
	m      *Mail
	answer bool
	mu     sync.Mutex
	asked  []ComposeRequest
}

func (r *composeRuntime) Emit(e string, data ...interface{}) {
	r.recRuntime.Emit(e, data...)
	if e != "mail:compose" {
		return
	}
	req := data[0].(ComposeRequest)
	r.mu.Lock()
	r.asked = append(r.asked, req)
	r.mu.Unlock()
	if r.answer {
		go func() {
			time.Sleep(20 * time.Millisecond) // the view answers from another goroutine, later
			r.m.ComposeShown(req.ID)
		}()
	}
}

func TestComposeMailto(t *testing.T) {
	signedIn := true
	m := NewMail(func(context.Context) (*mailcache.Cache, error) { return nil, errors.New("no cache needed") },
		func() (mailcache.Account, error) {
			if !signedIn {
				return mailcache.Account{}, accounts.ErrNoAccount
			}
			return mailcache.Account{User: "alice"}, nil
		})
	rt := &composeRuntime{recRuntime: &recRuntime{}, m: m, answer: true}
	m.rt = rt
	m.composeTimeout = 300 * time.Millisecond
	const link = "mailto:poststelle@amt.example?cc=akte@amt.example&subject=Antrag%2042%0D%0ABcc:%20spy@evil.example&body=Guten%20Tag%0D%0A"

	// The mail view shows the draft: the link is taken.
	if !ComposeMailto(m, link) {
		t.Fatal("a mailto: link with a signed-in account and a mail view answering was not taken")
	}
	want := mailto.Draft{To: "poststelle@amt.example", Cc: "akte@amt.example", Subject: "Antrag 42 Bcc: spy@evil.example", Body: "Guten Tag\n"}
	if len(rt.asked) != 1 || rt.asked[0].Draft != want || rt.asked[0].ID == 0 {
		t.Fatalf("the view was asked %+v, want one request with %+v", rt.asked, want)
	}
	// What the view gets (the frontend reads these names).
	js, _ := json.Marshal(rt.asked[0])
	var fields map[string]interface{}
	json.Unmarshal(js, &fields)
	for _, k := range []string{"id", "to", "cc", "subject", "text"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("event data %s has no %q", js, k)
		}
	}

	// No mail view answers (another page is shown): not taken, after the timeout.
	rt.answer = false
	start := time.Now()
	if ComposeMailto(m, link) {
		t.Fatal("taken although no view answered")
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 2*time.Second {
		t.Errorf("gave up after %v, want the timeout (300ms)", d)
	}
	m.ComposeShown(rt.asked[len(rt.asked)-1].ID) // a late answer is harmless
	m.ComposeShown(12345)                        // so is an unknown id

	// Not signed in to mail, or not a mailto: link: the view is not asked.
	n := len(rt.asked)
	signedIn = false
	rt.answer = true
	if ComposeMailto(m, link) {
		t.Error("taken without a mail account")
	}
	signedIn = true
	if ComposeMailto(m, "https://amt.example/") || ComposeMailto(m, "tel:+4930123") {
		t.Error("a web or phone link was taken for compose")
	}
	if len(rt.asked) != n {
		t.Errorf("the view was asked %d more times, want none", len(rt.asked)-n)
	}
}

// Signing in to mail in the accounts view makes the running mail service
// sync at once: the inbox fills without "Sync now", long before the next
// tick (5 min) or the push connection's retry (30 s).
func TestMailSignInStartsSync(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	d.Append("INBOX", []byte("From: amt@amt.example\r\nSubject: Willkommen\r\nMessage-ID: <w1@amt.example>\r\n\r\nHallo\r\n"))

	dir := t.TempDir()
	paths := config.Paths{Config: dir + "/c", Data: dir + "/d", Cache: dir + "/k", Logs: dir + "/l"}
	am := accounts.New(paths, &memKeyring{m: map[string]string{}}, nil)
	acc := NewAccounts(am, func() (*config.Config, error) { return &config.Config{}, nil }, &syncNav{}, "wails://wails/", nil)
	acc.rt = &recRuntime{}

	var mu sync.Mutex
	calls := 0
	account := func() (mailcache.Account, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		a, pw, err := am.Mail()
		if err != nil {
			return mailcache.Account{}, err
		}
		conv := func(s accmail.Server) mailcache.Server {
			return mailcache.Server{Host: s.Host, Port: s.Port, Security: mailcache.SecurityPlainLoopback}
		}
		return mailcache.Account{IMAP: conv(a.IMAP), SMTP: conv(a.SMTP), User: a.Username, Password: pw}, nil
	}
	var cache *mailcache.Cache
	m := NewMail(func(ctx context.Context) (*mailcache.Cache, error) {
		c, err := mailcache.Open(ctx, dir+"/mail", mailcache.Policy{})
		cache = c
		return c, err
	}, account)
	SyncOnSignIn(m, am)
	ctx, cancel := context.WithCancel(context.Background())
	m.start(ctx, &recRuntime{})
	t.Cleanup(func() {
		cancel()
		time.Sleep(200 * time.Millisecond) // let the background loop leave the database
		if cache != nil {
			cache.Close()
		}
	})
	total := func() int {
		p, err := m.List("INBOX", 0, 10)
		if err != nil {
			return -1
		}
		return p.Total
	}
	// The service has looked for an account (the first sync and the push
	// connection both found none) and waits.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := calls
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the mail service never asked for the account")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if n := total(); n != 0 {
		t.Fatalf("%d messages before the sign-in", n)
	}

	res := acc.SignInMail(MailForm{Address: "alice@example.org", Username: d.User, Password: d.Pass,
		IMAPHost: d.Host, IMAPPort: d.Port, IMAPSecurity: "none", SMTPHost: s.Host, SMTPPort: s.Port, SMTPSecurity: "none"})
	if !res.OK {
		t.Fatalf("sign-in: %+v", res.Problem)
	}
	deadline = time.Now().Add(10 * time.Second)
	for total() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the inbox was not synced within 10 s of the sign-in")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
