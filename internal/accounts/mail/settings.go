// Package mail finds a suite's IMAP and SMTP servers and checks a user's
// credentials with a real login before they are saved.
package mail

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Security is how a connection is protected.
type Security string

const (
	ImplicitTLS Security = "tls"      // TLS from the first byte (IMAP 993)
	StartTLS    Security = "starttls" // plain greeting, then STARTTLS, required (SMTP 587)
	// Plain is unencrypted; it is accepted only for loopback hosts (tests,
	// local bridges) so that no password crosses a network in clear text.
	Plain Security = "none"
)

// AuthKind is how the account authenticates.
type AuthKind string

const (
	AuthPassword    AuthKind = "password"    // the directory password, kept in the keyring
	AuthOAuthBearer AuthKind = "oauthbearer" // a token from the suite's IdP (not implemented yet)
)

// Server is one endpoint.
type Server struct {
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
}

// Addr is host:port.
func (s Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func (s Server) String() string { return fmt.Sprintf("%s (%s)", s.Addr(), s.Security) }

// Validate checks the endpoint and refuses clear text outside loopback.
func (s Server) Validate() error {
	if s.Host == "" || strings.ContainsAny(s.Host, "/ @") {
		return fmt.Errorf("mail server %q is not a host name (e.g. mail.example.org)", s.Host)
	}
	if s.Port < 1 || s.Port > 65535 {
		return fmt.Errorf("mail server port %d is out of range (IMAP is usually 993, SMTP 587)", s.Port)
	}
	switch s.Security {
	case ImplicitTLS, StartTLS:
	case Plain:
		if !isLoopback(s.Host) {
			return fmt.Errorf("%s: unencrypted mail connections are only allowed to this computer; use tls (IMAP 993) or starttls (SMTP 587)", s.Addr())
		}
	default:
		return fmt.Errorf("mail security %q is unknown: use tls or starttls", s.Security)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Settings are a mail account's servers; nothing secret.
type Settings struct {
	IMAP     Server   `json:"imap"`
	SMTP     Server   `json:"smtp"`
	Username string   `json:"username"`
	Auth     AuthKind `json:"auth"`
}

// Defaults are openDesk's: IMAP on the bare domain, port 993, implicit TLS;
// SMTP submission on the bare domain, port 587, STARTTLS.
func Defaults(domain string) Settings {
	return Settings{
		IMAP: Server{Host: domain, Port: 993, Security: ImplicitTLS},
		SMTP: Server{Host: domain, Port: 587, Security: StartTLS},
		Auth: AuthPassword,
	}
}

// Candidates lists where to look for IMAP and SMTP, most likely first:
// the bare domain, then imap./smtp. and mail. hosts.
func Candidates(domain string) (imap, smtp []Server) {
	for _, h := range []string{domain, "imap." + domain, "mail." + domain} {
		imap = append(imap, Server{Host: h, Port: 993, Security: ImplicitTLS})
	}
	for _, h := range []string{domain, "smtp." + domain, "mail." + domain} {
		smtp = append(smtp, Server{Host: h, Port: 587, Security: StartTLS})
	}
	return imap, smtp
}
