package mailparse

import (
	"strings"
	"testing"
)

// A plain-text mail's addresses become links to the shell's opener, as in
// HTML mail; quoted-printable is decoded first, so its URL is linked whole.
func TestDisplayHTMLLinksPlainText(t *testing.T) {
	raw := []byte("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"Das Formular: https://amt.example/formular?id=3D7&lang=3Dde.\r\n" +
		"Eine sehr lange Adresse: https://amt.example/ein/sehr/langer/pfad/der/umbrochen/wi=\r\nrd?x=3D1\r\n" +
		"Fragen an poststelle@amt.example, Gr=C3=BC=C3=9Fe <script>\r\n")
	out, blocked := DisplayHTML(raw, Parse(raw, Options{}), false)
	for _, want := range []string{
		`<a href="/__deskport/open?u=https%3A%2F%2Famt.example%2Fformular%3Fid%3D7%26lang%3Dde" title="https://amt.example/formular?id=7&amp;lang=de">https://amt.example/formular?id=7&amp;lang=de</a>.`,
		`<a href="/__deskport/open?u=https%3A%2F%2Famt.example%2Fein%2Fsehr%2Flanger%2Fpfad%2Fder%2Fumbrochen%2Fwird%3Fx%3D1" title="https://amt.example/ein/sehr/langer/pfad/der/umbrochen/wird?x=1">`,
		`<a href="/__deskport/open?u=mailto%3Apoststelle%40amt.example" title="mailto:poststelle@amt.example">poststelle@amt.example</a>, Grüße &lt;script&gt;`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s\nin %s", want, out)
		}
	}
	if blocked != 0 || !strings.HasPrefix(out, "<pre") {
		t.Errorf("blocked %d, %s", blocked, out)
	}
}
