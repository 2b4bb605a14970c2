package ignore

import (
	"path"
	"strings"
	"testing"
)

func TestDefaultsAndUserPatterns(t *testing.T) {
	m, err := New(append(Defaults, "build", "/docs/private", "# comment", "*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a.part", "x/~$report.docx", "x/.~lock.report.odt#", "Thumbs.db", "d/desktop.ini", ".DS_Store",
		"build", "src/build/out.o", "docs/private", "docs/private/a.txt", "a/b.tmp", TempPrefix + "123"} {
		if !m.Match(p) {
			t.Errorf("%q not ignored", p)
		}
	}
	for _, p := range []string{"a.txt", "report.docx", "docs/public/a", "x/docs/private", "partial.txt", "builder"} {
		if m.Match(p) {
			t.Errorf("%q ignored", p)
		}
	}
	if _, err := New([]string{"[abc"}); err == nil {
		t.Error("malformed pattern accepted")
	}
}

// The compiled patterns decide exactly like path.Match on every component.
func TestCompiledPatternsAgreeWithPathMatch(t *testing.T) {
	pats := append(append([]string(nil), Defaults...), "build", "*.tmp", "a*b", "[ab]*", "\\*lit", "x?", "*", "?")
	names := []string{"", "a", "b", "ab", "a.part", ".part", "part", "x~", "~", "~$a", "$~a", ".~lock.a#", ".~lock.", ".~lock",
		"Thumbs.db", "thumbs.db", "Thumbs.db.x", "._x", "._", ".nfs1", ".nfs", ".fuse_hidden0", ".a.swp", ".a.swx", ".swp", "a.swp",
		TempPrefix, TempPrefix + "1", "build", "builder", "x.tmp", "tmp", "axb", "ba", "*lit", "xlit", "x1", "x", "xx", "é", "é.tmp"}
	for _, p := range pats {
		m, err := New([]string{p})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			for _, rel := range []string{n, "d/" + n, n + "/f", "d/" + n + "/f"} {
				if n == "" && rel != n {
					continue
				}
				want := false
				for _, c := range strings.Split(rel, "/") {
					ok, _ := path.Match(p, c)
					want = want || ok
				}
				if got := m.Match(rel); got != want {
					t.Errorf("pattern %q on %q: %v, path.Match says %v", p, rel, got, want)
				}
			}
		}
	}
}
