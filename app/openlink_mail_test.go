package app

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/htmlsafe"
	"github.com/deskport/deskport/internal/navpolicy"
)

// A link in a mail, as the sanitizer rewrites it and the reader's frame
// requests it (resolved against the shell page on Linux and Windows), opens
// exactly the URL the mail had: the two ends agree on the encoding.
func TestMailLinkReachesTheOpenerUnchanged(t *testing.T) {
	hrefRE := regexp.MustCompile(`href="([^"]*)"`)
	for _, c := range []struct{ mailHref, want string }{
		{`https://amt.example/antrag?id=42&amp;lang=de#teil-2`, "https://amt.example/antrag?id=42&lang=de#teil-2"},
		{`https://amt.example/s?q=a+b%2Bc&amp;x=%26%3D`, "https://amt.example/s?q=a+b%2Bc&x=%26%3D"},
		{`https://xn--mnchen-3ya.example/Stra%C3%9Fe`, "https://xn--mnchen-3ya.example/Stra%C3%9Fe"},
		{`https://münchen.example/straße?ä=ö`, "https://münchen.example/straße?ä=ö"},
		{`//cdn.example/a;b?c=d`, "https://cdn.example/a;b?c=d"},
		{`mailto:a@amt.example,b@amt.example?cc=c@amt.example&amp;subject=Hallo%20Welt&amp;body=x%0Ay`, "mailto:a@amt.example,b@amt.example?cc=c@amt.example&subject=Hallo%20Welt&body=x%0Ay"},
		{`tel:+49%2030%20123`, "tel:+49%2030%20123"},
		{`https://amt.example/` + strings.Repeat("x", 6000), "https://amt.example/" + strings.Repeat("x", 6000)},
	} {
		out, _ := htmlsafe.Sanitize(`<a href="`+c.mailHref+`">x</a>`, htmlsafe.Policy{})
		m := hrefRE.FindStringSubmatch(out)
		if m == nil {
			t.Errorf("%s: no link in %s", c.mailHref, out)
			continue
		}
		href := strings.ReplaceAll(m[1], "&amp;", "&")
		for _, shell := range []string{navpolicy.ShellLinux, navpolicy.ShellWindows} {
			base, _ := url.Parse(shell)
			ref, err := url.Parse(href)
			if err != nil {
				t.Fatalf("%s: %v", href, err)
			}
			abs := base.ResolveReference(ref)
			if !navpolicy.IsShell(abs.String()) || abs.Path != navpolicy.OpenPath {
				t.Errorf("%s resolves to %s, not the shell's opener", href, abs)
			}
			var opened []string
			rec := httptest.NewRecorder()
			openLinkHandler(func(u string) { opened = append(opened, u) }).ServeHTTP(rec,
				clicked(httptest.NewRequest(http.MethodGet, abs.RequestURI(), nil)))
			if rec.Code != http.StatusNoContent || len(opened) != 1 || opened[0] != c.want {
				t.Errorf("%s via %s: status %d, opened %q, want %q", c.mailHref, shell, rec.Code, opened, c.want)
			}
		}
	}
}
