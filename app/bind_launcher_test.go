package app

import (
	"os"
	"testing"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/suite"
)

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

func TestSuiteProfileFromAccountBook(t *testing.T) {
	t.Setenv("DESKPORT_HOME", t.TempDir())
	t.Setenv("DESKPORT_SUITE_DOMAIN", "")
	if _, ok := suiteProfile(); ok {
		t.Fatal("no book, no suite")
	}
	paths, err := config.UserPaths()
	if err != nil {
		t.Fatal(err)
	}
	p, err := suite.New("example.org", map[suite.App]string{suite.Files: "cloud.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(paths.Config, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := accounts.SaveBook(paths, accounts.Book{Suite: &p}); err != nil {
		t.Fatal(err)
	}
	got, ok := suiteProfile()
	if !ok || got.AppURL(suite.Files) != "https://cloud.example.org/" {
		t.Fatalf("suiteProfile() = %+v, %v", got, ok)
	}
	if !currentPolicy().Allowed("https://cloud.example.org/apps/files/") || currentPolicy().Allowed("https://evil.com/") {
		t.Error("the policy follows the book's suite")
	}
	// The environment wins (test setups).
	t.Setenv("DESKPORT_SUITE_DOMAIN", "other.org")
	if got, ok := suiteProfile(); !ok || got.Domain != "other.org" {
		t.Errorf("env profile = %+v", got)
	}
}

func TestGermanUI(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if !germanUI(env(map[string]string{"LANG": "de_DE.UTF-8"})) || germanUI(env(map[string]string{"LANG": "en_GB.UTF-8"})) {
		t.Error("LANG decides")
	}
	if germanUI(env(map[string]string{"LC_ALL": "C", "LANG": "de_DE.UTF-8"})) {
		t.Error("LC_ALL wins over LANG")
	}
	if !germanUI(env(map[string]string{"LC_MESSAGES": "de_AT.UTF-8", "LANG": "en_US.UTF-8"})) {
		t.Error("LC_MESSAGES wins over LANG")
	}
	if menuText(true)["quit"] != "Beenden" || menuText(false)["quit"] != "Quit" {
		t.Error("menu wording")
	}
}

func TestWebSessionDirsMatchLogout(t *testing.T) {
	paths := config.Paths{Data: "/d"}
	dirs := accounts.WebSessionDirs(paths)
	has := func(d string) bool {
		for _, x := range dirs {
			if x == d {
				return true
			}
		}
		return false
	}
	if !has(webkitDataDir(paths.Data)) || !has(webviewUserDataPath(paths.Data)) {
		t.Errorf("logout clears %v; the window keeps sessions in %s and %s", dirs, webkitDataDir(paths.Data), webviewUserDataPath(paths.Data))
	}
}
