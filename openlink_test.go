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
