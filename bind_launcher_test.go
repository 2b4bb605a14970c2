package main

import "testing"

func TestProfileFromEnv(t *testing.T) {
	p, err := profileFromEnv("example.test", "files=http://127.0.0.1:8081, meet = meet.other.org ,junk")
	if err != nil {
		t.Fatal(err)
	}
	if p.AppURL("files") != "http://127.0.0.1:8081/" || p.AppURL("meet") != "https://meet.other.org/" || p.AppURL("wiki") != "https://wiki.example.test/" {
		t.Errorf("profile = %+v", p)
	}
	if _, err := profileFromEnv("", ""); err == nil {
		t.Error("no domain, no suite")
	}
	if _, err := profileFromEnv("example.test", "files=http://cloud.example.test"); err == nil {
		t.Error("plain http to a non-loopback host must be refused")
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
		if got := externalOK(u); got != want {
			t.Errorf("externalOK(%q) = %v, want %v", u, got, want)
		}
	}
}
