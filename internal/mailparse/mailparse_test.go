package mailparse

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func hasProblem(m *Message, substr string) bool {
	for _, p := range m.Problems {
		if strings.Contains(p, substr) {
			return true
		}
	}
	return false
}

func TestHeadersDecoded(t *testing.T) {
	raw := crlf(`From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <jm@amt.example>
To: "Stadt, Amt" <amt@stadt.example>, b@x.example
Cc: =?utf-8?B?w5ZmZmVudGxpY2hrZWl0?= <oe@x.example>
Reply-To: <reply@x.example>
Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?iso-8859-15?q?K=F6ln_=A4?=
Date: Tue, 3 Nov 2026 10:15:00 +0100 (CET)
Message-ID: <abc@host.example>
In-Reply-To: <p1@host.example>
References: <p0@host.example>
 <p1@host.example>

Hallo
`)
	m := Parse(raw, Options{})
	if m.Subject != "Grüße aus Köln €" {
		t.Errorf("subject %q", m.Subject)
	}
	if len(m.From) != 1 || m.From[0].Name != "Jürgen Müller" || m.From[0].Email != "jm@amt.example" {
		t.Errorf("from %+v", m.From)
	}
	if len(m.To) != 2 || m.To[0].Name != "Stadt, Amt" || m.To[1].Email != "b@x.example" {
		t.Errorf("to %+v", m.To)
	}
	if len(m.Cc) != 1 || m.Cc[0].Name != "Öffentlichkeit" {
		t.Errorf("cc %+v", m.Cc)
	}
	if len(m.ReplyTo) != 1 || m.ReplyTo[0].Email != "reply@x.example" {
		t.Errorf("reply-to %+v", m.ReplyTo)
	}
	want := time.Date(2026, 11, 3, 9, 15, 0, 0, time.UTC)
	if !m.Date.Equal(want) {
		t.Errorf("date %v", m.Date)
	}
	if m.MessageID != "abc@host.example" || fmt.Sprint(m.InReplyTo) != "[p1@host.example]" ||
		fmt.Sprint(m.References) != "[p0@host.example p1@host.example]" {
		t.Errorf("ids %q %q %q", m.MessageID, m.InReplyTo, m.References)
	}
	if m.Text != "Hallo\r\n" || m.HTML != "" {
		t.Errorf("text %q html %q", m.Text, m.HTML)
	}
	if len(m.Problems) != 0 {
		t.Errorf("problems %q", m.Problems)
	}
}

func TestBrokenHeaders(t *testing.T) {
	cases := []struct {
		name, raw, subject, problem string
	}{
		{"unknown charset, valid utf-8", "Subject: =?x-klingon?Q?Gr=C3=BC=C3=9Fe?=\n\n", "Grüße", "unknown charset"},
		{"unknown charset, latin-1 bytes", "Subject: =?x-klingon?Q?Gr=FC=DFe?=\n\n", "Grüße", "unknown charset"},
		{"8-bit windows-1252", "Subject: Gr\xfc\xdfe \x80\n\n", "Grüße €", "8-bit"},
		{"8-bit utf-8", "Subject: Grüße\n\n", "Grüße", ""},
		{"declared utf-8 but latin-1", "Subject: =?utf-8?Q?Gr=FC=DFe?=\n\n", "Grüße", "not, read as Windows-1252"},
		{"broken encoded word kept", "Subject: =?utf-8?B?###?=\n\n", "=?utf-8?B?###?=", ""},
		{"mbox From line", "From someone Tue Nov  3 10:00:00 2026\nSubject: hi\n\n", "hi", ""},
		{"garbage line ends header", "Subject: hi\nthis is not a header\nX: y\n", "hi", "malformed header line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Parse([]byte(c.raw), Options{})
			if m.Subject != c.subject {
				t.Errorf("subject %q, want %q", m.Subject, c.subject)
			}
			if c.problem != "" && !hasProblem(m, c.problem) {
				t.Errorf("problems %q, want one with %q", m.Problems, c.problem)
			}
		})
	}
}

func TestGarbageLineBecomesBody(t *testing.T) {
	m := Parse([]byte("Subject: hi\nthis is not a header\nsecond line\n"), Options{})
	if !strings.Contains(m.Text, "this is not a header") {
		t.Errorf("text %q lost the line", m.Text)
	}
}

func TestMalformedAddressesReadLeniently(t *testing.T) {
	m := Parse([]byte("From: Max Mustermann <max@example.org\nTo: \"unterminated <a@b.example>, c@d.example\n\n"), Options{})
	if len(m.From) != 1 || m.From[0].Email != "max@example.org" || m.From[0].Name != "Max Mustermann" {
		t.Errorf("from %+v", m.From)
	}
	if !hasProblem(m, "malformed From") {
		t.Errorf("problems %q", m.Problems)
	}
	if len(m.To) == 0 {
		t.Errorf("to lost: %+v", m.To)
	}
}

func TestHugeHeaderCapped(t *testing.T) {
	var b bytes.Buffer
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, "Received: from relay%d.example by mx.example with ESMTP id %d; Tue, 3 Nov 2026\n", i, i)
	}
	b.WriteString("X-Long: " + strings.Repeat("x", 1<<20) + "\n")
	b.WriteString("Subject: still here\n\nbody\n")
	m := Parse(b.Bytes(), Options{})
	if m.Subject != "still here" || m.Text != "body\n" {
		t.Errorf("subject %q text %q", m.Subject, m.Text)
	}
	if !hasProblem(m, "header larger than") {
		t.Errorf("problems %q", m.Problems)
	}
	// A subject is kept up to the header bound (all its words are indexed),
	// other fields up to MaxFieldBytes.
	m = Parse([]byte("Subject: "+strings.Repeat("ä", 100000)+" Schlusswort\nX-Other: "+strings.Repeat("y", 100000)+"\n\n"), Options{})
	if !strings.HasSuffix(m.Subject, "ä Schlusswort") || len(m.Subject) != 200012 {
		t.Errorf("a subject of 200 KB kept as %d bytes", len(m.Subject))
	}
	m = Parse([]byte("Subject: "+strings.Repeat("ä", 1<<20)+"\n\n"), Options{})
	if len(m.Subject) > 1<<20 || !hasProblem(m, "truncated") {
		t.Errorf("subject of %d bytes, problems %q", len(m.Subject), m.Problems)
	}
}

const structured = `From: a@example.org
Subject: structured
Date: Tue, 3 Nov 2026 10:15:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed"

preamble
--mixed
Content-Type: multipart/alternative; boundary=alt

--alt
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Sch=F6ne Gr=FC=DFe
--alt
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

PHA+U2Now7ZuZSA8Yj5HcsO8w59lPC9iPjwvcD48aW1nIHNyYz0iY2lkOmxvZ29AeCI+
--rel
Content-Type: image/png
Content-Transfer-Encoding: base64
Content-ID: <logo@x>
Content-Disposition: inline; filename="logo.png"

iVBORw0KGgo=
--rel--
--alt--
--mixed
Content-Type: application/pdf; name="=?utf-8?Q?Bescheid_=C3=84nderung.pdf?="
Content-Disposition: attachment;
 filename*0*=iso-8859-1''Pr%FCfung%20;
 filename*1="Bericht.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--mixed
Content-Type: text/plain

Footer from the list
--mixed--
epilogue
`

func TestStructure(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n"} {
		raw := []byte(strings.ReplaceAll(structured, "\n", nl))
		m := Parse(raw, Options{})
		if len(m.Problems) != 0 {
			t.Errorf("problems %q", m.Problems)
		}
		if !strings.HasPrefix(m.Text, "Schöne Grüße") || !strings.Contains(m.Text, "Footer from the list") {
			t.Errorf("text %q", m.Text)
		}
		if !strings.Contains(m.HTML, "<b>Grüße</b>") || !strings.Contains(m.HTML, "Footer from the list</pre>") {
			t.Errorf("html %q", m.HTML)
		}
		if strings.Contains(m.HTML, "Schöne Grüße\n") {
			t.Errorf("plain alternative leaked into html: %q", m.HTML)
		}
		want := []Attachment{
			{Part: "1.2.2", Filename: "logo.png", ContentType: "image/png", Size: 8, ContentID: "logo@x", Inline: true, Encoding: "base64"},
			{Part: "2", Filename: "Prüfung Bericht.pdf", ContentType: "application/pdf", Size: 9, Encoding: "base64"},
		}
		if fmt.Sprintf("%+v", m.Attachments) != fmt.Sprintf("%+v", want) {
			t.Errorf("attachments\n got %+v\nwant %+v", m.Attachments, want)
		}
		if m.Preview != "Schöne Grüße Footer from the list" {
			t.Errorf("preview %q", m.Preview)
		}
		a, r, err := OpenPart(raw, "1.2.2")
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		if a.ContentID != "logo@x" || !bytes.HasPrefix(data, []byte("\x89PNG")) {
			t.Errorf("OpenPart %+v %q", a, data)
		}
		if _, _, err := OpenPart(raw, "3"); err != nil {
			t.Errorf("part 3 exists: %v", err)
		}
		for _, bad := range []string{"5", "1.9", "x", "", "0", "2.1.1"} {
			if _, _, err := OpenPart(raw, bad); err == nil {
				t.Errorf("OpenPart(%q) did not fail", bad)
			}
		}
	}
}

func TestMalformedMIME(t *testing.T) {
	cases := []struct {
		name, raw, text, problem string
	}{
		{"missing end boundary",
			"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nfirst\n--b\n\nsecond, cut off",
			"first\n\nsecond, cut off", "no closing boundary"},
		{"boundary not found",
			"Content-Type: multipart/mixed; boundary=nowhere\n\n--other\n\nthe text\n",
			"--other\n\nthe text\n", "boundary of multipart/mixed not found"},
		{"no boundary parameter",
			"Content-Type: multipart/mixed\n\nthe text\n", "the text\n", "without boundary"},
		{"broken base64 keeps what decodes",
			"Content-Transfer-Encoding: base64\n\nSGFsbG8gV2VsdA!!!==\n",
			"Hallo Welt", "invalid characters in base64"},
		{"base64 without padding",
			"Content-Transfer-Encoding: base64\n\nSGFsbG8\n", "Hallo", ""},
		{"broken quoted-printable",
			"Content-Transfer-Encoding: quoted-printable\n\nGr=FC=ZZe =\nweiter\n", "Grü=ZZe weiter\n", ""},
		{"unknown body charset",
			"Content-Type: text/plain; charset=x-martian\n\nGr\xfc\xdfe\n", "Grüße\n", "unknown charset"},
		{"unknown transfer encoding",
			"Content-Transfer-Encoding: x-uuencode\n\nraw text\n", "raw text\n", "unknown transfer encoding"},
		{"bad content type",
			"Content-Type: garbage\n\nplain\n", "plain\n", "malformed Content-Type"},
		{"empty", "", "", "empty message"},
		{"header only", "Subject: x", "", ""},
		{"body only", "\nno header at all\n", "no header at all\n", ""},
		{"boundary prefix is not a delimiter",
			"Content-Type: multipart/mixed; boundary=ab\n\n--ab\n\n--abc is text\n--ab--\n",
			"--abc is text", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Parse([]byte(c.raw), Options{})
			if m.Text != c.text {
				t.Errorf("text %q, want %q", m.Text, c.text)
			}
			if c.problem != "" && !hasProblem(m, c.problem) {
				t.Errorf("problems %q, want one with %q", m.Problems, c.problem)
			}
		})
	}
}

func TestDeepNestingCapped(t *testing.T) {
	var b strings.Builder
	n := 5000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\n\ndeep\n")
	m := Parse([]byte(b.String()), Options{})
	if !hasProblem(m, "nested deeper than 20") {
		t.Errorf("problems %q", m.Problems)
	}
	if len(m.Attachments) != 1 || strings.Count(m.Attachments[0].Part, ".") != 19 {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestManyPartsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("Content-Type: multipart/mixed; boundary=b\n\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "--b\nContent-Type: image/gif\n\nx\n")
	}
	m := Parse([]byte(b.String()), Options{MaxParts: 100})
	if len(m.Attachments) != 99 || !hasProblem(m, "more than 100 MIME parts") {
		t.Errorf("%d attachments, problems %q", len(m.Attachments), m.Problems)
	}
}

func TestHTMLOnly(t *testing.T) {
	raw := "Content-Type: text/html\n\n<html><head><title>T</title><style>p{}</style></head><body>" +
		"<p>Erster&nbsp;Absatz &amp; mehr</p><div>Zweiter<br>Zeile</div><script>alert(1)</script>" +
		"<ul><li>eins</li><li>zwei</li></ul><table><tr><td>a</td><td>b</td></tr></table></body></html>"
	m := Parse([]byte(raw), Options{})
	want := "Erster Absatz & mehr\n\nZweiter\nZeile\n- eins\n- zwei\na\tb"
	if m.Text != want {
		t.Errorf("text %q\nwant %q", m.Text, want)
	}
	if !strings.Contains(m.HTML, "<script>") {
		t.Errorf("HTML is the raw part; sanitizing is the reader's job: %q", m.HTML)
	}
}

func TestHTMLCharsetFromMeta(t *testing.T) {
	raw := "Content-Type: text/html\n\n<meta charset=\"iso-8859-1\"><p>Gr\xfc\xdfe</p>"
	if m := Parse([]byte(raw), Options{}); m.Text != "Grüße" {
		t.Errorf("text %q", m.Text)
	}
}

func TestFlowed(t *testing.T) {
	raw := "Content-Type: text/plain; format=flowed\n\nEin langer \nSatz.\n-- \nSig\n"
	if m := Parse([]byte(raw), Options{}); m.Text != "Ein langer Satz.\n-- \nSig\n" {
		t.Errorf("text %q", m.Text)
	}
}

func TestLargeMessage(t *testing.T) {
	payload := bytes.Repeat([]byte{0xAB}, 50<<20)
	enc := base64.StdEncoding.EncodeToString(payload)
	var b bytes.Buffer
	b.WriteString("Subject: big\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nsee attachment\n--b\n" +
		"Content-Type: application/octet-stream; name=big.bin\nContent-Transfer-Encoding: base64\n\n")
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\n--b--\n")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m := Parse(b.Bytes(), Options{})
	runtime.ReadMemStats(&after)
	// The attachment is measured in place, never copied or decoded.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("parsing a 67 MB message allocated %d bytes", alloc)
	}
	if m.Text != "see attachment" || len(m.Attachments) != 1 || m.Attachments[0].Size != int64(len(payload)) {
		t.Fatalf("text %q attachments %+v", m.Text, m.Attachments)
	}
	_, r, err := OpenPart(b.Bytes(), "2")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, r)
	if n != int64(len(payload)) {
		t.Errorf("OpenPart decoded %d bytes", n)
	}
}

func TestTextCapped(t *testing.T) {
	raw := "Content-Type: text/plain; charset=utf-8\n\n" + strings.Repeat("ü", 1000)
	m := Parse([]byte(raw), Options{MaxTextBytes: 101})
	if len(m.Text) != 100 || !hasProblem(m, "shown truncated") {
		t.Errorf("%d bytes, problems %q", len(m.Text), m.Problems)
	}
}

func TestBase64Decoder(t *testing.T) {
	cases := map[string]string{
		"SGFsbG8=":               "Hallo",
		"SGFs\r\nbG8=":           "Hallo",
		"SGFsbG8=SGFsbG8=":       "HalloHallo", // padded chunks concatenated
		"SGFs bG8":               "Hallo",
		"S":                      "",
		"SGFsbG8gV2VsdA\n!!\n==": "Hallo Welt",
	}
	for in, want := range cases {
		got, _ := io.ReadAll(DecodeTransfer("BASE64", strings.NewReader(in)))
		if string(got) != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestQuotedPrintableLongLine(t *testing.T) {
	in := strings.Repeat("=C3=BC", 40000) + "\n"
	got, _ := io.ReadAll(DecodeTransfer("quoted-printable", strings.NewReader(in)))
	if string(got) != strings.Repeat("ü", 40000)+"\n" {
		t.Errorf("long QP line decoded to %d bytes", len(got))
	}
}

func TestRFC2231Params(t *testing.T) {
	p := &parser{opts: Options{}.withDefaults(), msg: &Message{}}
	cases := []struct{ in, key, want string }{
		{`attachment; filename*=UTF-8''%C3%A4rger.txt`, "filename", "ärger.txt"},
		{`attachment; filename*=windows-1252''%80uro.txt`, "filename", "€uro.txt"},
		{`attachment; filename*0="a b"; filename*1="c.txt"`, "filename", "a bc.txt"},
		{`attachment; filename="semi;colon.txt"`, "filename", "semi;colon.txt"},
		{`attachment; filename="=?utf-8?B?w6RyZ2VyLnR4dA==?="`, "filename", "ärger.txt"},
		{`attachment; filename=unquoted name.txt`, "filename", "unquoted name.txt"},
		{`attachment; filename*=x-unknown''%E4.txt`, "filename", "ä.txt"},
		{`attachment; filename="esc\"aped"`, "filename", `esc"aped`},
	}
	for _, c := range cases {
		_, params := p.parseParams(c.in)
		if params[c.key] != c.want {
			t.Errorf("%s: %q, want %q", c.in, params[c.key], c.want)
		}
	}
}

func TestFilenameCleaned(t *testing.T) {
	raw := "Content-Type: application/pdf; name=\"..\\\\..\\\\evil\x01.exe\"\n\nx"
	m := Parse([]byte(raw), Options{})
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "evil.exe" {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestDisplayHTML(t *testing.T) {
	raw := crlf(structured)
	m := Parse(raw, Options{})
	out, blocked := DisplayHTML(raw, m, false)
	if !strings.Contains(out, `<img src="data:image/png;base64,iVBORw0KGgo="/>`) || blocked != 0 {
		t.Errorf("cid image not inlined: %s", out)
	}
	plain := []byte("Content-Type: text/plain\n\n<script>alert(1)</script>\n")
	out, _ = DisplayHTML(plain, Parse(plain, Options{}), false)
	if strings.Contains(out, "<script") || !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("plain text not escaped: %s", out)
	}
	evil := []byte("Content-Type: text/html\n\n<p onclick=x>hi<img src=https://t.example/a.png></p><script>x</script>")
	out, blocked = DisplayHTML(evil, Parse(evil, Options{}), false)
	if out != `<p>hi<img data-blocked="remote"/></p>` || blocked != 1 {
		t.Errorf("%d %s", blocked, out)
	}
}

func TestFormatAddresses(t *testing.T) {
	got := FormatAddresses([]Address{{Name: "Jürgen Müller", Email: "jm@amt.example"}, {Email: "b@x.example"}, {Name: "Nur Name"}, {}})
	if got != "Jürgen Müller <jm@amt.example>, b@x.example, Nur Name" {
		t.Errorf("%q", got)
	}
}

func TestEncodedWordsJoined(t *testing.T) {
	cases := map[string]string{
		"=?utf-8?B?w7bD?= =?utf-8?B?pA==?=":       "öä", // "ä" split across two words
		"=?utf-8?Q?a?= b =?utf-8?Q?c?=":           "a b c",
		"=?utf-8?Q?a?=\r\n =?utf-8?Q?_b?=":        "a b",
		"=?iso-8859-1?Q?=E4?= =?utf-8?Q?=C3=B6?=": "äö",
		"=?UTF-8*de?Q?Stra=C3=9Fe?=":              "Straße",
		"Re: =?windows-1252?Q?=80_f=FCr?= Sie":    "Re: € für Sie",
		"=?utf-8?B?broken!!base64?= x":            "=?utf-8?B?broken!!base64?= x", // not base64: kept as is
		"=?utf-8?B?w7Y?=":                         "ö",                            // padding missing
		"no words =? here ?=":                     "no words =? here ?=",
		"=?koi8-r?B?8NLJ18XU?=":                   "Привет",
		"=?gb2312?B?xOO6ww==?=":                   "你好",
	}
	for in, want := range cases {
		m := Parse([]byte("Subject: "+in+"\n\n"), Options{})
		if m.Subject != want {
			t.Errorf("%q → %q, want %q", in, m.Subject, want)
		}
	}
}

const forwarded = `From: chef@amt.example
Subject: Fwd: Antrag
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: text/plain

Bitte bearbeiten.
--outer
Content-Type: message/rfc822

From: =?utf-8?q?B=C3=BCrger?= <b@x.example>
Subject: =?utf-8?q?Antrag_auf_Genehmigung?=
Date: Mon, 2 Nov 2026 08:00:00 +0100
Content-Type: multipart/mixed; boundary=inner

--inner
Content-Type: text/html

<p>Sehr geehrte Damen und Herren, <b>anbei</b> mein Antrag.</p>
--inner
Content-Type: application/pdf; name=antrag.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--inner--
--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename=second.eml

Subject: single

Nur Text.
--outer--
`

func TestForwardedMessage(t *testing.T) {
	raw := []byte(forwarded)
	m := Parse(raw, Options{})
	for _, want := range []string{"Bitte bearbeiten.", "Forwarded message", "From: Bürger <b@x.example>",
		"Subject: Antrag auf Genehmigung", "Sehr geehrte Damen und Herren, anbei mein Antrag.", "Subject: single", "Nur Text."} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, "<b>anbei</b>") {
		t.Errorf("html %q", m.HTML)
	}
	var got []string
	for _, a := range m.Attachments {
		got = append(got, a.Part+" "+a.Filename+" "+a.ContentType)
	}
	want := []string{"2 Antrag auf Genehmigung.eml message/rfc822", "2.2 antrag.pdf application/pdf", "3 second.eml message/rfc822"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("attachments %q", got)
	}
	for path, prefix := range map[string]string{"2": "From: =?utf-8?q?B", "2.1": "<p>Sehr", "2.2": "%PDF", "3": "Subject: single", "3.1": "Nur Text."} {
		_, r, err := OpenPart(raw, path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		data, _ := io.ReadAll(r)
		if !strings.HasPrefix(string(data), prefix) {
			t.Errorf("%s: %q", path, data)
		}
	}
	if _, _, err := OpenPart(raw, "2.3"); err == nil {
		t.Error("2.3 does not exist")
	}
	top := []byte("Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nin\n--b\nContent-Type: image/png\n\nx\n--b--\n")
	m = Parse(top, Options{})
	if len(m.Attachments) != 2 || m.Attachments[1].Part != "1.2" || !strings.Contains(m.Text, "in") {
		t.Fatalf("%+v %q", m.Attachments, m.Text)
	}
	if _, r, err := OpenPart(top, "1.2"); err != nil {
		t.Error(err)
	} else if data, _ := io.ReadAll(r); string(data) != "x" {
		t.Errorf("1.2 = %q", data)
	}
}
