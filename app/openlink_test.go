package app

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/navpolicy"
)

// clicked marks r as a top-level navigation the user started, as Chromium
// sends it for a click on a link.
func clicked(r *http.Request) *http.Request {
	r.Header.Set("Sec-Fetch-Mode", "navigate")
	r.Header.Set("Sec-Fetch-Dest", "document")
	r.Header.Set("Sec-Fetch-User", "?1")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	return r
}

func TestOpenLinkHandler(t *testing.T) {
	var opened []string
	h := openLinkHandler(func(u string) { opened = append(opened, u) })
	get := func(method, target string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, clicked(httptest.NewRequest(method, target, nil)))
		return rec.Code
	}
	link := "https://example.org/a?b=c&d=e#f"
	if c := get("GET", navpolicy.OpenPath+"?u="+url.QueryEscape(link)); c != http.StatusNoContent {
		t.Fatalf("web link: status %d, want 204", c)
	}
	if len(opened) != 1 || opened[0] != link {
		t.Fatalf("opened %q, want exactly %q", opened, link)
	}
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", ""} {
		if c := get("GET", navpolicy.OpenPath+"?u="+url.QueryEscape(bad)); c != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", bad, c)
		}
	}
	if c := get("POST", navpolicy.OpenPath+"?u="+url.QueryEscape(link)); c != http.StatusBadRequest {
		t.Errorf("POST: status %d, want 400", c)
	}
	if c := get("GET", "/other?u="+url.QueryEscape(link)); c != http.StatusNotFound {
		t.Errorf("other path: status %d, want 404", c)
	}
	if len(opened) != 1 {
		t.Errorf("refused requests still opened: %q", opened)
	}
}

// The attack of issue 15: a page points sub-resources or scripted
// navigations at the shell's opener to open browser tabs or a phone handler
// in a loop. None of them opens anything; a click opens once; a flood of
// clicks is limited.
func TestOpenLinkHandlerOnlyOnAClick(t *testing.T) {
	var opened []string
	h := openLinkHandler(func(u string) { opened = append(opened, u) })
	target := navpolicy.ShellWindows + strings.TrimPrefix(navpolicy.OpenPath, "/") + "?u=" + url.QueryEscape("tel:+4930123")
	serve := func(hdr map[string]string) int {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	for _, c := range []struct {
		name string
		hdr  map[string]string
	}{
		{"<img src>", map[string]string{"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image", "Sec-Fetch-Site": "cross-site"}},
		{"<link rel=stylesheet>", map[string]string{"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "style"}},
		{"<script src>", map[string]string{"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"}},
		{"fetch()", map[string]string{"Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}},
		{"<iframe src> loaded by the page", map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}},
		{"location= by script", map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}},
		{"a request without fetch metadata", nil},
	} {
		for i := 0; i < 20; i++ {
			if code := serve(c.hdr); code != http.StatusNoContent {
				t.Errorf("%s: status %d, want 204 (the page that asked stays)", c.name, code)
				break
			}
		}
	}
	if len(opened) != 0 {
		t.Fatalf("requests without a click opened %q", opened)
	}
	click := map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1"}
	if code := serve(click); code != http.StatusNoContent || len(opened) != 1 || opened[0] != "tel:+4930123" {
		t.Fatalf("a click: status %d, opened %q", code, opened)
	}
	if code := serve(click); code != http.StatusNoContent || len(opened) != 1 {
		t.Errorf("the same link again at once: status %d, opened %d times", code, len(opened))
	}
	// A page holding a gesture opening many links: at most five in ten seconds.
	for i := 0; i < 30; i++ {
		r := clicked(httptest.NewRequest(http.MethodGet, navpolicy.OpenPath+"?u="+url.QueryEscape("https://spam.example/"+strconv.Itoa(i)), nil))
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if len(opened) != 5 {
		t.Errorf("a burst of clicks opened %d links, want 5", len(opened))
	}
}

// mailto: links go to compose when it takes them, else outside like every
// other link; web and phone links never reach compose.
func TestRouteLink(t *testing.T) {
	for _, c := range []struct {
		link          string
		takes         bool
		asked, opened bool
	}{
		{"mailto:a@amt.example?subject=x", true, true, false},
		{"MAILTO:a@amt.example", true, true, false},
		{"mailto:a@amt.example", false, true, true}, // no mail account or no mail view
		{"https://amt.example/mailto:a@amt.example", true, false, true},
		{"tel:+4930123", true, false, true},
	} {
		var asked, opened []string
		compose := func(u string) bool { asked = append(asked, u); return c.takes }
		routeLink(c.link, compose, func(u string) { opened = append(opened, u) })
		if (len(asked) == 1) != c.asked || (len(opened) == 1) != c.opened || (c.asked && asked[0] != c.link) || (c.opened && opened[0] != c.link) {
			t.Errorf("%s (compose takes it: %v): compose asked %q, opened outside %q", c.link, c.takes, asked, opened)
		}
	}
	var opened []string
	routeLink("mailto:a@amt.example", nil, func(u string) { opened = append(opened, u) })
	if len(opened) != 1 {
		t.Errorf("without a mail service a mailto: link opened %q", opened)
	}
}
