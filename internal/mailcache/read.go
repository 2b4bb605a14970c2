package mailcache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Folder is a mailbox with its counts in the cache.
type Folder struct {
	Name       string `json:"name"`
	Delimiter  string `json:"delimiter"`
	SpecialUse string `json:"specialUse"` // \Sent, \Trash, ... or ""
	Total      int    `json:"total"`
	Unread     int    `json:"unread"`
}

// Summary is one line of a message list.
type Summary struct {
	ID             int64     `json:"id"`
	Folder         string    `json:"folder"`
	Subject        string    `json:"subject"`
	From           string    `json:"from"`
	To             string    `json:"to"`
	Date           time.Time `json:"date"`
	Size           int64     `json:"size"`
	Seen           bool      `json:"seen"`
	Flagged        bool      `json:"flagged"`
	Answered       bool      `json:"answered"`
	HasAttachments bool      `json:"hasAttachments"`
	Snippet        string    `json:"snippet"`
	BodyCached     bool      `json:"bodyCached"`
}

// ErrNotFound: no such message in the cache.
var ErrNotFound = errors.New("mail cache: no such message (it may have been deleted or moved; sync and try again)")

// Folders lists the cached folders with their message and unread counts.
func (c *Cache) Folders(ctx context.Context) ([]Folder, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT f.name, f.delim, f.special,
		(SELECT count(*) FROM messages m WHERE m.folder_id=f.id),
		(SELECT count(*) FROM messages m WHERE m.folder_id=f.id AND m.seen=0)
		FROM folders f ORDER BY CASE WHEN f.name='INBOX' THEN 0 ELSE 1 END, f.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Folder
	for rows.Next() {
		var f Folder
		if err := rows.Scan(&f.Name, &f.Delimiter, &f.SpecialUse, &f.Total, &f.Unread); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

const summaryCols = `m.id, f.name, m.subject, m.from_addr, m.to_addr, m.date, m.size, m.seen, m.flagged, m.answered, m.has_attachments, m.snippet, m.body_state`

func scanSummaries(rows *sql.Rows) ([]Summary, error) { return scanRows(rows) }

// scanRows reads summaries; extra receives any further columns of each row.
func scanRows(rows *sql.Rows, extra ...any) ([]Summary, error) {
	defer rows.Close()
	out := []Summary{}
	for rows.Next() {
		var s Summary
		var date int64
		var body int
		dst := append([]any{&s.ID, &s.Folder, &s.Subject, &s.From, &s.To, &date, &s.Size, &s.Seen, &s.Flagged, &s.Answered, &s.HasAttachments, &s.Snippet, &body}, extra...)
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		s.Date = time.Unix(date, 0).UTC()
		s.BodyCached = body == bodyCached
		out = append(out, s)
	}
	return out, rows.Err()
}

// List returns a page of a folder, newest first.
func (c *Cache) List(ctx context.Context, folder string, offset, limit int) ([]Summary, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := c.db.QueryContext(ctx, `SELECT `+summaryCols+` FROM messages m JOIN folders f ON f.id=m.folder_id
		WHERE f.name=? ORDER BY m.date DESC, m.id DESC LIMIT ? OFFSET ?`, folder, limit, offset)
	if err != nil {
		return nil, err
	}
	return scanSummaries(rows)
}

// FolderTotal is the number of messages listed in folder.
func (c *Cache) FolderTotal(ctx context.Context, folder string) (int, error) {
	var n int
	err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE folder_id=(SELECT id FROM folders WHERE name=?)`, folder).Scan(&n)
	return n, err
}

// Summary returns one message's list entry.
func (c *Cache) Summary(ctx context.Context, id int64) (Summary, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT `+summaryCols+` FROM messages m JOIN folders f ON f.id=m.folder_id WHERE m.id=?`, id)
	if err != nil {
		return Summary{}, err
	}
	s, err := scanSummaries(rows)
	if err != nil {
		return Summary{}, err
	}
	if len(s) == 0 {
		return Summary{}, ErrNotFound
	}
	return s[0], nil
}

// Raw returns the cached raw message, or ErrNotCached when only its headers
// are offline (FetchBody gets it when online).
func (c *Cache) Raw(ctx context.Context, id int64) ([]byte, error) {
	var last bodyLoc
	// A compaction may move the body between the lookup and the read: then
	// the row points elsewhere, and a second lookup finds it.
	for try := 0; try < 2; try++ {
		var state int
		var loc bodyLoc
		err := c.db.QueryRowContext(ctx, `SELECT body_state, body_pack, body_off, body_len, body_crc FROM messages WHERE id=?`, id).
			Scan(&state, &loc.Pack, &loc.Off, &loc.Len, &loc.CRC)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		if state != bodyCached || loc == last {
			break
		}
		if raw, err := c.readPack(loc); err == nil {
			return raw, nil
		}
		last = loc
	}
	return nil, ErrNotCached
}

// ErrNotCached: the message body is not offline yet.
var ErrNotCached = fmt.Errorf("mail cache: this message's body is not downloaded yet (connect and sync, or open it while online)")

// Attachments lists a message's attachments as far as known.
func (c *Cache) Attachments(ctx context.Context, id int64) ([]Attachment, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT part, name, type, size, offline FROM attachments WHERE message=? ORDER BY part`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Attachment{}
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.Part, &a.Name, &a.Type, &a.Size, &a.Offline); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment is a part of a message shown as a file.
type Attachment struct {
	Part string `json:"part"`
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	// Offline is false for an attachment left out of the stored message
	// (Policy.MaxAttachmentBytes): Size is still its real size, and
	// FetchPart gets it from the server.
	Offline bool `json:"offline"`
}
