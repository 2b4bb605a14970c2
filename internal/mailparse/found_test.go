package mailparse

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Text that is in a message must reach Message.Text (what is indexed and
// shown), however the message is built (issue 16, item 5).

func TestLastWordOfAHugeSubjectIsKept(t *testing.T) {
	subject := strings.Repeat("Betreff ", 100<<10/8) + "Schlussstein"
	// Folded as a mailer would: many continuation lines.
	var folded strings.Builder
	for i, w := range strings.Fields(subject) {
		if i > 0 {
			folded.WriteString("\r\n ")
		}
		folded.WriteString(w)
	}
	m := Parse([]byte("Subject: "+folded.String()+"\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\n\r\nbody\r\n"), Options{})
	if !strings.HasSuffix(m.Subject, " Schlussstein") {
		t.Fatalf("the subject of %d bytes lost its last word: ...%q", len(subject), m.Subject[max(0, len(m.Subject)-40):])
	}
}

// nested builds a message whose text sits depth multiparts deep, next to an
// attachment at every level.
func nested(depth int, word string) []byte {
	var b bytes.Buffer
	b.WriteString("From: a@example.org\r\nSubject: deep\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nMIME-Version: 1.0\r\n")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\npreamble %d\r\n--b%d\r\n", i, i, i)
	}
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nganz unten: " + word + " Gr=C3=BC=C3=9Fe\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"level%d.bin\"\r\n\r\nnot text %d\r\n--b%d--\r\nepilogue %d\r\n", i, i, i, i, i)
	}
	return b.Bytes()
}

func TestTextNestedDeeperThanTheStructureLimitIsRead(t *testing.T) {
	for _, depth := range []int{19, 20, 21, 60} {
		m := Parse(nested(depth, "Tiefseetaucher"), Options{})
		if !strings.Contains(m.Text, "ganz unten: Tiefseetaucher Grüße") {
			t.Errorf("depth %d: text %q", depth, m.Text)
		}
		if strings.Contains(m.Text, "not text") || strings.Contains(m.Text, "preamble") || strings.Contains(m.Text, "epilogue") {
			t.Errorf("depth %d: attachments, preambles or epilogues in the text: %q", depth, m.Text)
		}
		html, _ := DisplayHTML(nested(depth, "Tiefseetaucher"), m, false)
		if !strings.Contains(html, "Tiefseetaucher") {
			t.Errorf("depth %d: not shown: %s", depth, html)
		}
	}
	// Forwarded messages inside forwarded messages.
	var b bytes.Buffer
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, "Subject: level %d\r\nContent-Type: multipart/mixed; boundary=m%d\r\n\r\n--m%d\r\nContent-Type: message/rfc822\r\n\r\n", i, i, i)
	}
	b.WriteString("Subject: innermost\r\n\r\nim innersten Brief\r\n")
	for i := 59; i >= 0; i-- {
		fmt.Fprintf(&b, "--m%d--\r\n", i)
	}
	if m := Parse(b.Bytes(), Options{}); !strings.Contains(m.Text, "im innersten Brief") {
		t.Errorf("60 forwarded messages deep: text %q", m.Text[max(0, len(m.Text)-200):])
	}
}

// Reading the text past the limit must stay linear: 20,000 levels take
// about a second here (level by level, each scanning the rest of the
// message, they would take minutes); the bound leaves room for a busy CI.
func TestDeepNestingStaysLinear(t *testing.T) {
	raw := nested(20000, "Grundgestein")
	start := time.Now()
	m := Parse(raw, Options{})
	took := time.Since(start)
	if !strings.Contains(m.Text, "Grundgestein") {
		t.Errorf("text of %d bytes not found at depth 20000", len(raw))
	}
	t.Logf("%d bytes, 20000 levels: %v", len(raw), took)
	if took > 10*time.Second {
		t.Fatalf("20000 levels took %v", took)
	}
}

func TestUnicodeTextWithByteOrderMark(t *testing.T) {
	const text = "Grüße aus Köln € 😀 Umlautprüfung\n"
	enc := func(e encoding.Encoding) []byte {
		b, err := e.NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	le16 := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	be16 := unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	le32 := utf32.UTF32(utf32.LittleEndian, utf32.UseBOM)
	be32 := utf32.UTF32(utf32.BigEndian, utf32.UseBOM)
	for _, c := range []struct {
		name, charset string
		body          []byte
	}{
		{"UTF-16LE BOM, utf-16le", "utf-16le", enc(le16)},
		{"UTF-16LE BOM, utf-16", "utf-16", enc(le16)},
		{"UTF-16LE BOM, no charset", "", enc(le16)},
		{"UTF-16LE BOM, wrongly us-ascii", "us-ascii", enc(le16)},
		{"UTF-16BE BOM, utf-16be", "utf-16be", enc(be16)},
		{"UTF-16BE BOM, unicode", "unicode", enc(be16)},
		{"UTF-32LE BOM, utf-32", "utf-32", enc(le32)},
		{"UTF-32LE BOM, no charset", "", enc(le32)},
		{"UTF-32BE BOM, utf-32be", "utf-32be", enc(be32)},
		{"UTF-32BE, no BOM, utf-32", "utf-32", enc(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM))},
		{"UTF-8 BOM, utf-8", "utf-8", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
	} {
		ct := "text/plain"
		if c.charset != "" {
			ct += "; charset=" + c.charset
		}
		raw := "Subject: bom\r\nContent-Type: " + ct + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString(c.body) + "\r\n"
		m := Parse([]byte(raw), Options{})
		if m.Text != text {
			t.Errorf("%s: text %q", c.name, m.Text)
		}
	}
}

func TestInlineTextWithAFilenameIsBodyText(t *testing.T) {
	raw := crlf(`From: a@example.org
Subject: Protokoll
Date: Tue, 3 Nov 2026 10:15:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="x"

--x
Content-Type: text/plain; charset=utf-8

Anbei das Protokoll.
--x
Content-Type: text/plain; charset=iso-8859-1; name="protokoll.txt"
Content-Disposition: inline; filename="protokoll.txt"
Content-Transfer-Encoding: quoted-printable

Tagesordnungspunkt Stra=DFenreinigung
--x
Content-Type: text/plain; name="anlage.txt"
Content-Disposition: attachment; filename="anlage.txt"

Nur als Datei
--x
Content-Type: text/html; name="seite.html"
Content-Disposition: inline; filename="seite.html"

<p>HTML-Datei</p>
--x--
`)
	m := Parse(raw, Options{})
	if !strings.Contains(m.Text, "Anbei das Protokoll.") || !strings.Contains(m.Text, "Tagesordnungspunkt Straßenreinigung") {
		t.Errorf("the inline text with a filename is not in the text: %q", m.Text)
	}
	if strings.Contains(m.Text, "Nur als Datei") || strings.Contains(m.Text, "HTML-Datei") {
		t.Errorf("an attachment (or a named inline HTML file) in the text: %q", m.Text)
	}
	var names []string
	for _, a := range m.Attachments {
		names = append(names, a.Filename)
	}
	if strings.Join(names, ",") != "protokoll.txt,anlage.txt,seite.html" {
		t.Errorf("attachment list %q: the named inline text is still a file the user can save", names)
	}
	html, _ := DisplayHTML(raw, m, false)
	if !strings.Contains(html, "Straßenreinigung") {
		t.Errorf("not shown: %s", html)
	}
}
