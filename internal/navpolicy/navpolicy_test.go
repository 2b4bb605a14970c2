package navpolicy

import "testing"

var suite = []string{
	"https://portal.example.org",
	"https://id.example.org",
	"https://files.example.org/",
	"https://cloud.example.org:8443",
	"https://Bürgeramt.example",
	"http://127.0.0.1:8081",
	"not a url",
	"javascript:alert(1)",
}

func TestDecide(t *testing.T) {
	p := New(suite)
	cases := []struct {
		url  string
		want Action
	}{
		// the shell
		{"wails://wails/", Allow},
		{"wails://wails/#/offline?to=x", Allow},
		{"WAILS://WAILS/index.html", Allow},
		{"wails://evil/", Block},
		{"http://wails.localhost/", Allow},
		{"http://wails.localhost./#/home", Allow},
		{"http://wails.localhost:8080/", External},
		{"http://user@wails.localhost/", External},
		{"about:blank", Allow},
		// suite origins
		{"https://files.example.org/apps/files/", Allow},
		{"https://FILES.Example.ORG/x", Allow},
		{"https://files.example.org./x", Allow},
		{"https://files.example.org:443/x", Allow},
		{"https://id.example.org/realms/opendesk/protocol/openid-connect/auth?x=1", Allow},
		{"https://cloud.example.org:8443/", Allow},
		{"https://cloud.example.org/", External},          // other port
		{"https://files.example.org:8443/", External},     // other port
		{"http://files.example.org/", External},           // downgrade is another origin
		{"https://xn--brgeramt-65a.example/", Allow},      // punycode of an IDN origin
		{"https://bürgeramt.example/", Allow},             // Unicode form
		{"https://BÜRGERAMT.example/", Allow},             // case-folded Unicode
		{"https://bürgeramt.example.evil.com/", External}, // suffix trick
		{"http://127.0.0.1:8081/login", Allow},
		{"http://127.0.0.1:8082/", External},
		{"http://localhost:8081/", External}, // another origin, even if the same socket
		// userinfo tricks never load in the window
		{"https://files.example.org@evil.com/", External},
		{"https://files.example.org:443@evil.com/", External},
		{"https://user:pw@files.example.org/", External},
		{"https://evil.com\\@files.example.org/", Block},
		{"https://files.example.org%2eevil.com/", Block},
		{"https://evil.com#@files.example.org", External},
		{"https://evil.com?@files.example.org", External},
		{"https://files.example.org.evil.com/", External},
		{"https://evilfiles.example.org/", External},
		{"https://example.org/", External},
		// other schemes
		{"javascript:alert(document.cookie)", Block},
		{"JaVaScRiPt:alert(1)", Block},
		{" javascript:alert(1)", Block},
		{"data:text/html,<script>alert(1)</script>", Block},
		{"file:///etc/passwd", Block},
		{"ftp://files.example.org/", Block},
		{"vbscript:msgbox", Block},
		{"mailto:alice@example.org", External},
		{"tel:+4930123", External},
		{"blob:https://files.example.org/1b2c", Allow},
		{"blob:https://evil.com/1b2c", Block},
		{"blob:null/1b2c", Block},
		{"", Block},
		{"https://", Block},
		{"https://files.example.org:99999999999999999999/", Block},
		{"https://files.example.org:0443/", Allow},
		{"https://[::1]/", External},
	}
	for _, c := range cases {
		if got := p.Decide(c.url); got != c.want {
			t.Errorf("Decide(%q) = %v, want %v", c.url, got, c.want)
		}
	}
}

func TestOriginsNormalised(t *testing.T) {
	got := New(suite).Origins()
	want := []string{
		"http://127.0.0.1:8081",
		"https://cloud.example.org:8443",
		"https://files.example.org",
		"https://id.example.org",
		"https://portal.example.org",
		"https://xn--brgeramt-65a.example",
	}
	if len(got) != len(want) {
		t.Fatalf("Origins() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Origins() = %v, want %v", got, want)
		}
	}
}

func TestEmptyPolicyAllowsOnlyShell(t *testing.T) {
	p := New(nil)
	if p.Decide("wails://wails/") != Allow || p.Decide("https://files.example.org/") != External {
		t.Fatal("an empty policy must allow the shell and send everything else out")
	}
}

func TestOriginOf(t *testing.T) {
	p := New(suite)
	if o := p.OriginOf("https://Files.example.org./a?b"); o != "https://files.example.org" {
		t.Errorf("OriginOf = %q", o)
	}
	for _, u := range []string{"wails://wails/", "https://evil.com/", "https://files.example.org@evil.com/", "https://u@files.example.org/"} {
		if o := p.OriginOf(u); o != "" {
			t.Errorf("OriginOf(%q) = %q, want none", u, o)
		}
	}
}

func TestOfflineError(t *testing.T) {
	cases := []struct {
		domain string
		code   int
		want   bool
	}{
		{"WebKitNetworkError", 399, true},  // transport
		{"WebKitNetworkError", 302, false}, // cancelled
		{"g-io-error-quark", 39, true},     // connection refused
		{"g-io-error-quark", 19, false},    // cancelled
		{"g-resolver-error-quark", 0, true},
		{"WebKitPolicyError", 102, false}, // interrupted by our policy
		{"WebKitDownloadError", 400, false},
		{"", 0, false},
	}
	for _, c := range cases {
		if got := OfflineError(c.domain, c.code); got != c.want {
			t.Errorf("OfflineError(%q, %d) = %v, want %v", c.domain, c.code, got, c.want)
		}
	}
}

func TestExternalOK(t *testing.T) {
	for u, want := range map[string]bool{
		"https://evil.com/x":          true,
		"http://example.org":          true,
		"mailto:a@example.org":        true,
		"tel:+49301234":               true,
		"javascript:alert(1)":         false,
		"file:///etc/passwd":          false,
		"data:text/html,x":            false,
		"https:///nohost":             false,
		"--help":                      false,
		"smb://server/share":          false,
		"x-scheme-handler/deskport:a": false,
	} {
		if got := ExternalOK(u); got != want {
			t.Errorf("ExternalOK(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestOpenRequest(t *testing.T) {
	cases := []struct {
		raw, target string
		ok          bool
	}{
		{"wails://wails/__deskport/open?u=https%3A%2F%2Famt.example%2Fa%3Fb%3D1%26c%3D2", "https://amt.example/a?b=1&c=2", true},
		{"http://wails.localhost/__deskport/open?u=mailto%3Aa%40amt.example", "mailto:a@amt.example", true},
		{"wails://wails/__deskport/open?u=javascript%3Aalert(1)", "javascript:alert(1)", true}, // an open request; ExternalOK refuses it
		{"wails://wails/__deskport/open", "", true},
		{"wails://wails/__deskport/open/x?u=https%3A%2F%2Fa.example", "", false},
		{"wails://wails/#/mail", "", false},
		{"wails://evil/__deskport/open?u=https%3A%2F%2Fa.example", "", false},
		{"https://files.example.org/__deskport/open?u=https%3A%2F%2Fa.example", "", false},
		{"http://wails.localhost:8080/__deskport/open?u=https%3A%2F%2Fa.example", "", false},
	}
	for _, c := range cases {
		if target, ok := OpenRequest(c.raw); target != c.target || ok != c.ok {
			t.Errorf("OpenRequest(%q) = %q, %v; want %q, %v", c.raw, target, ok, c.target, c.ok)
		}
	}
}
