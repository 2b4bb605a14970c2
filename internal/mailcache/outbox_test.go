package mailcache

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
)

func TestSendQueuedOfflineThenDeliveredAndFiled(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	c := openCache(t, t.TempDir(), Policy{})
	a := account(d, s)
	ctx := context.Background()
	mustSync(t, c, a)

	raw, err := Compose(Draft{From: "Alice <alice@example.org>", To: "bob@example.org", Bcc: "boss@example.org",
		Subject: "Grüße aus dem Büro", Text: "Hallo Bob,\nanbei der Bericht.",
		Attachments: []DraftAttachment{{Name: "bericht.txt", Data: []byte("Zahlen: 1 2 3")}}})
	if err != nil {
		t.Fatal(err)
	}
	s.Stop() // SMTP offline: stays queued
	o, err := c.Enqueue(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sync(ctx, a); !errors.Is(err, ErrOffline) {
		t.Fatalf("sync with SMTP down: %v", err)
	}
	if out, _ := c.Outbox(ctx); len(out) != 1 || out[0].State != outQueued {
		t.Fatalf("outbox after failed send: %+v", out)
	}
	s.Start()
	res := mustSync(t, c, a)
	if res.Sent != 1 {
		t.Fatalf("sent %d", res.Sent)
	}
	got := s.Received()
	if len(got) != 1 {
		t.Fatalf("sink got %d messages", len(got))
	}
	m := string(got[0])
	for _, want := range []string{"X-Sink-Rcpt-To: bob@example.org, boss@example.org", "X-Sink-Auth: alice", "bericht.txt", o.MessageID} {
		if !strings.Contains(m, want) {
			t.Errorf("delivered message lacks %q", want)
		}
	}
	if strings.Contains(m, "\r\nBcc:") {
		t.Error("Bcc header was delivered")
	}
	if n, _ := serverHas(d, "Sent", "=?utf-8?q?Gr=C3=BC=C3=9Fe_aus_dem_B=C3=BCro?="); n != 1 {
		// the subject is encoded; look for the Message-ID instead
		found := 0
		for _, sm := range d.Messages("Sent") {
			if sm.Contains(o.MessageID) {
				found++
			}
		}
		if found != 1 {
			t.Fatalf("Sent holds %d copies", found)
		}
	}
	if out, _ := c.Outbox(ctx); len(out) != 0 {
		t.Fatalf("outbox not empty: %+v", out)
	}
	mustSync(t, c, a) // the Sent copy arrives in the cache
	if r := find(t, c, "Grüsse folder:Sent"); len(r) != 1 {
		t.Errorf("sent message not found in the cache's Sent: %v", r)
	}
	if len(s.Received()) != 1 {
		t.Fatal("sent twice")
	}
}

// The user discards a message while the sync is sending it (the panel's
// Discard beside the background sync): refused, and delivered once.
func TestDiscardRefusedWhileSending(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	c := openCache(t, t.TempDir(), Policy{})
	a := account(d, s)
	ctx := context.Background()
	mustSync(t, c, a)
	raw, _ := Compose(Draft{From: "alice@example.org", To: "bob@example.org", Subject: "Angebot", Text: "anbei"})
	o, err := c.Enqueue(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	var discardErr error
	tried := false
	c.crash = func(point string) {
		if point == "smtp-before-dot" {
			tried = true
			if out, _ := c.Outbox(ctx); len(out) != 1 || out[0].State != outSending {
				t.Errorf("outbox while the message goes out: %+v, want it shown as %s", out, outSending)
			}
			discardErr = c.Discard(ctx, o.ID)
		}
	}
	mustSync(t, c, a)
	if !tried {
		t.Fatal("the send never reached the final dot")
	}
	if discardErr == nil || !strings.Contains(discardErr.Error(), "being sent") {
		t.Errorf("discard during the send: %v, want a refusal", discardErr)
	}
	if n := len(s.Received()); n != 1 {
		t.Errorf("delivered %d times", n)
	}
	if out, _ := c.Outbox(ctx); len(out) != 0 {
		t.Errorf("outbox after the send: %+v", out)
	}
}

func TestSendBadInput(t *testing.T) {
	c := openCache(t, t.TempDir(), Policy{})
	ctx := context.Background()
	for raw, want := range map[string]string{
		"From: a@example.org\r\nSubject: x\r\n\r\nno rcpt":  "no recipients",
		"To: b@example.org\r\n\r\nno from":                  "From:",
		"From: a@example.org\r\nTo: not an address\r\n\r\n": "not a valid address",
	} {
		if _, err := c.Enqueue(ctx, []byte(raw)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", raw, err, want)
		}
	}
	if _, err := Compose(Draft{From: "a@example.org", Subject: "x"}); err == nil {
		t.Error("compose without recipients accepted")
	}
	a := Account{IMAP: Server{Host: "mail.example.org", Port: 143, Security: SecurityPlainLoopback}}
	if _, err := c.Sync(ctx, a); err == nil || !strings.Contains(err.Error(), "only to this computer") {
		t.Errorf("plain to a remote host: %v", err)
	}
	_ = time.Second
}
