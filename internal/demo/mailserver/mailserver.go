// Package mailserver runs the demo's mail: an IMAP server holding one
// account in memory (go-imap's imapmemserver) and an SMTP submission server
// (go-smtp) that delivers mail for the account into its INBOX. Both speak
// plain text on loopback only, with the account's password required.
package mailserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/deskport/deskport/internal/demo/loopback"
	"github.com/deskport/deskport/internal/demo/mailbox"
)

// Options say who the account is and where to listen.
type Options struct {
	User, Password string // IMAP and SMTP login
	Address        string // the account's e-mail address: mail to it lands in INBOX
	IMAPPort       int    // preferred ports (0: any free one)
	SMTPPort       int
	Messages       []mailbox.Message // the mailbox's content; folders from mailbox.Folders
}

// Server is the running pair.
type Server struct {
	IMAPAddr, SMTPAddr string
	imap               *imapserver.Server
	smtp               *smtp.Server
	user               *imapmemserver.User
	listeners          []net.Listener
	wg                 sync.WaitGroup
	mu                 sync.Mutex
	submitted          int
}

// Start fills the mailbox and starts both servers.
func Start(o Options) (*Server, error) {
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(o.User, o.Password)
	for _, f := range mailbox.Folders {
		if err := user.Create(f, nil); err != nil {
			return nil, fmt.Errorf("demo mail: folder %s: %w", f, err)
		}
		user.Subscribe(f)
	}
	for _, m := range o.Messages {
		var flags []imap.Flag
		if m.Seen {
			flags = append(flags, imap.FlagSeen)
		}
		if m.Flagged {
			flags = append(flags, imap.FlagFlagged)
		}
		if _, err := user.Append(m.Folder, literal(m.Raw), &imap.AppendOptions{Flags: flags, Time: m.Date}); err != nil {
			return nil, fmt.Errorf("demo mail: storing %q: %w", m.Subject, err)
		}
	}
	mem.AddUser(user)
	s := &Server{user: user}
	quiet := log.New(io.Discard, "", 0)
	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true, // loopback only: the listener below never binds elsewhere
		Logger:       quiet,
	})
	s.smtp = smtp.NewServer(&backend{s: s, user: o.User, password: o.Password, address: strings.ToLower(o.Address)})
	s.smtp.Domain = "demo.example"
	s.smtp.AllowInsecureAuth = true
	s.smtp.MaxMessageBytes = 25 << 20
	s.smtp.ReadTimeout, s.smtp.WriteTimeout = time.Minute, time.Minute
	s.smtp.ErrorLog = quiet

	il, err := loopback.Listen(o.IMAPPort)
	if err != nil {
		return nil, fmt.Errorf("demo mail: IMAP: %w", err)
	}
	sl, err := loopback.Listen(o.SMTPPort)
	if err != nil {
		il.Close()
		return nil, fmt.Errorf("demo mail: SMTP: %w", err)
	}
	s.listeners = []net.Listener{il, sl}
	s.IMAPAddr, s.SMTPAddr = il.Addr().String(), sl.Addr().String()
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.imap.Serve(il) }()
	go func() { defer s.wg.Done(); s.smtp.Serve(sl) }()
	return s, nil
}

// Close stops both servers and waits for them.
func (s *Server) Close() error {
	s.imap.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if s.smtp.Shutdown(ctx) != nil {
		s.smtp.Close()
	}
	for _, l := range s.listeners {
		l.Close() // in case a server had not started serving yet
	}
	s.wg.Wait()
	return nil
}

// Submitted is how many messages the SMTP server accepted.
func (s *Server) Submitted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.submitted
}

type literalReader struct {
	*bytes.Reader
	size int64
}

func (l literalReader) Size() int64 { return l.size }

func literal(b []byte) imap.LiteralReader { return literalReader{bytes.NewReader(b), int64(len(b))} }

type backend struct {
	s                       *Server
	user, password, address string
}

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

// session is one SMTP connection: AUTH PLAIN is required before MAIL.
type session struct {
	b        *backend
	authed   bool
	rcptSelf bool
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if (identity != "" && identity != username) || username != s.b.user || password != s.b.password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return errAuthRequired
	}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !s.authed {
		return errAuthRequired
	}
	if strings.EqualFold(to, s.b.address) {
		s.rcptSelf = true
	}
	return nil
}

// Data accepts the message. Mail to the account itself arrives in its
// INBOX; mail to anyone else goes nowhere (the client files its own copy in
// Sent, as with a real server).
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.rcptSelf {
		if _, err := s.b.s.user.Append("INBOX", literal(raw), &imap.AppendOptions{Time: time.Now()}); err != nil {
			return err
		}
	}
	s.b.s.mu.Lock()
	s.b.s.submitted++
	s.b.s.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.rcptSelf = false }
func (s *session) Logout() error { return nil }
