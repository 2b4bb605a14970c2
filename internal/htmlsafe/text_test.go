package htmlsafe

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/deskport/deskport/internal/navpolicy"
)

// shown is one link as the reader shows it: the text and what it opens.
type shown struct{ text, url string }

func linksIn(text string) []shown {
	var out []shown
	for _, l := range TextLinks(text) {
		out = append(out, shown{text[l.Start:l.End], l.URL})
	}
	return out
}

func TestTextLinks(t *testing.T) {
	long := "https://amt.example/" + strings.Repeat("x", MaxLinkBytes)
	cases := []struct {
		name string
		in   string
		want []shown
	}{
		{"plain URL", "Antrag: https://amt.example/antrag?id=42&lang=de#teil-2 bitte ausfüllen",
			[]shown{{"https://amt.example/antrag?id=42&lang=de#teil-2", "https://amt.example/antrag?id=42&lang=de#teil-2"}}},
		{"http and scheme in capitals", "HTTP://AMT.example/A", []shown{{"HTTP://AMT.example/A", "HTTP://AMT.example/A"}}},
		{"www. opens as https", "siehe www.amt.example/formulare.", []shown{{"www.amt.example/formulare", "https://www.amt.example/formulare"}}},
		{"bare e-mail address", "Fragen an poststelle@amt.example!", []shown{{"poststelle@amt.example", "mailto:poststelle@amt.example"}}},
		{"mailto: URL", "mailto:a.b+c@amt.example?subject=Antrag", []shown{{"mailto:a.b+c@amt.example?subject=Antrag", "mailto:a.b+c@amt.example?subject=Antrag"}}},
		{"several on a line and across lines", "a@amt.example, https://amt.example/x;\nwww.bund.example",
			[]shown{{"a@amt.example", "mailto:a@amt.example"}, {"https://amt.example/x", "https://amt.example/x"}, {"www.bund.example", "https://www.bund.example"}}},
		{"IDN and umlauts", "https://münchen.example/straße?ä=ö jürgen@münchen.example",
			[]shown{{"https://münchen.example/straße?ä=ö", "https://münchen.example/straße?ä=ö"}, {"jürgen@münchen.example", "mailto:jürgen@münchen.example"}}},
		{"punycode top-level domain", "info@amt.xn--p1ai", []shown{{"info@amt.xn--p1ai", "mailto:info@amt.xn--p1ai"}}},

		// The end of the URL: sentence punctuation and brackets that are not part of it.
		{"trailing full stop", "Siehe https://amt.example/a.pdf.", []shown{{"https://amt.example/a.pdf", "https://amt.example/a.pdf"}}},
		{"trailing punctuation of every kind", "https://amt.example/a.,;:!?' x", []shown{{"https://amt.example/a", "https://amt.example/a"}}},
		{"ellipsis", "https://amt.example/...", []shown{{"https://amt.example/", "https://amt.example/"}}},
		{"in parentheses", "(siehe https://amt.example/a)", []shown{{"https://amt.example/a", "https://amt.example/a"}}},
		{"parentheses that belong to the URL", "https://de.wikipedia.org/wiki/Köln_(Begriffsklärung)",
			[]shown{{"https://de.wikipedia.org/wiki/Köln_(Begriffsklärung)", "https://de.wikipedia.org/wiki/Köln_(Begriffsklärung)"}}},
		{"both", "(https://de.wikipedia.org/wiki/A_(B)).", []shown{{"https://de.wikipedia.org/wiki/A_(B)", "https://de.wikipedia.org/wiki/A_(B)"}}},
		{"square brackets", "[https://amt.example/a] [1]", []shown{{"https://amt.example/a", "https://amt.example/a"}}},
		{"angle brackets", "<https://amt.example/a>", []shown{{"https://amt.example/a", "https://amt.example/a"}}},
		{"quotes", `"https://amt.example/a" „https://amt.example/b“ 'https://amt.example/c'`,
			[]shown{{"https://amt.example/a", "https://amt.example/a"}, {"https://amt.example/b", "https://amt.example/b"}, {"https://amt.example/c", "https://amt.example/c"}}},
		{"e-mail address before a full stop", "Schreiben Sie an a@amt.example.", []shown{{"a@amt.example", "mailto:a@amt.example"}}},
		{"e-mail address in brackets", "Anna (anna@amt.example)", []shown{{"anna@amt.example", "mailto:anna@amt.example"}}},
		{"quoted reply", "> Link: https://amt.example/a\n>> mail@amt.example",
			[]shown{{"https://amt.example/a", "https://amt.example/a"}, {"mail@amt.example", "mailto:mail@amt.example"}}},
		{"tab and non-breaking space end it", "https://amt.example/a\tx https://amt.example/b\u00a0y",
			[]shown{{"https://amt.example/a", "https://amt.example/a"}, {"https://amt.example/b", "https://amt.example/b"}}},

		// Quoted-printable leftovers are not linked, nor anything inside them.
		{"encoded = in the query", "https://amt.example/antrag?id=3D42&lang=3Dde", nil},
		{"soft line break", "https://amt.example/very/long/pa=\nth/x", nil},
		{"soft line break at the end", "https://amt.example/pa=", nil},
		{"encoded bytes in a row", "https://amt.example/Stra=C3=9Fe", nil},
		{"glued to encoded text", "=E2=80=9Chttps://amt.example/a=E2=80=9D", nil},
		{"after an encoded space", "Antrag:=20https://amt.example/a", nil},
		{"address glued to encoded text", "=E4a@amt.example foo@amt.example=E4=F6", nil},
		{"encoded at sign", "poststelle=40amt.example", nil},
		{"nothing linked inside a skipped URL", "https://amt.example/x?to=3Da@amt.example", nil},
		{"a query with one = is fine", "https://amt.example/?page=20", []shown{{"https://amt.example/?page=20", "https://amt.example/?page=20"}}},

		// Not addresses.
		{"inside a word", "xhttps://amt.example/ awww.amt.example", nil},
		{"scheme without host", "https:// http://./ https:///a", nil},
		{"www. without a domain", "www.amt www. www..example", nil},
		{"other schemes", "javascript:alert(1) file:///etc/passwd ftp://amt.example/ tel:+4930", nil},
		{"no top-level domain", "root@localhost a@b.c x@1.2.3.4", nil},
		{"broken local parts", ".a@amt.example a.@amt.example a..b@amt.example @amt.example", nil},
		{"broken domains", "a@-amt.example a@amt-.example a@amt..example", nil},
		{"address in a path", "/home/a@amt.example/x", nil},
		{"two at signs", "a@amt.example@evil.example", nil},
		{"mailto without an address", "mailto: mailto:x mailto:@amt.example", nil},
		{"longer than a link may be", long, nil},
		{"a URL after an address that was no address", "a@b https://amt.example/", []shown{{"https://amt.example/", "https://amt.example/"}}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		if got := linksIn(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: TextLinks(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestTextHTML(t *testing.T) {
	in := "Guten Tag,\n\nden Antrag finden Sie unter https://amt.example/a?b=1&c=2.\n<script>alert(1)</script> \"x\" & 'y'\nFragen: poststelle@amt.example"
	want := `<pre style="white-space:pre-wrap;font-family:inherit">Guten Tag,` + "\n\n" + `den Antrag finden Sie unter ` +
		`<a href="/__deskport/open?u=https%3A%2F%2Famt.example%2Fa%3Fb%3D1%26c%3D2" title="https://amt.example/a?b=1&amp;c=2">https://amt.example/a?b=1&amp;c=2</a>.` + "\n" +
		`&lt;script&gt;alert(1)&lt;/script&gt; &#34;x&#34; &amp; &#39;y&#39;` + "\n" +
		`Fragen: <a href="/__deskport/open?u=mailto%3Apoststelle%40amt.example" title="mailto:poststelle@amt.example">poststelle@amt.example</a></pre>`
	if got := TextHTML(in); got != want {
		t.Errorf("TextHTML:\n got %s\nwant %s", got, want)
	}
	// The links are the sanitizer's own: sanitizing the result again keeps them.
	if again, _ := Sanitize(want, Policy{}); !strings.Contains(again, `href="/__deskport/open?u=https%3A%2F%2Famt.example%2Fa%3Fb%3D1%26c%3D2"`) ||
		!strings.Contains(again, `href="/__deskport/open?u=mailto%3Apoststelle%40amt.example"`) {
		t.Errorf("sanitized again: %s", again)
	}
	if got := TextHTML(""); got != `<pre style="white-space:pre-wrap;font-family:inherit"></pre>` {
		t.Errorf("empty text: %s", got)
	}
}

// Whatever the text, the result is the text (escaped) with links that only
// go to the shell's opener, for the address they show.
func FuzzTextHTML(f *testing.F) {
	for _, s := range []string{
		"https://amt.example/a?b=1&c=2.", "(www.amt.example/x_(y)))", "a@amt.example.", "=E4a@b.de https://x.example/=C3=A4",
		"mailto:a@b.example?subject=%0D%0A", "https://münchen.example/\u200b", "<https://a.example>\"'&", "https://a.example/=\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := TextHTML(in)
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "html", "head", "body", "pre":
				case "a":
					var href, title string
					for _, a := range n.Attr {
						switch a.Key {
						case "href":
							href = a.Val
						case "title":
							title = a.Val
						default:
							t.Fatalf("link attribute %s in %s", a.Key, out)
						}
					}
					target, ok := OpenTarget(href)
					if !ok || target != title || !navpolicy.ExternalOK(target) {
						t.Fatalf("link %q (title %q) from %q", href, title, in)
					}
					text := ""
					if n.FirstChild != nil {
						text = n.FirstChild.Data
					}
					if target != text && target != "https://"+text && target != "mailto:"+text {
						t.Fatalf("link shows %q but opens %q (from %q)", text, target, in)
					}
				default:
					t.Fatalf("element %s in %s", n.Data, out)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	})
}
