// Package web serves the demo suite's web apps — the portal and simple
// pages for webmail, office, chat, meet, projects and wiki — each on its
// own loopback port, so each is its own origin as in a real suite and the
// window's launcher, app switcher and navigation policy all apply.
//
// The portal can take the web apps offline for a while (OfflinePath): every
// page server then drops its connections, as an unreachable suite does, so
// the window's offline mode and its return to the page can be seen.
package web

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deskport/deskport/internal/demo/loopback"
)

// App is one web app of the demo suite.
type App struct {
	Name  string // the suite's app name (suite.App), e.g. "portal"
	Title string
	Text  string
}

// Apps are the pages served, portal first.
var Apps = []App{
	{"portal", "Portal", "Your start page: every app of the suite, one click away."},
	{"webmail", "Webmail", "The suite's mail in the browser. Deskport's Mail view shows the same mailbox, offline too."},
	{"office", "Office", "Documents, spreadsheets and presentations, edited together."},
	{"chat", "Chat", "Team chat rooms and direct messages."},
	{"meet", "Meet", "Video calls in the browser."},
	{"projects", "Projects", "Tasks, boards and timelines."},
	{"wiki", "Wiki", "The team's knowledge base."},
	{"id", "Sign-in", "The suite's identity provider (single sign-on)."},
}

// Servers are the running app pages.
type Servers struct {
	Origins map[string]string // app name → http://127.0.0.1:PORT
	servers []*http.Server
	wg      sync.WaitGroup
	// offlineUntil is when the pages answer again (UnixNano; 0: online).
	offlineUntil atomic.Int64
}

// OfflinePath is the portal's form action that takes the web apps offline
// for ?seconds=N (default DefaultOffline, at most MaxOffline).
const OfflinePath = "/__demo/offline"

const (
	DefaultOffline = 30 * time.Second
	MaxOffline     = 2 * time.Minute
)

// GoOffline makes every page server drop its connections for d.
func (s *Servers) GoOffline(d time.Duration) {
	s.offlineUntil.Store(time.Now().Add(d).UnixNano())
}

func (s *Servers) offline() bool {
	return time.Now().UnixNano() < s.offlineUntil.Load()
}

// unreachable answers nothing while the suite is offline: the connection
// is closed without a response, which the window takes for a network error.
func (s *Servers) unreachable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.offline() {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			http.Error(w, "the demo suite is offline", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// takeOffline is the portal's OfflinePath: offline from now on, and back to
// the portal (which, offline, cannot be reached: the window's offline mode).
func (s *Servers) takeOffline(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST (the portal's button)", http.StatusMethodNotAllowed)
		return
	}
	d := DefaultOffline
	if v := r.FormValue("seconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || time.Duration(n)*time.Second > MaxOffline {
			http.Error(w, fmt.Sprintf("seconds must be 1 to %d", int(MaxOffline/time.Second)), http.StatusBadRequest)
			return
		}
		d = time.Duration(n) * time.Second
	}
	s.GoOffline(d)
	w.Header().Set("Connection", "close")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// Start serves every app on its own port; preferred maps an app to the
// port it would like (taken ports fall back to free ones). links are extra
// origins the portal lists (e.g. the files app served elsewhere).
func Start(preferred map[string]int, links map[string]string) (*Servers, error) {
	s := &Servers{Origins: map[string]string{}}
	var lns []net.Listener
	for _, a := range Apps {
		ln, err := loopback.Listen(preferred[a.Name])
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, fmt.Errorf("demo web: %s: %w", a.Name, err)
		}
		lns = append(lns, ln)
		s.Origins[a.Name] = "http://" + ln.Addr().String()
	}
	all := map[string]string{}
	for k, v := range links {
		all[k] = v
	}
	for k, v := range s.Origins {
		all[k] = v
	}
	for i, a := range Apps {
		h := handler(a, all)
		if a.Name == "portal" {
			mux := http.NewServeMux()
			mux.Handle("/", h)
			mux.HandleFunc(OfflinePath, s.takeOffline)
			h = mux
		}
		srv := &http.Server{Handler: s.unreachable(h), ReadHeaderTimeout: 10 * time.Second}
		s.servers = append(s.servers, srv)
		s.wg.Add(1)
		go func(ln net.Listener) { defer s.wg.Done(); srv.Serve(ln) }(lns[i])
	}
	return s, nil
}

// Close stops every page server.
func (s *Servers) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
	}
	s.wg.Wait()
	return nil
}

var linkOrder = []string{"portal", "files", "webmail", "office", "chat", "meet", "projects", "wiki"}

func handler(a App, origins map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			http.NotFound(w, r)
			return
		}
		extra := ""
		if a.Name == "portal" {
			extra = fmt.Sprintf(`<form method=post action="%s"><p>See what Deskport does when the suite cannot be reached: `+
				`<button type=submit>Take the suite offline for %d seconds</button></p></form>`, OfflinePath, int(DefaultOffline/time.Second))
		}
		var nav strings.Builder
		for _, name := range linkOrder {
			if o := origins[name]; o != "" && name != a.Name {
				fmt.Fprintf(&nav, `<a href="%s/">%s</a>`, html.EscapeString(o), html.EscapeString(strings.ToUpper(name[:1])+name[1:]))
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		fmt.Fprintf(w, `<!doctype html><html lang=en><head><meta charset=utf-8><title>%[1]s – Deskport demo</title>
<style>body{font:16px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2433}
header{background:#1a4d8f;color:#fff;padding:1em 2em}main{padding:1em 2em}
nav a{display:inline-block;margin:.3em .6em .3em 0;padding:.6em 1em;background:#fff;border:1px solid #c9d1dc;border-radius:6px;color:#1a4d8f;text-decoration:none}
.demo{background:#fff3cd;color:#5c4400;padding:.5em 2em}</style></head>
<body><header><h1>%[1]s</h1></header><p class=demo>Demo suite running inside Deskport on this computer. Nothing here leaves it.</p>
<main><p>%[2]s</p><nav aria-label="Apps">%[3]s</nav>%[4]s</main></body></html>`, html.EscapeString(a.Title), html.EscapeString(a.Text), nav.String(), extra)
	})
}
