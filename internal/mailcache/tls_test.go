package mailcache

import (
	"context"
	"crypto/x509"
	"os"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

func TestTLSVerifiedByDefault(t *testing.T) {
	d := testpeer.StartDovecotTLS(t)
	d.Append("INBOX", testMail("über TLS", "geheim"))
	pem, err := os.ReadFile(d.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	ctx := context.Background()
	implicit := Account{IMAP: Server{Host: d.Host, Port: d.TLSPort, Security: SecurityTLS}, User: d.User, Password: d.Pass}
	starttls := Account{IMAP: Server{Host: d.Host, Port: d.Port, Security: SecuritySTARTTLS}, User: d.User, Password: d.Pass}

	for name, a := range map[string]Account{"implicit TLS": implicit, "STARTTLS": starttls} {
		t.Run(name, func(t *testing.T) {
			c := openCache(t, t.TempDir(), Policy{})
			// the server's CA is not among the system's: refused, with a hint
			_, err := c.Sync(ctx, a)
			if err == nil || !strings.Contains(err.Error(), "not trusted") || !strings.Contains(err.Error(), "administrator") {
				t.Fatalf("untrusted certificate: %v", err)
			}
			// the administrator's CA added: works
			a.RootCAs = pool
			if res := mustSync(t, c, a); res.New != 1 {
				t.Fatalf("sync over TLS: %+v", res)
			}
		})
	}
	// the certificate is for 127.0.0.1: another name is refused
	c := openCache(t, t.TempDir(), Policy{})
	wrong := implicit
	wrong.IMAP.Host = "localhost" // same server, a name the certificate does not hold
	wrong.RootCAs = pool
	if _, err := c.Sync(ctx, wrong); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Fatalf("wrong host name: %v", err)
	}
}

func TestSMTPSubmissionRequiresVerifiedSTARTTLS(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSinkTLS(t)
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	a := account(d, nil)
	a.SMTP = Server{Host: s.Host, Port: s.Port, Security: SecuritySTARTTLS}
	c := openCache(t, t.TempDir(), Policy{})
	ctx := context.Background()
	mustSync(t, c, a)
	raw, _ := Compose(Draft{From: "alice@example.org", To: "bob@example.org", Subject: "über STARTTLS", Text: "hi"})
	if _, err := c.Enqueue(ctx, raw); err != nil {
		t.Fatal(err)
	}
	// the sink's CA is unknown: nothing is sent, nothing is lost
	if _, err := c.Sync(ctx, a); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Fatalf("untrusted SMTP server: %v", err)
	}
	if out, _ := c.Outbox(ctx); len(out) != 1 || out[0].State != outQueued || len(s.Received()) != 0 {
		t.Fatalf("after a refused TLS handshake: outbox %+v, sink %d", out, len(s.Received()))
	}
	a.RootCAs = pool
	if res := mustSync(t, c, a); res.Sent != 1 || len(s.Received()) != 1 {
		t.Fatalf("over verified STARTTLS: sent %d, sink %d", res.Sent, len(s.Received()))
	}
}
