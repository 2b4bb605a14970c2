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
	Skeleton     bool // Raw is a skeleton (skeleton.go), not the whole message
}

// envelope is the IMAP ENVELOPE, for messages whose body is not fetched.
type envelope struct {
	Subject, From, To, Cc, MessageID, InReplyTo string
	FromEmail                                   string
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

// ingest is a fetched message parsed by a parse worker, ready for the database.
type ingest struct {
	m   *serverMsg
	p   parsed
	loc bodyLoc // where the body was stored (Available=false: headers only)

	folded                   bool
	fSubject, fPeople, fBody string
	snip                     string
}

// prepare parses m; it runs in parallel workers.
func (c *Cache) prepare(m *serverMsg) (*ingest, error) {
	in := &ingest{m: m}
	if m.Raw != nil {
		in.p = parseWith(m.Raw, m.Skeleton)
		loc, err := c.packs.append(m.Raw)
		if err != nil {
			return nil, err
		}
		in.loc = loc
	} else if m.Env != nil {
		in.p = parsed{Subject: m.Env.Subject, From: m.Env.From, FromEmail: m.Env.FromEmail, To: m.Env.To, Cc: m.Env.Cc,
			MessageID: m.Env.MessageID, InReplyTo: m.Env.InReplyTo, Date: m.Env.Date}
	}
	in.fold()
	return in, nil
}

// storeMessage inserts the row for a prepared message and indexes it. With
// adopt, a row of this folder without a UID and with the same Message-ID
// (moved here locally, or left from before a UIDVALIDITY change) takes the
// UID instead, so the message keeps its id, body and queued actions.
func (c *Cache) storeMessage(ctx context.Context, tx *sql.Tx, folderID int64, in *ingest, adopt bool) (int64, error) {
	return c.storeWith(ctx, tx, nil, folderID, in, adopt)
}

// stmts are the statements of a batch insert, prepared once per transaction.
// The batch's index entries are written after all its rows (flushIndex):
// FTS5 writes out its pending terms as a new segment whenever another
// statement of the transaction opens a statement journal (an INSERT OR
// REPLACE of attachments does), so interleaved inserts made a segment of a
// dozen messages each, and merging those took more time than indexing.
type stmts struct {
	msg, fts, att *sql.Stmt
	index         []indexRow
}

type indexRow struct {
	id                  int64
	subj, people, terms string
}

// storeBatch stores prepared messages in one transaction.
func (c *Cache) storeBatch(ctx context.Context, tx *sql.Tx, folderID int64, batch []*ingest, adopt bool) error {
	st, err := prepareStmts(ctx, tx)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, in := range batch {
		if _, err := c.storeWith(ctx, tx, st, folderID, in, adopt); err != nil {
			return err
		}
	}
	return st.flushIndex(ctx)
}

func (s *stmts) flushIndex(ctx context.Context) error {
	for _, r := range s.index {
		if _, err := s.fts.ExecContext(ctx, r.id, r.subj, r.people, r.terms); err != nil {
			return err
		}
	}
	s.index = s.index[:0]
	return nil
}

func prepareStmts(ctx context.Context, tx *sql.Tx) (*stmts, error) {
	var s stmts
	var err error
	for _, x := range []struct {
		dst **sql.Stmt
		q   string
	}{{&s.msg, insertMessageSQL},
		{&s.fts, `INSERT INTO fts(rowid, subject, people, body) VALUES(?,?,?,?)`},
		{&s.att, insertAttachmentSQL}} {
		if *x.dst, err = tx.PrepareContext(ctx, x.q); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

func (s *stmts) Close() {
	for _, st := range []*sql.Stmt{s.msg, s.fts, s.att} {
		if st != nil {
			st.Close()
		}
	}
}

const insertAttachmentSQL = `INSERT OR REPLACE INTO attachments(message, part, name, type, size, offline) VALUES(?,?,?,?,?,?)`

const insertMessageSQL = `INSERT INTO messages(folder_id, uid, seen, flagged, answered, draft, other_flags, modseq, size, date,
		subject, from_addr, from_email, to_addr, cc_addr, message_id, in_reply_to, has_attachments, body_state, snippet, problems,
		body_pack, body_off, body_len, body_crc)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

func (c *Cache) storeWith(ctx context.Context, tx *sql.Tx, st *stmts, folderID int64, in *ingest, adopt bool) (int64, error) {
	batch := st != nil
	if !batch {
		var err error
		if st, err = prepareStmts(ctx, tx); err != nil {
			return 0, err
		}
		defer st.Close()
	}
	m, p := in.m, in.p
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
	if adopt && p.MessageID != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM messages WHERE folder_id=? AND uid=0 AND message_id=? LIMIT 1`, folderID, p.MessageID).Scan(&id)
		if err != nil && err != sql.ErrNoRows {
			return 0, err
		}
	}
	if id != 0 {
		var pending int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM actions WHERE message=? AND kind IN ('seen','unseen','flag','unflag','answered')`, id).Scan(&pending)
		q := `UPDATE messages SET uid=?, modseq=?, size=? WHERE id=?`
		args := []any{m.UID, m.ModSeq, m.Size, id}
		if pending == 0 {
			q = `UPDATE messages SET uid=?, modseq=?, size=?, seen=?, flagged=?, answered=?, draft=?, other_flags=? WHERE id=?`
			args = []any{m.UID, m.ModSeq, m.Size, f.seen, f.flagged, f.answered, f.draft, f.other, id}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return 0, err
		}
		if !in.loc.Available {
			return id, nil
		}
		return id, c.attachBody(ctx, tx, id, in)
	}
	state := bodyNone
	if in.loc.Available {
		state = bodyCached
	}
	r, err := st.msg.ExecContext(ctx,
		folderID, m.UID, f.seen, f.flagged, f.answered, f.draft, f.other, m.ModSeq, m.Size, date.Unix(),
		storedSubject(p.Subject), p.From, p.FromEmail, p.To, p.Cc, p.MessageID, p.InReplyTo, len(p.Attachments) > 0, state, in.snippet(), probs,
		in.loc.Pack, in.loc.Off, in.loc.Len, in.loc.CRC)
	if err != nil {
		return 0, err
	}
	if id, err = r.LastInsertId(); err != nil {
		return 0, err
	}
	for _, a := range p.Attachments {
		if _, err := st.att.ExecContext(ctx, id, a.Part, a.Name, a.Type, a.Size, a.Offline); err != nil {
			return 0, err
		}
	}
	subj, people, body := in.indexed()
	st.index = append(st.index, indexRow{id, subj, people, body})
	if batch {
		return id, nil
	}
	return id, st.flushIndex(ctx)
}

func (c *Cache) insertAttachments(ctx context.Context, tx *sql.Tx, id int64, p parsed) error {
	for _, a := range p.Attachments {
		if _, err := tx.ExecContext(ctx, insertAttachmentSQL, id, a.Part, a.Name, a.Type, a.Size, a.Offline); err != nil {
			return err
		}
	}
	return nil
}

// attachBody gives row id the prepared body and reindexes it with its text.
func (c *Cache) attachBody(ctx context.Context, tx *sql.Tx, id int64, in *ingest) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE message=?`, id); err != nil {
		return err
	}
	if err := c.insertAttachments(ctx, tx, id, in.p); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET body_state=?, has_attachments=?, snippet=?, body_pack=?, body_off=?, body_len=?, body_crc=? WHERE id=?`,
		bodyCached, len(in.p.Attachments) > 0, in.snippet(), in.loc.Pack, in.loc.Off, in.loc.Len, in.loc.CRC, id); err != nil {
		return err
	}
	return c.index(ctx, tx, id, in, true)
}

func (c *Cache) index(ctx context.Context, tx *sql.Tx, id int64, in *ingest, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM fts WHERE rowid=?`, id); err != nil {
			return err
		}
	}
	subj, people, body := in.indexed()
	_, err := tx.ExecContext(ctx, `INSERT INTO fts(rowid, subject, people, body) VALUES(?,?,?,?)`, id, subj, people, body)
	return err
}

// indexed returns the texts for the index (folded in the parse workers).
func (in *ingest) indexed() (string, string, string) {
	if !in.folded {
		in.fold()
	}
	return in.fSubject, in.fPeople, in.fBody
}

func (in *ingest) fold() {
	in.fSubject = foldForIndex(in.p.Subject)
	in.fPeople = foldForIndex(strings.Join([]string{in.p.From, in.p.To, in.p.Cc}, " "))
	in.fBody = indexTerms(in.p.Text)
	in.snip = in.p.Snippet
	in.folded = true
	in.p.Text = "" // folded: do not keep a batch's texts in memory twice
}

func (in *ingest) snippet() string {
	if !in.folded {
		in.fold()
	}
	return in.snip
}

// deleteMessage removes a row, its index entry and its body.
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
	return nil
}
