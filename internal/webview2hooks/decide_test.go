package webview2hooks

import (
	"net/url"
	"testing"

	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/suitenav"
)

const shell = navpolicy.ShellWindows

func testPolicy() *navpolicy.Policy {
	return navpolicy.New([]string{"https://files.example.org", "https://id.example.org", "https://meet.example.org"})
}

func opener(u string) string { return shell + "__deskport/open?u=" + url.QueryEscape(u) }

func TestNavigationMainFrame(t *testing.T) {
	p := testPolicy()
	files := "https://files.example.org/apps/files/"
	for _, c := range []struct {
		name          string
		uri, top      string
		user, trusted bool
		want          Nav
	}{
		{"suite page", files, shell + "#/home", true, false, Nav{}},
		{"suite page by script", files, "https://id.example.org/login", false, false, Nav{}},
		{"IdP", "https://id.example.org/realms/x/protocol/openid-connect/auth?x=1", files, false, false, Nav{}},
		{"outside link clicked", "https://example.com/a?b=c", files, true, false, Nav{Cancel: true, Open: "https://example.com/a?b=c"}},
		{"outside page by script: nothing opens", "https://evil.example/", files, false, false, Nav{Cancel: true}},
		{"credentials in the URL go outside, never in the window", "https://files.example.org@evil.example/", files, true, false, Nav{Cancel: true, Open: "https://files.example.org@evil.example/"}},
		{"other port is another origin", "https://files.example.org:8443/", files, true, false, Nav{Cancel: true, Open: "https://files.example.org:8443/"}},
		{"downgrade is another origin", "http://files.example.org/", files, true, false, Nav{Cancel: true, Open: "http://files.example.org/"}},
		{"mailto clicked", "mailto:a@example.org", files, true, false, Nav{Cancel: true, Open: "mailto:a@example.org"}},
		{"tel by script: nothing", "tel:+4930123", files, false, false, Nav{Cancel: true}},
		{"javascript:", "javascript:alert(1)", files, true, false, Nav{Cancel: true}},
		{"data: page", "data:text/html,<script>x</script>", files, true, false, Nav{Cancel: true}},
		{"file:", "file:///C:/Windows/win.ini", files, true, false, Nav{Cancel: true}},
		{"custom scheme", "ms-settings:privacy", files, true, false, Nav{Cancel: true}},
		{"blob of a suite origin", "blob:https://files.example.org/0b4c", files, false, false, Nav{}},
		{"blob of an outside origin", "blob:https://evil.example/0b4c", files, true, false, Nav{Cancel: true}},
		{"about:blank", "about:blank", files, false, false, Nav{}},
		{"shell launcher from a suite page (switcher)", shell + "#/home", files, true, false, Nav{}},
		{"shell root as Wails loads it", shell, files, false, false, Nav{}},
		{"offline view from Chromium's error page", shell + "#/home/offline/https%3A%2F%2Ffiles.example.org%2F", "chrome-error://chromewebdata/", false, false, Nav{}},
		{"shell route with parameters from a suite page", shell + "#/mail?compose=mailto:x@evil.example", files, true, false, Nav{Cancel: true, Load: ShellHome}},
		{"shell accounts view from a suite page", shell + "#/accounts", files, false, false, Nav{Cancel: true, Load: ShellHome}},
		{"shell query from a suite page", shell + "?x=1#/home", files, false, false, Nav{Cancel: true, Load: ShellHome}},
		{"shell other path from a suite page", shell + "index.html#/mail", files, false, false, Nav{Cancel: true, Load: ShellHome}},
		{"shell route by Deskport itself", shell + "#/accounts", files, true, true, Nav{}},
		{"shell route inside the shell", shell + "#/mail", shell + "#/home", true, false, Nav{}},
		{"shell on another port is not the shell", "http://wails.localhost:8080/", files, false, false, Nav{Cancel: true}},
		{"trusted does not let an outside page in", "https://evil.example/", shell, true, true, Nav{Cancel: true, Open: "https://evil.example/"}},
		{"opener clicked from a suite page", opener("https://example.com/x"), files, true, false, Nav{Cancel: true, Open: "https://example.com/x"}},
		{"opener by script: nothing", opener("https://example.com/x"), files, false, false, Nav{Cancel: true}},
		{"opener with javascript:", opener("javascript:alert(1)"), files, true, false, Nav{Cancel: true}},
		{"opener with file:", opener("file:///etc/passwd"), shell, true, false, Nav{Cancel: true}},
	} {
		got := Navigation(p, c.uri, c.top, c.user, false, c.trusted)
		if got != c.want {
			t.Errorf("%s: Navigation(%q) = %+v, want %+v", c.name, c.uri, got, c.want)
		}
	}
}

func TestNavigationFrames(t *testing.T) {
	p := testPolicy()
	files := "https://files.example.org/apps/files/"
	for _, c := range []struct {
		name     string
		uri, top string
		user     bool
		want     Nav
	}{
		{"the reader's mail frame", "about:srcdoc", shell + "#/mail", false, Nav{}},
		{"blank frame", "about:blank", files, false, Nav{}},
		{"suite frame", "https://files.example.org/embed", files, false, Nav{}},
		{"embedded outside content", "https://maps.example.net/embed", files, false, Nav{}},
		{"mail link clicked in the reader", opener("https://amt.example/antrag?id=1&x=2"), shell + "#/mail", true, Nav{Cancel: true, Open: "https://amt.example/antrag?id=1&x=2"}},
		{"mail link without a click", opener("https://amt.example/"), shell + "#/mail", false, Nav{Cancel: true}},
		{"opener navigated by an outside frame without click", opener("tel:+4930123"), files, false, Nav{Cancel: true}},
		{"shell inside a suite page", shell + "#/home", files, true, Nav{Cancel: true}},
		{"shell inside an outside page's frame", shell, "https://files.example.org/", false, Nav{Cancel: true}},
		{"shell frame inside the shell", shell + "#/x", shell + "#/home", false, Nav{}},
		{"javascript: frame", "javascript:alert(1)", files, true, Nav{Cancel: true}},
		{"data: frame", "data:text/html,x", files, false, Nav{Cancel: true}},
		{"file: frame", "file:///C:/", files, true, Nav{Cancel: true}},
		{"mailto in a frame clicked", "mailto:a@example.org", files, true, Nav{Cancel: true, Open: "mailto:a@example.org"}},
		{"tel in a frame by script", "tel:+4930", files, false, Nav{Cancel: true}},
	} {
		got := Navigation(p, c.uri, c.top, c.user, true, false)
		if got != c.want {
			t.Errorf("%s: frame Navigation(%q) = %+v, want %+v", c.name, c.uri, got, c.want)
		}
	}
}

func TestNewWindow(t *testing.T) {
	p := testPolicy()
	files := "https://files.example.org/apps/files/"
	for _, c := range []struct {
		name string
		uri  string
		user bool
		want Nav
	}{
		{"suite link target=_blank", "https://files.example.org/s/abc", true, Nav{Cancel: true, Load: "https://files.example.org/s/abc"}},
		{"suite window.open by script", "https://meet.example.org/room", false, Nav{Cancel: true, Load: "https://meet.example.org/room"}},
		{"outside link target=_blank clicked", "https://example.com/", true, Nav{Cancel: true, Open: "https://example.com/"}},
		{"outside window.open by script: nothing", "https://evil.example/", false, Nav{Cancel: true}},
		{"empty window.open", "", true, Nav{Cancel: true}},
		{"about:blank window.open", "about:blank", true, Nav{Cancel: true}},
		{"javascript: popup", "javascript:alert(1)", true, Nav{Cancel: true}},
		{"data: popup", "data:text/html,x", true, Nav{Cancel: true}},
		{"opener in a new window clicked", opener("https://example.com/x"), true, Nav{Cancel: true, Open: "https://example.com/x"}},
		{"opener in a new window by script", opener("https://example.com/x"), false, Nav{Cancel: true}},
		{"shell route with parameters in a new window", shell + "#/accounts?x", true, Nav{Cancel: true, Load: ShellHome}},
		{"shell launcher in a new window", shell + "#/home", true, Nav{Cancel: true, Load: shell + "#/home"}},
	} {
		got := NewWindow(p, c.uri, files, c.user)
		if got != c.want {
			t.Errorf("%s: NewWindow(%q) = %+v, want %+v", c.name, c.uri, got, c.want)
		}
		if !got.Cancel {
			t.Errorf("%s: a new-window request must always be handled", c.name)
		}
	}
}

func TestPermission(t *testing.T) {
	prof, err := suite.New("example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	allow := func(u string) bool { return suitenav.AllowMedia(&prof, u) }
	meet := prof.Origin(suite.Meet)
	if meet == "" {
		t.Fatal("the test suite has no meet origin")
	}
	files := prof.Origin(suite.Files)
	for _, c := range []struct {
		name      string
		kind      PermissionKind
		uri, top  string
		allowedBy func(string) bool
		want      PermissionState
	}{
		{"camera in the video app", PermissionCamera, meet + "/", meet + "/room", allow, PermissionAllow},
		{"microphone in the video app", PermissionMicrophone, meet + "/", meet + "/room", allow, PermissionAllow},
		{"camera in files", PermissionCamera, files + "/", files + "/apps/files", allow, PermissionDeny},
		{"camera from an outside frame inside the video app", PermissionCamera, "https://evil.example/", meet + "/room", allow, PermissionDeny},
		{"camera from a video-app frame inside files", PermissionCamera, meet + "/", files + "/", allow, PermissionDeny},
		{"meet with credentials", PermissionCamera, "https://x@" + meet[len("https://"):] + "/", meet + "/", allow, PermissionDeny},
		{"meet on another port", PermissionCamera, meet + ":8443/", meet + ":8443/", allow, PermissionDeny},
		{"geolocation in the video app", PermissionGeolocation, meet + "/", meet + "/", allow, PermissionDeny},
		{"notifications in files", PermissionNotifications, files + "/", files + "/", allow, PermissionDeny},
		{"clipboard read in files", PermissionClipboardRead, files + "/", files + "/", allow, PermissionDeny},
		{"an unknown kind", PermissionKind(99), meet + "/", meet + "/", allow, PermissionDeny},
		{"camera in the shell", PermissionCamera, shell, shell, allow, PermissionDeny},
		{"no suite connected", PermissionCamera, meet + "/", meet + "/", nil, PermissionDeny},
	} {
		if got := Permission(c.kind, c.uri, c.top, c.allowedBy); got != c.want {
			t.Errorf("%s: Permission = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestShellEntry(t *testing.T) {
	for u, want := range map[string]bool{
		shell:                      true,
		shell + "#/":               true,
		shell + "#/home":           true,
		shell + "#/home/offline/x": true,
		"http://wails.localhost":   true,
		shell + "#/home?x":         false, // a fragment cannot carry a query here; taken whole
		shell + "#/homeX":          false,
		shell + "#/mail":           false,
		shell + "?a=b":             false,
		shell + "?":                false,
		shell + "x#/home":          false,
		"https://evil.example/":    false,
	} {
		if got := ShellEntry(u); got != want {
			t.Errorf("ShellEntry(%q) = %v, want %v", u, got, want)
		}
	}
}
