package webkit

import (
	"net/url"
	"strings"

	"github.com/deskport/deskport/internal/navpolicy"
)

// Decision is what the window does with one policy request.
type Decision struct {
	Ignore       bool   // do not let the engine go on with it
	OpenExternal bool   // hand the URL to the system browser
	LoadInstead  string // load this in the main view instead
	// Open is a web, mail or phone link the shell's opener was asked for
	// (a link in the reader's mail frame): hand it to the app's opener
	// instead of letting the frame navigate, so the frame keeps the message.
	Open string
}

// ShellHome is the launcher page of the shell that uri belongs to.
func ShellHome(uri string) string {
	if u, err := url.Parse(uri); err == nil && strings.EqualFold(u.Scheme, "http") {
		return navpolicy.ShellWindows + "#/home"
	}
	return navpolicy.ShellLinux + "#/home"
}

// Decide turns the navigation policy into an engine decision. kind is 0 for
// a navigation action (any frame: iframes cannot be told apart here, so only
// the shell special case is handled), 1 for a new-window request
// (target=_blank, window.open) and 2 for a main-frame response (the
// authoritative check, which also catches redirects and location.href).
// gesture says whether the user clicked (for a response: whether the
// navigation action that led to it was a click). shellShown says that the
// shell is the committed page (or the blank page Deskport loaded to put the
// shell on): only then may a navigation go to the shell directly.
// Navigations of any frame to the shell's opener while the shell is shown
// are decided first (see Decision.Open).
func Decide(p *navpolicy.Policy, uri string, kind int, gesture bool, shellShown bool) Decision {
	// A link to the shell's opener (navpolicy.OpenPath), clicked while the
	// shell is shown: the reader's mail links. The navigation is never let
	// through (WebKitGTK would commit the opener's 204 on wails:// as an
	// empty page in the frame); the link is opened from here instead, only
	// on a click and only if it is a web, mail or phone link.
	if target, ok := navpolicy.OpenRequest(uri); ok && kind != 2 && shellShown {
		if gesture && navpolicy.ExternalOK(target) {
			return Decision{Ignore: true, Open: target}
		}
		return Decision{Ignore: true}
	}
	a := p.Decide(uri)
	switch kind {
	case 0:
		// A page other than the shell going to the shell (the injected
		// switcher, location=, a link, history, a redirect): never let it
		// go on, as the URI would turn into the shell's while the page still
		// runs and Wails would take its messages for the shell's. Deskport
		// loads the shell itself instead, over a blank page (Load).
		// Only the launcher is reachable that way: shell pages take
		// parameters from the address, which suite pages must not set.
		if navpolicy.IsShell(uri) && !shellShown {
			return Decision{Ignore: true, LoadInstead: ShellHome(uri)}
		}
		return Decision{}
	case 1:
		switch a {
		case navpolicy.Allow:
			// Wails has no second window: open allowed _blank links here.
			return Decision{Ignore: true, LoadInstead: uri}
		case navpolicy.External:
			return Decision{Ignore: true, OpenExternal: gesture}
		}
		return Decision{Ignore: true}
	case 2:
		switch a {
		case navpolicy.Allow:
			return Decision{}
		case navpolicy.External:
			// Only a click opens anything outside: a page's script
			// (location=, a redirect it was not clicked into) is dropped.
			return Decision{Ignore: true, OpenExternal: gesture}
		}
		return Decision{Ignore: true}
	}
	return Decision{Ignore: true}
}
