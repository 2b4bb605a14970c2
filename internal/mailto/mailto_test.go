package mailto

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Draft
	}{
		{"address only", "mailto:poststelle@amt.example", Draft{To: "poststelle@amt.example"}},
		{"scheme in capitals", "MAILTO:a@amt.example", Draft{To: "a@amt.example"}},
		{"no address", "mailto:", Draft{}},
		{"subject percent-encoded", "mailto:a@amt.example?subject=Antrag%2042", Draft{To: "a@amt.example", Subject: "Antrag 42"}},
		{"all fields", "mailto:a@amt.example,b@amt.example?cc=c@amt.example&subject=Hallo%20Welt&body=Zeile%201%0D%0AZeile%202",
			Draft{To: "a@amt.example, b@amt.example", Cc: "c@amt.example", Subject: "Hallo Welt", Body: "Zeile 1\nZeile 2"}},
		{"plus stays a plus (RFC 6068, not form encoding)", "mailto:a+tag@amt.example?subject=1+1%3D2", Draft{To: "a+tag@amt.example", Subject: "1+1=2"}},
		{"UTF-8 in subject and body", "mailto:a@amt.example?subject=Gr%C3%BC%C3%9Fe&body=%C3%A4%E2%82%AC", Draft{To: "a@amt.example", Subject: "Grüße", Body: "ä€"}},
		{"raw UTF-8 too", "mailto:jürgen@münchen.example?subject=Straße", Draft{To: "jürgen@münchen.example", Subject: "Straße"}},
		{"encoded address and to= fields add up", "mailto:a%40amt.example?to=b@amt.example&TO=c@amt.example", Draft{To: "a@amt.example, b@amt.example, c@amt.example"}},
		{"field names case-insensitive", "mailto:?Subject=x&CC=c@amt.example&Body=y", Draft{Cc: "c@amt.example", Subject: "x", Body: "y"}},
		{"first subject and body win", "mailto:a@amt.example?subject=eins&subject=zwei&body=b1&body=b2", Draft{To: "a@amt.example", Subject: "eins", Body: "b1"}},
		{"empty entries dropped", "mailto:,a@amt.example,,%20,?cc=,", Draft{To: "a@amt.example"}},
		{"bcc is dropped: no hidden recipients", "mailto:a@amt.example?bcc=spy@evil.example&subject=x", Draft{To: "a@amt.example", Subject: "x"}},
		{"other headers are dropped", "mailto:a@amt.example?from=boss@amt.example&in-reply-to=%3Cx%40y%3E&reply-to=evil@evil.example&x-priority=1",
			Draft{To: "a@amt.example"}},
		{"fragment is not content", "mailto:a@amt.example?subject=x#frag", Draft{To: "a@amt.example", Subject: "x"}},
		{"bad percent escapes stay literal", "mailto:a@amt.example?subject=100%25%20und%zz%4", Draft{To: "a@amt.example", Subject: "100% und%zz%4"}},
		{"invalid UTF-8 becomes U+FFFD", "mailto:a@amt.example?subject=%FFx", Draft{To: "a@amt.example", Subject: "\uFFFDx"}},

		// Hostile links: no header can be added through a line break.
		{"CRLF in subject", "mailto:a@amt.example?subject=Hallo%0D%0ABcc:%20spy@evil.example", Draft{To: "a@amt.example", Subject: "Hallo Bcc: spy@evil.example"}},
		{"bare LF and CR in subject", "mailto:a@amt.example?subject=a%0Ab%0Dc", Draft{To: "a@amt.example", Subject: "a b c"}},
		{"CRLF in the address", "mailto:a@amt.example%0D%0ABcc:%20spy@evil.example", Draft{To: "a@amt.example Bcc: spy@evil.example"}},
		{"CRLF in cc", "mailto:?cc=c@amt.example%0D%0AX-Evil:%201", Draft{Cc: "c@amt.example X-Evil: 1"}},
		{"NUL, tab, DEL, U+2028 and NEL in subject", "mailto:?subject=a%00b%09c%7Fd%E2%80%A8e%C2%85f", Draft{Subject: "a b c d e f"}},
		{"body keeps line breaks, drops other controls", "mailto:?body=a%0D%0Ab%0Dc%0Ad%00e%09f%1Bg", Draft{Body: "a\nb\nc\nde\tfg"}},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s: Parse(%q) = %+v, %v; want %+v", c.name, c.in, got, err, c.want)
		}
	}
}

func TestParseRefusesOtherSchemes(t *testing.T) {
	for _, in := range []string{"", "mailto", "https://amt.example/?mailto:a@b", "javascript:mailto:x", " mailto:a@amt.example"} {
		if _, err := Parse(in); err != ErrNotMailto {
			t.Errorf("Parse(%q): err %v, want ErrNotMailto", in, err)
		}
	}
}

func TestParseBoundsLengths(t *testing.T) {
	long := strings.Repeat("%C3%A4", MaxBody) // "ä" is two bytes
	d, err := Parse("mailto:" + strings.Repeat("abcdefghi@amt.example,", 1000) + "?subject=" + long + "&body=" + long)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Subject) > MaxSubject || len(d.Body) > MaxBody || len(d.To) > MaxAddresses {
		t.Fatalf("lengths subject %d body %d to %d", len(d.Subject), len(d.Body), len(d.To))
	}
	if !utf8.ValidString(d.Subject) || !utf8.ValidString(d.Body) || len(d.Body) < MaxBody-1 {
		t.Fatalf("cut in the middle of a character or too short: %d", len(d.Body))
	}
	if !strings.HasSuffix(d.To, "@amt.example") {
		t.Fatalf("address list cut inside an address: ...%s", d.To[len(d.To)-20:])
	}
}

func FuzzParse(f *testing.F) {
	f.Add("mailto:a@amt.example?subject=Hallo%0D%0ABcc:%20x&body=%0D%0A")
	f.Add("mailto:%E2%80%A8?cc=%0A&to=%C2%85")
	f.Fuzz(func(t *testing.T, in string) {
		d, err := Parse("mailto:" + in)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{d.To, d.Cc, d.Subject} {
			if strings.ContainsAny(h, "\r\n\x00\u2028\u2029\u0085") || !utf8.ValidString(h) {
				t.Fatalf("unsafe header value %q from %q", h, in)
			}
		}
		if strings.ContainsRune(d.Body, '\r') || !utf8.ValidString(d.Body) || len(d.Body) > MaxBody {
			t.Fatalf("body %q from %q", d.Body, in)
		}
	})
}
