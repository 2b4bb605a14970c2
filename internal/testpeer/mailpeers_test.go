package testpeer

import (
	"net/smtp"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

func TestDovecotStartsAndRestarts(t *testing.T) {
	d := StartDovecot(t)
	uid := d.Append("INBOX", []byte("Subject: hi\r\n\r\nhello\r\n"))
	d.Store("INBOX", uid, imap.StoreFlagsAdd, imap.FlagFlagged)
	ms := d.Messages("INBOX")
	if len(ms) != 1 || !ms[0].HasFlag(imap.FlagFlagged) || !ms[0].Contains("hello") {
		t.Fatalf("server holds %+v", ms)
	}
	d.Stop()
	d.Start()
	d.Expunge("INBOX", uid)
	if ms := d.Messages("INBOX"); len(ms) != 0 {
		t.Fatalf("after expunge: %d messages", len(ms))
	}
	if !strings.Contains(d.Doveadm("mailbox", "list", "-u", d.User), "Archive") {
		t.Fatal("no Archive folder")
	}
}

func TestSMTPSinkReceives(t *testing.T) {
	s := StartSMTPSink(t)
	auth := smtp.PlainAuth("", s.User, s.Pass, s.Host)
	if err := smtp.SendMail(s.Addr, auth, "a@example.org", []string{"b@example.org"}, []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	got := s.Received()
	if len(got) != 1 || !strings.Contains(string(got[0]), "body") || !strings.Contains(string(got[0]), "X-Sink-Auth: alice") {
		t.Fatalf("received %q", got)
	}
	if err := smtp.SendMail(s.Addr, smtp.PlainAuth("", s.User, "wrong", s.Host), "a@example.org", []string{"b@example.org"}, []byte("x\r\n")); err == nil {
		t.Fatal("wrong password accepted")
	}
}
