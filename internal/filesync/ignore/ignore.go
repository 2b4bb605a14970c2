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
	base  []string
	full  []string
	baseC []pattern // base, compiled: a pass matches every path several times
	// A name can match a base pattern only if its first byte is in first
	// or its last in last (or anyName): most names of a tree are then
	// decided by two bit tests, not one comparison per pattern.
	first, last byteSet
	anyName     bool
}

type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }

// pattern is one base pattern in the cheapest form that decides it exactly
// like path.Match: most ignore patterns are a literal name, a prefix or a
// suffix, and a full pass over 100,000 paths spent most of its CPU in
// path.Match otherwise.
type pattern struct {
	kind     byte // 'l' literal, 'p' prefix*, 's' *suffix, 'g' glob
	lit      string
	glob     string
	first    byte // glob starting with a literal byte: names not starting with it cannot match
	hasFirst bool
}

func compile(p string) pattern {
	const meta = "*?[\\"
	switch {
	case !strings.ContainsAny(p, meta):
		return pattern{kind: 'l', lit: p}
	case len(p) > 1 && p[len(p)-1] == '*' && !strings.ContainsAny(p[:len(p)-1], meta):
		return pattern{kind: 'p', lit: p[:len(p)-1]}
	case len(p) > 1 && p[0] == '*' && !strings.ContainsAny(p[1:], meta):
		return pattern{kind: 's', lit: p[1:]}
	}
	c := pattern{kind: 'g', glob: p}
	if !strings.ContainsRune(meta, rune(p[0])) {
		c.first, c.hasFirst = p[0], true
	}
	return c
}

func (c *pattern) match(name string) bool {
	switch c.kind {
	case 'l':
		return name == c.lit
	case 'p':
		return strings.HasPrefix(name, c.lit)
	case 's':
		return strings.HasSuffix(name, c.lit)
	}
	if c.hasFirst && (name == "" || name[0] != c.first) {
		return false
	}
	ok, _ := path.Match(c.glob, name)
	return ok
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
			c := compile(strings.TrimSuffix(p, "/"))
			m.baseC = append(m.baseC, c)
			switch {
			case (c.kind == 'l' || c.kind == 'p') && c.lit != "":
				m.first.add(c.lit[0])
			case c.kind == 's' && c.lit != "":
				m.last.add(c.lit[len(c.lit)-1])
			case c.kind == 'g' && c.hasFirst:
				m.first.add(c.first)
			default:
				m.anyName = true
			}
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
	for start, i := 0, 0; ; i++ {
		if i < len(rel) && rel[i] != '/' {
			continue
		}
		if m.matchBase(rel[start:i]) {
			return true
		}
		if i >= len(rel) {
			break
		}
		start = i + 1
	}
	for _, p := range m.full {
		for i := 0; i <= len(rel); i++ {
			if i < len(rel) && rel[i] != '/' {
				continue
			}
			if ok, _ := path.Match(p, rel[:i]); ok {
				return true
			}
		}
	}
	return false
}

// MatchEntry is Match(rel) for rel named name (its last component) in a
// folder Match said no to, as a walk down the tree asks: the folder's
// components and the paths above were checked then, so only the name and
// the whole path are.
func (m *Matcher) MatchEntry(rel, name string) bool {
	if m == nil {
		return false
	}
	if m.matchBase(name) {
		return true
	}
	for _, p := range m.full {
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
	}
	return false
}

// matchBase reports whether the path component name matches a base pattern.
func (m *Matcher) matchBase(name string) bool {
	if name != "" && !m.anyName && !m.first.has(name[0]) && !m.last.has(name[len(name)-1]) {
		return false
	}
	for i := range m.baseC {
		if m.baseC[i].match(name) {
			return true
		}
	}
	return false
}
