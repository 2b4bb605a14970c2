package app

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/webguard"
)

// guardScript is the page guard for the current policy, with the app
// switcher. Windows runs it in every frame of every document before the
// page's own scripts (the WebView2 hooks' document-created script) and again
// after each completed load (for Chromium's error pages). Plain Go on every
// platform, so it is tested on Linux too.
func guardScript(shell string) string {
	var c webguard.Config
	if p, ok := suiteProfile(); ok {
		c = webguard.ForProfile(&p, adminExtraOrigins, shell)
	} else {
		c = webguard.ForProfile(nil, adminExtraOrigins, shell)
	}
	// The hooks decide navigations, new windows and permissions with the
	// engine's own user-gesture flag; the guard does not reroute them.
	c.Host = true
	return webguard.Script(c)
}

// windowGuard holds the window back until its engine hooks (H) are
// installed, and keeps it closed to the suite if they could not be: the
// shell's origin answers with a page that says why instead of the shell (so
// no shell page, no link and no script can start a remote navigation), and
// Deskport's own navigations are refused.
type windowGuard[H any] struct {
	ready   chan struct{}
	once    sync.Once
	hooks   H
	err     error
	timeout time.Duration
}

var errGuardTimeout = errors.New("the window's engine hooks were not installed in time")

func newWindowGuard[H any](timeout time.Duration) *windowGuard[H] {
	return &windowGuard[H]{ready: make(chan struct{}), timeout: timeout}
}

// finish records the installation's outcome; only the first one counts.
func (g *windowGuard[H]) finish(h H, err error) {
	g.once.Do(func() {
		g.hooks, g.err = h, err
		close(g.ready)
	})
}

// wait returns the hooks once installed, or why there are none. After the
// timeout without an outcome the window counts as unguarded for good.
func (g *windowGuard[H]) wait() (H, error) {
	t := time.NewTimer(g.timeout)
	defer t.Stop()
	select {
	case <-g.ready:
	case <-t.C:
		var none H
		g.finish(none, fmt.Errorf("%w (%s)", errGuardTimeout, g.timeout))
	}
	return g.hooks, g.err
}

// middleware wraps the shell's asset server: every request waits for the
// hooks; without them the shell is replaced.
func (g *windowGuard[H]) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := g.wait(); err != nil {
			serveUnguarded(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func serveUnguarded(w http.ResponseWriter, r *http.Request, reason error) {
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Path != "/" && r.URL.Path != "/index.html" {
		http.Error(w, "Deskport's window is not protected", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprint(w, strings.NewReplacer("{{reason}}", html.EscapeString(reason.Error())).Replace(unguardedPage))
}

const unguardedPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Deskport</title>
<style>body{font:15px system-ui,'Segoe UI',sans-serif;margin:48px;max-width:46em;color:#1d2330}
code{display:block;white-space:pre-wrap;background:#f1f3f5;padding:10px;border-radius:6px}</style></head>
<body><h1>Deskport cannot protect this window</h1>
<p>Deskport shows the suite only in a window whose engine it controls (which pages may load,
which links open outside, which sites may use camera and microphone). That control could not be
set up, so this window shows no suite pages. Sync in the background and the command line are not affected.</p>
<p>Reason:</p><code>{{reason}}</code>
<p>What to do: update Deskport and the Microsoft Edge WebView2 Runtime, then start Deskport again.
<code>deskport doctor</code> reports the same reason; give it to your IT if this stays.</p>
</body></html>
`
