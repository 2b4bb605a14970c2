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
		if got := suitenav.AllowMedia(&p, u); got != want {
			t.Errorf("suitenav.AllowMedia(%q) = %v, want %v", u, got, want)
		}
	}
	if suitenav.AllowMedia(nil, "https://meet.example.org/") {
		t.Error("no suite, no camera")
	}
}

func TestOfflinePage(t *testing.T) {
	got := suitenav.OfflinePage("wails://wails/", "https://files.example.org/a b?x=1#y")
	if got != "wails://wails/#/home/offline/https:%2F%2Ffiles.example.org%2Fa%20b%3Fx=1%23y" {
		t.Errorf("OfflinePage = %s", got)
	}
}

func TestSwitcherScript(t *testing.T) {
	p := testProfile(t, map[suite.App]string{suite.Files: "http://127.0.0.1:8081"})
	s := suitenav.SwitcherScript(p, "wails://wails/")
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

func TestPolicyAdmitsAdminExtraOrigins(t *testing.T) {
	p, err := suite.New("example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	without := suitenav.Policy(&p)
	with := suitenav.Policy(&p, "https://login.bund.example")
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
