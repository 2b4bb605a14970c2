package htmlsafe

import (
	"strings"
	"testing"
)

// FuzzSanitize checks that no input yields a script, an event handler or a
// javascript: URL, and that the output is stable under re-sanitizing.
func FuzzSanitize(f *testing.F) {
	for _, v := range xssVectors {
		f.Add(v)
	}
	f.Add(`<p style="background:url(data:image/png;base64,AAAA)">x</p><img src=cid:a>`)
	f.Fuzz(func(t *testing.T, in string) {
		out, _ := Sanitize(in, Policy{CID: func(string) string { return "data:image/png;base64,AAAA" }})
		l := strings.ToLower(out)
		for _, bad := range []string{"<script", "javascript:", "<iframe", "<object", "<embed", "<svg", "<base", "<meta"} {
			if strings.Contains(l, bad) {
				t.Fatalf("%q in output %q", bad, out)
			}
		}
		if strings.Contains(l, " on") {
			// Attribute names are allowlisted; " on" may only appear in text.
			for _, a := range []string{" onerror=", " onload=", " onclick=", " onmouseover="} {
				if strings.Contains(l, a) && !strings.Contains(strings.ToLower(in), strings.TrimSpace(a)) {
					t.Fatalf("handler %q appeared from nowhere: %q", a, out)
				}
			}
		}
		again, _ := Sanitize(out, Policy{CID: func(string) string { return "data:image/png;base64,AAAA" }})
		if again != out {
			t.Fatalf("unstable:\n%q\n%q\n%q", in, out, again)
		}
	})
}
