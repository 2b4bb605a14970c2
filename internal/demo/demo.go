// Package demo runs a small suite inside the process, on loopback: mail
// (IMAP and SMTP with a realistic mailbox), files (a Nextcloud-compatible
// server with sample documents) and the suite's web apps, each on its own
// origin. Deskport signs in to it through the same accounts, keyring
// interface and engines as to a real suite.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/accounts"
	accmail "github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/demo/files"
	"github.com/deskport/deskport/internal/demo/mailbox"
	"github.com/deskport/deskport/internal/demo/mailserver"
	"github.com/deskport/deskport/internal/demo/samples"
	"github.com/deskport/deskport/internal/demo/web"
	"github.com/deskport/deskport/internal/suite"
)

// Domain is the demo suite's domain (a reserved name: it never resolves).
const Domain = "demo.example"

// User is the demo account's login for files and mail.
const User = "eva"

// PreferredPorts are where the demo listens when the ports are free, so
// that its addresses stay the same between runs; taken ports are replaced
// by free ones.
var PreferredPorts = map[string]int{
	"imap": 47743, "smtp": 47787, "files": 47780,
	"portal": 47781, "webmail": 47782, "office": 47783, "chat": 47784,
	"meet": 47785, "projects": 47786, "wiki": 47788, "id": 47789,
}

// Options tune Start.
type Options struct {
	// Now dates the mailbox and documents (zero: the current time).
	Now time.Time
	// AnyPorts skips the preferred ports (tests running in parallel).
	AnyPorts bool
}

// Suite is a running demo suite.
type Suite struct {
	Profile  suite.Profile
	User     string
	Password string // the account password, new on every start
	Address  string // the account's e-mail address
	FilesURL string // the Nextcloud server's address
	IMAP     accmail.Server
	SMTP     accmail.Server
	Messages int // how many messages the mailbox started with

	mail  *mailserver.Server
	files *files.Server
	web   *web.Servers
}

// Start starts every server. Close stops them.
func Start(o Options) (_ *Suite, err error) {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	port := func(name string) int {
		if o.AnyPorts {
			return 0
		}
		return PreferredPorts[name]
	}
	s := &Suite{User: User, Password: newPassword(), Address: mailbox.User.Addr}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	msgs := mailbox.Generate(now)
	s.Messages = len(msgs)
	if s.mail, err = mailserver.Start(mailserver.Options{User: s.User, Password: s.Password, Address: s.Address,
		IMAPPort: port("imap"), SMTPPort: port("smtp"), Messages: msgs}); err != nil {
		return nil, err
	}
	if s.files, err = files.Start(files.Options{User: s.User, DisplayName: mailbox.User.Name, Email: s.Address, Password: s.Password,
		Port: port("files"), Documents: samples.Documents(), ModTime: now.Add(-26 * time.Hour)}); err != nil {
		return nil, err
	}
	s.FilesURL = s.files.URL
	preferred := map[string]int{}
	for _, a := range web.Apps {
		preferred[a.Name] = port(a.Name)
	}
	if s.web, err = web.Start(preferred, map[string]string{"files": s.files.URL}); err != nil {
		return nil, err
	}
	hosts := map[suite.App]string{suite.Files: hostPort(s.files.URL), suite.DAV: hostPort(s.files.URL), suite.Bare: hostPort(s.web.Origins["portal"])}
	for name, origin := range s.web.Origins {
		hosts[suite.App(name)] = hostPort(origin)
	}
	if s.Profile, err = suite.New(Domain, hosts); err != nil {
		return nil, err
	}
	s.IMAP = server(s.mail.IMAPAddr)
	s.SMTP = server(s.mail.SMTPAddr)
	return s, nil
}

func hostPort(origin string) string { return strings.TrimPrefix(origin, "http://") }

func server(addr string) accmail.Server {
	host, p, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(p)
	return accmail.Server{Host: host, Port: n, Security: accmail.Plain}
}

func newPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "demo-" + base64.RawURLEncoding.EncodeToString(b)
}

// Close stops every server that was started.
func (s *Suite) Close() error {
	if s.web != nil {
		s.web.Close()
	}
	if s.files != nil {
		s.files.Close()
	}
	if s.mail != nil {
		s.mail.Close()
	}
	return nil
}

// MailSettings are the mail account's settings.
func (s *Suite) MailSettings() accmail.Settings {
	return accmail.Settings{IMAP: s.IMAP, SMTP: s.SMTP, Username: s.User, Auth: accmail.AuthPassword}
}

// Submitted is how many messages the demo's SMTP server accepted.
func (s *Suite) Submitted() int { return s.mail.Submitted() }

// SignIn connects m to the demo: the suite profile, then files (the
// account password is traded for an app password, as with a real
// Nextcloud) and mail (checked with a real IMAP and SMTP login).
func (s *Suite) SignIn(ctx context.Context, m *accounts.Manager) error {
	if err := m.SetProfile(s.Profile); err != nil {
		return err
	}
	if _, _, err := m.SignInFiles(ctx, s.FilesURL, s.User, s.Password); err != nil {
		return fmt.Errorf("demo: files: %w", err)
	}
	_, warnings, err := m.SignInMail(ctx, s.MailSettings(), s.Address, s.Password)
	if err != nil {
		return fmt.Errorf("demo: mail: %w", err)
	}
	if len(warnings) > 0 {
		return errors.New("demo: mail: " + strings.Join(warnings, "; "))
	}
	return nil
}

// Describe prints the addresses and the credentials, for scripts and people.
func (s *Suite) Describe(w io.Writer) {
	fmt.Fprintf(w, "Deskport demo suite (%d messages, sample files), on this computer only:\n", s.Messages)
	for _, a := range suite.Apps {
		if o := s.Profile.Origin(a); strings.HasPrefix(o, "http://") {
			fmt.Fprintf(w, "  %-9s %s/\n", a, o)
		}
	}
	fmt.Fprintf(w, "  imap      %s (no TLS: loopback only)\n  smtp      %s (no TLS: loopback only)\n", s.IMAP.Addr(), s.SMTP.Addr())
	fmt.Fprintf(w, "user:      %s\npassword:  %s\naddress:   %s\n", s.User, s.Password, s.Address)
}
