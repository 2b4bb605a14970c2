package mailcache

import (
	"context"
	"database/sql"
	"testing"
)

func TestGermanSearchBothWays(t *testing.T) {
	c := openCache(t, t.TempDir(), Policy{})
	ctx := context.Background()
	texts := map[string]string{
		"a": "Jürgen Müller schickt Grüße aus der Hauptstraße",
		"b": "Juergen Mueller schickt Gruesse aus der Hauptstrasse",
		"c": "nothing related here",
	}
	err := c.db.Tx(ctx, func(tx *sql.Tx) error {
		var fid int64
		if err := tx.QueryRow(`INSERT INTO folders(name) VALUES('INBOX') RETURNING id`).Scan(&fid); err != nil {
			return err
		}
		uid := uint32(1)
		for subj, body := range texts {
			raw := []byte("Subject: " + subj + "\r\nMessage-ID: <" + subj + "@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
			in, err := c.prepare(&serverMsg{UID: uid, Raw: raw, Size: int64(len(raw))})
			if err != nil {
				return err
			}
			if _, err := c.storeMessage(ctx, tx, fid, in, false); err != nil {
				return err
			}
			uid++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"Müller", "Mueller", "MULLER", "Grüße", "Gruesse", "Grusse", "Hauptstraße", "hauptstrasse", "jürgen müller", "Grü*"} {
		r := find(t, c, q)
		got := map[string]bool{}
		for _, s := range r {
			got[s.Subject] = true
		}
		// "Muller"/"Grusse" cannot know the spelled-out text "Mueller"/"Gruesse"
		wantB := q != "MULLER" && q != "Grusse"
		if !got["a"] || got["b"] != wantB || got["c"] {
			t.Errorf("search %q found %v", q, got)
		}
	}
}
