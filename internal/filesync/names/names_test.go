package names

import (
	"testing"
	"time"
)

func TestCheckComponentRejectsHostileNames(t *testing.T) {
	for _, n := range []string{"", ".", "..", "a/b", "a\x00b", string([]byte{0xff, 0xfe}), string(make([]byte, 256))} {
		if err := CheckComponent(n, "linux"); err == nil {
			t.Errorf("CheckComponent(%q) accepted a hostile name", n)
		}
	}
	for _, n := range []string{"a", "ä.txt", "a\\b", "CON", "x.", "Übersicht 2024.ods"} {
		if err := CheckComponent(n, "linux"); err != nil {
			t.Errorf("CheckComponent(%q, linux) = %v, want ok", n, err)
		}
	}
}

func TestWindowsRules(t *testing.T) {
	bad := []string{"CON", "con", "Con.txt", "NUL.tar.gz", "com1", "LPT9.doc", "COM¹", "a:b", "a?", "a*b", `a"b`, "a<b", "a|b", `a\b`, "trail.", "trail ", "tab\tx", "CONOUT$"}
	for _, n := range bad {
		if WindowsProblem(n) == "" {
			t.Errorf("WindowsProblem(%q) = ok, want a problem", n)
		}
		if err := CheckComponent(n, "windows"); err == nil {
			t.Errorf("CheckComponent(%q, windows) accepted it", n)
		}
	}
	good := []string{"CONSOLE", "com10", "LPT", "a.b.c", ".hidden", "résumé.pdf", "COM0x"}
	for _, n := range good {
		if p := WindowsProblem(n); p != "" {
			t.Errorf("WindowsProblem(%q) = %q, want ok", n, p)
		}
	}
	if err := CheckPath("C:/x", "windows"); err == nil {
		t.Error("a drive letter path was accepted on windows")
	}
}

func TestCheckPath(t *testing.T) {
	for _, p := range []string{"/etc/passwd", "a/../../x", "a//b", "../x", `\x`} {
		if err := CheckPath(p, "linux"); err == nil {
			t.Errorf("CheckPath(%q) accepted it", p)
		}
	}
	if err := CheckPath("a/b/c.txt", "linux"); err != nil {
		t.Error(err)
	}
}

func TestCaseClashes(t *testing.T) {
	got := CaseClashes([]string{"b/Report.txt", "b/report.txt", "a", "A", "c"})
	if len(got) != 2 || got["b/report.txt"] != "b/Report.txt" || got["a"] != "A" {
		t.Fatalf("CaseClashes = %v", got)
	}
}

func TestConflictName(t *testing.T) {
	at := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	cases := map[string]string{
		"dir/report.odt": "dir/report (conflicted copy 2026-01-02 150405).odt",
		"noext":          "noext (conflicted copy 2026-01-02 150405)",
		".bashrc":        ".bashrc (conflicted copy 2026-01-02 150405)",
		"a.tar.gz":       "a.tar (conflicted copy 2026-01-02 150405).gz",
	}
	for in, want := range cases {
		if got := ConflictName(in, at); got != want {
			t.Errorf("ConflictName(%q) = %q, want %q", in, got, want)
		}
		if !IsConflictCopy(ConflictName(in, at)) {
			t.Errorf("IsConflictCopy(%q) = false", want)
		}
	}
	if got, want := ConflictNameN("dir/report.odt", at, 2), "dir/report (conflicted copy 2026-01-02 150405 2).odt"; got != want || !IsConflictCopy(got) {
		t.Errorf("ConflictNameN(2) = %q, want %q", got, want)
	}
	if ConflictNameN("a.txt", at, 1) != ConflictName("a.txt", at) {
		t.Error("ConflictNameN(1) is not ConflictName")
	}
}
