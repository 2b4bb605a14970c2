// Package navpolicy decides what the Deskport window may load: the local
// shell, the suite's origins and its identity provider. Any other web address
// goes to the system browser; everything else (javascript:, data:, file:, ...)
// is blocked. It is pure Go so the same rules serve Linux (WebKitGTK) and
// Windows (WebView2) and are unit-tested everywhere.
package navpolicy

import (
	"net"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// Action is what to do with a main-frame navigation.
type Action int

const (
	// Block: do not load and do not hand anywhere.
	Block Action = iota
	// Allow: load in the window.
	Allow
	// External: do not load; open in the system browser (or mail/phone app).
	External
)

func (a Action) String() string {
	switch a {
	case Allow:
		return "allow"
	case External:
		return "external"
	}
	return "block"
}

// Shell addresses: Wails serves the local shell from these.
const (
	ShellLinux   = "wails://wails/"
	ShellWindows = "http://wails.localhost/"
)

// Policy is an immutable set of allowed origins.
type Policy struct {
	origins map[string]bool
}

// New builds a policy from origins such as "https://files.example.org" or
// "http://127.0.0.1:8081". Invalid entries are ignored (they could never
// match); Origins reports what was kept.
func New(origins []string) *Policy {
	p := &Policy{origins: map[string]bool{}}
	for _, o := range origins {
		if n, ok := Origin(o); ok {
			p.origins[n] = true
		}
	}
	return p
}

// Origins lists the normalised allowed origins, sorted.
func (p *Policy) Origins() []string {
	out := make([]string, 0, len(p.origins))
	for o := range p.origins {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

// IsShell reports whether raw is the local shell page (any path or fragment).
func IsShell(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "wails":
		return strings.EqualFold(u.Host, "wails")
	case "http":
		h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		return h == "wails.localhost" && (u.Port() == "" || u.Port() == "80")
	}
	return false
}

// Decide says what the window does with a main-frame navigation to raw.
func (p *Policy) Decide(raw string) Action {
	raw = strings.TrimSpace(raw)
	if raw == "about:blank" {
		return Allow
	}
	if IsShell(raw) {
		return Allow
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Block
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.User != nil {
			// https://files.example.org@evil.com: never load a URL with
			// credentials in the window; the system browser warns about them.
			if _, ok := Origin(raw); ok {
				return External
			}
			return Block
		}
		o, ok := Origin(raw)
		if !ok {
			return Block
		}
		if p.origins[o] {
			return Allow
		}
		return External
	case "mailto", "tel":
		return External
	case "blob":
		// blob:https://files.example.org/uuid belongs to its inner origin.
		inner := strings.TrimSpace(u.Opaque)
		if o, ok := Origin(inner); ok && p.origins[o] && !strings.Contains(inner, "@") {
			return Allow
		}
		return Block
	}
	return Block // javascript:, data:, file:, ftp:, custom schemes...
}

// Allowed reports whether raw may load in the window.
func (p *Policy) Allowed(raw string) bool { return p.Decide(raw) == Allow }

// OriginOf is the normalised origin of raw when it is an allowed suite page
// (not the shell), else "".
func (p *Policy) OriginOf(raw string) string {
	if IsShell(raw) {
		return ""
	}
	o, ok := Origin(raw)
	if !ok || !p.origins[o] {
		return ""
	}
	if u, err := url.Parse(raw); err != nil || u.User != nil {
		return ""
	}
	return o
}

// Origin normalises an http(s) URL to its origin "scheme://host[:port]":
// lowercase, IDNA (punycode) host, no trailing dot, default port dropped.
func Origin(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	host := u.Hostname()
	if host == "" {
		return "", false
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || strings.ContainsAny(host, "\\%/ ") {
		return "", false
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.To4() != nil {
			host = ip.String()
		} else {
			host = "[" + ip.String() + "]"
		}
	} else {
		a, err := idna.Lookup.ToASCII(host)
		if err != nil || a == "" {
			return "", false
		}
		host = a
	}
	port := u.Port()
	if port != "" {
		for _, c := range port {
			if c < '0' || c > '9' {
				return "", false
			}
		}
		port = strings.TrimLeft(port, "0")
		if port == "" || len(port) > 5 || (len(port) == 5 && port > "65535") {
			return "", false
		}
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, true
}

// OfflineError reports whether a failed main-frame load means the suite
// could not be reached (so the shell's offline view should replace the
// engine's error page). domain and code come from the engine's error.
// Cancellations and policy decisions are not network failures.
func OfflineError(domain string, code int) bool {
	d := strings.ToLower(domain)
	switch {
	case strings.Contains(d, "policy"), strings.Contains(d, "download"), strings.Contains(d, "plugin"), strings.Contains(d, "media"):
		return false
	case strings.Contains(d, "webkitnetworkerror") || strings.Contains(d, "network-error"):
		// WEBKIT_NETWORK_ERROR_CANCELLED = 302: the user (or we) stopped it.
		return code != 302
	case strings.Contains(d, "g-io-error"), strings.Contains(d, "g-resolver-error"), strings.Contains(d, "soup"):
		// GIO cancellation is G_IO_ERROR_CANCELLED = 19.
		return !(strings.Contains(d, "g-io-error") && code == 19)
	}
	return false
}

// OpenPath is the path on the shell's origin that opens ?u=URL outside the
// app (a GET answered with 204, so the asking page does not move).
const OpenPath = "/__deskport/open"

// ExternalOK limits what is handed to the desktop to web, mail and phone links.
func ExternalOK(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "mailto", "tel":
		return true
	}
	return false
}

// OpenRequest reports whether raw is a request to the shell's opener
// (OpenPath on either shell origin, as the reader's mail links are) and
// returns the ?u= address it asks to open, unchecked: the caller still
// applies ExternalOK.
func OpenRequest(raw string) (target string, ok bool) {
	if !IsShell(raw) {
		return "", false
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Path != OpenPath {
		return "", false
	}
	return u.Query().Get("u"), true
}
