package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/testpeer"
)

func runMailCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := testEnv(strings.NewReader(stdin), &out, &errb)
	code := Run(context.Background(), env, append([]string{"mail"}, args...))
	return code, out.String(), errb.String()
}

func TestMailCLIAgainstDovecotAndSMTP(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	d.Append("INBOX", []byte("From: Jürgen Müller <juergen@example.de>\r\nTo: alice@example.org\r\nSubject: Rechnung 42\r\nMessage-ID: <cli1@example.de>\r\nDate: Tue, 3 Mar 2026 09:00:00 +0100\r\n\r\nBitte überweisen.\r\n"))
	cache := t.TempDir()
	t.Setenv("DESKPORT_PASSWORD", d.Pass)
	acct := []string{"--cache", cache, "--host", d.Host, "--port", strconv.Itoa(d.Port), "--plain-loopback", "--user", d.User,
		"--smtp-host", s.Host, "--smtp-port", strconv.Itoa(s.Port), "--smtp-security", "plain-loopback", "--body-days", "-1"}

	code, out, errs := runMailCLI(t, "", append([]string{"sync", "--once"}, acct...)...)
	if code != 0 || strings.TrimSpace(out) != "1" || !strings.Contains(errs, "1 new") {
		t.Fatalf("sync: %d %q %q", code, out, errs)
	}
	code, out, _ = runMailCLI(t, "", "search", "--cache", cache, "--json", "mueller")
	var res []mailcache.Summary
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 1 || res[0].Subject != "Rechnung 42" {
		t.Fatalf("search --json: %d %s", code, out)
	}
	code, out, _ = runMailCLI(t, "", "search", "--cache", cache, "--count", "subject:rechnung")
	if code != 0 || strings.TrimSpace(out) != "1" {
		t.Fatalf("search --count: %d %q", code, out)
	}
	code, out, _ = runMailCLI(t, "", "show", "--cache", cache, fmt.Sprint(res[0].ID))
	if code != 0 || !strings.Contains(out, "Subject: Rechnung 42") || !strings.Contains(out, "Bitte überweisen.") {
		t.Fatalf("show: %d %s", code, out)
	}

	msg := "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: from the CLI\r\n\r\nHallo Bob\r\n"
	code, _, errs = runMailCLI(t, msg, append([]string{"send"}, acct...)...)
	if code != 0 || !strings.Contains(errs, "sent") {
		t.Fatalf("send: %d %s", code, errs)
	}
	if got := s.Received(); len(got) != 1 || !strings.Contains(string(got[0]), "Hallo Bob") {
		t.Fatalf("sink received %d", len(got))
	}
	code, out, _ = runMailCLI(t, "", "outbox", "--cache", cache)
	if code != 0 || !strings.Contains(out, "outbox empty") {
		t.Fatalf("outbox: %d %s", code, out)
	}
}

func TestMailCLIErrorsSayWhatToDo(t *testing.T) {
	d := testpeer.StartDovecot(t)
	cache := t.TempDir()
	base := func(extra ...string) []string {
		return append([]string{"sync", "--once", "--cache", cache, "--host", d.Host, "--user", d.User}, extra...)
	}
	port := strconv.Itoa(d.Port)
	closed := strconv.Itoa(testpeer.FreePort(t))
	for _, c := range []struct {
		name, password string
		args           []string
		code           int
		want           string
	}{
		{"wrong password", "nope", base("--port", port, "--plain-loopback"), 1, "rejected the user name or password"},
		{"server down", "secret", base("--port", closed, "--plain-loopback"), 1, "server unreachable"},
		{"TLS to a plain port", "secret", base("--port", port, "--tls"), 1, "TLS failed"},
		{"plain to a remote host", "secret", []string{"sync", "--once", "--cache", cache, "--host", "mail.example.org", "--user", "a", "--plain-loopback"}, 1, "only to this computer"},
		{"no password", "", base("--port", port, "--plain-loopback"), 2, "DESKPORT_PASSWORD"},
		{"two securities", "secret", base("--port", port, "--tls", "--starttls"), 2, "only one of"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DESKPORT_PASSWORD", c.password)
			code, _, errs := runMailCLI(t, "", c.args...)
			if code != c.code || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, c.code, c.want)
			}
			if c.password != "" && strings.Contains(errs, c.password) && c.password != "secret" {
				t.Fatal("the password appears in the error")
			}
		})
	}
	if code, _, errs := runMailCLI(t, "", "search", "--cache", cache); code != 2 || !strings.Contains(errs, "needs a query") {
		t.Fatalf("search without a query: %d %q", code, errs)
	}
	if code, _, errs := runMailCLI(t, "", "show", "--cache", cache, "abc"); code != 2 || !strings.Contains(errs, "not a message ID") {
		t.Fatalf("show abc: %d %q", code, errs)
	}
	if code, _, errs := runMailCLI(t, "", "search", "--cache", cache, "date:yesterday"); code != 1 || !strings.Contains(errs, "YYYY") {
		t.Fatalf("bad date: %d %q", code, errs)
	}
	if code, _, errs := runMailCLI(t, "", "send", "--cache", cache); code != 2 || !strings.Contains(errs, "standard input is empty") {
		t.Fatalf("send nothing: %d %q", code, errs)
	}
}

func TestMailCLITLSAndAdminCA(t *testing.T) {
	d := testpeer.StartDovecotTLS(t)
	d.Append("INBOX", []byte("Subject: tls\r\nMessage-ID: <tls1@x>\r\n\r\nx\r\n"))
	t.Setenv("DESKPORT_PASSWORD", d.Pass)
	args := []string{"sync", "--once", "--cache", t.TempDir(), "--host", d.Host, "--port", strconv.Itoa(d.TLSPort), "--tls", "--user", d.User}
	if code, _, errs := runMailCLI(t, "", args...); code != 1 || !strings.Contains(errs, "not trusted") {
		t.Fatalf("untrusted server: %d %q", code, errs)
	}
	if code, out, errs := runMailCLI(t, "", append(args, "--ca-file", d.CAFile)...); code != 0 || strings.TrimSpace(out) != "1" {
		t.Fatalf("with the admin CA: %d %q %q", code, out, errs)
	}
}

func TestMailCLIMaxAttachment(t *testing.T) {
	d := testpeer.StartDovecot(t)
	att := strings.Repeat("QUJD", 19) + "\r\n"
	d.Append("INBOX", []byte("From: a@example.de\r\nSubject: Anhang\r\nMessage-ID: <cli2@example.de>\r\nDate: Tue, 3 Mar 2026 09:00:00 +0100\r\n"+
		"Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nTextteil offline.\r\n"+
		"--X\r\nContent-Type: application/pdf; name=gross.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"+strings.Repeat(att, 40000)+"--X--\r\n"))
	cache := t.TempDir()
	t.Setenv("DESKPORT_PASSWORD", d.Pass)
	if code, _, errs := runMailCLI(t, "", "sync", "--once", "--cache", cache, "--host", d.Host, "--port", strconv.Itoa(d.Port), "--plain-loopback",
		"--user", d.User, "--body-days", "-1", "--max-attachment-mb", "1"); code != 0 {
		t.Fatalf("sync: %d %q", code, errs)
	}
	code, out, _ := runMailCLI(t, "", "search", "--cache", cache, "--json", "textteil")
	var res []mailcache.Summary
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 1 {
		t.Fatalf("search: %d %s", code, out)
	}
	code, out, _ = runMailCLI(t, "", "show", "--cache", cache, fmt.Sprint(res[0].ID))
	if code != 0 || !strings.Contains(out, "Attachment: gross.pdf (application/pdf, 2280000 bytes, online only)") {
		t.Fatalf("show: %d %s", code, out)
	}
}

// Without flags the CLI keeps what the app's settings say; a flag wins.
func TestMailCLIPolicyFromSettings(t *testing.T) {
	settings := config.Settings{MailBodyDays: 30, MailAttachmentMaxKB: 2048}
	for _, tc := range []struct {
		args       []string
		days       int
		attachment int64
	}{
		{nil, 30, 2 << 20},
		{[]string{"--body-days", "-1"}, -1, 2 << 20},
		{[]string{"--max-attachment-mb", "5", "--body-days", "7"}, 7, 5 << 20},
	} {
		f := newMailFlags("sync")
		if _, err := f.parse(tc.args); err != nil {
			t.Fatal(err)
		}
		set := map[string]bool{}
		f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
		p := f.policy(set, settings)
		if p.BodyDays != tc.days || p.MaxAttachmentBytes != tc.attachment {
			t.Errorf("%v: %+v, want %d days, %d bytes", tc.args, p, tc.days, tc.attachment)
		}
	}
	if p := newMailFlags("sync").policy(map[string]bool{}, config.Settings{}).WithDefaults(); p.BodyDays != 90 || p.MaxAttachmentBytes != 10<<20 {
		t.Errorf("no flags, no settings: %+v", p)
	}
}
