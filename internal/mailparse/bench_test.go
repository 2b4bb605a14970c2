package mailparse

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// A typical office mail: German subject, text and HTML alternative, a PDF.
func typicalMessage() []byte {
	var b bytes.Buffer
	b.WriteString("From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@amt.example>\r\nTo: team@amt.example\r\n" +
		"Subject: =?utf-8?q?Stra=C3=9Fenbau_Gr=C3=BCnstra=C3=9Fe?=\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\n" +
		"Message-ID: <a@amt.example>\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\n" +
		"Content-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	b.WriteString(strings.Repeat("Sehr geehrte Damen und Herren, die Stra=C3=9Fe wird gesperrt.\r\n", 60))
	b.WriteString("--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>")
	b.WriteString(strings.Repeat("<p>Sehr geehrte Damen und Herren, die <b>Straße</b> wird gesperrt.</p>\r\n", 60))
	b.WriteString("</body></html>\r\n--a--\r\n--m\r\nContent-Type: application/pdf; name=plan.pdf\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("%PDF-1.4 "), 2000))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--m--\r\n")
	return b.Bytes()
}

func BenchmarkParseTypical(b *testing.B) {
	raw := typicalMessage()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(raw, Options{})
	}
}

func TestTypicalMessage(t *testing.T) {
	m := Parse(typicalMessage(), Options{})
	if m.Subject != "Straßenbau Grünstraße" || len(m.Attachments) != 1 || m.Attachments[0].Size != 18000 ||
		!strings.HasPrefix(m.Text, "Sehr geehrte Damen und Herren, die Straße") || len(m.Problems) != 0 {
		t.Errorf("%q %+v %q", m.Subject, m.Attachments, m.Problems)
	}
}
