package mailcache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// SyncResult counts what one sync changed in the cache.
type SyncResult struct {
	Folders  int // folders that had changed on the server
	New      int
	Flags    int
	Expunged int
	Replayed int
	Sent     int
	Bodies   int // bodies fetched for messages cached with headers only (backfill.go)
	Messages int // messages in the cache after the sync
}

// Sync brings cache and server together once: queued actions are replayed,
// the outbox is sent, then every folder that changed is pulled. It is safe to
// interrupt at any point; the next sync resumes.
func (c *Cache) Sync(ctx context.Context, a Account) (SyncResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyPolicy()
	defer dropRaws()
	c.setStatus(func(s *Status) { s.Syncing = true })
	var res SyncResult
	lock, err := c.lockProcesses(ctx)
	if err == nil {
		res, err = c.syncLocked(ctx, a)
		lock.unlock()
	}
	c.setStatus(func(s *Status) {
		s.Syncing = false
		s.Progress = Progress{}
		s.Online = err == nil || !errors.Is(err, ErrOffline)
		if err != nil {
			s.LastError = err.Error()
		} else {
			s.LastError = ""
			s.LastSync = time.Now()
		}
	})
	return res, err
}

func (c *Cache) syncLocked(ctx context.Context, a Account) (SyncResult, error) {
	var res SyncResult
	cl, err := c.syncConn(ctx, a)
	if err != nil {
		return res, err
	}
	// kept logged in for the next sync when this one succeeds (keepconn.go)
	keep := false
	defer func() {
		if keep {
			c.keepConn(cl, a)
		} else {
			cl.Close()
		}
	}()
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	defer stop()

	if res.Replayed, err = c.replay(ctx, cl); err != nil {
		return res, ctxErr(ctx, err)
	}
	if res.Sent, err = c.sendOutbox(ctx, a, cl); err != nil {
		return res, ctxErr(ctx, err)
	}
	if err := c.pull(ctx, cl, &res); err != nil {
		return res, ctxErr(ctx, err)
	}
	// Counting reads a whole index (15 ms at 50,000 messages, a third of a
	// no-change sync): only after a change, else the last count.
	n, err := strconv.Atoi(c.meta(ctx, "messages"))
	if err != nil || res.Folders > 0 || res.Replayed > 0 || res.Sent > 0 {
		c.db.QueryRowContext(ctx, `SELECT count(*) FROM messages INDEXED BY messages_by_day`).Scan(&n)
	}
	res.Messages = n
	c.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := c.setMeta(ctx, tx, "messages", strconv.Itoa(n)); err != nil {
			return err
		}
		return c.setMeta(ctx, tx, "last_sync", time.Now().UTC().Format(time.RFC3339))
	})
	keep = ctx.Err() == nil
	c.compactDue(ctx) // at most once a day (compact.go)
	return res, nil
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("sync interrupted: %w (it resumes at the next sync)", ctx.Err())
	}
	if lostConnection(err) && !errors.Is(err, ErrOffline) {
		return fmt.Errorf("connection lost during sync: %w: %v (nothing is lost; the next sync resumes)", ErrOffline, err)
	}
	return err
}

type localFolder struct {
	id                               int64
	uidvalidity, uidnext, hms, count int64
}

// pull lists the folders with their status in one round trip and syncs
// those whose UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ or count changed.
func (c *Cache) pull(ctx context.Context, cl *imapclient.Client, res *SyncResult) error {
	caps := cl.Caps()
	listStatus := caps.Has(imap.CapListStatus) || caps.Has(imap.CapIMAP4rev2)
	condstore := caps.Has(imap.CapCondStore)
	stOpts := &imap.StatusOptions{NumMessages: true, UIDNext: true, UIDValidity: true, HighestModSeq: condstore}
	lo := &imap.ListOptions{ReturnSpecialUse: caps.Has(imap.CapSpecialUse)}
	if listStatus {
		lo.ReturnStatus = stOpts
	}
	list, err := cl.List("", "*", lo).Collect()
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var jobs []folderJob
	for _, l := range list {
		if slices.Contains(l.Attrs, imap.MailboxAttrNoSelect) || slices.Contains(l.Attrs, imap.MailboxAttrNonExistent) {
			continue
		}
		seen[l.Mailbox] = true
		special := ""
		for _, at := range l.Attrs {
			switch at {
			case imap.MailboxAttrSent, imap.MailboxAttrTrash, imap.MailboxAttrDrafts, imap.MailboxAttrJunk, imap.MailboxAttrArchive, imap.MailboxAttrAll, imap.MailboxAttrFlagged:
				special = string(at)
			}
		}
		delim := "/"
		if l.Delim != 0 {
			delim = string(l.Delim)
		}
		var lf localFolder
		var oldDelim, oldSpecial string
		err := c.db.QueryRowContext(ctx, `SELECT id, uidvalidity, uidnext, highestmodseq, server_count, delim, special FROM folders WHERE name=?`, l.Mailbox).
			Scan(&lf.id, &lf.uidvalidity, &lf.uidnext, &lf.hms, &lf.count, &oldDelim, &oldSpecial)
		if err != nil || oldDelim != delim || oldSpecial != special {
			// new folder, or its attributes changed: the only writes of a no-change sync
			err = c.db.QueryRowContext(ctx, `INSERT INTO folders(name, delim, special) VALUES(?,?,?)
				ON CONFLICT(name) DO UPDATE SET delim=excluded.delim, special=excluded.special
				RETURNING id, uidvalidity, uidnext, highestmodseq, server_count`, l.Mailbox, delim, special).
				Scan(&lf.id, &lf.uidvalidity, &lf.uidnext, &lf.hms, &lf.count)
			if err != nil {
				return err
			}
		}
		st := l.Status
		if st == nil {
			if st, err = cl.Status(l.Mailbox, stOpts).Wait(); err != nil {
				return err
			}
		}
		if st.NumMessages != nil && int64(*st.NumMessages) == lf.count && int64(st.UIDValidity) == lf.uidvalidity &&
			int64(st.UIDNext) == lf.uidnext && int64(st.HighestModSeq) == lf.hms && !c.folderDirty(ctx, lf.id) && !c.backfillDue(ctx, lf.id) {
			continue
		}
		res.Folders++
		jobs = append(jobs, folderJob{name: l.Mailbox, lf: lf, incoming: incoming(st.NumMessages, lf.count)})
	}
	if err := c.syncFolders(ctx, cl, jobs, condstore, res); err != nil {
		return err
	}
	// folders deleted on the server
	rows, err := c.db.QueryContext(ctx, `SELECT id, name FROM folders`)
	if err != nil {
		return err
	}
	var gone []int64
	for rows.Next() {
		var id int64
		var name string
		rows.Scan(&id, &name)
		if !seen[name] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	for _, id := range gone {
		res.Folders++ // a folder gone is a folder that changed
		err := c.db.Tx(ctx, func(tx *sql.Tx) error {
			ids, err := queryIDs(ctx, tx, `SELECT id FROM messages WHERE folder_id=?`, id)
			if err != nil {
				return err
			}
			for _, m := range ids {
				if err := c.deleteMessage(ctx, tx, m); err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM folders WHERE id=?`, id)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// folderDirty: rows without a UID wait for this folder's next sync.
func (c *Cache) folderDirty(ctx context.Context, folderID int64) bool {
	var dirty bool
	c.db.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM messages m WHERE m.folder_id=? AND m.uid=0
		AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.message=m.id))`, folderID).Scan(&dirty)
	return dirty
}

func queryIDs(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (c *Cache) syncFolder(ctx context.Context, cl *imapclient.Client, name string, lf localFolder, condstore bool, res *SyncResult) error {
	sel, err := cl.Select(name, &imap.SelectOptions{ReadOnly: true, CondStore: condstore}).Wait()
	if err != nil {
		return err
	}
	if lf.uidvalidity != 0 && int64(sel.UIDValidity) != lf.uidvalidity {
		// The server renumbered the folder: forget the UIDs but keep the
		// rows, so bodies and queued actions survive; the fetch below
		// matches them again by Message-ID.
		err := c.db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET uid=0, modseq=0 WHERE folder_id=?`, lf.id); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE folders SET uidvalidity=?, highestmodseq=0 WHERE id=?`, sel.UIDValidity, lf.id)
			return err
		})
		if err != nil {
			return err
		}
		lf.hms = 0
	}

	// local UIDs, and UIDs that queued moves/deletes will take away
	local := map[imap.UID]int64{}
	rows, err := c.db.QueryContext(ctx, `SELECT uid, id FROM messages WHERE folder_id=? AND uid>0`, lf.id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var uid, id int64
		rows.Scan(&uid, &id)
		local[imap.UID(uid)] = id
	}
	rows.Close()
	leaving := map[imap.UID]bool{}
	rows, err = c.db.QueryContext(ctx, `SELECT uid FROM actions WHERE folder=? AND uidvalidity=? AND kind IN ('move','expunge') AND uid>0`, name, sel.UIDValidity)
	if err != nil {
		return err
	}
	for rows.Next() {
		var uid int64
		rows.Scan(&uid)
		leaving[imap.UID(uid)] = true
	}
	rows.Close()

	var server []imap.UID
	if sel.NumMessages > 0 {
		sd, err := cl.UIDSearch(&imap.SearchCriteria{}, &imap.SearchOptions{ReturnAll: cl.Caps().Has(imap.CapESearch)}).Wait()
		if err != nil {
			return err
		}
		if set, ok := sd.All.(imap.UIDSet); ok {
			server, _ = set.Nums()
		}
	}
	onServer := make(map[imap.UID]bool, len(server))
	var fresh []imap.UID
	for _, u := range server {
		onServer[u] = true
		if _, ok := local[u]; !ok && !leaving[u] {
			fresh = append(fresh, u)
		}
	}
	// expunged elsewhere
	var gone []int64
	for u, id := range local {
		if !onServer[u] {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		err := c.db.Tx(ctx, func(tx *sql.Tx) error {
			for _, id := range gone {
				if err := c.deleteMessage(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		res.Expunged += len(gone)
	}

	// flags changed elsewhere
	if len(local) > len(gone) {
		fo := &imap.FetchOptions{UID: true, Flags: true, ModSeq: condstore}
		if condstore && lf.hms > 0 {
			if sel.HighestModSeq > uint64(lf.hms) {
				fo.ChangedSince = uint64(lf.hms)
			} else {
				fo = nil
			}
		}
		if fo != nil {
			n, err := c.pullFlags(ctx, cl, lf.id, fo)
			if err != nil {
				return err
			}
			res.Flags += n
		}
	}

	if len(fresh) > 0 {
		var adopt bool
		c.db.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM messages WHERE folder_id=? AND uid=0)`, lf.id).Scan(&adopt)
		n, err := c.fetchNew(ctx, cl, name, lf.id, fresh, condstore, adopt)
		res.New += n
		if err != nil {
			return err
		}
	}
	if err := c.backfill(ctx, cl, name, lf.id, res); err != nil {
		return err
	}

	return c.db.Tx(ctx, func(tx *sql.Tx) error {
		// rows still without a UID and with nothing queued: the server does
		// not have them (a dropped move, or gone during a UIDVALIDITY change)
		ids, err := queryIDs(ctx, tx, `SELECT m.id FROM messages m WHERE m.folder_id=? AND m.uid=0
			AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.message=m.id)`, lf.id)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := c.deleteMessage(ctx, tx, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE folders SET uidvalidity=?, uidnext=?, highestmodseq=?, server_count=?, synced_at=? WHERE id=?`,
			sel.UIDValidity, sel.UIDNext, sel.HighestModSeq, sel.NumMessages, now(), lf.id)
		return err
	})
}

// pullFlags applies server flags to messages without queued flag changes.
func (c *Cache) pullFlags(ctx context.Context, cl *imapclient.Client, folderID int64, fo *imap.FetchOptions) (int, error) {
	msgs, err := cl.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}, fo).Collect()
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE messages SET seen=?, flagged=?, answered=?, draft=?, other_flags=?, modseq=?
			WHERE folder_id=? AND uid=? AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.message=messages.id AND a.kind IN ('seen','unseen','flag','unflag','answered'))
			AND (seen,flagged,answered,draft,other_flags) IS NOT (?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, m := range msgs {
			fl := make([]string, len(m.Flags))
			for i, f := range m.Flags {
				fl[i] = string(f)
			}
			f := parseFlags(fl)
			r, err := st.ExecContext(ctx, f.seen, f.flagged, f.answered, f.draft, f.other, m.ModSeq, folderID, m.UID, f.seen, f.flagged, f.answered, f.draft, f.other)
			if err != nil {
				return err
			}
			k, _ := r.RowsAffected()
			n += int(k)
		}
		return nil
	})
	return n, err
}

func flagStrings(fl []imap.Flag) []string {
	out := make([]string, len(fl))
	for i, f := range fl {
		out[i] = string(f)
	}
	return out
}

func addrList(as []imap.Address) string {
	var parts []string
	for _, a := range as {
		addr := a.Addr()
		if addr == "" {
			continue
		}
		if a.Name != "" {
			parts = append(parts, a.Name+" <"+addr+">")
		} else {
			parts = append(parts, addr)
		}
	}
	return strings.Join(parts, ", ")
}

func fromEnvelope(e *imap.Envelope) *envelope {
	if e == nil {
		return nil
	}
	env := &envelope{Subject: toValidUTF8(e.Subject), From: toValidUTF8(addrList(e.From)), To: toValidUTF8(addrList(e.To)),
		Cc: toValidUTF8(addrList(e.Cc)), Date: e.Date}
	env.MessageID = e.MessageID
	if len(e.From) > 0 {
		env.FromEmail = strings.ToLower(e.From[0].Addr())
	}
	if len(e.InReplyTo) > 0 {
		env.InReplyTo = e.InReplyTo[0]
	}
	return env
}

// lostConnection reports errors of a connection that broke (as opposed to a
// server refusing something, or errors already explained).
func lostConnection(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
