package app

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

// The Windows window holds every shell request until its engine hooks are
// installed, and without them serves a page that says why instead of the
// shell: no shell page, so no click or script can start a remote load.
func TestWindowGuardHoldsTheShellUntilHooked(t *testing.T) {
	type hooks struct{ name string }
	shellPage := "<html>the shell with its bindings</html>"
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, shellPage) })
	get := func(g *windowGuard[*hooks], path string) (chan *httptest.ResponseRecorder, *http.Request) {
		done := make(chan *httptest.ResponseRecorder, 1)
		r := httptest.NewRequest(http.MethodGet, "http://wails.localhost"+path, nil)
		go func() {
			rec := httptest.NewRecorder()
			g.middleware(next).ServeHTTP(rec, r)
			done <- rec
		}()
		return done, r
	}

	g := newWindowGuard[*hooks](5 * time.Second)
	pending, _ := get(g, "/")
	select {
	case rec := <-pending:
		t.Fatalf("the shell was served before the hooks: %d %q", rec.Code, rec.Body)
	case <-time.After(200 * time.Millisecond):
	}
	g.finish(&hooks{"installed"}, nil)
	rec := <-pending
	if rec.Code != 200 || rec.Body.String() != shellPage {
		t.Fatalf("after the hooks: %d %q", rec.Code, rec.Body)
	}
	if h, err := g.wait(); err != nil || h.name != "installed" {
		t.Fatalf("wait: %v %v", h, err)
	}
	g.finish(nil, errors.New("a later outcome")) // only the first counts
	if _, err := g.wait(); err != nil {
		t.Fatal("a second finish changed the outcome")
	}

	// Installation failed: the reason instead of the shell, escaped.
	bad := newWindowGuard[*hooks](5 * time.Second)
	bad.finish(nil, errors.New(`field "chromium" moved <script>alert(1)</script>`))
	for _, path := range []string{"/", "/index.html", "/wails/ipc.js", "/assets/index.js", "/__deskport/open?u=https%3A%2F%2Fx.example"} {
		rec := <-func() chan *httptest.ResponseRecorder { c, _ := get(bad, path); return c }()
		body := rec.Body.String()
		if rec.Code != http.StatusServiceUnavailable || strings.Contains(body, shellPage) {
			t.Errorf("%s without hooks: %d %q", path, rec.Code, body)
		}
		if path == "/" && (!strings.Contains(body, "cannot protect this window") || !strings.Contains(body, "&lt;script&gt;") || strings.Contains(body, "<script>")) {
			t.Errorf("the failure page does not say why, or not escaped: %s", body)
		}
	}

	// Nothing ever reports: after the timeout the window counts as unguarded.
	never := newWindowGuard[*hooks](100 * time.Millisecond)
	rec = <-func() chan *httptest.ResponseRecorder { c, _ := get(never, "/"); return c }()
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "not installed in time") {
		t.Errorf("without an outcome: %d %q", rec.Code, rec.Body)
	}
	if _, err := never.wait(); !errors.Is(err, errGuardTimeout) {
		t.Errorf("wait after the timeout: %v", err)
	}
}
