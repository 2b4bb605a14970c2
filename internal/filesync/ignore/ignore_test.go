package ignore

import "testing"

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
