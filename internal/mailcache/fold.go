package mailcache

import (
	"strings"
	"sync"
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
	sharp := strings.Index(s, "ẞ")
	for i := 0; i < len(s); {
		k := nextGerman(s[i:])
		// ẞ is not among nextGerman's letters: whichever comes first
		// (the next ẞ is looked up again only once passed: linear time)
		if sharp >= 0 && sharp < i {
			if sharp = strings.Index(s[i:], "ẞ"); sharp >= 0 {
				sharp += i
			}
		}
		if sharp >= 0 && (k < 0 || sharp-i < k) {
			k = sharp - i
		}
		if k < 0 {
			break
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
		spelled := germanFold.Replace(w)
		b.WriteByte(' ')
		b.WriteString(spelled)
		if strings.ContainsAny(w, "ßẞ") { // "Grüße" also as "Grüsse", found as "Grusse"
			if s2 := sharpS.Replace(w); s2 != spelled {
				b.WriteByte(' ')
				b.WriteString(s2)
			}
		}
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
}

// indexTerms returns the distinct words of a body text, each once in the
// order they first appear (ASCII case does not make a word distinct), with
// the spelled-out forms of umlaut/ß words as foldForIndex adds them. The body
// column of the index holds these terms instead of the whole text: a long
// mail repeats its words many times, and tokenizing, hashing and merging
// every occurrence was most of the cost of a first sync. Searches for words
// and prefixes are unaffected; a phrase in the body is checked against the
// message itself (phraseInText).
//
// Words are split like the FTS tokenizer splits ASCII text; runs of
// non-ASCII bytes stay inside a word and the tokenizer splits them further,
// so every token of the text is among the tokens of the terms.
func indexTerms(s string) string {
	t := termSets.Get().(*termSet)
	defer termSets.Put(t)
	t.reset(len(s))
	var b strings.Builder
	b.Grow(len(s)/4 + 16)
	for i := 0; i < len(s); {
		for i < len(s) && !wordByte[s[i]] {
			i++
		}
		j, h, or := i, uint32(2166136261), byte(0)
		for j < len(s) && wordByte[s[j]] {
			c := s[j]
			or |= c
			h = (h ^ uint32(lowerByte[c])) * 16777619
			j++
		}
		if j > i && t.add(s, i, j, h) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[i:j])
			if or >= 0x80 && hasGerman(s[i:j]) {
				t.german = append(t.german, s[i:j])
			}
		}
		i = j
	}
	// foldForIndex's additions, from the words already at hand
	for _, w := range t.german {
		spelled := germanFold.Replace(w)
		b.WriteByte(' ')
		b.WriteString(spelled)
		if strings.ContainsAny(w, "ßẞ") {
			if s2 := sharpS.Replace(w); s2 != spelled {
				b.WriteByte(' ')
				b.WriteString(s2)
			}
		}
	}
	return b.String()
}

// termSet is an open-addressing set of words of one text, kept as offsets
// into it, reused between messages.
type termSet struct {
	slots  []int32 // index+1 into words; 0 is empty
	words  [][2]int32
	hashes []uint32
	german []string // the new words with umlauts or ß, in order
}

var termSets = sync.Pool{New: func() any { return &termSet{} }}

func (t *termSet) reset(n int) {
	size := 1024
	for size < n/8 {
		size <<= 1
	}
	if cap(t.slots) >= size && cap(t.slots) <= 4*size {
		t.slots = t.slots[:size]
		clear(t.slots)
	} else {
		t.slots = make([]int32, size)
	}
	t.words, t.hashes = t.words[:0], t.hashes[:0]
	clear(t.german) // do not keep the last text alive in the pool
	t.german = t.german[:0]
}

// add reports whether s[i:j] (hash h) is new, and adds it.
func (t *termSet) add(s string, i, j int, h uint32) bool {
	if 2*len(t.words) >= len(t.slots) {
		t.grow()
	}
	mask := uint32(len(t.slots) - 1)
	for k := h & mask; ; k = (k + 1) & mask {
		e := t.slots[k]
		if e == 0 {
			t.words = append(t.words, [2]int32{int32(i), int32(j)})
			t.hashes = append(t.hashes, h)
			t.slots[k] = int32(len(t.words))
			return true
		}
		w := t.words[e-1]
		if t.hashes[e-1] == h && asciiFoldEqual(s[w[0]:w[1]], s[i:j]) {
			return false
		}
	}
}

func (t *termSet) grow() {
	t.slots = make([]int32, 2*len(t.slots))
	mask := uint32(len(t.slots) - 1)
	for n := range t.words {
		k := t.hashes[n] & mask
		for t.slots[k] != 0 {
			k = (k + 1) & mask
		}
		t.slots[k] = int32(n + 1)
	}
}

func asciiFoldEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x != y {
			if x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z' {
				return false
			}
		}
	}
	return true
}

// wordByte: ASCII letters and digits, and every non-ASCII byte (see indexTerms).
var wordByte, lowerByte = func() (w [256]bool, l [256]byte) {
	for c := 0; c < 256; c++ {
		w[c] = c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		l[c] = byte(c)
		if c >= 'A' && c <= 'Z' {
			l[c] = byte(c) + 'a' - 'A'
		}
	}
	return
}()
