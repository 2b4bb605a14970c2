package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Every app is its own origin, and the portal links to all of them and to
// the files app served elsewhere.
func TestEachAppOnItsOwnOrigin(t *testing.T) {
	s, err := Start(nil, map[string]string{"files": "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seen := map[string]string{}
	for _, a := range Apps {
		o := s.Origins[a.Name]
		if prev, dup := seen[o]; dup || o == "" {
			t.Fatalf("%s and %s share the origin %q", a.Name, prev, o)
		}
		seen[o] = a.Name
		resp, err := http.Get(o + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "<title>"+a.Title) || resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("%s: HTTP %d, %q", a.Name, resp.StatusCode, body)
		}
		if a.Name == "portal" {
			for _, want := range []string{"http://127.0.0.1:1/", s.Origins["wiki"] + "/", s.Origins["webmail"] + "/"} {
				if !strings.Contains(string(body), want) {
					t.Errorf("the portal does not link to %s", want)
				}
			}
		}
	}
}

// The portal's button takes every web app offline for the time asked: their
// connections are dropped (a network error, not an HTTP answer) and they
// answer again afterwards. Only a POST with a sane duration does it.
func TestOfflineForAWhile(t *testing.T) {
	s, err := Start(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	portal, wiki := s.Origins["portal"], s.Origins["wiki"]
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, bad := range []struct{ method, query string }{{"GET", "?seconds=1"}, {"POST", "?seconds=0"}, {"POST", "?seconds=9999"}, {"POST", "?seconds=x"}} {
		req, _ := http.NewRequest(bad.method, portal+OfflinePath+bad.query, nil)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Fatalf("%s %s: HTTP %d", bad.method, bad.query, resp.StatusCode)
		}
		if r, err := http.Get(wiki + "/"); err != nil {
			t.Fatalf("after %s %s the wiki is offline: %v", bad.method, bad.query, err)
		} else {
			r.Body.Close()
		}
	}
	resp, err := noRedirect.Post(portal+OfflinePath+"?seconds=2", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("POST: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	start := time.Now()
	for _, o := range []string{portal, wiki} {
		if r, err := http.Get(o + "/"); err == nil {
			r.Body.Close()
			t.Fatalf("%s answered HTTP %d while offline", o, r.StatusCode)
		}
	}
	for {
		r, err := http.Get(wiki + "/")
		if err == nil {
			r.Body.Close()
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("still offline after %v: %v", time.Since(start), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if d := time.Since(start); d < 1500*time.Millisecond {
		t.Fatalf("back after %v, asked for 2 s", d)
	}
}
