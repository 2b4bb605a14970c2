package mailcache

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Security is how a connection is protected.
type Security string

const (
	SecurityTLS      Security = "tls"      // implicit TLS (IMAP 993, SMTP 465)
	SecuritySTARTTLS Security = "starttls" // STARTTLS required (SMTP submission 587)
	// SecurityPlainLoopback: no TLS, only allowed to 127.0.0.1/::1 (test servers).
	SecurityPlainLoopback Security = "plain-loopback"
)

// Server is an IMAP or SMTP endpoint.
type Server struct {
	Host     string
	Port     int
	Security Security
}

func (s Server) addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func (s Server) check(what string) error {
	if s.Host == "" || s.Port <= 0 {
		return fmt.Errorf("no %s server configured (give its host and port)", what)
	}
	switch s.Security {
	case SecurityTLS, SecuritySTARTTLS:
	case SecurityPlainLoopback:
		ip := net.ParseIP(s.Host)
		if !(s.Host == "localhost" || ip != nil && ip.IsLoopback()) {
			return fmt.Errorf("%s server %s: unencrypted connections are allowed only to this computer (127.0.0.1); use TLS or STARTTLS", what, s.Host)
		}
	default:
		return fmt.Errorf("%s server %s: unknown security %q (use tls, starttls or plain-loopback)", what, s.Host, s.Security)
	}
	return nil
}

// Account is one mail account: where to read (IMAP) and send (SMTP) mail.
type Account struct {
	IMAP     Server
	SMTP     Server
	User     string
	Password string
	// RootCAs are the trusted roots: nil = the system's; netx.TLSConfig
	// gives the system's plus the administrator's bundle.
	RootCAs *x509.CertPool
	// From is the sender address for the SMTP envelope (default User).
	From string
}

func (a Account) tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, RootCAs: a.RootCAs, MinVersion: tls.VersionTLS12}
}

// ErrAuth: the server refused the user name or password.
var ErrAuth = errors.New("the server rejected the user name or password (check them in the account settings)")

// ErrOffline wraps errors that mean the server could not be reached.
var ErrOffline = errors.New("server unreachable")

func dialIMAP(ctx context.Context, a Account, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	if err := a.IMAP.check("IMAP"); err != nil {
		return nil, err
	}
	opts := &imapclient.Options{
		TLSConfig:             a.tlsConfig(a.IMAP.Host),
		WordDecoder:           wordDecoder,
		Dialer:                &net.Dialer{Timeout: 15 * time.Second},
		UnilateralDataHandler: handler,
	}
	var c *imapclient.Client
	var err error
	switch a.IMAP.Security {
	case SecurityTLS:
		c, err = imapclient.DialTLS(a.IMAP.addr(), opts)
	case SecuritySTARTTLS:
		c, err = imapclient.DialStartTLS(a.IMAP.addr(), opts)
	default:
		c, err = imapclient.DialInsecure(a.IMAP.addr(), opts)
	}
	if err != nil {
		return nil, connError("IMAP", a.IMAP, err)
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return nil, connError("IMAP", a.IMAP, err)
	}
	if err := c.Login(a.User, a.Password).Wait(); err != nil {
		c.Close()
		var ie *imap.Error
		if errors.As(err, &ie) {
			return nil, fmt.Errorf("IMAP %s as %s: %w", a.IMAP.Host, a.User, ErrAuth)
		}
		return nil, connError("IMAP", a.IMAP, err)
	}
	return c, nil
}

// connError turns a dial/TLS error into one that says what to do.
func connError(what string, s Server, err error) error {
	var certErr *tls.CertificateVerificationError
	var unk x509.UnknownAuthorityError
	var host x509.HostnameError
	switch {
	case errors.As(err, &certErr) || errors.As(err, &unk) || errors.As(err, &host):
		return fmt.Errorf("%s server %s: its TLS certificate is not trusted (%v); if your organisation uses its own CA, ask the administrator to install it", what, s.addr(), err)
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "first record does not look like a TLS handshake"):
		return fmt.Errorf("%s server %s: TLS failed (%v); check the port and the security setting (TLS for 993/465, STARTTLS for 143/587)", what, s.addr(), err)
	}
	return fmt.Errorf("%s server %s: %w: %v (check the network connection and the server name and port; changes stay queued until it is reachable)", what, s.addr(), ErrOffline, err)
}

// isConnErr reports whether err came from the connection rather than from
// the server refusing one command.
func isConnErr(err error) bool {
	var ie *imap.Error
	return err != nil && !errors.As(err, &ie)
}
