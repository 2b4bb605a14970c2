package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/testpeer"
)

func TestMailServiceForTheView(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	d.Append("INBOX", []byte("From: Tracker <news@example.org>\r\nTo: alice@example.org\r\nSubject: Newsletter\r\nMessage-ID: <n1@example.org>\r\n"+
		"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hallo <b>Welt</b></p><script>alert(1)</script><img src=\"https://tracker.example/p.gif\">\r\n"))
	d.Append("INBOX", []byte("From: a@example.org\r\nTo: alice@example.org\r\nSubject: Anhang\r\nMessage-ID: <att1@example.org>\r\n"+
		"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsiehe Anhang\r\n"+
		"--B\r\nContent-Type: application/pdf; name=rechnung.pdf\r\nContent-Disposition: attachment; filename=rechnung.pdf\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfs\r\n--B--\r\n"))
	acct := mailcache.Account{IMAP: mailcache.Server{Host: d.Host, Port: d.Port, Security: mailcache.SecurityPlainLoopback},
		SMTP: mailcache.Server{Host: s.Host, Port: s.Port, Security: mailcache.SecurityPlainLoopback}, User: d.User, Password: d.Pass}
	rt := &recRuntime{}
	m := syncedMail(t, acct, mailcache.Policy{BodyDays: -1}, rt)
	page, err := m.List("INBOX", 0, 50)
	if err != nil || page.Total != 2 || len(page.Items) != 2 {
		t.Fatalf("list %+v %v", page, err)
	}
	var id, withAtt int64
	for _, it := range page.Items {
		if it.Subject == "Newsletter" {
			id = it.ID
		} else {
			withAtt = it.ID
		}
	}
	av, err := m.Message(withAtt, false)
	if err != nil || len(av.Attachments) != 1 || av.Attachments[0].Name != "rechnung.pdf" {
		t.Fatalf("attachments %+v %v", av.Attachments, err)
	}
	file, err := m.Attachment(withAtt, av.Attachments[0].Part)
	if err != nil || string(file.Data) != "%PDF-1.4\n%\xc7\xec" || file.Type != "application/pdf" {
		t.Fatalf("attachment content %q %+v %v", file.Data, file, err)
	}
	v, err := m.Message(id, false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(v.HTML, "<script") || strings.Contains(v.HTML, "tracker.example") || v.Blocked != 1 || !strings.Contains(v.HTML, "Welt") {
		t.Fatalf("reader HTML not safe or not counted: blocked=%d %q", v.Blocked, v.HTML)
	}
	if v.Problems == nil || v.Attachments == nil {
		t.Fatal("null lists reach the view")
	}
	// Allowed: remote images are fetched from Go and inlined as data: URLs
	// (tracker.example does not resolve, so it is dropped, not counted, and
	// the reader never gets a URL to contact).
	if v, _ := m.Message(id, true); v.Blocked != 0 || strings.Contains(v.HTML, "tracker.example") || !strings.Contains(v.HTML, "Welt") {
		t.Fatalf("after the user allowed remote content: blocked=%d %q", v.Blocked, v.HTML)
	}
	if err := m.SetSeen(id, true); err != nil {
		t.Fatal(err)
	}
	if f, _ := m.Folders(); f[0].Name != "INBOX" || f[0].Unread != 1 {
		t.Fatalf("folders after SetSeen: %+v", f)
	}
	rt.mu.Lock()
	changed := strings.Contains(strings.Join(rt.events, " "), "mail:changed")
	rt.mu.Unlock()
	if !changed {
		t.Fatal("no mail:changed event")
	}
	if r, _ := m.Search("welt", 10); len(r) != 1 || r[0].ID != id {
		t.Fatalf("search: %v", r)
	}
	if r, err := m.Respond(id, mailcache.Reply, "alice@example.org"); err != nil || r.To != "Tracker <news@example.org>" ||
		r.InReplyTo != "n1@example.org" || r.Subject != "Newsletter" || !strings.Contains(r.Text, "Welt") || r.Attachments == nil {
		t.Fatalf("reply: %+v %v", r, err)
	}
	if r, err := m.Respond(withAtt, mailcache.Forward, "alice@example.org"); err != nil || len(r.Attachments) != 1 || r.To != "" {
		t.Fatalf("forward: %+v %v", r, err)
	}
	if _, err := m.Respond(id, "answer", ""); err == nil {
		t.Fatal("unknown response kind accepted")
	}
	if err := m.SaveDraftFields(mailcache.Draft{To: "bob@example.org", Subject: "Re: Newsletter", Text: "Dan"}); err != nil {
		t.Fatal(err)
	}
	if d, err := m.Draft(); err != nil || d == nil || d.Text != "Dan" {
		t.Fatalf("saved draft: %+v %v", d, err)
	}
	o, err := m.Send(mailcache.Draft{From: "alice@example.org", To: "bob@example.org", Subject: "Re: Newsletter", Text: "Danke",
		Attachments: []mailcache.DraftAttachment{{Name: "a.txt", Data: []byte("x")}}})
	if err != nil || o.State != "queued" {
		t.Fatalf("send: %+v %v", o, err)
	}
	if d, err := m.Draft(); err != nil || d != nil {
		t.Fatalf("the sent draft is still offered: %+v %v", d, err)
	}
	if st, _ := m.Status(); st.Outbox != 1 || st.Pending != 1 {
		t.Fatalf("status %+v", st)
	}
	if _, err := m.Send(mailcache.Draft{From: "alice@example.org", Subject: "no one"}); err == nil {
		t.Fatal("draft without recipients accepted")
	}
}

func TestMailBackgroundSyncAndPush(t *testing.T) {
	d := testpeer.StartDovecot(t)
	d.Append("INBOX", []byte("Subject: first\r\nMessage-ID: <p1@x>\r\n\r\nerste\r\n"))
	acct := mailcache.Account{IMAP: mailcache.Server{Host: d.Host, Port: d.Port, Security: mailcache.SecurityPlainLoopback}, User: d.User, Password: d.Pass}
	dir := t.TempDir()
	var cache *mailcache.Cache
	m := NewMail(func(ctx context.Context) (*mailcache.Cache, error) {
		c, err := mailcache.Open(ctx, dir, mailcache.Policy{})
		cache = c
		return c, err
	}, func() (mailcache.Account, error) { return acct, nil })
	ctx, cancel := context.WithCancel(context.Background())
	rt := &recRuntime{}
	m.start(ctx, rt)
	t.Cleanup(func() {
		cancel()
		time.Sleep(100 * time.Millisecond) // let the background loop leave the database
		if cache != nil {
			cache.Close()
		}
	})
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("no %s within 20 s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	total := func() int {
		p, err := m.List("INBOX", 0, 10)
		if err != nil {
			return -1
		}
		return p.Total
	}
	waitFor("initial background sync", func() bool { return total() == 1 })
	// the push connection needs a moment to idle; a new message must then
	// arrive without anyone asking for a sync
	time.Sleep(500 * time.Millisecond)
	d.Append("INBOX", []byte("Subject: pushed\r\nMessage-ID: <p2@x>\r\n\r\nzweite\r\n"))
	waitFor("pushed message", func() bool { return total() == 2 })
	rt.mu.Lock()
	events := strings.Join(rt.events, " ")
	rt.mu.Unlock()
	if !strings.Contains(events, "mail:changed") || !strings.Contains(events, "mail:status") {
		t.Fatalf("events %q", events)
	}
}
