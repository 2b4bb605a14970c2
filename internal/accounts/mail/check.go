package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/suite"
	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// ErrWrongPassword: the server refused the user name or password.
var ErrWrongPassword = errors.New("the mail server refused the user name or password")

// ErrNotImplemented: OAUTHBEARER sign-in is designed for but not built yet.
var ErrNotImplemented = errors.New("signing in to mail with a suite token (OAUTHBEARER) is not available yet; use your password")

// Timeout bounds each connection attempt.
var Timeout = 15 * time.Second

// dial connects, protecting the connection as srv says (STARTTLS is left to
// the protocol client). The connection closes when ctx ends.
func dial(ctx context.Context, srv Server, tlsConf *tls.Config) (net.Conn, error) {
	if err := srv.Validate(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", srv.Addr())
	if err != nil {
		return nil, suite.WrapNetError(srv.Addr(), err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if srv.Security == ImplicitTLS {
		tc := tls.Client(conn, tlsFor(srv.Host, tlsConf))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, suite.WrapNetError(srv.Addr(), err)
		}
		conn = tc
	}
	return conn, nil
}

func tlsFor(host string, base *tls.Config) *tls.Config {
	var c *tls.Config
	if base != nil {
		c = base.Clone()
	} else {
		c = &tls.Config{}
	}
	c.ServerName = host
	return c
}

// Probe tells whether srv greets like an IMAP ("* OK") or SMTP ("220")
// server, without logging in.
func Probe(ctx context.Context, srv Server, tlsConf *tls.Config, smtpServer bool) error {
	conn, err := dial(ctx, srv, tlsConf)
	if err != nil {
		return err
	}
	defer conn.Close()
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return suite.WrapNetError(srv.Addr(), err)
	}
	want, what := "* OK", "IMAP"
	if smtpServer {
		want, what = "220", "SMTP"
	}
	if !strings.HasPrefix(line, want) {
		return fmt.Errorf("%s answers, but not like an %s server; check the host and port", srv.Addr(), what)
	}
	return nil
}

// Attempt records one discovery probe.
type Attempt struct {
	Server Server `json:"server"`
	SMTP   bool   `json:"smtp"`
	Error  string `json:"error,omitempty"`
}

// Discover probes the candidates and returns the first IMAP and SMTP
// servers that answer. Where nothing answers, the openDesk default stays
// (the user can override it), and ok reports false.
func Discover(ctx context.Context, imapCands, smtpCands []Server, tlsConf *tls.Config) (imapSrv, smtpSrv Server, ok bool, attempts []Attempt) {
	pick := func(cands []Server, isSMTP bool) (Server, bool) {
		for _, c := range cands {
			err := Probe(ctx, c, tlsConf, isSMTP)
			a := Attempt{Server: c, SMTP: isSMTP}
			if err != nil {
				a.Error = err.Error()
			}
			attempts = append(attempts, a)
			if err == nil {
				return c, true
			}
		}
		if len(cands) > 0 {
			return cands[0], false
		}
		return Server{}, false
	}
	imapSrv, okI := pick(imapCands, false)
	smtpSrv, okS := pick(smtpCands, true)
	return imapSrv, smtpSrv, okI && okS, attempts
}

// CheckIMAP logs in to the IMAP server and out again.
func CheckIMAP(ctx context.Context, srv Server, username, password string, tlsConf *tls.Config) error {
	conn, err := dial(ctx, srv, tlsConf)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	opts := &imapclient.Options{TLSConfig: tlsFor(srv.Host, tlsConf)}
	var c *imapclient.Client
	if srv.Security == StartTLS {
		c, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			conn.Close()
			return suite.WrapNetError(srv.Addr(), err)
		}
	} else {
		c = imapclient.New(conn, opts)
	}
	defer c.Close()
	if err := c.WaitGreeting(); err != nil {
		return fmt.Errorf("%s does not greet like an IMAP server: %w", srv.Addr(), err)
	}
	if c.Caps().Has(imap.CapLoginDisabled) {
		return fmt.Errorf("%s does not accept passwords on this connection; use tls (port 993)", srv.Addr())
	}
	if err := c.Login(username, password).Wait(); err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) && (ie.Type == imap.StatusResponseTypeNo) {
			return fmt.Errorf("%w (IMAP %s): check them; your mail password is usually your suite password", ErrWrongPassword, srv.Addr())
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("IMAP login at %s failed: %w", srv.Addr(), err)
	}
	c.Logout().Wait()
	return nil
}

// CheckSMTP authenticates to the submission server (AUTH PLAIN) and quits
// without sending anything.
func CheckSMTP(ctx context.Context, srv Server, username, password string, tlsConf *tls.Config) error {
	conn, err := dial(ctx, srv, tlsConf)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	var c *smtp.Client
	if srv.Security == StartTLS {
		c, err = smtp.NewClientStartTLS(conn, tlsFor(srv.Host, tlsConf))
		if err != nil {
			conn.Close()
			if strings.Contains(err.Error(), "STARTTLS") {
				return fmt.Errorf("%s does not offer STARTTLS, so the password would travel in clear text; tell your administrator", srv.Addr())
			}
			return suite.WrapNetError(srv.Addr(), err)
		}
	} else {
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("SMTP at %s: %w", srv.Addr(), err)
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return fmt.Errorf("%s does not offer sign-in (SMTP AUTH); check the SMTP host and port (usually 587)", srv.Addr())
	}
	if err := c.Auth(sasl.NewPlainClient("", username, password)); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) && (se.Code == 535 || se.Code == 534 || se.Code == 530) {
			return fmt.Errorf("%w (SMTP %s): check them", ErrWrongPassword, srv.Addr())
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("SMTP sign-in at %s failed: %w", srv.Addr(), err)
	}
	c.Quit()
	return nil
}

// Check verifies settings and password with a real IMAP login and, when
// the SMTP server answers, an SMTP AUTH. smtpErr is set when SMTP could not
// be checked for network reasons (the account can still be saved: reading
// mail works); a refused password fails the whole check.
func Check(ctx context.Context, s Settings, password string, tlsConf *tls.Config) (smtpErr error, err error) {
	if s.Auth == AuthOAuthBearer {
		return nil, ErrNotImplemented
	}
	if s.Username == "" {
		return nil, errors.New("enter your mail user name (usually your e-mail address or suite user name)")
	}
	if password == "" {
		return nil, errors.New("enter your mail password")
	}
	if err := CheckIMAP(ctx, s.IMAP, s.Username, password, tlsConf); err != nil {
		return nil, err
	}
	if err := CheckSMTP(ctx, s.SMTP, s.Username, password, tlsConf); err != nil {
		var ne *suite.NetError
		if errors.As(err, &ne) {
			return err, nil
		}
		return nil, err
	}
	return nil, nil
}
