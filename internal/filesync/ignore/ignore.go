// Package ignore decides which paths the file sync leaves alone on both sides.
package ignore

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"strings"
)

// TempPrefix starts the names of the sync engine's own temporary files.
const TempPrefix = ".deskport-tmp-"

// Defaults are the patterns every folder ignores unless the user removes them.
var Defaults = []string{
	"*.part", "*.crdownload", "~$*", ".~lock.*#", ".~lock.*", "Thumbs.db", "desktop.ini", ".DS_Store",
	"._*", ".Trashes", ".fuse_hidden*", ".nfs*", "*~", ".*.sw?", TempPrefix + "*",
}

// Matcher matches relative slash paths against glob patterns. A pattern
// without '/' matches any path component (so "build" ignores every folder
// named build with all it holds); one with '/' matches the whole path from
// the root. A leading '!' is not supported; lines starting with '#' are comments.
type Matcher struct {
	base []string
	full []string
}

// New builds a Matcher; a malformed pattern is an error naming it.
func New(patterns []string) (*Matcher, error) {
	m := &Matcher{}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		if _, err := path.Match(p, "x"); err != nil {
			return nil, fmt.Errorf("ignore pattern %q is malformed (%v); fix it in the ignore list", p, err)
		}
		if strings.Contains(strings.Trim(p, "/"), "/") || strings.HasPrefix(p, "/") {
			m.full = append(m.full, strings.Trim(p, "/"))
		} else {
			m.base = append(m.base, strings.TrimSuffix(p, "/"))
		}
	}
	return m, nil
}

// Load reads one pattern per line from file (missing file: no patterns) and
// adds the defaults unless noDefaults.
func Load(file string, noDefaults bool) (*Matcher, error) {
	var pats []string
	if !noDefaults {
		pats = append(pats, Defaults...)
	}
	if file != "" {
		f, err := os.Open(file)
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("cannot read the ignore list %s: %w", file, err)
		}
		if err == nil {
			defer f.Close()
			s := bufio.NewScanner(f)
			for s.Scan() {
				pats = append(pats, s.Text())
			}
		}
	}
	return New(pats)
}

// Key identifies the pattern set (to notice when the user changed it).
func (m *Matcher) Key() string {
	if m == nil {
		return ""
	}
	return strings.Join(m.base, "\x00") + "\x01" + strings.Join(m.full, "\x00")
}

// Match reports whether rel (or any folder above it) is ignored.
func (m *Matcher) Match(rel string) bool {
	if m == nil {
		return false
	}
	parts := strings.Split(rel, "/")
	for _, c := range parts {
		for _, p := range m.base {
			if ok, _ := path.Match(p, c); ok {
				return true
			}
		}
	}
	for _, p := range m.full {
		for i := range parts {
			if ok, _ := path.Match(p, strings.Join(parts[:i+1], "/")); ok {
				return true
			}
		}
	}
	return false
}
