package htmlsafe

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// unsafeNode reports what in a parsed sanitizer output could run or load:
// a forbidden element, an event handler, a URL attribute with a scheme other
// than http(s)/mailto/tel/#/data:image, or dangerous CSS.
func unsafeNode(n *html.Node) string {
	if n.Type == html.ElementNode {
		if n.Namespace != "" || dropped[n.DataAtom] {
			return "element " + n.Data
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			switch {
			case strings.HasPrefix(k, "on"):
				return "handler " + k
			case k == "href" || k == "src" || k == "background":
				if kd := urlKind(a.Val); kd == otherURL || kd == cidURL {
					return k + "=" + a.Val
				}
			case k == "style" && dangerousCSS(a.Val):
				return "style " + a.Val
			}
		}
		if n.Data == "style" {
			var css strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				css.WriteString(c.Data)
			}
			if dangerousCSS(stripComments(css.String())) {
				return "sheet " + css.String()
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if r := unsafeNode(c); r != "" {
			return r
		}
	}
	return ""
}

// FuzzSanitize checks that no input yields anything unsafeNode objects to,
// and that the output is stable under re-sanitizing.
func FuzzSanitize(f *testing.F) {
	for _, v := range xssVectors {
		f.Add(v)
	}
	f.Add(`<p style="background:url(data:image/png;base64,AAAA)">x</p><img src=cid:a>`)
	recoverPanics = false
	defer func() { recoverPanics = true }()
	f.Fuzz(func(t *testing.T, in string) {
		p := Policy{CID: func(string) string { return "data:image/png;base64,AAAA" }}
		out, _ := Sanitize(in, p)
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if r := unsafeNode(doc); r != "" {
			t.Fatalf("unsafe %s in output %q of %q", r, out, in)
		}
		again, _ := Sanitize(out, p)
		// Whitespace before the first element is dropped by the parser on
		// the second pass; only structure matters for mutation XSS.
		if strings.Join(strings.Fields(again), " ") != strings.Join(strings.Fields(out), " ") {
			t.Fatalf("unstable:\n%q\n%q\n%q", in, out, again)
		}
	})
}
