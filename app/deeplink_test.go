package app

import (
	"testing"

	"github.com/deskport/deskport/internal/suite"
)

func TestResolveDeepLink(t *testing.T) {
	p, err := suite.New("example.org", map[suite.App]string{suite.Files: "http://127.0.0.1:8081"})
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]string{
		"deskport://home":                                "wails://wails/#/home",
		"deskport://":                                    "wails://wails/#/home",
		"deskport://view/mail/INBOX/42":                  "wails://wails/#/mail/INBOX/42",
		"deskport://open/files":                          "http://127.0.0.1:8081/",
		"deskport://open/files/apps/files/?dir=/Project": "http://127.0.0.1:8081/apps/files/?dir=/Project",
		"DESKPORT://open/Webmail#mail/1":                 "https://webmail.example.org/#mail/1",
		"deskport:open/meet/room-1":                      "https://meet.example.org/room-1",
		"deskport://open/files/@evil.com/":               "http://127.0.0.1:8081/@evil.com/", // a path, still the files origin
		"deskport://open/files//evil.com/x":              "http://127.0.0.1:8081//evil.com/x",
	}
	for in, want := range ok {
		got, err := ResolveDeepLink(in, &p, "wails://wails/")
		if err != nil || got != want {
			t.Errorf("ResolveDeepLink(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"https://files.example.org/",
		"deskport://open/evil",
		"deskport://open/dav",
		"deskport://open/files@evil.com/",
		"deskport://user@open/files",
		"deskport://open/",
		"deskport://view/",
		"deskport://view/a.b",
		"deskport://run/javascript:alert(1)",
	}
	for _, in := range bad {
		if got, err := ResolveDeepLink(in, &p, "wails://wails/"); err == nil {
			t.Errorf("ResolveDeepLink(%q) = %q, want an error", in, got)
		}
	}
	if _, err := ResolveDeepLink("deskport://open/files", nil, "wails://wails/"); err == nil {
		t.Error("open without a suite must fail")
	}
}

func TestDeepLinks(t *testing.T) {
	got := DeepLinks([]string{"--flag", "deskport://open/files", "x", "DeskPort:home"})
	if len(got) != 2 || got[0] != "deskport://open/files" || got[1] != "DeskPort:home" {
		t.Errorf("DeepLinks = %v", got)
	}
}
