// Package web serves the demo suite's web apps — the portal and simple
// pages for webmail, office, chat, meet, projects and wiki — each on its
// own loopback port, so each is its own origin as in a real suite and the
// window's launcher, app switcher and navigation policy all apply.
package web

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"sync"
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
		srv := &http.Server{Handler: handler(a, all), ReadHeaderTimeout: 10 * time.Second}
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
<main><p>%[2]s</p><nav aria-label="Apps">%[3]s</nav></main></body></html>`, html.EscapeString(a.Title), html.EscapeString(a.Text), nav.String())
	})
}
