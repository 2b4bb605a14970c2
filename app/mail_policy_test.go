package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/testpeer"
)

// tempSettings points the settings at a temporary folder, with admin as
// the administrator's defaults file ("" = none); it returns the loader for
// UseMailSettings and the user's settings file.
func tempSettings(t *testing.T, admin string) (MailSettings, string) {
	t.Helper()
	dir := t.TempDir()
	defaults := filepath.Join(dir, "defaults.json")
	t.Setenv(config.DefaultsEnv, defaults)
	if admin != "" {
		if err := os.WriteFile(defaults, []byte(admin), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths := config.Paths{Config: filepath.Join(dir, "config"), Data: filepath.Join(dir, "data"), Cache: filepath.Join(dir, "cache"), Logs: filepath.Join(dir, "logs")}
	return func() (*config.Config, error) { return config.Load(paths) }, filepath.Join(paths.Config, "settings.json")
}

// The view's offline settings are saved in the user's settings and reach
// the open cache: raising the days makes the next sync fetch the text of
// older mail.
func TestSetMailPolicySavesAndApplies(t *testing.T) {
	d := testpeer.StartDovecot(t)
	old := "From: a@example.org\r\nTo: alice@example.org\r\nSubject: Vorjahr\r\nMessage-ID: <vorjahr@example.org>\r\nDate: " +
		time.Now().AddDate(0, 0, -200).Format(time.RFC1123Z) + "\r\n\r\nHaushaltsrest aus dem Vorjahr\r\n"
	d.Append("INBOX", []byte(old))
	acct := mailcache.Account{IMAP: mailcache.Server{Host: d.Host, Port: d.Port, Security: mailcache.SecurityPlainLoopback}, User: d.User, Password: d.Pass}
	rt := &recRuntime{}
	m := syncedMail(t, acct, mailcache.Policy{}, rt) // as the app opens it with no settings: 90 days
	load, file := tempSettings(t, "")
	UseMailSettings(m, load)

	p, err := m.MailPolicy()
	if err != nil || p != (MailPolicy{BodyDays: 90, AttachmentMB: 10}) {
		t.Fatalf("defaults: %+v, %v", p, err)
	}
	page, _ := m.List("INBOX", 0, 10)
	if len(page.Items) != 1 || page.Items[0].BodyCached {
		t.Fatalf("a 200-day-old message has its text under the 90-day default: %+v", page.Items)
	}

	if err := m.SetMailPolicy(365, 20); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(saved), `"mailBodyDays": 365`) || !strings.Contains(string(saved), `"mailAttachmentMaxKB": 20480`) {
		t.Fatalf("settings file: %s, %v", saved, err)
	}
	if p, err := m.MailPolicy(); err != nil || p != (MailPolicy{BodyDays: 365, AttachmentMB: 20}) {
		t.Fatalf("after saving: %+v, %v", p, err)
	}
	select {
	case <-m.kick:
	default:
		t.Error("saving did not ask for a sync")
	}
	m.syncOnce(context.Background(), m.cache)
	page, _ = m.List("INBOX", 0, 10)
	if len(page.Items) != 1 || !page.Items[0].BodyCached {
		t.Fatalf("the sync after raising the days did not fetch the text: %+v", page.Items)
	}
	if !strings.Contains(strings.Join(rt.events, " "), "mail:changed") {
		t.Error("fetching the text did not tell the view (mail:changed)")
	}
	r, err := m.Search("haushaltsrest", 10)
	if err != nil || len(r) != 1 {
		t.Fatalf("the fetched text is not searchable: %+v, %v", r, err)
	}

	for _, bad := range [][2]int{{0, 20}, {365, 0}, {365, 26}, {99999, 20}} {
		if err := m.SetMailPolicy(bad[0], bad[1]); err == nil {
			t.Errorf("SetMailPolicy(%d, %d) accepted", bad[0], bad[1])
		}
	}
	if again, _ := os.ReadFile(file); string(again) != string(saved) {
		t.Errorf("a refused value changed the settings file:\n%s", again)
	}
}

// A setting the administrator locked shows as locked and cannot be saved:
// the error says why and nothing is written; the other one still can be.
func TestSetMailPolicyLocked(t *testing.T) {
	dir := t.TempDir()
	m := NewMail(func(ctx context.Context) (*mailcache.Cache, error) {
		c, err := mailcache.Open(ctx, dir, mailcache.Policy{})
		if err == nil {
			t.Cleanup(func() { c.Close() })
		}
		return c, err
	}, func() (mailcache.Account, error) { return mailcache.Account{}, errors.New("no account") })
	load, file := tempSettings(t, `{"mailBodyDays": 30, "locked": ["mailBodyDays"]}`)
	UseMailSettings(m, load)

	p, err := m.MailPolicy()
	if err != nil || p != (MailPolicy{BodyDays: 30, AttachmentMB: 10, BodyDaysLocked: true}) {
		t.Fatalf("policy %+v, %v", p, err)
	}
	err = m.SetMailPolicy(365, 5)
	if err == nil || !strings.Contains(err.Error(), "administrator has locked") || !strings.Contains(err.Error(), "30 days") {
		t.Fatalf("changing a locked setting: %v", err)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("something was saved after the refusal: %v", err)
	}
	if p2, _ := m.MailPolicy(); p2 != p {
		t.Fatalf("after the refusal: %+v", p2)
	}

	// the unlocked one can be changed while the locked one stays as it is
	if err := m.SetMailPolicy(30, 5); err != nil {
		t.Fatal(err)
	}
	if p, _ := m.MailPolicy(); p != (MailPolicy{BodyDays: 30, AttachmentMB: 5, BodyDaysLocked: true}) {
		t.Fatalf("after saving the attachment size: %+v", p)
	}
	saved, _ := os.ReadFile(file)
	if strings.Contains(string(saved), "mailBodyDays") || !strings.Contains(string(saved), `"mailAttachmentMaxKB": 5120`) {
		t.Fatalf("settings file: %s", saved)
	}
}

func TestMailPolicyWithoutSettings(t *testing.T) {
	m := NewMail(nil, nil)
	if _, err := m.MailPolicy(); err == nil {
		t.Fatal("no error without settings")
	}
	if err := m.SetMailPolicy(30, 5); err == nil {
		t.Fatal("no error without settings")
	}
}
