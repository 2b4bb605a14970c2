package mailparse

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input makes Parse panic, loop or produce text
// that is not UTF-8, and that every attachment it reports can be opened.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(structured))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := Parse(raw, Options{MaxTextBytes: 1 << 16})
		for _, s := range []string{m.Subject, m.Text, m.HTML, m.Preview} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in output: %q", s)
			}
		}
		for _, p := range m.Problems {
			if strings.HasPrefix(p, "internal parser error") {
				t.Fatalf("panic inside Parse: %s", p)
			}
		}
		for _, a := range m.Attachments {
			_, r, err := OpenPart(raw, a.Part)
			if err != nil {
				t.Fatalf("attachment %q listed but not openable: %v", a.Part, err)
			}
			io.Copy(io.Discard, r)
		}
	})
}
