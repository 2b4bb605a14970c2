package mailserver

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/deskport/deskport/internal/demo/mailbox"
)

func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start(Options{User: "eva", Password: "pw", Address: "eva@demo.example",
		Messages: mailbox.Generate(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func inbox(t *testing.T, s *Server, pass string) (uint32, error) {
	t.Helper()
	c, err := imapclient.DialInsecure(s.IMAPAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("eva", pass).Wait(); err != nil {
		return 0, err
	}
	sd, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return sd.NumMessages, nil
}

// Only the account's password opens the mailbox or sends mail; a message
// for the account lands in its INBOX, one for others goes nowhere.
func TestAuthRequiredAndDelivery(t *testing.T) {
	s := start(t)
	if _, err := inbox(t, s, "wrong"); err == nil {
		t.Fatal("IMAP login with a wrong password succeeded")
	}
	before, err := inbox(t, s, "pw")
	if err != nil || before < 100 {
		t.Fatalf("INBOX holds %d messages, %v", before, err)
	}
	msg := "From: eva@demo.example\r\nTo: eva@demo.example\r\nSubject: hi\r\n\r\nhello\r\n"

	// Without AUTH, and with a wrong password, nothing is accepted.
	c, err := smtp.Dial(s.SMTPAddr)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("eva@demo.example", nil); err == nil {
		t.Error("MAIL without AUTH was accepted")
	}
	if err := c.Auth(sasl.NewPlainClient("", "eva", "wrong")); err == nil {
		t.Error("AUTH with a wrong password was accepted")
	}
	c.Close()
	if err := smtp.SendMail(s.SMTPAddr, sasl.NewPlainClient("", "eva", "wrong"), "eva@demo.example", []string{"eva@demo.example"}, strings.NewReader(msg)); err == nil {
		t.Error("sending with a wrong password succeeded")
	}
	if s.Submitted() != 0 {
		t.Fatalf("%d messages accepted without the password", s.Submitted())
	}

	plain := func() *smtp.Client {
		c, err := smtp.Dial(s.SMTPAddr)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Auth(sasl.NewPlainClient("", "eva", "pw")); err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, to := range []string{"someone@elsewhere.example", "EVA@demo.example"} {
		c := plain()
		if err := c.SendMail("eva@demo.example", []string{to}, strings.NewReader(msg)); err != nil {
			t.Fatalf("sending to %s: %v", to, err)
		}
		c.Quit()
	}
	after, _ := inbox(t, s, "pw")
	if after != before+1 || s.Submitted() != 2 {
		t.Errorf("INBOX %d → %d, submitted %d: want one more in INBOX of two sent", before, after, s.Submitted())
	}
}

func TestCloseFreesThePorts(t *testing.T) {
	s := start(t)
	s.Close()
	for _, a := range []string{s.IMAPAddr, s.SMTPAddr} {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still open", a)
		}
	}
}
