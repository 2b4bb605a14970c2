// Package suite describes one openDesk-style web suite: which host serves
// which app, the origins the window may load, and what is actually there.
package suite

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// App names one service of the suite; by default it lives at <app>.<domain>.
type App string

const (
	Portal   App = "portal"
	ID       App = "id" // Keycloak, the identity provider
	Files    App = "files"
	Webmail  App = "webmail"
	DAV      App = "dav"
	Office   App = "office"
	Chat     App = "chat"
	Meet     App = "meet"
	Projects App = "projects"
	Wiki     App = "wiki"
	// Bare is the domain itself: it redirects to the portal, serves the
	// Matrix well-known and is the default mail host. It can be overridden
	// like an app (tests put it on a loopback port).
	Bare App = "bare"
)

// Apps lists every app in launcher order.
var Apps = []App{Portal, Files, Webmail, DAV, Office, Chat, Meet, Projects, Wiki, ID}

// DefaultRealm is openDesk's Keycloak realm.
const DefaultRealm = "opendesk"

// Profile is a suite: one domain plus per-app overrides. The zero Scheme
// means https.
type Profile struct {
	Domain string         `json:"domain"`          // ASCII (IDNA) form, lowercase
	Realm  string         `json:"realm,omitempty"` // Keycloak realm, default "opendesk"
	Hosts  map[App]string `json:"hosts,omitempty"` // overrides: "host", "host:port" or "scheme://host[:port]"
}

// New makes a profile from a user-typed domain and host overrides (which may
// be nil). Each override is a host name, host:port, or an origin URL; plain
// http is accepted only for loopback hosts, and a loopback host:port without
// a scheme means http (settings.json cannot hold URLs with slashes).
func New(domain string, overrides map[App]string) (Profile, error) {
	d, err := ParseDomain(domain)
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Domain: d, Realm: DefaultRealm}
	for app, v := range overrides {
		if !known(app) {
			return Profile{}, fmt.Errorf("suite: unknown app %q in host overrides (known: %s, bare)", app, joinApps())
		}
		o, err := parseOverride(v)
		if err != nil {
			return Profile{}, fmt.Errorf("suite: host override for %s: %w", app, err)
		}
		if o == "" {
			continue
		}
		if p.Hosts == nil {
			p.Hosts = map[App]string{}
		}
		p.Hosts[app] = o
	}
	return p, nil
}

func known(a App) bool {
	if a == Bare {
		return true
	}
	for _, k := range Apps {
		if k == a {
			return true
		}
	}
	return false
}

func joinApps() string {
	s := make([]string, len(Apps))
	for i, a := range Apps {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// ParseDomain checks a user-typed suite domain and returns its lowercase
// ASCII form ("Bürgeramt.Example" → "xn--brgeramt-65a.example").
func ParseDomain(input string) (string, error) {
	s := strings.TrimSpace(input)
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return "", errors.New("enter your suite's domain, e.g. example.org")
	}
	if strings.Contains(s, "://") {
		return "", fmt.Errorf("%q is a web address: enter only the domain, e.g. %s", input, hintDomain(s))
	}
	if strings.ContainsAny(s, "/?#@") {
		return "", fmt.Errorf("%q contains a path or user name: enter only the domain, e.g. %s", input, hintDomain(s))
	}
	if strings.ContainsAny(s, " \t") {
		return "", fmt.Errorf("%q contains spaces: enter only the domain, e.g. example.org", input)
	}
	if _, _, err := net.SplitHostPort(s); err == nil || strings.Count(s, ":") > 0 {
		return "", fmt.Errorf("%q contains a port: enter only the domain; an administrator can set per-app hosts with ports in the admin defaults", input)
	}
	if net.ParseIP(s) != nil {
		return "", fmt.Errorf("%q is an IP address: enter the suite's domain name, e.g. example.org", input)
	}
	a, err := idna.Lookup.ToASCII(strings.ToLower(s))
	if err != nil {
		return "", fmt.Errorf("%q is not a valid domain name (%v): check the spelling, e.g. example.org", input, err)
	}
	if !strings.Contains(a, ".") && a != "localhost" {
		return "", fmt.Errorf("%q has no dot: enter the full domain, e.g. %s.org", input, a)
	}
	return a, nil
}

// hintDomain guesses the domain inside a pasted URL for the error message.
func hintDomain(s string) string {
	if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
		h := u.Hostname()
		for _, a := range Apps {
			if strings.HasPrefix(h, string(a)+".") {
				return strings.TrimPrefix(h, string(a)+".")
			}
		}
		return h
	}
	if i := strings.IndexAny(s, "/?#"); i > 0 {
		return s[:i]
	}
	return "example.org"
}

// parseOverride normalises an override to "scheme://host[:port]".
func parseOverride(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if !strings.Contains(v, "://") {
		// A bare loopback host:port is a local server (a test peer, a
		// bridge): plain http, since traffic never leaves the computer.
		// Everything else is https.
		if h, _, err := net.SplitHostPort(v); err == nil && isLoopback(strings.Trim(h, "[]")) {
			v = "http://" + v
		} else {
			v = "https://" + v
		}
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a host name or origin (e.g. files.example.org or https://cloud.example.org:8443)", v)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q has a path: give only the host (e.g. cloud.example.org)", v)
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	switch scheme {
	case "https":
	case "http":
		if !isLoopback(host) {
			return "", fmt.Errorf("%q uses plain http: the suite must be reached over https", v)
		}
	default:
		return "", fmt.Errorf("%q: only https is supported", v)
	}
	if net.ParseIP(host) == nil {
		a, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", fmt.Errorf("%q is not a valid host name: %v", v, err)
		}
		host = a
	}
	hp := host
	if strings.Contains(host, ":") {
		hp = "[" + host + "]"
	}
	if port := u.Port(); port != "" && !(scheme == "https" && port == "443") && !(scheme == "http" && port == "80") {
		hp += ":" + port
	}
	return scheme + "://" + hp, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Origin is the scheme://host[:port] that serves app.
func (p Profile) Origin(app App) string {
	if o := p.Hosts[app]; o != "" {
		return o
	}
	if app == Bare {
		return "https://" + p.Domain
	}
	return "https://" + string(app) + "." + p.Domain
}

// Host is the host[:port] that serves app.
func (p Profile) Host(app App) string {
	o := p.Origin(app)
	return o[strings.Index(o, "://")+3:]
}

// AppURL is the address to open app at.
func (p Profile) AppURL(app App) string { return p.Origin(app) + "/" }

// RealmName is the Keycloak realm.
func (p Profile) RealmName() string {
	if p.Realm == "" {
		return DefaultRealm
	}
	return p.Realm
}

// IssuerURL is the OpenID Connect issuer of the suite's Keycloak realm.
func (p Profile) IssuerURL() string {
	return p.Origin(ID) + "/realms/" + url.PathEscape(p.RealmName())
}

// OpenIDConfigURL is where the IdP publishes its configuration.
func (p Profile) OpenIDConfigURL() string {
	return p.IssuerURL() + "/.well-known/openid-configuration"
}

// Origins is the sorted set of origins the suite window may load: every app,
// the IdP and the bare domain (which redirects to the portal).
func (p Profile) Origins() []string {
	set := map[string]bool{p.Origin(Bare): true}
	for _, a := range Apps {
		set[p.Origin(a)] = true
	}
	out := make([]string, 0, len(set))
	for o := range set {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

// AppOf tells which app an origin belongs to ("" when it is not the suite's).
func (p Profile) AppOf(origin string) App {
	origin = strings.TrimSuffix(strings.ToLower(origin), "/")
	for _, a := range Apps {
		if p.Origin(a) == origin {
			return a
		}
	}
	if p.Origin(Bare) == origin {
		return Bare
	}
	return ""
}

// FromSettings makes a profile from settings as stored in settings.json or
// the admin defaults: a domain and overrides keyed by app name.
func FromSettings(domain string, hosts map[string]string) (Profile, error) {
	over := make(map[App]string, len(hosts))
	for k, v := range hosts {
		over[App(strings.ToLower(strings.TrimSpace(k)))] = v
	}
	return New(domain, over)
}
