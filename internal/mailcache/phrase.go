package mailcache

import (
	"database/sql/driver"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"
)

// The body column of the index holds each word once (indexTerms), so the
// index alone cannot tell whether words stand next to each other. A search
// term that is several words ("a phrase", Rechnung-2024, an address) finds
// its candidates in the index by all its words and is then checked against
// the message: phraseSQL names the SQL function that does that.
const phraseFunc = "deskport_phrase"

// Columns a phrase may be found in.
const (
	colSubject = 1 << iota
	colPeople
	colBody
	colAny = colSubject | colPeople | colBody
)

func init() {
	// deskport_phrase(cacheDir, phrase, cols, subject, people, pack, off, len, crc)
	sqlite.MustRegisterScalarFunction(phraseFunc, 9, func(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
		dir, _ := a[0].(string)
		phrase, _ := a[1].(string)
		cols, _ := a[2].(int64)
		p := newPhrase(phrase)
		if len(p.words) == 0 {
			return int64(1), nil
		}
		subject := asString(a[3])
		if cols&colSubject != 0 && p.in(subject) || cols&colPeople != 0 && p.in(asString(a[4])) {
			return int64(1), nil
		}
		// A subject stored shortened is checked whole, from the body.
		wholeSubject := cols&colSubject != 0 && len(subject) >= maxStoredSubject-len("…")
		if cols&colBody == 0 && !wholeSubject {
			return int64(0), nil
		}
		pack := asString(a[5])
		off, _ := a[6].(int64)
		n, _ := a[7].(int64)
		crc, _ := a[8].(int64)
		if pack == "" || n <= 0 {
			return int64(0), nil
		}
		raw, err := readPackAt(dir, bodyLoc{Pack: pack, Off: off, Len: n, CRC: uint32(crc)})
		if err != nil {
			return int64(0), nil // a damaged body does not fail the search
		}
		m := parseMessage(raw)
		if cols&colBody != 0 && p.in(m.Text) || wholeSubject && p.in(m.Subject) {
			return int64(1), nil
		}
		return int64(0), nil
	})
}

func asString(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// phrase is a search term as the words the index sees, lower-cased
// (accents and umlauts: see wordMatch).
type phrase struct {
	words  []folded // lower-case, folded when made
	prefix bool     // the last word is a prefix ("Rechn"*)
}

// folded is a word with its two folded forms (see match), made once per
// query word and at most once per text word: folding was most of the time
// of checking a phrase against thousands of messages.
type folded struct {
	w, strip, german string
	done             bool
}

func (f *folded) fold() {
	if !f.done {
		lower := strings.ToLower(f.w)
		f.strip, f.german, f.done = stripAccents(lower), germanFold.Replace(lower), true
	}
}

func newPhrase(s string) phrase {
	p := phrase{}
	if strings.HasSuffix(s, "*") {
		p.prefix, s = true, strings.TrimSuffix(s, "*")
	}
	for _, w := range splitWords(s) {
		f := folded{w: strings.ToLower(w)}
		f.fold()
		p.words = append(p.words, f)
	}
	return p
}

// splitWords splits like the FTS tokenizer (unicode61): letters, digits
// and private-use characters make words, everything else separates them.
func splitWords(s string) []string {
	var ws []string
	for i := 0; ; {
		w, next := nextWord(s, i)
		if w == "" {
			return ws
		}
		ws, i = append(ws, w), next
	}
}

// in reports whether text holds the phrase's words one after another. It
// walks the text's words without copying them: a search may check
// thousands of messages.
func (p phrase) in(text string) bool {
	n := len(p.words)
	if n == 0 {
		return true
	}
	var last []folded // the n-1 words before the current one
	i := 0
	for {
		w, next := nextWord(text, i)
		if w == "" {
			return false
		}
		i = next
		cur := folded{w: w}
		if len(last) == n-1 {
			ok := p.match(n-1, &cur, p.prefix)
			for k := 0; k < n-1 && ok; k++ {
				ok = p.match(k, &last[k], false)
			}
			if ok {
				return true
			}
		}
		if n > 1 {
			if len(last) == n-1 {
				copy(last, last[1:])
				last = last[:n-2]
			}
			last = append(last, cur)
		}
	}
}

// match compares query word k with a text word the way the index matches
// them: case-insensitively, with accents removed (Müller = Muller) or
// umlauts spelled out (Müller = Mueller), optionally as a prefix. The text
// word is folded at most once, however many query words it meets.
func (p phrase) match(k int, t *folded, prefix bool) bool {
	qf := &p.words[k]
	q := qf.w
	if prefix {
		if len(t.w) >= len(q) && strings.EqualFold(t.w[:len(q)], q) {
			return true
		}
	} else if strings.EqualFold(q, t.w) {
		return true
	}
	if isASCII(q) && isASCII(t.w) {
		return false
	}
	// Folding keeps a leading ASCII letter (lower-cased) in both forms: a
	// word that starts differently cannot match, and needs no folding.
	if c := t.w[0]; c < utf8.RuneSelf && qf.strip != "" && qf.german != "" {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != qf.strip[0] && c != qf.german[0] {
			return false
		}
	}
	t.fold()
	if prefix {
		return strings.HasPrefix(t.strip, qf.strip) || strings.HasPrefix(t.german, qf.german)
	}
	return t.strip == qf.strip || t.german == qf.german
}

// nextWord returns the first word at or after i (empty at the end) and
// where to continue.
func nextWord(s string, i int) (string, int) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if isASCIIWordByte(c) {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune61(r) {
			break
		}
		i += size
	}
	start := i
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !isASCIIWordByte(c) {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune61(r) {
			break
		}
		i += size
	}
	return s[start:i], i
}

func isASCIIWordByte(c byte) bool { return wordByte[c] && c < utf8.RuneSelf }

func isWordRune61(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stripAccents removes combining marks: "müller" -> "muller", "ß" stays.
func stripAccents(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
