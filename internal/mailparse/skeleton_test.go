package mailparse

import (
	"io"
	"strings"
	"testing"
)

// A skeleton as the mail cache stores it: a big attachment left out, an
// attached message of which a part is left out, a text cut short.
var skeletonRaw = crlf(`From: a@amt.example
Subject: Bauantrag
Content-Type: multipart/mixed; boundary="S"

--S
Content-Type: text/plain; charset=utf-8
X-Deskport-Partial: 9000000

Der Anfang des Textes
--S
Content-Type: application/pdf; name="plan.pdf"
Content-Transfer-Encoding: base64
X-Deskport-Omitted: 12582912

--S
Content-Type: message/rfc822
X-Deskport-Partial: 3000000

From: b@amt.example
Subject: Weitergeleitet
Content-Type: multipart/mixed; boundary="I"

--I
Content-Type: text/plain

innen
--I
Content-Type: image/png; name="scan.png"
Content-Transfer-Encoding: base64
Content-Disposition: attachment
X-Deskport-Omitted: 2900000

--I--

--S--
`)

func TestSkeletonMarkers(t *testing.T) {
	m := Parse(skeletonRaw, Options{Skeleton: true})
	want := map[string]struct {
		size    int64
		omitted bool
	}{"2": {12582912, true}, "3": {3000000, true}, "3.2": {2900000, true}}
	if len(m.Attachments) != len(want) {
		t.Fatalf("attachments %+v", m.Attachments)
	}
	for _, a := range m.Attachments {
		w, ok := want[a.Part]
		if !ok || a.Size != w.size || a.Omitted != w.omitted {
			t.Errorf("attachment %+v, want %+v", a, w)
		}
	}
	if m.Text == "" || !hasProblem(m, "only the start of a text of 9000000 bytes") {
		t.Errorf("text %q, problems %q", m.Text, m.Problems)
	}
	if want := "Der Anfang des Textes"; len(m.Text) < len(want) || m.Text[:len(want)] != want {
		t.Errorf("text %q", m.Text)
	}
	if !strings.Contains(m.Text, "innen") {
		t.Errorf("attached message's text not read: %q", m.Text)
	}

	// Without Options.Skeleton (mail from anywhere else) the markers mean nothing.
	plain := Parse(skeletonRaw, Options{})
	for _, a := range plain.Attachments {
		if a.Omitted || a.Part == "2" && a.Size != 0 {
			t.Errorf("marker honoured without Skeleton: %+v", a)
		}
	}
	if hasProblem(plain, "stored offline") {
		t.Errorf("problems %q", plain.Problems)
	}

	// The omitted part opens as empty; DisplayHTML never inlines it.
	a, r, err := OpenPart(skeletonRaw, "2")
	if err != nil || a.Filename != "plan.pdf" {
		t.Fatalf("open: %+v %v", a, err)
	}
	if b, _ := io.ReadAll(r); len(b) != 0 {
		t.Errorf("omitted part has %d bytes", len(b))
	}
}

func TestSkeletonOmittedMessage(t *testing.T) {
	raw := crlf(`From: a@amt.example
Subject: Weiterleitung
Content-Type: multipart/mixed; boundary="S"

--S
Content-Type: text/plain

siehe Anhang
--S
Content-Type: message/rfc822
X-Deskport-Omitted: 40000000

--S--
`)
	m := Parse(raw, Options{Skeleton: true})
	if len(m.Attachments) != 1 || m.Attachments[0].Part != "2" || m.Attachments[0].Size != 40000000 || !m.Attachments[0].Omitted ||
		m.Attachments[0].Filename != "message.eml" {
		t.Fatalf("attachments %+v", m.Attachments)
	}
	if strings.Contains(m.Text, "Forwarded") {
		t.Errorf("an omitted message is shown as an empty forwarded one: %q", m.Text)
	}
}
