package app

import (
	"strings"
	"testing"
)

func TestFileManagerCommand(t *testing.T) {
	cases := []struct {
		goos   string
		reveal bool
		want   string
	}{
		{"linux", false, "xdg-open /h/a b.txt"},
		{"linux", true, "xdg-open /h"},
		{"windows", true, `explorer.exe /select,/h/a b.txt`},
		{"windows", false, "rundll32.exe url.dll,FileProtocolHandler /h/a b.txt"},
	}
	for _, c := range cases {
		if got := strings.Join(fileManagerCommand(c.goos, "/h/a b.txt", c.reveal), " "); got != c.want {
			t.Errorf("%s reveal=%v: %q, want %q", c.goos, c.reveal, got, c.want)
		}
	}
}
