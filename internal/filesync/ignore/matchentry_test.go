package ignore

import (
	"math/rand"
	"path"
	"strings"
	"testing"
	"time"
)

// naiveMatch is the definition Match implements: a base pattern matches any
// component, a full one the path or a folder above it.
func naiveMatch(base, full []string, rel string) bool {
	for _, c := range strings.Split(rel, "/") {
		for _, p := range base {
			if ok, _ := path.Match(p, c); ok {
				return true
			}
		}
	}
	parts := strings.Split(rel, "/")
	for i := range parts {
		for _, p := range full {
			if ok, _ := path.Match(p, strings.Join(parts[:i+1], "/")); ok {
				return true
			}
		}
	}
	return false
}

// The first/last byte filter and MatchEntry decide like path.Match on
// random pattern sets and paths (the pattern bytes are the names' bytes,
// so matches happen).
func TestMatchAndMatchEntryAgreeWithPathMatch(t *testing.T) {
	seed := time.Now().UnixNano()
	rnd := rand.New(rand.NewSource(seed))
	alpha := []string{"a", "b", ".", "~", "$", "#", "é", "x", "d"}
	word := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(alpha[rnd.Intn(len(alpha))])
		}
		return b.String()
	}
	glob := func() string {
		w := word(1 + rnd.Intn(3))
		switch rnd.Intn(7) {
		case 0:
			return "*" + w
		case 1:
			return w + "*"
		case 2:
			return w + "?" + word(rnd.Intn(2))
		case 3:
			return "[ab]" + w
		case 4:
			return "*" + w + "*"
		case 5:
			return "?" + w
		}
		return w
	}
	for i := 0; i < 300; i++ {
		pats := []string{}
		if rnd.Intn(2) == 0 {
			pats = append(pats, Defaults...)
		}
		for n := rnd.Intn(5); n > 0; n-- {
			p := glob()
			if rnd.Intn(4) == 0 {
				p = glob() + "/" + glob()
			}
			pats = append(pats, p)
		}
		m, err := New(pats)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 200; k++ {
			var parts []string
			for n := 1 + rnd.Intn(4); n > 0; n-- {
				parts = append(parts, word(rnd.Intn(4)))
			}
			rel := strings.Join(parts, "/")
			if want, got := naiveMatch(m.base, m.full, rel), m.Match(rel); got != want {
				t.Fatalf("seed %d: patterns %q on %q: Match %v, path.Match says %v", seed, pats, rel, got, want)
			}
			if len(parts) > 1 && m.Match(strings.Join(parts[:len(parts)-1], "/")) {
				continue // a walk never asks below an ignored folder
			}
			if want, got := m.Match(rel), m.MatchEntry(rel, parts[len(parts)-1]); got != want {
				t.Fatalf("seed %d: patterns %q on %q: MatchEntry %v, Match %v", seed, pats, rel, got, want)
			}
		}
	}
}
