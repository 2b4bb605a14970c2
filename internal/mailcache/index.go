package mailcache

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
)

// Body states of a message row.
const (
	bodyNone   = 0 // headers only; body fetched when opened
	bodyCached = 1 // raw message in bodies/
)

// serverMsg is one message as fetched from the server.
type serverMsg struct {
	UID          uint32
	Flags        []string
	ModSeq       uint64
	Size         int64
	InternalDate time.Time
	Raw          []byte // nil when only the envelope was fetched
	Env          *envelope
}

// envelope is the IMAP ENVELOPE, for messages whose body is not fetched.
type envelope struct {
	Subject, From, To, Cc, MessageID, InReplyTo string
	Date                                        time.Time
}

type flagSet struct {
	seen, flagged, answered, draft bool
	other                          string
}

func parseFlags(fl []string) flagSet {
	var f flagSet
	var other []string
	for _, x := range fl {
		switch strings.ToLower(x) {
		case `\seen`:
			f.seen = true
		case `\flagged`:
			f.flagged = true
		case `\answered`:
			f.answered = true
		case `\draft`:
			f.draft = true
		case `\recent`:
		default:
			other = append(other, x)
		}
	}
	f.other = strings.Join(other, " ")
	return f
}

// storeMessage inserts or updates the row for m in folder and indexes it.
// A row of this folder without a UID and with the same Message-ID (moved
// here locally, or left from before a UIDVALIDITY change) is adopted, so the
// message keeps its id, its body and any queued actions.
func (c *Cache) storeMessage(ctx context.Context, tx *sql.Tx, folderID int64, m *serverMsg) (int64, error) {
	var p parsed
	if m.Raw != nil {
		p = parseMessage(m.Raw)
	} else if m.Env != nil {
		p = parsed{Subject: m.Env.Subject, From: m.Env.From, To: m.Env.To, Cc: m.Env.Cc,
			MessageID: m.Env.MessageID, InReplyTo: m.Env.InReplyTo, Date: m.Env.Date}
	}
	date := p.Date
	if date.IsZero() || date.Year() < 1971 {
		date = m.InternalDate
	}
	f := parseFlags(m.Flags)
	probs := ""
	if len(p.Problems) > 0 {
		b, _ := json.Marshal(p.Problems)
		probs = string(b)
	}

	var id int64
	pending := false
	if p.MessageID != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM messages WHERE folder_id=? AND uid=0 AND message_id=? LIMIT 1`, folderID, p.MessageID).Scan(&id)
		if err != nil && err != sql.ErrNoRows {
			return 0, err
		}
		if id != 0 {
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM actions WHERE message=? AND kind IN ('seen','unseen','flag','unflag')`, id).Scan(&n)
			pending = n > 0
		}
	}
	if id != 0 {
		q := `UPDATE messages SET uid=?, modseq=?, size=? WHERE id=?`
		args := []any{m.UID, m.ModSeq, m.Size, id}
		if !pending {
			q = `UPDATE messages SET uid=?, modseq=?, size=?, seen=?, flagged=?, answered=?, draft=?, other_flags=? WHERE id=?`
			args = []any{m.UID, m.ModSeq, m.Size, f.seen, f.flagged, f.answered, f.draft, f.other, id}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return 0, err
		}
		if m.Raw == nil {
			return id, nil
		}
	} else {
		err := tx.QueryRowContext(ctx, `INSERT INTO messages(folder_id, uid, seen, flagged, answered, draft, other_flags, modseq, size, date,
			subject, from_addr, to_addr, cc_addr, message_id, in_reply_to, has_attachments, body_state, snippet, problems)
			VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
			folderID, m.UID, f.seen, f.flagged, f.answered, f.draft, f.other, m.ModSeq, m.Size, date.Unix(),
			p.Subject, p.From, p.To, p.Cc, p.MessageID, p.InReplyTo, len(p.Attachments) > 0, bodyNone, snippetOf(p.Text), probs).Scan(&id)
		if err != nil {
			return 0, err
		}
	}
	if m.Raw != nil {
		if err := c.attachBody(ctx, tx, id, m.Raw, p); err != nil {
			return 0, err
		}
	} else if err := c.index(ctx, tx, id, p); err != nil {
		return 0, err
	}
	return id, nil
}

// attachBody stores the raw message of row id and (re)indexes it with its text.
func (c *Cache) attachBody(ctx context.Context, tx *sql.Tx, id int64, raw []byte, p parsed) error {
	if err := c.writeBody(id, raw); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE message=?`, id); err != nil {
		return err
	}
	for _, a := range p.Attachments {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO attachments(message, part, name, type, size) VALUES(?,?,?,?,?)`, id, a.Part, a.Name, a.Type, a.Size); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET body_state=?, has_attachments=?, snippet=? WHERE id=?`, bodyCached, len(p.Attachments) > 0, snippetOf(p.Text), id); err != nil {
		return err
	}
	return c.index(ctx, tx, id, p)
}

func (c *Cache) index(ctx context.Context, tx *sql.Tx, id int64, p parsed) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM fts WHERE rowid=?`, id); err != nil {
		return err
	}
	people := strings.Join([]string{p.From, p.To, p.Cc}, " ")
	_, err := tx.ExecContext(ctx, `INSERT INTO fts(rowid, subject, people, body) VALUES(?,?,?,?)`,
		id, foldForIndex(p.Subject), foldForIndex(people), foldForIndex(p.Text))
	return err
}

// deleteMessage removes a row, its index entry and its body file.
func (c *Cache) deleteMessage(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM fts WHERE rowid=?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE message=?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE id=?`, id); err != nil {
		return err
	}
	c.removeBody(id)
	return nil
}
