package mailcache

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Benchmarks of the cache alone (no server): how fast messages are parsed,
// stored and indexed, and how fast searches answer. The end-to-end figures
// against Dovecot, mbsync and notmuch come from bench/mail/run.sh.

var benchWords = strings.Fields("Rechnung Angebot Besprechung Grüße Straße Müller Büro Zahlungserinnerung Termin Projekt " +
	"Bericht Quartal Entwurf Freigabe Vertrag Lieferung Anfrage Bestellung Mitarbeiter Schulung meeting budget review " +
	"invoice draft schedule deadline customer release")

func benchMessage(r *rand.Rand, i int) []byte {
	var b strings.Builder
	for w := 0; w < 400; w++ {
		b.WriteString(benchWords[r.IntN(len(benchWords))])
		if w%12 == 11 {
			b.WriteString(".\r\n")
		} else {
			b.WriteByte(' ')
		}
	}
	subj := benchWords[r.IntN(len(benchWords))] + " " + benchWords[r.IntN(len(benchWords))] + fmt.Sprintf(" %d", i)
	return []byte(fmt.Sprintf("From: Jürgen Müller <j%d@example.de>\r\nTo: alice@example.org\r\nSubject: %s\r\n"+
		"Date: %s\r\nMessage-ID: <b%d@example.de>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		i%50, subj, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z), i, b.String()))
}

func fillCache(b *testing.B, c *Cache, n int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	var fid int64
	if err := c.db.QueryRow(`INSERT INTO folders(name) VALUES('INBOX') RETURNING id`).Scan(&fid); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i += 500 {
		err := c.db.Tx(ctx, func(tx *sql.Tx) error {
			var batch []*ingest
			for j := i; j < i+500 && j < n; j++ {
				raw := benchMessage(r, j)
				in, err := c.prepare(&serverMsg{UID: uint32(j + 1), Raw: raw, Size: int64(len(raw))})
				if err != nil {
					return err
				}
				batch = append(batch, in)
			}
			return c.storeBatch(ctx, tx, fid, batch, false)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIngest: parse, store and index one message (serially).
func BenchmarkIngest(b *testing.B) {
	c, err := Open(context.Background(), b.TempDir(), Policy{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ReportAllocs()
	fillCache(b, c, b.N)
}

// BenchmarkSearch: queries against 20,000 cached messages.
func BenchmarkSearch(b *testing.B) {
	c, err := Open(context.Background(), b.TempDir(), Policy{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	fillCache(b, c, 20000)
	ctx := context.Background()
	for _, q := range []string{"subject:Rechnung", "Zahlungserinnerung Quartal", "mueller", "from:j7@example.de date:2024-03..2024-04", "Rechn*"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := c.SearchTotal(ctx, q, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCorpusParse parses and folds every message of a maildir (the
// bench corpus as mbsync left it: DESKPORT_CORPUS=/path/to/maildir), the CPU
// path of a first sync without the server and the database.
func BenchmarkCorpusParse(b *testing.B) {
	msgs, total := corpusMessages(b)
	b.SetBytes(total)
	var text, terms int64
	var buf []byte
	for b.Loop() {
		text, terms = 0, 0
		for _, raw := range msgs {
			// As in a sync, the message was just written to a buffer (from
			// the connection): parse it from the cache, not from memory.
			buf = append(buf[:0], raw...)
			in := &ingest{m: &serverMsg{Raw: buf}, p: parseWith(buf, false)}
			text += int64(len(in.p.Text))
			in.fold()
			terms += int64(len(in.fBody))
		}
	}
	b.ReportMetric(float64(len(msgs)), "msgs")
	b.ReportMetric(float64(text)/1e6, "textMB")
	b.ReportMetric(float64(terms)/1e6, "termsMB")
}

// BenchmarkCorpusIndexTerms: the word sets of the corpus's body texts
// (DESKPORT_CORPUS as above), the largest single CPU cost of a first sync.
func BenchmarkCorpusIndexTerms(b *testing.B) {
	msgs, _ := corpusMessages(b)
	var texts []string
	var total int64
	for _, raw := range msgs {
		p := parseWith(raw, false)
		texts = append(texts, p.Text)
		total += int64(len(p.Text))
	}
	b.SetBytes(total)
	for b.Loop() {
		for _, s := range texts {
			indexTerms(s)
		}
	}
}

// corpusMessages reads the messages of the maildir DESKPORT_CORPUS.
func corpusMessages(b *testing.B) ([][]byte, int64) {
	dir := os.Getenv("DESKPORT_CORPUS")
	if dir == "" {
		b.Skip("DESKPORT_CORPUS not set")
	}
	var msgs [][]byte
	var total int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && (strings.Contains(p, "/cur/") || strings.Contains(p, "/new/")) {
			if raw, err := os.ReadFile(p); err == nil {
				msgs = append(msgs, raw)
				total += int64(len(raw))
			}
		}
		return nil
	})
	return msgs, total
}

// BenchmarkIndexTerms: the word set of a typical long German body.
func BenchmarkIndexTerms(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	var sb strings.Builder
	for sb.Len() < 20000 {
		sb.WriteString(benchWords[r.IntN(len(benchWords))])
		sb.WriteString(fmt.Sprintf(" Nr. %d, ", r.IntN(5000)))
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		indexTerms(text)
	}
}
