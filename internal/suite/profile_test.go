package suite

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseDomain(t *testing.T) {
	ok := map[string]string{
		"example.org":       "example.org",
		"  Example.ORG.  ":  "example.org",
		"Bürgeramt.Example": "xn--brgeramt-65a.example",
		"suite.stadt-a.de":  "suite.stadt-a.de",
		"localhost":         "localhost",
	}
	for in, want := range ok {
		got, err := ParseDomain(in)
		if err != nil || got != want {
			t.Errorf("ParseDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                            "enter your suite's domain",
		"https://portal.example.org/": "enter only the domain, e.g. example.org",
		"https://files.example.org/x": "e.g. example.org",
		"example.org/apps":            "path",
		"alice@example.org":           "user name",
		"example.org:8443":            "port",
		"192.0.2.1":                   "IP address",
		"example":                     "no dot",
		"exa mple.org":                "spaces",
		"ex_ample..org":               "not a valid domain",
	}
	for in, want := range bad {
		_, err := ParseDomain(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDomain(%q) error = %v; want it to mention %q", in, err, want)
		}
	}
}

func TestProfileDefaultsAndOverrides(t *testing.T) {
	p, err := New("Example.org", map[App]string{
		Files: "cloud.example.org",
		Chat:  "https://matrix.example.org:8448/",
		ID:    "https://login.example.org:443",
		Bare:  "http://127.0.0.1:8080",
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]string{
		p.AppURL(Portal):    "https://portal.example.org/",
		p.AppURL(Files):     "https://cloud.example.org/",
		p.Origin(Chat):      "https://matrix.example.org:8448",
		p.Host(Chat):        "matrix.example.org:8448",
		p.Origin(ID):        "https://login.example.org",
		p.OpenIDConfigURL(): "https://login.example.org/realms/opendesk/.well-known/openid-configuration",
		p.Origin(Bare):      "http://127.0.0.1:8080",
		p.Host(Webmail):     "webmail.example.org",
	}
	for got, want := range checks {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	want := []string{
		"http://127.0.0.1:8080", "https://cloud.example.org", "https://dav.example.org", "https://login.example.org",
		"https://matrix.example.org:8448", "https://meet.example.org", "https://office.example.org",
		"https://portal.example.org", "https://projects.example.org", "https://webmail.example.org", "https://wiki.example.org",
	}
	if got := p.Origins(); !reflect.DeepEqual(got, want) {
		t.Errorf("Origins() =\n%q\nwant\n%q", got, want)
	}
	if p.AppOf("https://cloud.example.org/") != Files || p.AppOf("https://files.example.org") != "" || p.AppOf("https://evil.example") != "" {
		t.Error("AppOf maps origins wrongly")
	}
}

func TestOverrideErrors(t *testing.T) {
	for v, want := range map[string]string{
		"http://files.example.org":     "plain http",
		"ftp://files.example.org":      "only https",
		"https://files.example.org/nc": "path",
		"https://":                     "not a host name",
	} {
		_, err := New("example.org", map[App]string{Files: v})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("override %q: error %v, want it to mention %q", v, err, want)
		}
	}
	if _, err := New("example.org", map[App]string{"mail": "x.example.org"}); err == nil || !strings.Contains(err.Error(), "unknown app") {
		t.Errorf("unknown app accepted: %v", err)
	}
	p, err := New("example.org", map[App]string{Files: "http://localhost:8080", Meet: "http://[::1]:9000"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Origin(Files) != "http://localhost:8080" || p.Origin(Meet) != "http://[::1]:9000" {
		t.Errorf("loopback overrides: %q %q", p.Origin(Files), p.Origin(Meet))
	}
	p, err = FromSettings("example.org", map[string]string{"Files": "127.0.0.1:8080", "wiki": "wiki.example.org:8443", "chat": "https://127.0.0.1:8448"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Origin(Files) != "http://127.0.0.1:8080" || p.Origin(Wiki) != "https://wiki.example.org:8443" || p.Origin(Chat) != "https://127.0.0.1:8448" {
		t.Errorf("settings overrides: %q %q %q", p.Origin(Files), p.Origin(Wiki), p.Origin(Chat))
	}
}
