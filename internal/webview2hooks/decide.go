package webview2hooks

import (
	"net/url"
	"strings"

	"github.com/deskport/deskport/internal/navpolicy"
)

// Nav is what the window does with one navigation or new-window request.
type Nav struct {
	// Cancel: the engine must not go on with it.
	Cancel bool
	// Open is a web, mail or phone link to hand to the desktop (already
	// checked with navpolicy.ExternalOK; still subject to the Limiter).
	Open string
	// Load is an address to load in the main frame instead (after Cancel).
	Load string
}

// Navigation decides a NavigationStarting (frame false) or
// FrameNavigationStarting (frame true) event. top is the page the main frame
// shows now (ICoreWebView2.Source), user the event's IsUserInitiated, and
// trusted says the navigation was started by Deskport itself (Hooks.Navigate:
// the menu, a deep link, the end of a sign-in), which may open any shell route.
//
// Main frame: suite pages, the IdP and the shell load; outside web, mail and
// phone links go to the desktop on a user's click only; everything else
// (javascript:, data:, file:, custom schemes) is cancelled. A page outside the
// shell may only bring up the shell's launcher (the switcher's home link,
// Ctrl+0 through the page): other shell routes take parameters from the
// address, which a suite page must not set.
//
// Frames: embedded content of other web origins may load (a suite app embeds
// maps, videos, office editors): a frame cannot reach the host — Wails
// accepts a message only when the document that sent it is the shell's (not
// only the page shown), permissions are decided per origin below, and new
// windows are always handled. Frames never load the shell inside a
// non-shell page, nor non-web schemes (about:blank and about:srcdoc aside).
func Navigation(p *navpolicy.Policy, uri, top string, user, frame, trusted bool) Nav {
	uri = strings.TrimSpace(uri)
	if target, ok := navpolicy.OpenRequest(uri); ok {
		// The shell's opener (the reader's mail links, the page guard):
		// never loaded; the link opens outside on a click only.
		return Nav{Cancel: true, Open: openIf(user, target)}
	}
	if frame {
		switch {
		case uri == "about:blank" || uri == "about:srcdoc":
			return Nav{}
		case navpolicy.IsShell(uri):
			if navpolicy.IsShell(top) {
				return Nav{}
			}
			return Nav{Cancel: true}
		}
		switch p.Decide(uri) {
		case navpolicy.Allow:
			return Nav{}
		case navpolicy.External:
			if isWeb(uri) {
				return Nav{}
			}
			return Nav{Cancel: true, Open: openIf(user, uri)} // mailto:, tel:
		}
		return Nav{Cancel: true}
	}
	switch p.Decide(uri) {
	case navpolicy.Allow:
		if !trusted && navpolicy.IsShell(uri) && !navpolicy.IsShell(top) && !ShellEntry(uri) {
			return Nav{Cancel: true, Load: ShellHome}
		}
		return Nav{}
	case navpolicy.External:
		return Nav{Cancel: true, Open: openIf(user, uri)}
	}
	return Nav{Cancel: true}
}

// NewWindow decides a NewWindowRequested event (target=_blank, window.open,
// a middle click): Deskport has one window, so the request is always handled
// (no popup: it would have no guard, a URL bar of its own and the signed-in
// session). A suite page loads in the window, an outside link goes to the
// desktop on a click, anything else nowhere.
func NewWindow(p *navpolicy.Policy, uri, top string, user bool) Nav {
	uri = strings.TrimSpace(uri)
	if uri == "" || uri == "about:blank" {
		return Nav{Cancel: true}
	}
	if target, ok := navpolicy.OpenRequest(uri); ok {
		return Nav{Cancel: true, Open: openIf(user, target)}
	}
	switch p.Decide(uri) {
	case navpolicy.Allow:
		if navpolicy.IsShell(uri) && !navpolicy.IsShell(top) && !ShellEntry(uri) {
			return Nav{Cancel: true, Load: ShellHome}
		}
		return Nav{Cancel: true, Load: uri}
	case navpolicy.External:
		return Nav{Cancel: true, Open: openIf(user, uri)}
	}
	return Nav{Cancel: true}
}

// ShellHome is the launcher of the Windows shell.
const ShellHome = navpolicy.ShellWindows + "#/home"

// ShellEntry reports whether uri is a shell address a page outside the shell
// may load: the launcher (with the offline view a Chromium error page goes
// to) or the shell's root as Wails loads it, without a query.
func ShellEntry(uri string) bool {
	u, err := url.Parse(strings.TrimSpace(uri))
	if err != nil || !navpolicy.IsShell(uri) || u.RawQuery != "" || u.ForceQuery {
		return false
	}
	if u.Path != "" && u.Path != "/" {
		return false
	}
	f := u.Fragment
	return f == "" || f == "/" || f == "/home" || strings.HasPrefix(f, "/home/offline/")
}

func openIf(user bool, target string) string {
	if user && navpolicy.ExternalOK(target) {
		return target
	}
	return ""
}

func isWeb(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	s := strings.ToLower(u.Scheme)
	return s == "http" || s == "https"
}

// PermissionKind is COREWEBVIEW2_PERMISSION_KIND.
type PermissionKind uint32

// The kinds Deskport names (WebView2.idl); every other kind is denied too.
const (
	PermissionUnknown       PermissionKind = 0
	PermissionMicrophone    PermissionKind = 1
	PermissionCamera        PermissionKind = 2
	PermissionGeolocation   PermissionKind = 3
	PermissionNotifications PermissionKind = 4
	PermissionClipboardRead PermissionKind = 6
)

// PermissionState is COREWEBVIEW2_PERMISSION_STATE.
type PermissionState uint32

const (
	PermissionDefault PermissionState = 0
	PermissionAllow   PermissionState = 1
	PermissionDeny    PermissionState = 2
)

// Permission decides a PermissionRequested event: camera and microphone
// only when both the asking frame (uri) and the page shown (top) are the
// video app (allowMedia is app.AllowMedia for the connected suite), every
// other permission for every origin denied, without a prompt.
func Permission(kind PermissionKind, uri, top string, allowMedia func(string) bool) PermissionState {
	if (kind == PermissionMicrophone || kind == PermissionCamera) && allowMedia != nil && allowMedia(uri) && allowMedia(top) {
		return PermissionAllow
	}
	return PermissionDeny
}
