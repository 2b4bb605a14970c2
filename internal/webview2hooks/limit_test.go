package webview2hooks

import (
	"net/http"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	l := NewLimiter()
	l.Now = func() time.Time { return now }
	step := func(d time.Duration) { now = now.Add(d) }

	if !l.Allow("https://a.example/") {
		t.Fatal("the first open was refused")
	}
	if l.Allow("https://a.example/") {
		t.Error("the same link twice at once (a double click) opened twice")
	}
	step(1100 * time.Millisecond)
	if !l.Allow("https://a.example/") {
		t.Error("the same link a second later was refused")
	}
	// A page with a gesture tries to open many different links at once.
	opened := 0
	for i := 0; i < 50; i++ {
		if l.Allow("https://spam.example/" + string(rune('a'+i%26)) + string(rune('a'+i/26))) {
			opened++
		}
	}
	if opened != 3 { // five in ten seconds, two already used
		t.Errorf("a burst of 50 links opened %d, want 3", opened)
	}
	step(10 * time.Second)
	if !l.Allow("https://b.example/") {
		t.Error("after the window the limiter did not recover")
	}
	if l.Allow("") {
		t.Error("an empty link was allowed")
	}
}

func TestUserNavigation(t *testing.T) {
	h := func(kv ...string) http.Header {
		x := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			x.Set(kv[i], kv[i+1])
		}
		return x
	}
	for _, c := range []struct {
		name string
		h    http.Header
		want bool
	}{
		{"a click on a link (top level)", h("Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document", "Sec-Fetch-User", "?1", "Sec-Fetch-Site", "cross-site"), true},
		{"<img src>", h("Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image", "Sec-Fetch-Site", "cross-site"), false},
		{"fetch()", h("Sec-Fetch-Mode", "cors", "Sec-Fetch-Dest", "empty"), false},
		{"location= by script, no click", h("Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"), false},
		{"a frame navigated by a click", h("Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "iframe", "Sec-Fetch-User", "?1"), false},
		{"a stylesheet claiming a user", h("Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "style", "Sec-Fetch-User", "?1"), false},
		{"no fetch metadata at all", h(), false},
		{"user ?0", h("Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document", "Sec-Fetch-User", "?0"), false},
	} {
		if got := UserNavigation(c.h); got != c.want {
			t.Errorf("%s: UserNavigation = %v, want %v", c.name, got, c.want)
		}
	}
}
