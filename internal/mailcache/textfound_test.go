package mailcache

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/deskport/deskport/internal/testpeer"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Mail text that is in the message must be found by an offline search and
// shown by the reader (issue 16, item 5): each message goes to the real
// Dovecot, is synced into the cache, searched with the server stopped, and
// displayed from the cache.
func TestTextThatIsThereIsFoundAndShown(t *testing.T) {
	d := testpeer.StartDovecot(t)
	header := func(subject, id string) string {
		return "From: Eva <eva@example.org>\r\nTo: alice@example.org\r\nSubject: " + subject +
			"\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\nMessage-ID: <" + id + "@example.org>\r\nMIME-Version: 1.0\r\n"
	}

	// 1. A subject of 100 KiB (folded into lines) whose last word is searched.
	var long strings.Builder
	for long.Len() < 100<<10 {
		long.WriteString("Tagesordnung\r\n ")
	}
	long.WriteString("Schlussstein Ende")
	d.Append("INBOX", []byte(header(long.String(), "long")+"Content-Type: text/plain\r\n\r\nkurz\r\n"))

	// 2. Text 60 multiparts deep, an attachment beside it at every level.
	var deep bytes.Buffer
	deep.WriteString(header("sechzig Ebenen", "deep"))
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&deep, "Content-Type: multipart/mixed; boundary=\"L%d\"\r\n\r\n--L%d\r\n", i, i)
	}
	deep.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\nganz unten der Tiefseetaucher\r\n")
	for i := 59; i >= 0; i-- {
		fmt.Fprintf(&deep, "--L%d\r\nContent-Type: application/pdf; name=\"e%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--L%d--\r\n", i, i, i)
	}
	d.Append("INBOX", deep.Bytes())

	// 3. UTF-16 and UTF-32 bodies with a byte order mark.
	unicodeBodies := map[string]encoding.Encoding{
		"utf-16le Sechzehnklein": unicode.UTF16(unicode.LittleEndian, unicode.UseBOM),
		"utf-16be Sechzehngross": unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
		"utf-32 Zweiunddreissig": utf32.UTF32(utf32.LittleEndian, utf32.UseBOM),
	}
	for spec, enc := range unicodeBodies {
		cs, word, _ := strings.Cut(spec, " ")
		body, err := enc.NewEncoder().Bytes([]byte("Grüße, " + word + " aus Köln\n"))
		if err != nil {
			t.Fatal(err)
		}
		d.Append("INBOX", []byte(header("Unicode "+word, word)+"Content-Type: text/plain; charset="+cs+
			"\r\nContent-Transfer-Encoding: base64\r\n\r\n"+base64.StdEncoding.EncodeToString(body)+"\r\n"))
	}

	// 4. The text as an inline part with a filename (older mailers), beside
	// a real attachment. Once whole, once large enough to be stored as a
	// skeleton (its text must be kept offline, the attachment not).
	inlineNamed := func(id, word string, textPad, attachment int) []byte {
		pdf := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("%PDF"), attachment/4))
		var lines strings.Builder
		for len(pdf) > 76 {
			lines.WriteString(pdf[:76] + "\r\n")
			pdf = pdf[76:]
		}
		lines.WriteString(pdf + "\r\n")
		return []byte(header("Protokoll "+id, id) + "Content-Type: multipart/mixed; boundary=\"P\"\r\n\r\n--P\r\n" +
			"Content-Type: text/plain; charset=iso-8859-1; name=\"protokoll.txt\"\r\nContent-Disposition: inline; filename=\"protokoll.txt\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			"Punkt 3: " + word + " Stra=DFe\r\n" + strings.Repeat("Weitere Punkte folgen.\r\n", textPad/24) + "--P\r\nContent-Type: application/pdf; name=\"plan.pdf\"\r\nContent-Disposition: attachment; filename=\"plan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			lines.String() + "--P--\r\n")
	}
	d.Append("INBOX", inlineNamed("inline", "Strassenreinigungsplan", 0, 1000))
	// Its text (150 KB) is larger than an attachment may be (100 KB): kept
	// only because it is the message's text.
	d.Append("INBOX", inlineNamed("skeleton", "Skelettnotiz", 150<<10, 600<<10))

	c := openCache(t, t.TempDir(), Policy{BodyDays: -1, MaxBodyBytes: 256 << 10, MaxAttachmentBytes: 100 << 10})
	a := account(d, nil)
	if res := mustSync(t, c, a); res.New != 7 {
		t.Fatalf("synced %d new messages, want 7", res.New)
	}
	d.Stop() // everything below is offline
	ctx := context.Background()

	shown := func(q string) (Summary, Displayed, []Attachment) {
		t.Helper()
		r := find(t, c, q)
		if len(r) != 1 {
			t.Fatalf("search %q: %d results, want 1", q, len(r))
		}
		raw, err := c.Raw(ctx, r[0].ID)
		if err != nil {
			t.Fatalf("search %q: body not offline: %v", q, err)
		}
		atts, err := c.Attachments(ctx, r[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return r[0], DisplayWith(raw, false, nil), atts
	}

	for _, q := range []string{"Schlussstein", "subject:Schlussstein", `"Schlussstein Ende"`, `subject:"Schlussstein Ende"`} {
		s, _, _ := shown(q)
		if len(s.Subject) > maxStoredSubject || !strings.HasPrefix(s.Subject, "Tagesordnung Tagesordnung") || !strings.HasSuffix(s.Subject, "…") || !utf8.ValidString(s.Subject) {
			t.Errorf("%s: stored subject of %d bytes ending %q", q, len(s.Subject), s.Subject[max(0, len(s.Subject)-20):])
		}
	}

	if _, v, _ := shown("Tiefseetaucher"); !strings.Contains(v.Text, "ganz unten der Tiefseetaucher") {
		t.Errorf("60 levels deep: shown text %q", v.Text)
	}

	for spec := range unicodeBodies {
		_, word, _ := strings.Cut(spec, " ")
		s, v, _ := shown(word)
		if want := "Grüße, " + word + " aus Köln\n"; v.Text != want || !strings.Contains(v.HTML, "Grüße, "+word) {
			t.Errorf("%s: shown text %q (want %q), html %s", spec, v.Text, want, v.HTML)
		}
		if s.Snippet != strings.TrimSpace("Grüße, "+word+" aus Köln") {
			t.Errorf("%s: snippet %q", spec, s.Snippet)
		}
		if r := find(t, c, "Grüße "+word); len(r) != 1 {
			t.Errorf("%s: the first word of the text (after the BOM) is not found", spec)
		}
	}

	for _, word := range []string{"Strassenreinigungsplan", "Skelettnotiz"} {
		_, v, atts := shown(word)
		if !strings.Contains(v.Text, "Punkt 3: "+word+" Straße") || !strings.Contains(v.HTML, word) {
			t.Errorf("%s: the inline text with a filename is not shown: text %q", word, v.Text)
		}
		var names []string
		for _, at := range atts {
			names = append(names, at.Name)
		}
		if strings.Join(names, ",") != "protokoll.txt,plan.pdf" {
			t.Errorf("%s: attachment list %q, want the named text and the PDF", word, names)
		}
	}
	if r := find(t, c, "Skelettnotiz"); len(r) == 1 {
		atts, _ := c.Attachments(ctx, r[0].ID)
		for _, at := range atts {
			if at.Name == "plan.pdf" && at.Offline {
				t.Errorf("the 600 KB attachment was stored although the message is over the body limit: the skeleton case is not tested")
			}
		}
	}
}
