package mailcache

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/deskport/deskport/internal/testpeer"
)

// hostile and broken messages as real servers hold them
var badMessages = map[string]string{
	"no end boundary":  "From: a@example.org\r\nSubject: no end boundary\r\nMessage-ID: <b1@x>\r\nContent-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nkaputtesmime body\r\n--XYZ\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK!!!notbase64\r\n",
	"unknown charset":  "From: a@example.org\r\nSubject: unknown charset\r\nMessage-ID: <b2@x>\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nqapla unbekannteszeichen\r\n",
	"lying charset":    "From: a@example.org\r\nSubject: lying charset\r\nMessage-ID: <b3@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGr\xfc\xdfe falschkodiert\r\n",
	"8bit header":      "From: M\xfcller <m@example.org>\r\nSubject: Gr\xfc\xdfe 8bit\r\nMessage-ID: <b4@x>\r\n\r\nachtbit\r\n",
	"bad encoded word": "From: a@example.org\r\nSubject: =?x-unknown?q?r=E4tsel?= wort\r\nMessage-ID: <b5@x>\r\n\r\nencodedword\r\n",
	"no header":        "just a line of text without any header kopflos\r\n",
	"bad base64":       "From: a@example.org\r\nSubject: bad base64\r\nMessage-ID: <b6@x>\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%% not base64 %%%%\r\n",
	"html only":        "From: a@example.org\r\nSubject: html only\r\nMessage-ID: <b7@x>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><script>alert('skriptinhalt')</script><p>sichtbarer <b>Text</b><img src=\"http://tracker.example/p.gif\"></p>\r\n",
}

func TestBadInputNeverStopsSync(t *testing.T) {
	d := testpeer.StartDovecot(t)
	for _, raw := range badMessages {
		d.Append("INBOX", []byte(raw))
	}
	// a huge header
	var huge bytes.Buffer
	huge.WriteString("From: a@example.org\r\nSubject: huge header\r\nMessage-ID: <b8@x>\r\n")
	for huge.Len() < 2<<20 {
		huge.WriteString("X-Junk: " + strings.Repeat("y", 990) + "\r\n")
	}
	huge.WriteString("\r\nriesenkopf\r\n")
	d.Append("INBOX", huge.Bytes())
	// an (almost) empty message: servers refuse zero bytes
	d.Append("INBOX", []byte("\r\n"))
	// 50 MB: its text offline, its attachment fetched when opened
	var big bytes.Buffer
	big.WriteString("From: a@example.org\r\nSubject: fifty megabytes\r\nMessage-ID: <b9@x>\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\ngrossedatei\r\n--B\r\nContent-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	line := strings.Repeat("QUJD", 19) + "\r\n"
	lines := 0
	for big.Len() < 50<<20 {
		big.WriteString(line)
		lines++
	}
	big.WriteString("--B--\r\n")
	d.Append("INBOX", big.Bytes())
	d.Append("INBOX", testMail("after the bad ones", "still synced"))

	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	a := account(d, nil)
	ctx := context.Background()
	res := mustSync(t, c, a)
	want := len(badMessages) + 4
	if res.New != want || res.Messages != want {
		t.Fatalf("synced %d new, cache holds %d, want %d", res.New, res.Messages, want)
	}
	for q, subject := range map[string]string{
		"kaputtesmime": "no end boundary", "unbekannteszeichen": "unknown charset", "falschkodiert": "lying charset",
		"achtbit": "Grüße 8bit", "encodedword": "", "kopflos": "", "riesenkopf": "huge header",
		"sichtbarer": "html only", "still": "after the bad ones",
	} {
		r := find(t, c, q)
		if len(r) != 1 {
			t.Errorf("search %q: %d results", q, len(r))
			continue
		}
		if subject != "" && r[0].Subject != subject {
			t.Errorf("search %q: subject %q, want %q", q, r[0].Subject, subject)
		}
		if !utf8.ValidString(r[0].Subject) || !utf8.ValidString(r[0].From) || !utf8.ValidString(r[0].Snippet) {
			t.Errorf("search %q: invalid UTF-8 in %+v", q, r[0])
		}
	}
	if r := find(t, c, "skriptinhalt"); len(r) != 0 {
		t.Error("script text was indexed as visible text")
	}
	// the big one: its text offline and found, the attachment fetched on demand
	big50 := find(t, c, "grossedatei")
	if len(big50) != 1 || !big50[0].BodyCached || big50[0].Subject != "fifty megabytes" || big50[0].Size != int64(big.Len()) {
		t.Fatalf("50 MB message: %+v", big50)
	}
	if raw, err := c.Raw(ctx, big50[0].ID); err != nil || len(raw) > 4<<10 {
		t.Fatalf("50 MB message stored with %d bytes: %v", len(raw), err)
	}
	atts, _ := c.Attachments(ctx, big50[0].ID)
	if len(atts) != 1 || atts[0].Name != "big.bin" || atts[0].Offline || atts[0].Size != int64(lines*57) {
		t.Fatalf("attachments %+v", atts)
	}
	f, err := c.FetchPart(ctx, a, big50[0].ID, atts[0].Part)
	if err != nil || len(f.Data) != lines*57 || !bytes.Equal(f.Data[:6], []byte("ABCABC")) {
		t.Fatalf("fetch on demand: %d bytes, %v", len(f.Data), err)
	}
	if res := mustSync(t, c, a); res.Folders != 0 {
		t.Fatalf("resync after bad input did work: %+v", res)
	}
}

func FuzzParseMessage(f *testing.F) {
	for _, raw := range badMessages {
		f.Add([]byte(raw))
	}
	f.Add(testMail("Grüße", "Hallo"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := parseMessage(raw)
		for _, s := range []string{p.Subject, p.From, p.To, p.Cc, p.Text} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
		if len(p.Text) > maxIndexedText {
			t.Fatalf("text of %d bytes", len(p.Text))
		}
		for _, a := range p.Attachments {
			if !utf8.ValidString(a.Name) {
				t.Fatalf("attachment name %q", a.Name)
			}
		}
	})
}
