package mailcache

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// A batch of messages with attachments becomes one segment of the index.
// Interleaving the index inserts with the attachment rows made FTS5 write
// a segment every few messages, and a first sync spent more time merging
// them than indexing.
func TestBatchIsOneIndexSegment(t *testing.T) {
	c := openCache(t, t.TempDir(), Policy{})
	ctx := context.Background()
	var fid int64
	if err := c.db.QueryRowContext(ctx, `INSERT INTO folders(name) VALUES('INBOX') RETURNING id`).Scan(&fid); err != nil {
		t.Fatal(err)
	}
	var batch []*ingest
	for i := 0; i < 60; i++ {
		raw := fmt.Appendf(nil, "Subject: Bescheid %d\r\nMessage-ID: <%d@x>\r\nMIME-Version: 1.0\r\n"+
			"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nText wort%d\r\n"+
			"--b\r\nContent-Type: application/pdf; name=a%d.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n", i, i, i, i)
		in, err := c.prepare(&serverMsg{UID: uint32(i + 1), Raw: raw, Size: int64(len(raw))})
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, in)
	}
	if err := c.db.Tx(ctx, func(tx *sql.Tx) error { return c.storeBatch(ctx, tx, fid, batch, false) }); err != nil {
		t.Fatal(err)
	}
	var segs, atts int
	c.db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM fts_idx`).Scan(&segs)
	c.db.QueryRowContext(ctx, `SELECT count(*) FROM attachments`).Scan(&atts)
	if segs != 1 || atts != 60 {
		t.Fatalf("index segments %d (want 1), attachments %d (want 60)", segs, atts)
	}
	for _, q := range []string{"wort0", "wort59", "subject:Bescheid"} {
		if n := len(find(t, c, q)); (q == "subject:Bescheid" && n != 60) || (q != "subject:Bescheid" && n != 1) {
			t.Errorf("%s: %d hits", q, n)
		}
	}
}
