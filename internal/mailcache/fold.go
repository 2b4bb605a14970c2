package mailcache

import (
	"strings"
	"unicode/utf8"
)

// German-friendly matching. The FTS tokenizer (unicode61 remove_diacritics 2)
// already folds "Müller" to "muller", so "Muller" finds it. German writers
// also spell umlauts out ("Mueller", "Strasse"), so every indexed text gets
// the spelled-out form of its umlaut/ß words appended, and a query word with
// an umlaut or ß also matches its spelled-out form. Both ways work:
// Müller ↔ Mueller ↔ Muller, Straße ↔ Strasse, Grüße ↔ Gruesse ↔ Grusse.

var germanFold = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss", "ẞ", "SS")

var sharpS = strings.NewReplacer("ß", "ss", "ẞ", "SS")

// hasGerman: ä ö ü Ä Ö Ü ß are 0xC3 followed by one of these bytes in
// UTF-8 (ẞ is rare enough to go through the slow path); scanning for 0xC3
// is much faster than strings.ContainsAny on long bodies.
func hasGerman(s string) bool { return nextGerman(s) >= 0 || strings.Contains(s, "ẞ") }

func nextGerman(s string) int {
	off := 0
	for {
		k := strings.IndexByte(s[off:], 0xC3)
		if k < 0 || off+k+1 >= len(s) {
			return -1
		}
		switch s[off+k+1] {
		case 0xA4, 0xB6, 0xBC, 0x84, 0x96, 0x9C, 0x9F:
			return off + k
		}
		off += k + 1
	}
}

// foldForIndex returns s followed by the spelled-out forms of its words
// that contain umlauts or ß, each once (nothing extra when there are none).
func foldForIndex(s string) string {
	if !hasGerman(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s)
	seen := map[string]bool{}
	for i := 0; i < len(s); {
		k := nextGerman(s[i:])
		if k < 0 {
			if k = strings.Index(s[i:], "ẞ"); k < 0 {
				break
			}
		}
		start, end := i+k, i+k
		for start > 0 {
			r, n := utf8.DecodeLastRuneInString(s[:start])
			if !isWordRune(r) {
				break
			}
			start -= n
		}
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if !isWordRune(r) {
				break
			}
			end += n
		}
		w := s[start:end]
		i = end
		if seen[w] {
			continue
		}
		seen[w] = true
		b.WriteByte(' ')
		b.WriteString(germanFold.Replace(w))
		if strings.ContainsAny(w, "ßẞ") { // "Grüße" also as "Grusse"
			b.WriteByte(' ')
			b.WriteString(sharpS.Replace(w))
		}
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
}
