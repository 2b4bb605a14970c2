package htmlsafe

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/deskport/deskport/internal/navpolicy"
)

// linkOf sanitizes in and returns the href and title of the first <a>.
func linkOf(t *testing.T, in string) (href, title string, hasHref bool) {
	t.Helper()
	out, _ := Sanitize(in, Policy{})
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "a" {
			for _, a := range n.Attr {
				switch a.Key {
				case "href":
					href, hasHref = a.Val, true
				case "title":
					title = a.Val
				case "target", "rel":
					t.Errorf("%s: link keeps %s=%q in %s", in, a.Key, a.Val, out)
				}
			}
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(doc)
	return
}

// Working links go to the shell's opener with the original URL, shown as the
// title; the frame navigates itself there (no target, no popup).
func TestLinksGoToTheOpener(t *testing.T) {
	long := "https://track.example/r?" + strings.Repeat("a", 4000)
	for _, c := range []struct{ in, want string }{
		{`<a href="https://amt.example/a?b=1&amp;c=2#f">x</a>`, "https://amt.example/a?b=1&c=2#f"},
		{`<a href="http://amt.example/">x</a>`, "http://amt.example/"},
		{`<a href="HTTPS://Amt.Example/X">x</a>`, "HTTPS://Amt.Example/X"},
		{`<a href="//amt.example/p">x</a>`, "https://amt.example/p"},
		{`<a href="  https://amt.example/p  ">x</a>`, "https://amt.example/p"},
		{"<a href=\"ht\ttp\ns://amt.example/p\">x</a>", "https://amt.example/p"},
		{`<a href="https&#58;//amt.example/&#112;">x</a>`, "https://amt.example/p"},
		{`<a href="https://amt.example/a b">x</a>`, "https://amt.example/a%20b"},
		{`<a href="mailto:poststelle@amt.example?subject=Antrag%20%26%20mehr">x</a>`, "mailto:poststelle@amt.example?subject=Antrag%20%26%20mehr"},
		{`<a href="tel:+49301234">x</a>`, "tel:+49301234"},
		{`<a href="https://amt.example/" target="_top" rel="opener">x</a>`, "https://amt.example/"},
		{`<a href="https://bank.example.evil/" title="https://bank.example/">x</a>`, "https://bank.example.evil/"},
		{`<a href="https://first.example/" href="javascript:alert(1)">x</a>`, "https://first.example/"},
		{`<a href="https://amt.example/%E2%82%AC?q=%26&amp;u=%2F">x</a>`, "https://amt.example/%E2%82%AC?q=%26&u=%2F"},
		{`<a href="` + long + `">x</a>`, long},
		// Our own output, sanitized again, opens the same URL.
		{`<a href="/__deskport/open?u=https%3A%2F%2Famt.example%2F">x</a>`, "https://amt.example/"},
	} {
		href, title, ok := linkOf(t, c.in)
		if !ok {
			t.Errorf("%s: link dropped", c.in)
			continue
		}
		if !strings.HasPrefix(href, navpolicy.OpenPath+"?u=") {
			t.Errorf("%s: href %q is not the opener", c.in, href)
			continue
		}
		got, err := url.ParseQuery(strings.TrimPrefix(href, navpolicy.OpenPath+"?"))
		if err != nil || len(got) != 1 || len(got["u"]) != 1 || got.Get("u") != c.want {
			t.Errorf("%s: opens %q (%v), want %q", c.in, got, err, c.want)
		}
		if title != c.want {
			t.Errorf("%s: title %q, want the real address %q", c.in, title, c.want)
		}
		if u, ok := OpenTarget(href); !ok || u != c.want {
			t.Errorf("%s: OpenTarget %q %v", c.in, u, ok)
		}
	}
}

// Everything else stays dead text: no href at all.
func TestHostileLinksStayDead(t *testing.T) {
	for _, in := range []string{
		`<a href="javascript:alert(1)">x</a>`,
		`<a href=" javascript:alert(1)">x</a>`,
		"<a href=\"java\tscript:alert(1)\">x</a>",
		"<a href=\"java\x01script:alert(1)\">x</a>",
		`<a href="java&#x09;script:alert(1)">x</a>`,
		`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
		`<a href="&#x6A;avascript&colon;alert(1)">x</a>`,
		`<a href="javascript&#58;alert(1)">x</a>`,
		`<a href="JaVaScRiPt:alert(1)">x</a>`,
		`<a href="vbscript:msgbox(1)">x</a>`,
		`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
		`<a href="data:image/png;base64,AAAA">x</a>`,
		`<a href="file:///etc/passwd">x</a>`,
		`<a href="ftp://files.example/x">x</a>`,
		`<a href="blob:https://x.example/uuid">x</a>`,
		`<a href="wails://wails/#/accounts">x</a>`,
		`<a href="cid:part1@x">x</a>`,
		`<a href="/relative">x</a>`,
		`<a href="relative/page.html">x</a>`,
		`<a href="https:evil.example">x</a>`,
		`<a href="https:\\evil.example">x</a>`,
		`<a href="\\evil.example\share">x</a>`,
		`<a href="///evil.example">x</a>`,
		`<a href="https://">x</a>`,
		`<a href="http://[::1">x</a>`,
		`<a href="https://x.example/` + strings.Repeat("a", MaxLinkBytes) + `">x</a>`,
		`<a href="/__deskport/open?u=javascript%3Aalert(1)">x</a>`,
		`<a href="/__deskport/open?u=https%3A%2F%2Fx.example&u=javascript:alert(1)">x</a>`,
		`<a href="/__deskport/open?u=%2F__deskport%2Fopen%3Fu%3Dhttps%253A%252F%252Fx.example">x</a>`,
		`<a href="/__deskport/open?u=%zz">x</a>`,
		`<a href="/__deskport/open/../x?u=https%3A%2F%2Fx.example">x</a>`,
		`<a xlink:href="https://x.example">x</a>`,
	} {
		if href, _, ok := linkOf(t, in); ok {
			t.Errorf("%q: kept href %q", in, href)
		}
		out, _ := Sanitize(in, Policy{})
		if !strings.Contains(out, ">x</a>") {
			t.Errorf("%q: lost the link text: %s", in, out)
		}
	}
}

// A fragment scrolls inside the message and keeps the mail's own title;
// nothing else may point at the opener (images, CSS).
func TestFragmentsAndNoOpenerElsewhere(t *testing.T) {
	if href, title, _ := linkOf(t, `<a href="#top" title="nach oben">x</a>`); href != "#top" || title != "nach oben" {
		t.Errorf("fragment: %q %q", href, title)
	}
	if _, title, ok := linkOf(t, `<a href="javascript:x" title="Hinweis">x</a>`); ok || title != "Hinweis" {
		t.Errorf("dead link lost its own title: %q", title)
	}
	for _, in := range []string{
		`<img src="/__deskport/open?u=https%3A%2F%2Fx.example">`,
		`<div style="background:url(/__deskport/open?u=https%3A%2F%2Fx.example)">x</div>`,
		`<table background="/__deskport/open?u=https%3A%2F%2Fx.example">`,
		`<style>p{background:url("/__deskport/open?u=https%3A%2F%2Fx.example")}</style>`,
		`<img src="http://wails.localhost/__deskport/open?u=https%3A%2F%2Fx.example">`,
		`<img src="http://WAILS.localhost:80/__deskport/open?u=https%3A%2F%2Fx.example">`,
	} {
		for _, allow := range []bool{false, true} {
			if out, _ := Sanitize(in, Policy{AllowRemote: allow}); strings.Contains(out, "__deskport") {
				t.Errorf("allowRemote=%v %s: %s", allow, in, out)
			}
		}
	}
}
