package webkit

import (
	"testing"

	"github.com/deskport/deskport/internal/navpolicy"
)

func TestDecide(t *testing.T) {
	p := navpolicy.New([]string{"https://files.example.org", "https://id.example.org"})
	const suitePage = "https://files.example.org/apps/files/"
	cases := []struct {
		name    string
		uri     string
		kind    int
		gesture bool
		view    string
		want    Decision
	}{
		{"link inside the suite: decided at the response", "https://files.example.org/x", 0, true, suitePage, Decision{}},
		{"outside link: decided at the response", "https://evil.com/", 0, true, suitePage, Decision{}},
		{"switcher home link from a suite page", "wails://wails/#/home", 0, true, suitePage, Decision{Ignore: true, LoadInstead: "wails://wails/#/home"}},
		{"suite page linking to a shell page with parameters gets the launcher", "wails://wails/#/accounts/reset?x=1", 0, true, suitePage, Decision{Ignore: true, LoadInstead: "wails://wails/#/home"}},
		{"shell navigating inside itself", "wails://wails/#/files", 0, true, "wails://wails/", Decision{}},
		{"allowed _blank opens in the same view", "https://id.example.org/a", 1, true, suitePage, Decision{Ignore: true, LoadInstead: "https://id.example.org/a"}},
		{"outside _blank click goes to the browser", "https://evil.com/", 1, true, suitePage, Decision{Ignore: true, OpenExternal: true}},
		{"outside popup without a click is dropped", "https://evil.com/", 1, false, suitePage, Decision{Ignore: true}},
		{"javascript: popup is dropped", "javascript:alert(1)", 1, true, suitePage, Decision{Ignore: true}},
		{"suite response loads", "https://files.example.org/x", 2, false, suitePage, Decision{}},
		{"shell response loads", "wails://wails/", 2, false, "", Decision{}},
		{"outside response goes to the browser", "https://evil.com/", 2, false, suitePage, Decision{Ignore: true, OpenExternal: true}},
		{"userinfo trick never loads", "https://files.example.org@evil.com/", 2, false, suitePage, Decision{Ignore: true, OpenExternal: true}},
		{"data: response is blocked", "data:text/html,hi", 2, false, suitePage, Decision{Ignore: true}},
		{"file: response is blocked", "file:///etc/passwd", 2, false, suitePage, Decision{Ignore: true}},
	}
	for _, c := range cases {
		if got := Decide(p, c.uri, c.kind, c.gesture, c.view); got != c.want {
			t.Errorf("%s: Decide(%q) = %+v, want %+v", c.name, c.uri, got, c.want)
		}
	}
}
