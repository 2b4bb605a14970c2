package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/suitenav"
)

type recNav struct{ urls []string }

func (r *recNav) Navigate(u string) { r.urls = append(r.urls, u) }

func testProfile(t *testing.T, over map[suite.App]string) suite.Profile {
	t.Helper()
	p, err := suite.New("example.org", over)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAppsAndOpen(t *testing.T) {
	p := testProfile(t, map[suite.App]string{suite.Files: "cloud.example.org"})
	nav := &recNav{}
	l := NewLauncher(func() (suite.Profile, bool) { return p, true }, nav, "wails://wails/", nil)
	apps := l.Apps()
	if len(apps) != 8 || apps[0].ID != "portal" || apps[0].Key != 1 {
		t.Fatalf("Apps() = %+v", apps)
	}
	for _, a := range apps {
		if a.ID == "dav" || a.ID == "id" {
			t.Errorf("%s is not something people open", a.ID)
		}
		if a.ID == "files" && a.URL != "https://cloud.example.org/" {
			t.Errorf("files URL = %s, want the override", a.URL)
		}
	}
	if err := l.Open("files"); err != nil {
		t.Fatal(err)
	}
	if err := l.Open("evil"); err == nil {
		t.Error("Open of an unknown app must fail")
	}
	l.Home()
	want := []string{"https://cloud.example.org/", "wails://wails/#/home"}
	if strings.Join(nav.urls, " ") != strings.Join(want, " ") {
		t.Errorf("navigated to %v, want %v", nav.urls, want)
	}
}

func TestNoSuite(t *testing.T) {
	l := NewLauncher(func() (suite.Profile, bool) { return suite.Profile{}, false }, &recNav{}, "wails://wails/", nil)
	if l.Connected() || len(l.Apps()) != 0 || l.Reachable("https://files.example.org/") {
		t.Error("without a suite there are no apps and nothing to probe")
	}
	if !suitenav.Policy(nil).Allowed("wails://wails/") || suitenav.Policy(nil).Allowed("https://files.example.org/") {
		t.Error("without a suite only the shell loads")
	}
}

func TestStatusAndReachable(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) }))
	defer up.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	p := testProfile(t, map[suite.App]string{suite.Files: up.URL, suite.Webmail: downURL})
	nav := &recNav{}
	l := NewLauncher(func() (suite.Profile, bool) { return p, true }, nav, "wails://wails/", up.Client())
	st := l.Status()
	if st["files"] != "online" || st["webmail"] != "offline" {
		t.Errorf("Status() = %v", st)
	}
	if !l.Reachable(up.URL + "/apps/files/?dir=/") {
		t.Error("a suite page whose server answers (even 403) is reachable")
	}
	if l.Reachable(downURL + "/") {
		t.Error("a stopped server is not reachable")
	}
	if l.Reachable("http://127.0.0.1:1/") {
		t.Error("only the suite's origins are probed")
	}
	if err := l.Return("https://evil.com/"); err == nil {
		t.Error("Return must refuse pages outside the suite")
	}
	if err := l.Return(up.URL + "/x"); err != nil || nav.urls[len(nav.urls)-1] != up.URL+"/x" {
		t.Errorf("Return: %v %v", err, nav.urls)
	}
}

func TestLocal(t *testing.T) {
	l := NewLauncher(func() (suite.Profile, bool) { return suite.Profile{}, false }, &recNav{}, "wails://wails/", nil)
	if got := l.Local(); len(got) != 0 {
		t.Fatalf("no sources: %v", got)
	}
	SetLocalSource(l, func() (LocalItem, bool) { return LocalItem{ID: "files", View: "files", State: "idle"}, true })
	SetLocalSource(l, func() (LocalItem, bool) { return LocalItem{}, false })
	got := l.Local()
	if len(got) != 1 || got[0].ID != "files" {
		t.Errorf("Local() = %+v", got)
	}
}
