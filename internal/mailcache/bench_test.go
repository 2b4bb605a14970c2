package mailcache

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
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
