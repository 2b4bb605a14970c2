package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
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
