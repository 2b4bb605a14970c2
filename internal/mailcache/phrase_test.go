package mailcache

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// storeTexts caches one plain-text message per subject -> body.
func storeTexts(t *testing.T, c *Cache, texts map[string]string) {
	t.Helper()
	ctx := context.Background()
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	err := c.db.Tx(ctx, func(tx *sql.Tx) error {
		var fid int64
		if err := tx.QueryRow(`INSERT INTO folders(name) VALUES('INBOX') ON CONFLICT(name) DO UPDATE SET name=name RETURNING id`).Scan(&fid); err != nil {
			return err
		}
		for i, subj := range keys {
			raw := []byte("Subject: " + subj + "\r\nFrom: Jürgen Müller <jm@example.de>\r\nMessage-ID: <" + subj + "@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + texts[subj] + "\r\n")
			in, err := c.prepare(&serverMsg{UID: uint32(i + 1), Raw: raw, Size: int64(len(raw))})
			if err != nil {
				return err
			}
			if _, err := c.storeMessage(ctx, tx, fid, in, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func subjects(t *testing.T, c *Cache, q string) string {
	t.Helper()
	res, total, err := c.SearchTotal(context.Background(), q, 50)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var s []string
	for _, m := range res {
		s = append(s, m.Subject)
	}
	sort.Strings(s)
	if total != len(res) {
		t.Errorf("search %q: total %d, listed %d", q, total, len(res))
	}
	n, err := c.Count(context.Background(), q)
	if err != nil || n != len(res) {
		t.Errorf("count %q = %d, %v; listed %d", q, n, err, len(res))
	}
	return strings.Join(s, " ")
}

func TestPhrasesInTheBody(t *testing.T) {
	c := openCache(t, t.TempDir(), Policy{})
	var detail string
	c.db.QueryRow(`SELECT sql FROM sqlite_master WHERE name='fts'`).Scan(&detail)
	if !strings.Contains(detail, "detail=column") {
		t.Fatalf("a new cache's index keeps word positions: %s", detail)
	}
	checkPhrases(t, c)
}

// Caches made before the index dropped word positions (detail=full) are
// searched by the same queries, with the same results.
func TestPhrasesInAnIndexWithPositions(t *testing.T) {
	c := openCache(t, t.TempDir(), Policy{})
	if _, err := c.db.Exec(`DROP TABLE fts;
		CREATE VIRTUAL TABLE fts USING fts5(subject, people, body,
		  content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`); err != nil {
		t.Fatal(err)
	}
	checkPhrases(t, c)
}

func checkPhrases(t *testing.T, c *Cache) {
	t.Helper()
	storeTexts(t, c, map[string]string{
		"adjacent":                "Sehr geehrte Damen, die Rechnung für März wurde bezahlt. Die Rechnung liegt bei.",
		"apart":                   "Rechnung und Mahnung: die Unterlagen kommen. Rechnung folgt.",
		"number":                  "Bitte Aktenzeichen Az-12-345 angeben, nicht 345-12.",
		"umlaut":                  "Angebot der Mueller GmbH aus der Hauptstrasse",
		"umlaut2":                 "Angebot der Müller GmbH aus der Hauptstraße",
		"other":                   "nothing related here, Mahnung only",
		"die Rechnung im Betreff": "kein Treffer im Text",
	})
	for _, tc := range []struct{ q, want string }{
		{`"die Rechnung"`, "adjacent die Rechnung im Betreff"},
		{`body:"die Rechnung"`, "adjacent"},
		{`subject:"die Rechnung"`, "die Rechnung im Betreff"},
		{`"Rechnung die"`, ""},
		{`Rechnung`, "adjacent apart die Rechnung im Betreff"},
		{`Rechnung -"die Rechnung"`, "apart"},
		{`Rechnung NOT "die Rechnung"`, "apart"},
		{`"die Rechnung" OR Mahnung`, "adjacent apart die Rechnung im Betreff other"},
		{`Mahnung OR "Az 12 345"`, "apart number other"},
		{`"die Rech"*`, "adjacent die Rechnung im Betreff"},
		{`Az-12-345`, "number"},
		{`12-345`, "number"},
		{`345-12`, "number"},
		{`12-346`, ""},
		{`"Müller GmbH"`, "umlaut umlaut2"},
		{`"Mueller GmbH"`, "umlaut umlaut2"},
		{`"Muller GmbH"`, "umlaut2"},
		{`"der Hauptstraße"`, "umlaut umlaut2"},
		{`"Jürgen Müller"`, "adjacent apart die Rechnung im Betreff number other umlaut umlaut2"},
		{`"Müller Jürgen"`, ""},
		{`"geehrte Damen" date:2000..2100`, ""}, // the test mails have no date: filters still apply
		// column terms of several words: all their words, then in order
		{`subject:"Rechnung die"`, ""},
		{`subject:"Rechnung im"`, "die Rechnung im Betreff"},
		{`subject:"die Rech"*`, "die Rechnung im Betreff"},
		{`subject:"im Rech"*`, ""},
		{`-subject:"die Rechnung" Rechnung`, "adjacent apart"},
		{`from:"Jürgen Müller"`, "adjacent apart die Rechnung im Betreff number other umlaut umlaut2"},
		{`from:"Müller Jürgen"`, ""},
		{`from:example.de`, "adjacent apart die Rechnung im Betreff number other umlaut umlaut2"},
		{`from:jm@example.de`, "adjacent apart die Rechnung im Betreff number other umlaut umlaut2"},
		{`to:@example.de`, ""},
		{`from:@example.de`, "adjacent apart die Rechnung im Betreff number other umlaut umlaut2"},
		{`body:Az-12-345`, "number"},
	} {
		if got := subjects(t, c, tc.q); got != tc.want {
			t.Errorf("search %s = [%s], want [%s]", tc.q, got, tc.want)
		}
	}
}

func TestPhraseCheckSurvivesDamagedBody(t *testing.T) {
	dir := t.TempDir()
	c := openCache(t, dir, Policy{})
	storeTexts(t, c, map[string]string{"a": "die Rechnung kommt", "b": "die Rechnung kommt auch"})
	packs, _ := filepath.Glob(filepath.Join(dir, "bodies", "*.pack"))
	if len(packs) == 0 {
		t.Fatal("no pack file")
	}
	for _, p := range packs {
		if err := os.WriteFile(p, []byte("garbage"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// the body cannot be read: the phrase is not confirmed, nothing fails
	if got := subjects(t, c, `"die Rechnung"`); got != "" {
		t.Errorf("found [%s] in damaged bodies", got)
	}
	if got := subjects(t, c, `Rechnung`); got != "a b" {
		t.Errorf("word search = [%s]", got)
	}
}

func TestIndexTerms(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Die die DIE Rechnung, die rechnung!", "Die Rechnung"},
		{"a-b a_b a.b", "a b"},
		{"Grüße aus der Straße, Grüße", "Grüße aus der Straße Gruesse Grüsse Strasse"},
		{"naïve café naïve", "naïve café"},
		{"x\u2013y x\u2013y", "x\u2013y"}, // en dash: one term, the tokenizer splits it
	} {
		if got := indexTerms(tc.in); got != tc.want {
			t.Errorf("indexTerms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// every word of a long text is among the terms, each term once
	long := strings.Repeat("Sehr geehrte Frau Müller, anbei die Rechnung Nr. 2024-17. ", 200) + "Schluss"
	terms := indexTerms(long)
	seen := map[string]bool{}
	for _, w := range strings.Fields(terms) {
		if seen[strings.ToLower(w)] {
			t.Errorf("term %q twice", w)
		}
		seen[strings.ToLower(w)] = true
	}
	for _, w := range splitWords(long) {
		if !seen[strings.ToLower(w)] {
			t.Errorf("word %q missing from the terms", w)
		}
	}
	// the same terms as the words of the text, each once, with foldForIndex's additions
	r := rand.New(rand.NewPCG(4, 5))
	vocab := strings.Fields("Müller müller MÜLLER Straße STRASSE Grüße Maß maß ẞ-Form Öl öl Ärger naïve x y Z z 12 ü ß")
	for i := 0; i < 2000; i++ {
		var in []string
		for n := r.IntN(15); n > 0; n-- {
			in = append(in, vocab[r.IntN(len(vocab))])
		}
		text := strings.Join(in, " ")
		var words []string
		for _, w := range splitWords(text) {
			if !slices.ContainsFunc(words, func(x string) bool { return asciiFoldEqual(x, w) }) {
				words = append(words, w)
			}
		}
		if got, want := indexTerms(text), foldForIndex(strings.Join(words, " ")); got != want {
			t.Fatalf("indexTerms(%q) = %q, want %q", text, got, want)
		}
	}
	if len(terms) > 200 {
		t.Errorf("terms of a repetitive text are %d bytes: %q", len(terms), terms)
	}
}

func TestPhraseMatch(t *testing.T) {
	for _, tc := range []struct {
		phrase, text string
		want         bool
	}{
		{"die Rechnung", "Sehr geehrte, die  Rechnung.", true},
		{"die Rechnung", "die, Rechnung", true}, // punctuation is no word, like in the index
		{"die Rechnung", "die neue Rechnung", false},
		{"Rech*", "Rechnungen", true},
		{"die Rech*", "die Rechnungen", true},
		{"die Rech*", "die Mahnung", false},
		{"MÜLLER gmbh", "Mueller GmbH", true},
		{"Muller GmbH", "Müller GmbH", true},
		{"Straße", "STRASSE", true},
		{"", "anything", true},
	} {
		if got := newPhrase(tc.phrase).in(tc.text); got != tc.want {
			t.Errorf("%q in %q = %v, want %v", tc.phrase, tc.text, got, tc.want)
		}
	}
}

func TestClipKeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("a", maxIndexedText-1) + "ü" + "tail"
	c := clip(s)
	if len(c) != maxIndexedText-1 || !utf8.ValidString(c) {
		t.Errorf("clip cut to %d bytes, valid %v", len(c), utf8.ValidString(c))
	}
	if clip("kurz") != "kurz" {
		t.Error("short text changed")
	}
}

// wordMatch is the plain definition phrase.match implements, folding both
// words at every comparison.
func wordMatch(q, t string, prefix bool) bool {
	if prefix {
		if len(t) >= len(q) && strings.EqualFold(t[:len(q)], q) {
			return true
		}
	} else if strings.EqualFold(q, t) {
		return true
	}
	if isASCII(q) && isASCII(t) {
		return false
	}
	t = strings.ToLower(t)
	eq := func(a, b string) bool {
		if prefix {
			return strings.HasPrefix(b, a)
		}
		return a == b
	}
	return eq(stripAccents(q), stripAccents(t)) || eq(germanFold.Replace(q), germanFold.Replace(t))
}

func TestPhraseMatchFoldsLikeWordMatch(t *testing.T) {
	words := strings.Fields("Müller MÜLLER mueller Muller muller Straße strasse STRASSE Strase Grüße Gruesse grusse Grü gru Gr " +
		"café CAFE Cafe naïve naive Ärger aerger Ärg ẞ SS ss İstanbul istanbul Øre ore ÅSA åsa Rechnung rech x 12 ü ue u")
	for _, q := range words {
		p := newPhrase(q)
		for _, w := range words {
			for _, prefix := range []bool{false, true} {
				cur := folded{w: w}
				if got, want := p.match(0, &cur, prefix), wordMatch(strings.ToLower(q), w, prefix); got != want {
					t.Errorf("match(%q, %q, prefix %v) = %v, wordMatch says %v", q, w, prefix, got, want)
				}
			}
		}
	}
}
