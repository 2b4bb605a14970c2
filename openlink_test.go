package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/deskport/deskport/internal/navpolicy"
)

func TestOpenLinkHandler(t *testing.T) {
	var opened []string
	h := openLinkHandler(func(u string) { opened = append(opened, u) })
	get := func(method, target string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
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
