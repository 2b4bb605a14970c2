package main

import (
	"strings"
	"testing"
)

func TestGuardScriptFollowsTheSuite(t *testing.T) {
	t.Setenv("DESKPORT_SUITE_DOMAIN", "example.org")
	t.Setenv("DESKPORT_SUITE_HOSTS", "meet=http://127.0.0.1:9001")
	s := guardScript("http://wails.localhost/")
	for _, want := range []string{
		`"https://files.example.org"`, `"https://id.example.org"`, `"meet":"http://127.0.0.1:9001"`,
		`"open":"http://wails.localhost/__deskport/open?u="`, `"offline":"http://wails.localhost/#/home/offline/"`,
		"deskport-switcher", // app.SwitcherScript, appended
	} {
		if !strings.Contains(s, want) {
			t.Errorf("guard script lacks %s", want)
		}
	}
	t.Setenv("DESKPORT_SUITE_DOMAIN", "")
	t.Setenv("DESKPORT_HOME", t.TempDir()) // no account book: shell only
	if s := guardScript("http://wails.localhost/"); strings.Contains(s, "deskport-switcher") || !strings.Contains(s, `"allowed":[]`) {
		t.Errorf("without a suite the guard should allow nothing and add no switcher")
	}
}
