package webview2hooks

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limiter bounds how often the window hands links to the desktop: one
// click is one open (the same address again within Same is dropped: a
// double click, or a navigation and its new-window twin), and at most Burst
// opens within Window, so that a page holding a user gesture cannot fill the
// desktop with browser tabs or start a phone call in a loop.
type Limiter struct {
	Same   time.Duration
	Window time.Duration
	Burst  int
	Now    func() time.Time // tests set a clock

	mu     sync.Mutex
	recent []opened
}

type opened struct {
	u  string
	at time.Time
}

// NewLimiter is the window's limit: the same link once a second, five links
// in ten seconds.
func NewLimiter() *Limiter {
	return &Limiter{Same: time.Second, Window: 10 * time.Second, Burst: 5}
}

// Allow reports whether u may be opened now and, if so, counts it.
func (l *Limiter) Allow(u string) bool {
	if u == "" {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	keep := l.recent[:0]
	for _, o := range l.recent {
		if now.Sub(o.at) < l.Window {
			keep = append(keep, o)
		}
	}
	l.recent = keep
	if len(l.recent) >= l.Burst {
		return false
	}
	for _, o := range l.recent {
		if o.u == u && now.Sub(o.at) < l.Same {
			return false
		}
	}
	l.recent = append(l.recent, opened{u, now})
	return true
}

// UserNavigation reports whether an HTTP request to the shell's opener is a
// top-level navigation the user started (a click, not script): Chromium sets
// the Fetch Metadata headers itself and a page cannot forge them.
// Sub-resources (<img src>, fetch, CSS) carry another Sec-Fetch-Dest and no
// Sec-Fetch-User; a navigation by script without a click has no
// Sec-Fetch-User. A request without the headers (an engine that does not
// send them, or does not show them to the host) opens nothing: on Windows
// the NavigationStarting hook takes the opener's navigations before any
// request is made, and on Linux the WebKit policy handler does.
func UserNavigation(h http.Header) bool {
	return strings.EqualFold(h.Get("Sec-Fetch-Mode"), "navigate") &&
		strings.EqualFold(h.Get("Sec-Fetch-Dest"), "document") &&
		h.Get("Sec-Fetch-User") == "?1"
}
