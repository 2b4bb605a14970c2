package app

import (
	"errors"
	"net/url"
	"strings"

	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/suitenav"
)

// DeepLinkScheme is Deskport's URL scheme (x-scheme-handler/deskport).
const DeepLinkScheme = "deskport"

// ResolveDeepLink turns a deskport:// link into the address the window
// loads:
//
//	deskport://home                   the launcher
//	deskport://open/<app>[/<path>]    an app of the suite, e.g. deskport://open/files/apps/files/?dir=/Projects
//	deskport://view/<view>[/<rest>]   a page of the local shell, e.g. deskport://view/mail/INBOX/42
//
// The result always passes the navigation policy: a link cannot leave the
// suite or reach a script URL.
func ResolveDeepLink(link string, p *suite.Profile, shell string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || !strings.EqualFold(u.Scheme, DeepLinkScheme) {
		return "", errors.New("not a deskport:// link")
	}
	if u.User != nil {
		return "", errors.New("deskport:// links carry no user name")
	}
	// deskport://open/files/x → host "open", path "/files/x";
	// deskport:open/files/x (no slashes) → opaque "open/files/x".
	rest := strings.TrimPrefix(u.Opaque, "//")
	if rest == "" {
		rest = u.Host + u.EscapedPath()
	}
	verb, tail, _ := strings.Cut(strings.TrimLeft(rest, "/"), "/")
	shell = strings.TrimSuffix(shell, "/") + "/"
	switch strings.ToLower(verb) {
	case "", "home":
		return shell + "#/home", nil
	case "view":
		id, more, _ := strings.Cut(tail, "/")
		if !validID(id) {
			return "", errors.New("deskport://view/ needs a view name")
		}
		out := shell + "#/" + id
		if more != "" {
			out += "/" + more
		}
		return out, nil
	case "open":
		if p == nil {
			return "", errors.New("no suite is connected yet")
		}
		app, path, _ := strings.Cut(tail, "/")
		if !validID(app) {
			return "", errors.New("deskport://open/ needs an app name")
		}
		found := false
		for _, a := range Apps(*p) {
			if a.ID == strings.ToLower(app) {
				found = true
			}
		}
		if !found {
			return "", errors.New("no such app: " + app)
		}
		target := strings.TrimSuffix(p.AppURL(suite.App(strings.ToLower(app))), "/") + "/" + path
		if u.RawQuery != "" {
			target += "?" + u.RawQuery
		}
		if u.Fragment != "" {
			target += "#" + u.EscapedFragment()
		}
		want := suitenav.Policy(p).OriginOf(p.AppURL(suite.App(strings.ToLower(app))))
		if got := suitenav.Policy(p).OriginOf(target); got == "" || got != want {
			return "", errors.New("the link leaves the app")
		}
		return target, nil
	}
	return "", errors.New("unknown deskport:// link: " + verb)
}

func validID(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// DeepLinks picks the deskport:// links out of command-line arguments.
func DeepLinks(args []string) []string {
	var out []string
	for _, a := range args {
		if strings.HasPrefix(strings.ToLower(a), DeepLinkScheme+":") {
			out = append(out, a)
		}
	}
	return out
}
