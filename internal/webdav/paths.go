package webdav

import (
	"fmt"
	"net/url"
	"strings"
)

// splitRel validates a caller's path (slash-separated, relative to the files
// root; leading and trailing slashes are ignored) and splits it into names.
// Names are kept byte-exact (no Unicode normalisation).
func splitRel(p string) ([]string, error) {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil, nil
	}
	segs := strings.Split(p, "/")
	for _, s := range segs {
		if err := checkName(s); err != "" {
			return nil, fmt.Errorf("%w %q: %s", ErrInvalidPath, p, err)
		}
	}
	return segs, nil
}

func checkName(s string) string {
	switch {
	case s == "":
		return "empty name (double slash)"
	case s == "." || s == "..":
		return "dot segment"
	case strings.ContainsRune(s, 0):
		return "NUL byte in name"
	case strings.ContainsRune(s, '/'):
		return "slash inside a name"
	}
	return ""
}

// escapeSegs percent-encodes each name for use in a URL path.
func escapeSegs(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(escapeName(s))
	}
	return b.String()
}

// escapeName encodes everything but RFC 3986 unreserved characters, so
// '#', '?', '%', ';', spaces and non-ASCII bytes all survive every server.
func escapeName(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// hrefSegs turns an href from a server answer into names relative to the
// files root. Anything that points elsewhere, is relative, or contains a
// segment that would be unsafe as a file name is an *EntryError.
func (c *Client) hrefSegs(href string) ([]string, error) {
	bad := func(reason string) error { return &EntryError{Href: href, Reason: reason} }
	h := strings.TrimSpace(href)
	u, err := url.Parse(h)
	if err != nil {
		return nil, bad("not a URL: " + err.Error())
	}
	if u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, bad("not a plain path")
	}
	if u.Scheme != "" || u.Host != "" {
		if !strings.EqualFold(u.Scheme, c.files.Scheme) || !strings.EqualFold(u.Host, c.files.Host) {
			return nil, bad("points to another server")
		}
	}
	raw := u.EscapedPath()
	if !strings.HasPrefix(raw, "/") {
		return nil, bad("relative path")
	}
	trimmed := strings.TrimSuffix(raw[1:], "/")
	var raws []string
	if trimmed != "" {
		raws = strings.Split(trimmed, "/")
	}
	segs := make([]string, 0, len(raws))
	for _, r := range raws {
		if r == "." || r == ".." {
			return nil, bad("dot segment")
		}
		s, err := url.PathUnescape(r)
		if err != nil {
			return nil, bad("bad percent-encoding")
		}
		if why := checkName(s); why != "" {
			return nil, bad(why)
		}
		segs = append(segs, s)
	}
	if len(segs) < len(c.baseSegs) {
		return nil, bad("outside the files folder")
	}
	for i, b := range c.baseSegs {
		if segs[i] != b {
			return nil, bad("outside the files folder")
		}
	}
	return segs[len(c.baseSegs):], nil
}

func pathSegs(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func sameSegs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
