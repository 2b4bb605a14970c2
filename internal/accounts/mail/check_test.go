package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/testpeer"
)

func TestDefaultsAndCandidates(t *testing.T) {
	d := Defaults("example.org")
	if d.IMAP != (Server{"example.org", 993, ImplicitTLS}) || d.SMTP != (Server{"example.org", 587, StartTLS}) || d.Auth != AuthPassword {
		t.Errorf("defaults: %+v", d)
	}
	im, sm := Candidates("example.org")
	if len(im) != 3 || im[1].Host != "imap.example.org" || im[2].Host != "mail.example.org" || sm[1].Host != "smtp.example.org" {
		t.Errorf("candidates: %v %v", im, sm)
	}
	for _, s := range []Server{{"mail.example.org", 143, Plain}, {"", 993, ImplicitTLS}, {"x.org", 0, ImplicitTLS}, {"x.org", 993, "ssl"}} {
		if s.Validate() == nil {
			t.Errorf("%+v validated", s)
		}
	}
	if (Server{"127.0.0.1", 143, Plain}).Validate() != nil {
		t.Error("plain loopback refused")
	}
}

func TestAgainstDovecotAndSMTP(t *testing.T) {
	dc := testpeer.StartDovecot(t)
	sink := testpeer.StartSMTPSink(t)
	ctx := context.Background()
	imapSrv := Server{dc.Host, dc.Port, Plain}
	smtpSrv := Server{sink.Host, sink.Port, Plain}

	if err := CheckIMAP(ctx, imapSrv, dc.User, dc.Pass, nil); err != nil {
		t.Fatalf("IMAP login: %v", err)
	}
	if err := CheckIMAP(ctx, imapSrv, dc.User, "wrong", nil); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("IMAP wrong password: %v", err)
	}
	if err := CheckSMTP(ctx, smtpSrv, sink.User, sink.Pass, nil); err != nil {
		t.Fatalf("SMTP auth: %v", err)
	}
	if err := CheckSMTP(ctx, smtpSrv, sink.User, "wrong", nil); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("SMTP wrong password: %v", err)
	}
	if len(sink.Received()) != 0 {
		t.Error("the check sent mail")
	}

	// Protection that the server does not offer is a clear error, never a silent downgrade.
	var ne *suite.NetError
	if err := CheckIMAP(ctx, Server{dc.Host, dc.Port, ImplicitTLS}, dc.User, dc.Pass, nil); !errors.As(err, &ne) || ne.Problem != suite.ProblemTLS {
		t.Errorf("implicit TLS against a plain server: %v", err)
	}
	if err := CheckSMTP(ctx, Server{sink.Host, sink.Port, StartTLS}, sink.User, sink.Pass, nil); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("STARTTLS against a server without it: %v", err)
	}

	// Discovery takes the first candidate that greets correctly.
	down := Server{"127.0.0.1", testpeer.FreePort(t), Plain}
	im, sm, ok, attempts := Discover(ctx, []Server{down, smtpSrv, imapSrv}, []Server{imapSrv, smtpSrv}, nil)
	if !ok || im != imapSrv || sm != smtpSrv || len(attempts) != 5 {
		t.Errorf("Discover = %v %v %v %+v", im, sm, ok, attempts)
	}
	if !strings.Contains(attempts[0].Error, "refused") || !strings.Contains(attempts[1].Error, "not like an IMAP server") {
		t.Errorf("attempt reasons: %+v", attempts[:2])
	}

	// The whole check: a refused password fails; SMTP being down only warns.
	s := Settings{IMAP: imapSrv, SMTP: smtpSrv, Username: dc.User, Auth: AuthPassword}
	if smtpErr, err := Check(ctx, s, dc.Pass, nil); err != nil || smtpErr != nil {
		t.Errorf("Check: %v / %v", smtpErr, err)
	}
	if _, err := Check(ctx, s, "wrong", nil); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("Check wrong password: %v", err)
	}
	s.SMTP = down
	if smtpErr, err := Check(ctx, s, dc.Pass, nil); err != nil || smtpErr == nil || !strings.Contains(smtpErr.Error(), fmt.Sprint(down.Port)) {
		t.Errorf("Check with SMTP down: %v / %v", smtpErr, err)
	}
	s.Auth = AuthOAuthBearer
	if _, err := Check(ctx, s, "", nil); !errors.Is(err, ErrNotImplemented) {
		t.Errorf("oauthbearer: %v", err)
	}
}
