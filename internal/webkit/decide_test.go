package webkit

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/navpolicy"
)

func TestDecide(t *testing.T) {
	p := navpolicy.New([]string{"https://files.example.org", "https://id.example.org"})
	const suitePage = false // a page other than the shell is committed
	const mailView = true   // the shell is committed
	reader := navpolicy.ShellLinux + strings.TrimPrefix(navpolicy.OpenPath, "/") + "?u="
	cases := []struct {
		name    string
		uri     string
		kind    int
		gesture bool
		shown   bool
		want    Decision
	}{
		{"link inside the suite: decided at the response", "https://files.example.org/x", 0, true, suitePage, Decision{}},
		{"outside link: decided at the response", "https://evil.com/", 0, true, suitePage, Decision{}},
		{"switcher home link from a suite page", "wails://wails/#/home", 0, true, suitePage, Decision{Ignore: true, LoadInstead: "wails://wails/#/home"}},
		{"suite page linking to a shell page with parameters gets the launcher", "wails://wails/#/accounts/reset?x=1", 0, true, suitePage, Decision{Ignore: true, LoadInstead: "wails://wails/#/home"}},
		{"shell navigating inside itself", "wails://wails/#/files", 0, true, true, Decision{}},
		{"allowed _blank opens in the same view", "https://id.example.org/a", 1, true, suitePage, Decision{Ignore: true, LoadInstead: "https://id.example.org/a"}},
		{"outside _blank click goes to the browser", "https://evil.com/", 1, true, suitePage, Decision{Ignore: true, OpenExternal: true}},
		{"outside popup without a click is dropped", "https://evil.com/", 1, false, suitePage, Decision{Ignore: true}},
		{"javascript: popup is dropped", "javascript:alert(1)", 1, true, suitePage, Decision{Ignore: true}},
		{"suite response loads", "https://files.example.org/x", 2, false, suitePage, Decision{}},
		{"shell response loads", "wails://wails/", 2, false, true, Decision{}},
		{"clicked outside response goes to the browser", "https://evil.com/", 2, true, suitePage, Decision{Ignore: true, OpenExternal: true}},
		{"scripted outside response (no click) is only dropped", "https://evil.com/", 2, false, suitePage, Decision{Ignore: true}},
		{"userinfo trick never loads", "https://files.example.org@evil.com/", 2, true, suitePage, Decision{Ignore: true, OpenExternal: true}},
		{"history or script going to the shell from a page is re-routed", "wails://wails/", 0, false, suitePage, Decision{Ignore: true, LoadInstead: "wails://wails/#/home"}},
		{"the shell loaded over Deskport's blank page goes on", "wails://wails/#/home", 0, false, true, Decision{}},
		{"data: response is blocked", "data:text/html,hi", 2, false, suitePage, Decision{Ignore: true}},
		{"file: response is blocked", "file:///etc/passwd", 2, false, suitePage, Decision{Ignore: true}},

		// The reader's mail links (htmlsafe.OpenHref, resolved against the shell).
		{"mail link clicked in the reader: opened, the frame stays", reader + url.QueryEscape("https://amt.example/a?b=1&c=2#x"), 0, true, mailView,
			Decision{Ignore: true, Open: "https://amt.example/a?b=1&c=2#x"}},
		{"mailto: link clicked in the reader", reader + url.QueryEscape("mailto:a@amt.example?subject=Hallo%20Welt"), 0, true, mailView,
			Decision{Ignore: true, Open: "mailto:a@amt.example?subject=Hallo%20Welt"}},
		{"tel: link clicked in the reader", reader + url.QueryEscape("tel:+49301234"), 0, true, mailView, Decision{Ignore: true, Open: "tel:+49301234"}},
		{"the Windows shell's form of the opener", "http://wails.localhost/__deskport/open?u=" + url.QueryEscape("https://amt.example/"), 0, true, mailView,
			Decision{Ignore: true, Open: "https://amt.example/"}},
		{"middle click (new window) on a mail link", reader + url.QueryEscape("https://amt.example/"), 1, true, mailView, Decision{Ignore: true, Open: "https://amt.example/"}},
		{"opener without a click: nothing opens, the frame stays", reader + url.QueryEscape("https://amt.example/"), 0, false, mailView, Decision{Ignore: true}},
		{"opener asked for javascript:", reader + url.QueryEscape("javascript:alert(1)"), 0, true, mailView, Decision{Ignore: true}},
		{"opener asked for file:", reader + url.QueryEscape("file:///etc/passwd"), 0, true, mailView, Decision{Ignore: true}},
		{"opener without an address", "wails://wails/__deskport/open", 0, true, mailView, Decision{Ignore: true}},
		{"a suite page linking to the opener gets the launcher, not the opener", reader + url.QueryEscape("https://evil.com/"), 0, true, suitePage,
			Decision{Ignore: true, LoadInstead: "wails://wails/#/home"}},
		{"another shell path is not the opener", "wails://wails/__deskport/openx?u=" + url.QueryEscape("https://amt.example/"), 0, true, mailView, Decision{}},
		{"main-frame response of the opener is the shell's", reader + url.QueryEscape("https://amt.example/"), 2, false, mailView, Decision{}},
	}
	for _, c := range cases {
		if got := Decide(p, c.uri, c.kind, c.gesture, c.shown); got != c.want {
			t.Errorf("%s: Decide(%q) = %+v, want %+v", c.name, c.uri, got, c.want)
		}
	}
}

func TestGestureMemory(t *testing.T) {
	g := newGestureMemory(10 * time.Second)
	t0 := time.Unix(1000, 0)
	if g.Take("https://evil.com/", t0) {
		t.Fatal("a response nobody clicked counted as clicked")
	}
	g.Note("https://evil.com/a", t0)
	if g.Take("https://evil.com/b", t0) {
		t.Fatal("a click on one address counted for another")
	}
	if !g.Take("https://evil.com/a", t0.Add(time.Second)) {
		t.Fatal("the clicked address did not count")
	}
	if g.Take("https://evil.com/a", t0.Add(time.Second)) {
		t.Fatal("one click counted twice")
	}
	g.Note("https://evil.com/late", t0)
	if g.Take("https://evil.com/late", t0.Add(11*time.Second)) {
		t.Fatal("a click counted after its time ran out")
	}
}

func TestRateLimit(t *testing.T) {
	r := newRateLimit(3, time.Second)
	t0 := time.Unix(1000, 0)
	got := 0
	for i := 0; i < 50; i++ { // a page looping on links within 50 ms
		if r.Allow(t0.Add(time.Duration(i) * time.Millisecond)) {
			got++
		}
	}
	if got != 3 {
		t.Fatalf("a burst of 50 opens let %d through, want 3", got)
	}
	if !r.Allow(t0.Add(1100 * time.Millisecond)) {
		t.Fatal("no open allowed a second later")
	}
	if r.Allow(t0.Add(1150 * time.Millisecond)) {
		t.Fatal("a second open allowed within the same second")
	}
}
