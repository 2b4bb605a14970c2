package testpeer

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Dovecot is a private Dovecot IMAP server on loopback (scripts/peers/dovecot.sh),
// with one user and the folders INBOX Drafts Sent Archive Trash Junk.
type Dovecot struct {
	Host       string
	Port       int
	Addr       string // host:port
	User, Pass string
	Dir        string // config, logs and mail (Dir/mail/USER/Maildir)
	// With StartDovecotTLS: implicit TLS on TLSPort, STARTTLS on Port, and
	// the PEM of the throw-away CA that signed the server's certificate.
	TLSPort int
	CAFile  string
	t       testing.TB
}

// StartDovecot starts Dovecot for this test and stops it at cleanup.
func StartDovecot(t testing.TB) *Dovecot { t.Helper(); return startDovecot(t, false) }

// StartDovecotTLS is StartDovecot with TLS: a certificate for 127.0.0.1
// from a CA no system trusts (CAFile), implicit TLS on TLSPort, STARTTLS on Port.
func StartDovecotTLS(t testing.TB) *Dovecot {
	t.Helper()
	Need(t, "apt-get install openssl", "openssl")
	return startDovecot(t, true)
}

func startDovecot(t testing.TB, withTLS bool) *Dovecot {
	t.Helper()
	Need(t, "apt-get install dovecot-imapd", "dovecot", "doveadm")
	// a short path: Dovecot's unix sockets live under it (108-byte limit)
	dir, err := os.MkdirTemp("", "dovecot")
	if err != nil {
		t.Fatal(err)
	}
	d := &Dovecot{Host: "127.0.0.1", User: "alice", Pass: "secret", Dir: dir, t: t}
	t.Cleanup(func() {
		exec.Command(Script("dovecot.sh"), "stop", dir).Run()
		os.RemoveAll(dir)
	})
	d.Port = FreePort(t)
	d.Addr = fmt.Sprintf("%s:%d", d.Host, d.Port)
	if withTLS {
		d.TLSPort = FreePort(t)
		d.CAFile = filepath.Join(dir, "tls", "ca.pem")
	}
	d.Start()
	return d
}

// Start (re)starts the server on the same port with the same mail.
func (d *Dovecot) Start() {
	d.t.Helper()
	cmd := exec.Command(Script("dovecot.sh"), "start", d.Dir, strconv.Itoa(d.Port))
	cmd.Env = append(os.Environ(), "IMAP_USER="+d.User, "IMAP_PASS="+d.Pass)
	if d.TLSPort != 0 {
		cmd.Env = append(cmd.Env, "IMAP_TLS_PORT="+strconv.Itoa(d.TLSPort))
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("dovecot.sh start: %v\n%s", err, out)
	}
}

// Stop stops the server, closing every client connection: "the server is gone".
func (d *Dovecot) Stop() { d.t.Helper(); Run(d.t, "dovecot.sh", "stop", d.Dir) }

// Doveadm runs doveadm against this server's config and returns its output.
func (d *Dovecot) Doveadm(args ...string) string {
	d.t.Helper()
	out, err := exec.Command(Script("dovecot.sh"), append([]string{"doveadm", d.Dir}, args...)...).CombinedOutput()
	if err != nil {
		d.t.Fatalf("doveadm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Maildir is the path of the user's Maildir.
func (d *Dovecot) Maildir() string { return filepath.Join(d.Dir, "mail", d.User, "Maildir") }

// Client is a second, logged-in IMAP connection ("another device"), closed at cleanup.
func (d *Dovecot) Client() *imapclient.Client {
	d.t.Helper()
	c, err := imapclient.DialInsecure(d.Addr, nil)
	if err != nil {
		d.t.Fatalf("dial dovecot: %v", err)
	}
	if err := c.Login(d.User, d.Pass).Wait(); err != nil {
		c.Close()
		d.t.Fatalf("login: %v", err)
	}
	d.t.Cleanup(func() { c.Close() })
	return c
}

// Append stores raw in mailbox from a second connection and returns its UID.
func (d *Dovecot) Append(mailbox string, raw []byte, flags ...imap.Flag) imap.UID {
	d.t.Helper()
	c := d.Client()
	defer c.Logout()
	cmd := c.Append(mailbox, int64(len(raw)), &imap.AppendOptions{Flags: flags, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	if _, err := cmd.Write(raw); err != nil {
		d.t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		d.t.Fatal(err)
	}
	data, err := cmd.Wait()
	if err != nil {
		d.t.Fatalf("append to %s: %v", mailbox, err)
	}
	return data.UID
}

// Store changes flags of uid in mailbox from a second connection.
func (d *Dovecot) Store(mailbox string, uid imap.UID, op imap.StoreFlagsOp, flags ...imap.Flag) {
	d.t.Helper()
	c := d.Client()
	defer c.Logout()
	if _, err := c.Select(mailbox, nil).Wait(); err != nil {
		d.t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: op, Flags: flags, Silent: true}, nil).Close(); err != nil {
		d.t.Fatalf("store: %v", err)
	}
}

// Expunge deletes uid from mailbox from a second connection.
func (d *Dovecot) Expunge(mailbox string, uid imap.UID) {
	d.t.Helper()
	d.Store(mailbox, uid, imap.StoreFlagsAdd, imap.FlagDeleted)
	c := d.Client()
	defer c.Logout()
	if _, err := c.Select(mailbox, nil).Wait(); err != nil {
		d.t.Fatal(err)
	}
	if err := c.UIDExpunge(imap.UIDSetNum(uid)).Close(); err != nil {
		d.t.Fatalf("expunge: %v", err)
	}
}

// Messages lists the UIDs, flags and raw bytes of every message in mailbox.
func (d *Dovecot) Messages(mailbox string) []ServerMessage {
	d.t.Helper()
	c := d.Client()
	defer c.Logout()
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		d.t.Fatalf("select %s: %v", mailbox, err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: sel.NumMessages}}, &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil {
		d.t.Fatalf("fetch %s: %v", mailbox, err)
	}
	var out []ServerMessage
	for _, m := range msgs {
		out = append(out, ServerMessage{UID: m.UID, Flags: m.Flags, Raw: m.FindBodySection(sec)})
	}
	return out
}

// ServerMessage is a message as the server holds it.
type ServerMessage struct {
	UID   imap.UID
	Flags []imap.Flag
	Raw   []byte
}

// HasFlag reports whether the message carries f.
func (m ServerMessage) HasFlag(f imap.Flag) bool {
	for _, g := range m.Flags {
		if strings.EqualFold(string(g), string(f)) {
			return true
		}
	}
	return false
}

// Contains reports whether the raw message contains s.
func (m ServerMessage) Contains(s string) bool { return bytes.Contains(m.Raw, []byte(s)) }

// ResetUIDValidity deletes and recreates mailbox with the given messages, so
// that the server gives it a new UIDVALIDITY (what a restore from backup does).
func (d *Dovecot) ResetUIDValidity(mailbox string) {
	d.t.Helper()
	old := d.Messages(mailbox)
	c := d.Client()
	defer c.Logout()
	if err := c.Delete(mailbox).Wait(); err != nil {
		d.t.Fatalf("delete %s: %v", mailbox, err)
	}
	time.Sleep(1100 * time.Millisecond) // UIDVALIDITY is a timestamp in seconds
	if err := c.Create(mailbox, nil).Wait(); err != nil {
		d.t.Fatalf("create %s: %v", mailbox, err)
	}
	for _, m := range old {
		var fl []imap.Flag
		for _, f := range m.Flags {
			if !strings.EqualFold(string(f), `\Recent`) {
				fl = append(fl, f)
			}
		}
		d.Append(mailbox, m.Raw, fl...)
	}
}
