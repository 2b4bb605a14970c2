package mailcache

import (
	"context"
	"database/sql"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Batches of new messages are committed together: fewer fsyncs, and an
// interrupted sync keeps every batch it finished.
var (
	batchMessages = 500
	batchBytes    = 16 << 20
)

// fetchNew fetches the messages with the given UIDs: whole messages when the
// policy keeps their body offline, the envelope otherwise. Reading from the
// server and writing to the database run side by side.
func (c *Cache) fetchNew(ctx context.Context, cl *imapclient.Client, folderID int64, uids []imap.UID, condstore bool) (int, error) {
	withBody, headersOnly, err := c.splitByPolicy(ctx, cl, uids)
	if err != nil {
		return 0, err
	}
	total := 0
	if len(headersOnly) > 0 {
		fo := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, Envelope: true, ModSeq: condstore}
		n, err := c.fetchInto(ctx, cl, folderID, imap.UIDSetNum(headersOnly...), fo, nil)
		total += n
		if err != nil {
			return total, err
		}
	}
	if len(withBody) > 0 {
		sec := &imap.FetchItemBodySection{Peek: true}
		fo := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, ModSeq: condstore,
			BodySection: []*imap.FetchItemBodySection{sec}}
		n, err := c.fetchInto(ctx, cl, folderID, imap.UIDSetNum(withBody...), fo, sec)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// splitByPolicy: bodies for messages newer than BodyDays and not larger
// than MaxBodyBytes; the rest gets headers only.
func (c *Cache) splitByPolicy(ctx context.Context, cl *imapclient.Client, uids []imap.UID) (body, head []imap.UID, err error) {
	set := imap.UIDSetNum(uids...)
	sizes, err := cl.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true}).Collect()
	if err != nil {
		return nil, nil, err
	}
	var since time.Time
	if c.policy.BodyDays > 0 {
		since = time.Now().AddDate(0, 0, -c.policy.BodyDays)
	}
	for _, m := range sizes {
		if m.RFC822Size <= c.policy.MaxBodyBytes && (since.IsZero() || !m.InternalDate.Before(since)) {
			body = append(body, m.UID)
		} else {
			head = append(head, m.UID)
		}
	}
	return body, head, nil
}

func (c *Cache) fetchInto(ctx context.Context, cl *imapclient.Client, folderID int64, set imap.UIDSet, fo *imap.FetchOptions, sec *imap.FetchItemBodySection) (int, error) {
	cmd := cl.Fetch(set, fo)
	batches := make(chan []*serverMsg, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		var batch []*serverMsg
		size := 0
		for {
			md := cmd.Next()
			if md == nil {
				break
			}
			buf, err := md.Collect()
			if err != nil {
				cmd.Close()
				readErr <- err
				return
			}
			m := &serverMsg{UID: uint32(buf.UID), Flags: flagStrings(buf.Flags), ModSeq: buf.ModSeq,
				Size: buf.RFC822Size, InternalDate: buf.InternalDate, Env: fromEnvelope(buf.Envelope)}
			if sec != nil {
				m.Raw = buf.FindBodySection(sec)
				if m.Raw == nil {
					m.Raw = []byte{}
				}
			}
			batch = append(batch, m)
			size += len(m.Raw)
			if len(batch) >= batchMessages || size >= batchBytes {
				select {
				case batches <- batch:
				case <-ctx.Done():
					cmd.Close()
					readErr <- ctx.Err()
					return
				}
				batch, size = nil, 0
			}
		}
		if len(batch) > 0 {
			batches <- batch
		}
		readErr <- cmd.Close()
	}()
	n := 0
	var werr error
	for batch := range batches {
		if werr != nil {
			continue // drain so the reader can finish
		}
		werr = c.db.Tx(ctx, func(tx *sql.Tx) error {
			for _, m := range batch {
				if m.UID == 0 {
					continue
				}
				if _, err := c.storeMessage(ctx, tx, folderID, m); err != nil {
					return err
				}
			}
			return nil
		})
		if werr == nil {
			n += len(batch)
			c.crashPoint("fetch-batch")
		}
	}
	if err := <-readErr; err != nil {
		return n, err
	}
	return n, werr
}

// FetchBody downloads one message's body on demand (for messages outside
// the offline policy) and caches it.
func (c *Cache) FetchBody(ctx context.Context, a Account, id int64) ([]byte, error) {
	if b, err := c.Raw(ctx, id); err == nil {
		return b, nil
	}
	var folder string
	var uid int64
	if err := c.db.QueryRowContext(ctx, `SELECT f.name, m.uid FROM messages m JOIN folders f ON f.id=m.folder_id WHERE m.id=?`, id).Scan(&folder, &uid); err != nil {
		return nil, ErrNotFound
	}
	if uid == 0 {
		return nil, ErrNotCached
	}
	cl, err := dialIMAP(ctx, a, nil)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	if _, err := cl.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, err
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := cl.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, ErrNotFound
	}
	raw := msgs[0].FindBodySection(sec)
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET size=? WHERE id=?`, len(raw), id); err != nil {
			return err
		}
		return c.attachBody(ctx, tx, id, raw, parseMessage(raw))
	})
	return raw, err
}
