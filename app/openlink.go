package app

import (
	"net/http"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/mailto"
	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/webview2hooks"
)

// openLinkHandler serves navpolicy.OpenPath on the shell's own origin: a GET
// with ?u=URL hands a web, mail or phone link to open (openOutside) and
// answers 204, so the page that asked stays where it is. It opens only for a
// top-level navigation the user started (Fetch Metadata, which pages cannot
// forge: webview2hooks.UserNavigation), at most as often as limit allows:
// an <img>, a stylesheet, fetch() or a scripted location change pointing
// here opens nothing. The engines normally take these navigations before any
// request is made (Linux: internal/webkit Decide; Windows: the
// NavigationStarting hooks, with the engine's own user-gesture flag), so
// this handler is the last line, not the way links open.
func openLinkHandler(open func(string)) http.Handler {
	return limitedOpenLinkHandler(open, webview2hooks.NewLimiter())
}

func limitedOpenLinkHandler(open func(string), limit *webview2hooks.Limiter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != navpolicy.OpenPath {
			http.NotFound(w, r)
			return
		}
		u := r.URL.Query().Get("u")
		if r.Method != http.MethodGet || !navpolicy.ExternalOK(u) {
			http.Error(w, "only http, https, mailto and tel links open outside", http.StatusBadRequest)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		// A refusal answers 204 as well: any other status would commit an
		// error page in place of the page that asked.
		if !webview2hooks.UserNavigation(r.Header) || !limit.Allow(u) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		open(u)
		w.WriteHeader(http.StatusNoContent)
	})
}

// openOutside takes a web, mail or phone link from the shell's opener (the
// HTTP handler above on Windows, the WebKit policy handler on Linux) and
// returns at once: a mailto: link goes to Deskport's own compose view when
// that takes it (composeMailto), everything else to the desktop's browser
// or mail/phone handler.
func openOutside(u string) {
	if !navpolicy.ExternalOK(u) {
		return
	}
	go routeLink(u, composeMailto, desktopOpen)
}

// routeLink offers a mailto: link to compose (which may block while it asks
// the mail view) and opens it outside when compose is nil or did not take it.
func routeLink(u string, compose func(string) bool, outside func(string)) {
	if compose != nil && mailto.Is(u) && compose(u) {
		return
	}
	outside(u)
}

// composeMailto (nil when there is no mail service) shows a mailto: link in
// the mail view's compose panel; false: it did not (no mail account, the
// view is not shown), open it outside.
var composeMailto func(u string) bool

// desktopOpen hands u to the desktop.
func desktopOpen(u string) {
	if openExternalHook != nil {
		openExternalHook(u)
		return
	}
	if navCtx != nil {
		wruntime.BrowserOpenURL(navCtx, u)
	}
}

// openExternalHook is the platform's own opener where it has one (xdg-open on Linux).
var openExternalHook func(string)
