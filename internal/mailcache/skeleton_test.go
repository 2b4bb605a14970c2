package mailcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

// detBytes: n bytes that are the same in every run.
func detBytes(seed byte, n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{seed}).Read(b)
	return b
}

// b64 encodes data in lines of 76 characters, as mail programs send it.
func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s + "\r\n")
	return b.String()
}

func packBytes(t *testing.T, c *Cache) int64 {
	t.Helper()
	packs, _ := filepath.Glob(filepath.Join(c.Dir(), "bodies", "*.pack"))
	var n int64
	for _, p := range packs {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}

func attachmentsByPart(t *testing.T, c *Cache, id int64) map[string]Attachment {
	t.Helper()
	atts, err := c.Attachments(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]Attachment{}
	for _, a := range atts {
		m[a.Part] = a
	}
	return m
}

// checkPart fetches part from the server and compares it with want.
func checkPart(t *testing.T, c *Cache, a Account, id int64, part string, want []byte) AttachmentFile {
	t.Helper()
	f, err := c.FetchPart(context.Background(), a, id, part)
	if err != nil {
		t.Fatalf("fetch part %s: %v", part, err)
	}
	if sha256.Sum256(f.Data) != sha256.Sum256(want) {
		t.Fatalf("part %s: %d bytes from the server, not the %d sent", part, len(f.Data), len(want))
	}
	return f
}

func TestLargeAttachmentLeftOut(t *testing.T) {
	d := testpeer.StartDovecot(t)
	pdf := detBytes(1, 12<<20)
	img := detBytes(2, 20000)
	raw := "From: Bauamt <bau@amt.example>\r\nTo: alice@example.org\r\nSubject: Bauplan\r\nMessage-ID: <plan@amt.example>\r\n" +
		"Date: Mon, 2 Mar 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"=_outer\"\r\n\r\n" +
		"This is a multi-part message in MIME format.\r\n" +
		"--=_outer\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nAnbei der Bauplan mit dem Stichwort Zwölfmegabyteplan.\r\n" +
		"--=_outer\r\nContent-Type: image/png; name=\"logo.png\"\r\nContent-Disposition: inline; filename=\"logo.png\"\r\nContent-ID: <logo@amt>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(img) +
		"--=_outer\r\nContent-Type: application/pdf; name=\"plan.pdf\"\r\nContent-Disposition: attachment; filename=\"plan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(pdf) +
		"--=_outer--\r\n"
	d.Append("INBOX", []byte(raw))

	c := openCache(t, t.TempDir(), Policy{BodyDays: -1, MaxAttachmentBytes: 1 << 20})
	a := account(d, nil)
	ctx := context.Background()
	mustSync(t, c, a)

	// the text is offline and searchable
	r := find(t, c, "zwölfmegabyteplan")
	if len(r) != 1 || !r[0].BodyCached || !r[0].HasAttachments {
		t.Fatalf("search: %+v", r)
	}
	id := r[0].ID
	if r[0].Size != int64(len(raw)) {
		t.Errorf("listed size %d, the message has %d", r[0].Size, len(raw))
	}
	// the big attachment is listed with its real size, not offline
	atts := attachmentsByPart(t, c, id)
	if p := atts["3"]; p.Name != "plan.pdf" || p.Type != "application/pdf" || p.Size != int64(len(pdf)) || p.Offline {
		t.Errorf("big attachment %+v", p)
	}
	if p := atts["2"]; p.Name != "logo.png" || p.Size != int64(len(img)) || !p.Offline {
		t.Errorf("small image %+v", p)
	}
	// the pack holds the text and the image, not the 12 MB
	stored := packBytes(t, c)
	t.Logf("message %d bytes on the server, %d bytes in the pack", len(raw), stored)
	if stored > 64<<10 {
		t.Fatalf("pack holds %d bytes for a message whose 12 MB attachment is left out", stored)
	}
	skel, err := c.Raw(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// the small image is cached, byte for byte
	if f, err := AttachmentContent(skel, "2"); err != nil || !bytes.Equal(f.Data, img) {
		t.Fatalf("image from the skeleton: %d bytes, %v", len(f.Data), err)
	}
	if v := Display(skel, false); !strings.Contains(v.Text, "Zwölfmegabyteplan") || len(v.Problems) != 0 {
		t.Errorf("display: %q, problems %q", v.Text, v.Problems)
	}

	// saving it fetches it from the server, without caching the message again
	f := checkPart(t, c, a, id, "3", pdf)
	if f.Name != "plan.pdf" || f.Type != "application/pdf" {
		t.Errorf("fetched %q %q", f.Name, f.Type)
	}
	if packBytes(t, c) != stored {
		t.Error("fetching the attachment cached the message again")
	}
	if p := attachmentsByPart(t, c, id)["3"]; p.Offline {
		t.Error("the fetched attachment is listed as offline")
	}

	// offline: the error says what to do
	d.Stop()
	_, err = c.FetchPart(ctx, a, id, "3")
	if !errors.Is(err, ErrOnlineOnly) || !strings.Contains(err.Error(), "connect to the network to download it") {
		t.Fatalf("offline: %v", err)
	}
	t.Logf("offline: %v", err)
	if raw, err := c.Raw(ctx, id); err != nil || !bytes.Equal(raw, skel) {
		t.Fatalf("message unreadable offline: %v", err)
	}
}

func TestLargeAttachmentNestedAndAttachedMessages(t *testing.T) {
	d := testpeer.StartDovecot(t)
	big := detBytes(3, 2<<20)
	small := detBytes(4, 50000)
	alt := "From: a@amt.example\r\nSubject: Verschachtelt\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\nMessage-ID: <n1@amt.example>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n" +
		"--M\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n\r\n" +
		"--A\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nKlartext mit Sch=C3=BCsselwort Alternativteil.\r\n" +
		"--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML mit <b>Fettdruckwort</b></p>\r\n" +
		"--A--\r\n" +
		"--M\r\nContent-Type: application/octet-stream; name=\"daten.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(big) +
		"--M\r\nContent-Type: application/zip; name=\"klein.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(small) +
		"--M--\r\n"
	// an attached message too big to keep whole (walked into), and a small one kept whole
	inner := "From: b@amt.example\r\nSubject: Innen\r\nMessage-ID: <i1@amt.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"I\"\r\n\r\n" +
		"--I\r\nContent-Type: text/plain\r\n\r\nWeitergeleitetes Innenwort.\r\n" +
		"--I\r\nContent-Type: application/octet-stream; name=\"innen.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(big) +
		"--I--\r\n"
	tiny := "From: c@amt.example\r\nSubject: Klein\r\nContent-Type: text/plain\r\n\r\nKleinweitergeleitet.\r\n"
	fwd := "From: a@amt.example\r\nSubject: Weiterleitung\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\nMessage-ID: <f1@amt.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"F\"\r\n\r\n" +
		"--F\r\nContent-Type: text/plain\r\n\r\nSiehe Anhang Aussenwort.\r\n" +
		"--F\r\nContent-Type: message/rfc822\r\n\r\n" + inner +
		"\r\n--F\r\nContent-Type: message/rfc822\r\n\r\n" + tiny +
		"\r\n--F--\r\n"
	// a single-part message that is only a large attachment
	single := "From: a@amt.example\r\nSubject: Nur Anhang\r\nMessage-ID: <s1@amt.example>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: application/pdf; name=\"allein.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(big)
	for _, m := range []string{alt, fwd, single} {
		d.Append("INBOX", []byte(m))
	}

	c := openCache(t, t.TempDir(), Policy{BodyDays: -1, MaxAttachmentBytes: 1 << 20})
	a := account(d, nil)
	ctx := context.Background()
	mustSync(t, c, a)
	t.Logf("3 messages of %d bytes in all, %d bytes in the pack", len(alt)+len(fwd)+len(single), packBytes(t, c))
	if n := packBytes(t, c); n > 256<<10 {
		t.Errorf("pack holds %d bytes", n)
	}

	// multipart/mixed > multipart/alternative + attachments
	id := idBySubject(t, c, "Verschachtelt")
	for _, q := range []string{"Schüsselwort", "Alternativteil"} {
		if r := find(t, c, q); len(r) != 1 || r[0].ID != id {
			t.Errorf("search %q: %+v", q, r)
		}
	}
	skel, _ := c.Raw(ctx, id)
	if v := Display(skel, false); !strings.Contains(v.HTML, "Fettdruckwort") || len(v.Problems) != 0 {
		t.Errorf("display: %q %q", v.HTML, v.Problems)
	}
	atts := attachmentsByPart(t, c, id)
	if p := atts["2"]; p.Name != "daten.bin" || p.Size != int64(len(big)) || p.Offline {
		t.Errorf("big %+v", p)
	}
	if p := atts["3"]; p.Name != "klein.zip" || p.Size != int64(len(small)) || !p.Offline {
		t.Errorf("small %+v", p)
	}
	if f, err := AttachmentContent(skel, "3"); err != nil || !bytes.Equal(f.Data, small) {
		t.Errorf("small attachment from the skeleton: %v", err)
	}
	checkPart(t, c, a, id, "2", big)

	// message/rfc822: the large one walked into, the small one kept whole
	id = idBySubject(t, c, "Weiterleitung")
	for _, q := range []string{"Aussenwort", "Innenwort", "Kleinweitergeleitet"} {
		if r := find(t, c, q); len(r) != 1 || r[0].ID != id {
			t.Errorf("search %q: %+v", q, r)
		}
	}
	atts = attachmentsByPart(t, c, id)
	if p := atts["2"]; p.Type != "message/rfc822" || p.Size != int64(len(inner)) || p.Offline {
		t.Errorf("large attached message %+v", p)
	}
	if p := atts["2.2"]; p.Name != "innen.bin" || p.Size != int64(len(big)) || p.Offline {
		t.Errorf("attachment in the attached message %+v", p)
	}
	if p := atts["3"]; p.Type != "message/rfc822" || p.Size != int64(len(tiny)) || !p.Offline {
		t.Errorf("small attached message %+v", p)
	}
	skel, _ = c.Raw(ctx, id)
	if f, err := AttachmentContent(skel, "3"); err != nil || string(f.Data) != tiny {
		t.Errorf("small attached message from the skeleton: %q %v", f.Data, err)
	}
	checkPart(t, c, a, id, "2.2", big)
	if f := checkPart(t, c, a, id, "2", []byte(inner)); f.Name != "Innen.eml" {
		t.Errorf("attached message saved as %q", f.Name)
	}

	// a single-part message: its one part left out
	id = idBySubject(t, c, "Nur Anhang")
	if p := attachmentsByPart(t, c, id)["1"]; p.Name != "allein.pdf" || p.Size != int64(len(big)) || p.Offline {
		t.Errorf("single part %+v", p)
	}
	checkPart(t, c, a, id, "1", big)
}

// Messages within MaxAttachmentBytes (and a third more) are fetched whole,
// byte for byte, in the one FETCH of all bodies.
func TestSmallMessagesStillWhole(t *testing.T) {
	d := testpeer.StartDovecot(t)
	att := detBytes(5, 900<<10) // 1.2 MB encoded: within 1 MB + a third
	raw := "From: a@amt.example\r\nSubject: Knapp darunter\r\nMessage-ID: <w1@amt.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"W\"\r\n\r\n" +
		"Preamble that a skeleton would not keep.\r\n" +
		"--W\r\nContent-Type: text/plain\r\n\r\nGanzgeholt.\r\n" +
		"--W\r\nContent-Type: application/octet-stream; name=\"fast.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(att) +
		"--W--\r\nEpilogue.\r\n"
	d.Append("INBOX", []byte(raw))
	d.Append("INBOX", testMail("klein", "kleiner Text"))
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1, MaxAttachmentBytes: 1 << 20})
	a := account(d, nil)
	ctx := context.Background()
	mustSync(t, c, a)
	id := idBySubject(t, c, "Knapp darunter")
	got, err := c.Raw(ctx, id)
	if err != nil || string(got) != raw {
		t.Fatalf("not stored whole: %d of %d bytes, %v", len(got), len(raw), err)
	}
	if p := attachmentsByPart(t, c, id)["2"]; !p.Offline || p.Size != int64(len(att)) {
		t.Errorf("attachment %+v", p)
	}
	if got, _ := c.Raw(ctx, idBySubject(t, c, "klein")); !bytes.Contains(got, []byte("kleiner Text")) {
		t.Error("small message not stored")
	}
}

// Of a message larger than MaxBodyBytes, the attachments that do not fit
// are left out, largest first, even when each is within MaxAttachmentBytes.
func TestSkeletonWithinMaxBodyBytes(t *testing.T) {
	d := testpeer.StartDovecot(t)
	var parts strings.Builder
	sizes := []int{300 << 10, 500 << 10, 700 << 10, 900 << 10}
	for i, n := range sizes {
		fmt.Fprintf(&parts, "--B\r\nContent-Type: application/octet-stream; name=\"t%d.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s", i, b64(detBytes(byte(10+i), n)))
	}
	raw := "From: a@amt.example\r\nSubject: Viele\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/plain\r\n\r\nVieleanhaenge.\r\n" + parts.String() + "--B--\r\n"
	d.Append("INBOX", []byte(raw))
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1, MaxAttachmentBytes: 1 << 20, MaxBodyBytes: 2 << 20})
	mustSync(t, c, account(d, nil))
	atts := attachmentsByPart(t, c, idBySubject(t, c, "Viele"))
	// encoded: 0.41 + 0.68 + 0.96 MiB > 2 MiB: only the two smallest fit
	for part, want := range map[string]bool{"2": true, "3": true, "4": false, "5": false} {
		if atts[part].Offline != want || atts[part].Size != int64(sizes[part[0]-'2']) {
			t.Errorf("part %s: %+v, want offline=%v", part, atts[part], want)
		}
	}
	if r := find(t, c, "vieleanhaenge"); len(r) != 1 {
		t.Error("text not indexed")
	}
}

func TestBase64Size(t *testing.T) {
	enc := func(data []byte, width int, eol string) []byte {
		s := base64.StdEncoding.EncodeToString(data)
		var b strings.Builder
		for len(s) > width {
			b.WriteString(s[:width] + eol)
			s = s[width:]
		}
		b.WriteString(s + eol)
		return []byte(b.String())
	}
	sample := func(b []byte) ([]byte, []byte) {
		return b[:min(len(b), sampleBytes)], b[max(len(b)-sampleBytes, 0):]
	}
	for _, n := range []int{0, 1, 2, 3, 4, 56, 57, 58, 100, 1000, 4095, 4096, 4097, 65536, 1 << 20} {
		for _, width := range []int{60, 64, 72, 76} {
			for _, eol := range []string{"\r\n", "\n"} {
				b := enc(detBytes(byte(n), n), width, eol)
				head, tail := sample(b)
				got, ok := base64Size(int64(len(b)), head, tail)
				if !ok || got != int64(n) {
					t.Errorf("%d bytes in lines of %d%q: %d, %v", n, width, eol, got, ok)
				}
			}
		}
	}
	// lines longer than the sample: unknown (the estimate stays)
	long := enc(detBytes(1, 1000), 200, "\r\n")
	if _, ok := base64Size(int64(len(long)), long[:sampleBytes], long[len(long)-sampleBytes:]); ok {
		t.Error("size claimed for lines longer than the sample")
	}
}

// A text longer than what one message may store keeps its start.
func TestSkeletonLongTextCut(t *testing.T) {
	d := testpeer.StartDovecot(t)
	var text strings.Builder
	text.WriteString("Anfangswort steht vorn.\r\n")
	for text.Len() < 1536<<10 {
		text.WriteString("Fuelltext fuer eine sehr lange Nachricht ohne Ende in Sicht.\r\n")
	}
	text.WriteString("Schlusswort steht hinten.\r\n")
	raw := "From: a@amt.example\r\nSubject: Lang\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"L\"\r\n\r\n" +
		"--L\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text.String() + "--L--\r\n"
	d.Append("INBOX", []byte(raw))
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1, MaxAttachmentBytes: 512 << 10, MaxBodyBytes: 1 << 20})
	mustSync(t, c, account(d, nil))
	if r := find(t, c, "Anfangswort"); len(r) != 1 {
		t.Fatal("start of the text not indexed")
	}
	skel, err := c.Raw(context.Background(), idBySubject(t, c, "Lang"))
	if err != nil || len(skel) > 1<<20+4<<10 || bytes.Contains(skel, []byte("Schlusswort")) {
		t.Fatalf("stored %d bytes of %d: %v", len(skel), len(raw), err)
	}
	v := Display(skel, false)
	if !strings.HasPrefix(v.Text, "Anfangswort") || len(v.Problems) != 1 || !strings.Contains(v.Problems[0], "only the start of a text") {
		t.Errorf("problems %q", v.Problems)
	}
}
