// Package mailbox writes the demo's mailbox: a few hundred German and
// English messages in several folders, with threads, HTML newsletters and
// PDF and image attachments. The same `now` gives the same bytes.
package mailbox

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"sort"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/demo/samples"
)

// User is the demo account's owner.
var User = person{"Eva Schmidt", "eva@demo.example"}

// Folders are the demo account's folders, in the order they are created.
var Folders = []string{"INBOX", "Sent", "Drafts", "Trash", "Archive", "Newsletter", "Projekte", "Projekte/Rathaus-Portal"}

// Message is one stored message.
type Message struct {
	Folder  string
	Date    time.Time
	Raw     []byte
	Seen    bool
	Flagged bool
	Subject string // for tests and logs
}

// Generate returns the mailbox as it looks at now, oldest message first.
func Generate(now time.Time) []Message {
	g := &gen{now: now.UTC().Truncate(time.Minute), rng: rand.New(rand.NewPCG(17, 2026))}
	for i, t := range topics {
		g.thread(t, g.daysAgo(2+i*7%110), i)
	}
	for w := 0; w < 17; w++ {
		t := topic{Subject: fmt.Sprintf("Protokoll Teamrunde KW %d", isoWeek(g.now.AddDate(0, 0, -7*w-3))), Lang: "de", Folder: "INBOX", Texts: []string{
			fmt.Sprintf("Hallo zusammen,\n\nhier die Notizen der Teamrunde. Offene Punkte: %d. Nächste Runde wie gewohnt am Montag.\n\nViele Grüße\n", 2+w%4),
		}}
		if w%3 == 0 {
			t.Attachment = fmt.Sprintf("Protokoll_KW%02d.pdf", isoWeek(g.now.AddDate(0, 0, -7*w-3)))
		}
		if w > 8 {
			t.Folder = "Archive"
		}
		g.thread(t, g.now.AddDate(0, 0, -7*w-3).Add(-6*time.Hour), 100+w)
	}
	for w := 0; w < 40; w++ {
		n := newsletters[w%len(newsletters)]
		g.newsletter(n.Lang, n.Subject, n.Lead, g.now.AddDate(0, 0, -3*w-1).Add(-9*time.Hour))
	}
	for i := 0; i < 190; i++ {
		n := notes[i%len(notes)]
		from := people[g.rng.IntN(len(people))]
		at := g.now.Add(-time.Duration(30+g.rng.IntN(120*24*60)) * time.Minute)
		if i < 6 { // a few arrived this morning: the demo opens with unread mail
			at = g.now.Add(-time.Duration(12+i*47) * time.Minute)
		}
		folder := "INBOX"
		if i%11 == 5 && i >= 6 {
			folder = "Trash"
		} else if at.Before(g.now.AddDate(0, 0, -60)) && i%3 == 0 {
			folder = "Archive"
		}
		g.add(folder, msg{from: from, to: []person{User}, subject: n.Subject, date: at, text: n.Text + signature(from, n.Lang)})
	}
	g.add("Drafts", msg{from: User, to: []person{people[7]}, subject: "Entwurf: Ablauf der Bürgersprechstunde", date: g.now.Add(-50 * time.Minute),
		text: "Lieber Herr Krüger,\n\nhier ein erster Entwurf für den Ablauf:\n\n1. Begrüßung\n2. Vorstellung des Portals\n3. Fragen\n\n", seen: true})
	sort.SliceStable(g.out, func(i, j int) bool { return g.out[i].Date.Before(g.out[j].Date) })
	// The newest mail is unread; a few important ones are flagged.
	for i := range g.out {
		m := &g.out[i]
		if m.Folder == "Sent" || m.Folder == "Drafts" {
			m.Seen = true
			continue
		}
		m.Seen = m.Date.Before(g.now.Add(-36 * time.Hour))
		m.Flagged = i%37 == 3 && m.Folder == "INBOX"
	}
	return g.out
}

type gen struct {
	now time.Time
	rng *rand.Rand
	out []Message
	seq int
	png map[string][]byte
}

type msg struct {
	from            person
	to              []person
	subject         string
	date            time.Time
	text, html      string
	inReplyTo, refs string
	attachment      string
	id              string
	seen            bool
}

func (g *gen) daysAgo(d int) time.Time {
	return g.now.AddDate(0, 0, -d).Add(-time.Duration(g.rng.IntN(8*60)) * time.Minute)
}

// thread writes a topic's messages: the correspondent first, then turns.
func (g *gen) thread(t topic, start time.Time, n int) {
	other := people[n%len(people)]
	var refs []string
	at := start
	for i, text := range t.Texts {
		m := msg{subject: t.Subject, date: at, text: text}
		if i%2 == 0 {
			m.from, m.to = other, []person{User}
			m.text += signature(other, t.Lang)
		} else {
			m.from, m.to = User, []person{other}
		}
		if i > 0 {
			m.subject = replyPrefix(t.Lang) + t.Subject
			m.inReplyTo = refs[len(refs)-1]
			m.refs = strings.Join(refs, " ")
			m.text += "\n" + quote(t.Texts[i-1], authorOf(i-1, other), t.Lang, at)
		}
		if i == 0 {
			m.attachment = t.Attachment
		}
		folder := t.Folder
		if m.from == User {
			folder = "Sent"
		}
		refs = append(refs, g.add(folder, m))
		at = at.Add(time.Duration(40+g.rng.IntN(20*60)) * time.Minute)
		if at.After(g.now) {
			at = g.now.Add(-time.Duration(len(t.Texts)-i) * time.Minute)
		}
	}
}

func authorOf(i int, other person) person {
	if i%2 == 0 {
		return other
	}
	return User
}

func (g *gen) newsletter(lang, subject, lead string, at time.Time) {
	from := person{"Newsletter", "newsletter@news.example"}
	more := "Read more on our website."
	if lang == "de" {
		more = "Mehr dazu auf unserer Website."
	}
	html := "<!doctype html><html><body style=\"font-family:sans-serif\"><h1 style=\"color:#1a4d8f\">" + subject + "</h1><p>" + lead +
		"</p><ul><li>" + more + "</li></ul><p style=\"color:#666;font-size:12px\">Demo newsletter · news.example</p></body></html>"
	g.add("Newsletter", msg{from: from, to: []person{User}, subject: subject, date: at, text: lead + "\n\n" + more + "\n", html: html})
}

// add encodes m, stores it and returns its Message-ID.
func (g *gen) add(folder string, m msg) string {
	g.seq++
	id := fmt.Sprintf("<demo-%04d.%d@demo.example>", g.seq, m.date.Unix()%100000)
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("Date", m.date.Format(time.RFC1123Z))
	h("From", addr(m.from))
	tos := make([]string, len(m.to))
	for i, p := range m.to {
		tos[i] = addr(p)
	}
	h("To", strings.Join(tos, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", m.subject))
	h("Message-ID", id)
	if m.inReplyTo != "" {
		h("In-Reply-To", m.inReplyTo)
		h("References", m.refs)
	}
	h("MIME-Version", "1.0")
	text := strings.ReplaceAll(m.text, "\n", "\r\n")
	switch {
	case m.attachment != "":
		boundary := fmt.Sprintf("demo-mixed-%d", g.seq)
		h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
		b.WriteString("\r\n--" + boundary + "\r\n")
		textPart(&b, "text/plain", text)
		b.WriteString("\r\n--" + boundary + "\r\n")
		ctype, data := g.attachment(m.attachment, m.subject)
		b.WriteString("Content-Type: " + ctype + "; name=\"" + m.attachment + "\"\r\n")
		b.WriteString("Content-Disposition: attachment; filename=\"" + m.attachment + "\"\r\n")
		b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString(data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n--" + boundary + "--\r\n")
	case m.html != "":
		boundary := fmt.Sprintf("demo-alt-%d", g.seq)
		h("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
		b.WriteString("\r\n--" + boundary + "\r\n")
		textPart(&b, "text/plain", text)
		b.WriteString("\r\n--" + boundary + "\r\n")
		textPart(&b, "text/html", m.html)
		b.WriteString("\r\n--" + boundary + "--\r\n")
	default:
		textPart(&b, "text/plain", text)
	}
	g.out = append(g.out, Message{Folder: folder, Date: m.date, Raw: b.Bytes(), Subject: m.subject, Seen: m.seen})
	return id
}

func textPart(b *bytes.Buffer, ctype, text string) {
	b.WriteString("Content-Type: " + ctype + "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	w := quotedprintable.NewWriter(b)
	w.Write([]byte(text))
	w.Close()
	b.WriteString("\r\n")
}

func (g *gen) attachment(name, subject string) (string, []byte) {
	switch {
	case strings.HasSuffix(name, ".pdf"):
		return "application/pdf", samples.PDF(strings.TrimSuffix(name, ".pdf"), subject, "", "Deskport demo document.",
			"This file was generated for the demo suite.", "Diese Datei wurde für die Demo erzeugt.")
	default:
		if g.png == nil {
			g.png = map[string][]byte{}
		}
		if p, ok := g.png[name]; ok {
			return "image/png", p
		}
		p := samples.PNG(name, 480, 300)
		g.png[name] = p
		return "image/png", p
	}
}

func addr(p person) string {
	return (&mailAddress{p.Name, p.Addr}).String()
}

type mailAddress struct{ name, addr string }

func (a *mailAddress) String() string {
	if a.name == "" {
		return "<" + a.addr + ">"
	}
	name := a.name
	for _, r := range name {
		if r >= 0x80 {
			return mime.QEncoding.Encode("utf-8", name) + " <" + a.addr + ">"
		}
	}
	if strings.ContainsAny(name, `'(),.:;<>@[\]"`) {
		name = `"` + strings.ReplaceAll(name, `"`, `\"`) + `"`
	}
	return name + " <" + a.addr + ">"
}

func signature(p person, lang string) string {
	first := strings.Fields(p.Name)[0]
	return first + "\n"
}

func replyPrefix(lang string) string {
	if lang == "de" {
		return "AW: "
	}
	return "Re: "
}

func quote(prev string, who person, lang string, at time.Time) string {
	intro := "On " + at.Add(-time.Hour).Format("Mon, 2 Jan 2006 15:04") + ", " + who.Name + " wrote:"
	if lang == "de" {
		intro = "Am " + at.Add(-time.Hour).Format("02.01.2006 um 15:04") + " schrieb " + who.Name + ":"
	}
	var b strings.Builder
	b.WriteString(intro + "\n")
	for _, l := range strings.Split(strings.TrimRight(prev, "\n"), "\n") {
		b.WriteString(">")
		if l != "" {
			b.WriteString(" " + l)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func isoWeek(t time.Time) int { _, w := t.ISOWeek(); return w }
