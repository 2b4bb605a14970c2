package mailbox

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/mailparse"
)

var now = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func TestMailboxIsRealisticAndWellFormed(t *testing.T) {
	msgs := Generate(now)
	if len(msgs) < 200 || len(msgs) > 500 {
		t.Fatalf("%d messages: the demo should hold a few hundred", len(msgs))
	}
	perFolder := map[string]int{}
	var pdf, png, html, threaded, german, unread int
	for _, m := range msgs {
		perFolder[m.Folder]++
		p := mailparse.Parse(m.Raw, mailparse.Options{})
		if len(p.Problems) > 0 {
			t.Errorf("%q has problems: %v", m.Subject, p.Problems)
		}
		if p.Subject != m.Subject || len(p.From) != 1 || p.Date.IsZero() || p.MessageID == "" || strings.TrimSpace(p.Text) == "" {
			t.Errorf("%q parsed as subject %q, from %v, date %v, id %q", m.Subject, p.Subject, p.From, p.Date, p.MessageID)
		}
		for _, a := range p.Attachments {
			switch a.ContentType {
			case "application/pdf":
				pdf++
			case "image/png":
				png++
			}
		}
		if p.HTML != "" {
			html++
		}
		if len(p.InReplyTo) > 0 {
			threaded++
		}
		if strings.ContainsAny(p.Text, "äöüß") {
			german++
		}
		if !m.Seen {
			unread++
		}
		if m.Date.After(now) {
			t.Errorf("%q is dated in the future: %v", m.Subject, m.Date)
		}
	}
	for _, f := range Folders {
		if f != "Projekte" && perFolder[f] == 0 {
			t.Errorf("folder %s is empty: %v", f, perFolder)
		}
	}
	if pdf < 5 || png < 2 || html < 10 || threaded < 15 || german < 30 || unread == 0 || unread > len(msgs)/4 {
		t.Errorf("pdf %d, png %d, html %d, replies %d, german %d, unread %d", pdf, png, html, threaded, german, unread)
	}
	t.Logf("%d messages: %v", len(msgs), perFolder)
}

func TestMailboxIsDeterministic(t *testing.T) {
	a, b := Generate(now), Generate(now)
	if len(a) != len(b) {
		t.Fatal("different counts")
	}
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) || a[i].Folder != b[i].Folder {
			t.Fatalf("message %d differs between runs", i)
		}
	}
}
