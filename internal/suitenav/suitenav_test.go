package suitenav

import (
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/suite"
)

func testProfile(t *testing.T, over map[suite.App]string) suite.Profile {
	t.Helper()
	p, err := suite.New("example.org", over)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAllowMedia(t *testing.T) {
	p := testProfile(t, nil)
	cases := map[string]bool{
		"https://meet.example.org/room":      true,
		"https://MEET.example.org./room":     true,
		"https://files.example.org/":         false,
		"https://meet.example.org.evil.com/": false,
		"https://meet.example.org@evil.com/": false,
		"http://meet.example.org/":           false,
		"wails://wails/":                     false,
		"":                                   false,
	}
	for u, want := range cases {
		if got := AllowMedia(&p, u); got != want {
			t.Errorf("AllowMedia(%q) = %v, want %v", u, got, want)
		}
	}
	if AllowMedia(nil, "https://meet.example.org/") {
		t.Error("no suite, no camera")
	}
}

func TestOfflinePage(t *testing.T) {
	got := OfflinePage("wails://wails/", "https://files.example.org/a b?x=1#y")
	if got != "wails://wails/#/home/offline/https:%2F%2Ffiles.example.org%2Fa%20b%3Fx=1%23y" {
		t.Errorf("OfflinePage = %s", got)
	}
}

func TestSwitcherScript(t *testing.T) {
	p := testProfile(t, map[suite.App]string{suite.Files: "http://127.0.0.1:8081"})
	s := SwitcherScript(p, "wails://wails/")
	for _, want := range []string{`"http://127.0.0.1:8081"`, `"wails://wails/#/home"`, `"https://webmail.example.org/"`, "attachShadow({ mode: 'closed' })", "window.top !== window"} {
		if !strings.Contains(s, want) {
			t.Errorf("switcher script lacks %s", want)
		}
	}
	for _, bad := range []string{"window.go", "runtime", "postMessage", "__LINKS__"} {
		if strings.Contains(s, bad) {
			t.Errorf("switcher script must be links only, found %q", bad)
		}
	}
}

func TestPolicyAdmitsAdminExtraOrigins(t *testing.T) {
	p, err := suite.New("example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	without := Policy(&p)
	with := Policy(&p, "https://login.bund.example")
	if without.OriginOf("https://login.bund.example/auth") != "" {
		t.Fatal("a foreign IdP loads without the admin's extraOrigins")
	}
	if with.OriginOf("https://login.bund.example/auth") == "" {
		t.Fatal("the admin's extra origin does not load")
	}
	if with.OriginOf("https://evil.example/") != "" {
		t.Fatal("extraOrigins opened the window to everything")
	}
}
