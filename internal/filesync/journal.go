package filesync

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/store"
)

// JournalEntry is the state of one path when both sides last agreed.
type JournalEntry struct {
	Path   string
	IsDir  bool
	LSize  int64
	LMtime int64 // ns
	LInode uint64
	ETag   string // remote, normalized; "" for a folder means "list it again"
	FileID string
	Perms  string
	RSize  int64
	RMtime int64 // unix seconds
}

func (j JournalEntry) local() LocalEntry {
	return LocalEntry{Path: j.Path, IsDir: j.IsDir, Size: j.LSize, Mtime: j.LMtime, Inode: j.LInode}
}

// Conflict is a local version set aside because both sides changed.
type Conflict struct {
	Copy     string    `json:"copy"`     // the local edit, renamed
	Original string    `json:"original"` // the path that now holds the server's version
	At       time.Time `json:"at"`
}

// FileError is the last error of one path (cleared when it syncs).
type FileError struct {
	Path     string    `json:"path"`
	Op       string    `json:"op"`
	Message  string    `json:"message"`
	At       time.Time `json:"at"`
	Attempts int       `json:"attempts"`
}

var journalMigrations = []store.Migration{{Version: 1, SQL: `
CREATE TABLE entries(
  path TEXT PRIMARY KEY, is_dir INTEGER NOT NULL,
  lsize INTEGER NOT NULL, lmtime INTEGER NOT NULL, linode INTEGER NOT NULL,
  etag TEXT NOT NULL, fileid TEXT NOT NULL, perms TEXT NOT NULL, rsize INTEGER NOT NULL, rmtime INTEGER NOT NULL);
CREATE INDEX entries_fileid ON entries(fileid) WHERE fileid != '';
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE conflicts(copy TEXT PRIMARY KEY, original TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE errors(path TEXT PRIMARY KEY, op TEXT NOT NULL, message TEXT NOT NULL, at INTEGER NOT NULL, attempts INTEGER NOT NULL);
`}, {Version: 2, SQL: `
-- An upload or a download written down before it starts (see pending.go),
-- so the run after a crash can tell its own unrecorded transfer from
-- someone else's change.
CREATE TABLE pending(
  path TEXT PRIMARY KEY, op TEXT NOT NULL,
  lsize INTEGER NOT NULL, lmtime INTEGER NOT NULL, linode INTEGER NOT NULL,
  etag TEXT NOT NULL, fileid TEXT NOT NULL, perms TEXT NOT NULL, rsize INTEGER NOT NULL, rmtime INTEGER NOT NULL,
  hash TEXT NOT NULL, temp TEXT NOT NULL);
`}}

// Journal is the SQLite record of the last synced state of every path.
// Writes are batched; a batch lost to a crash only makes the next pass
// compare contents again, never delete anything (see reconcile).
type Journal struct {
	db *store.DB

	mu      sync.Mutex
	flushMu sync.Mutex // batches commit in queue order, so a crash loses only a suffix
	pending []func(*sql.Tx) error
}

// OpenJournal opens the journal at path, bound to one local folder and one
// server folder: a journal of another pair is refused, because applying it
// would make the engine think files were deleted.
func OpenJournal(ctx context.Context, path, localRoot, remoteURL string) (*Journal, error) {
	db, err := store.Open(ctx, path, "filesync", journalMigrations, nil)
	if err != nil {
		return nil, err
	}
	j := &Journal{db: db}
	for k, v := range map[string]string{"local_root": localRoot, "remote_url": remoteURL} {
		if v == "" { // opened for reading (status)
			continue
		}
		old, err := j.Meta(ctx, k)
		if err != nil {
			db.Close()
			return nil, err
		}
		if old != "" && old != v {
			db.Close()
			return nil, fmt.Errorf("the sync state in %s belongs to %s, not %s; use another --state folder for this pair", path, old, v)
		}
		if old == "" {
			if err := j.SetMeta(ctx, k, v); err != nil {
				db.Close()
				return nil, err
			}
		}
	}
	return j, nil
}

func (j *Journal) Close() error {
	j.Flush(context.Background())
	return j.db.Close()
}

func (j *Journal) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := j.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

func (j *Journal) SetMeta(ctx context.Context, key, value string) error {
	_, err := j.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Summary counts the synced files and folders and their bytes.
func (j *Journal) Summary(ctx context.Context) (files, dirs int, bytes int64, err error) {
	err = j.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(is_dir = 0), 0), COALESCE(SUM(is_dir), 0), COALESCE(SUM(CASE WHEN is_dir = 0 THEN lsize ELSE 0 END), 0) FROM entries`).Scan(&files, &dirs, &bytes)
	return
}

// Unchanged reports whether the local file at rel is still exactly as last
// synced (so replacing it loses nothing that is not on the server).
func (j *Journal) Unchanged(ctx context.Context, root, rel string) (bool, error) {
	var e JournalEntry
	var ino int64
	err := j.db.QueryRowContext(ctx, `SELECT is_dir, lsize, lmtime, linode FROM entries WHERE path = ?`, rel).Scan(&e.IsDir, &e.LSize, &e.LMtime, &ino)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	l := &localFS{root: root, goos: runtime.GOOS}
	cur, ok, err := l.stat(rel)
	if err != nil || !ok {
		return false, err
	}
	return !cur.IsDir && sameLocal(cur, e.local()), nil
}

// Load reads every entry. It reads the rows from the driver itself: at
// 100,000 entries database/sql's per-column conversion and a map grown
// step by step were half of the load's CPU.
func (j *Journal) Load(ctx context.Context) (map[string]JournalEntry, error) {
	var n int
	if err := j.db.QueryRowContext(ctx, `SELECT count(*) FROM entries`).Scan(&n); err != nil {
		return nil, err
	}
	conn, err := j.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	out := make(map[string]JournalEntry, n)
	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return j.loadPortable(ctx, out)
		}
		// The driver gets no context: with one it arms a lock-wait hook
		// around every row's step, for a wait a read of a WAL database
		// hardly ever makes (busy_timeout still bounds it); the loop below
		// checks ctx itself.
		rows, err := q.QueryContext(context.Background(), `SELECT `+journalColumns+` FROM entries`, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		var row [10]driver.Value
		var perms permsInterner
		for i := 0; ; i++ {
			if i&4095 == 4095 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := rows.Next(row[:]); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			var e JournalEntry
			var c rowDecoder
			e.Path = c.text(row[0])
			e.IsDir = c.int(row[1]) != 0
			e.LSize = c.int(row[2])
			e.LMtime = c.int(row[3])
			e.LInode = uint64(c.int(row[4]))
			e.ETag = c.text(row[5])
			e.FileID = c.text(row[6])
			e.Perms = perms.intern(c.text(row[7]))
			e.RSize = c.int(row[8])
			e.RMtime = c.int(row[9])
			if c.err != nil {
				return fmt.Errorf("journal entry %q: %w", e.Path, c.err)
			}
			out[e.Path] = e
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// loadPortable is Load through database/sql's conversions (a driver
// without QueryerContext).
func (j *Journal) loadPortable(ctx context.Context, out map[string]JournalEntry) error {
	rows, err := j.db.QueryContext(ctx, `SELECT `+journalColumns+` FROM entries`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanJournalRow(rows)
		if err != nil {
			return err
		}
		out[e.Path] = e
	}
	return rows.Err()
}

// rowDecoder turns driver values into Go ones the way database/sql's Scan
// does for the types SQLite hands out, remembering the first mismatch.
type rowDecoder struct{ err error }

func (c *rowDecoder) text(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if c.err == nil {
		c.err = fmt.Errorf("unexpected %T where text was stored", v)
	}
	return ""
}

func (c *rowDecoder) int(v driver.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string, []byte:
		s := c.text(x)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil && c.err == nil {
			c.err = fmt.Errorf("%q where a number was stored", s)
		}
		return n
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	}
	if c.err == nil {
		c.err = fmt.Errorf("unexpected %T where a number was stored", v)
	}
	return 0
}

// permsInterner shares the few distinct permission strings of a journal
// (a server gives almost every file the same ones).
type permsInterner struct {
	last [4]string
	next int
}

func (p *permsInterner) intern(s string) string {
	for _, v := range p.last {
		if v == s {
			return v
		}
	}
	p.last[p.next] = s
	p.next = (p.next + 1) % len(p.last)
	return s
}

func (j *Journal) queue(fn func(*sql.Tx) error) {
	j.mu.Lock()
	j.pending = append(j.pending, fn)
	n := len(j.pending)
	j.mu.Unlock()
	if n >= 256 {
		j.Flush(context.Background())
	}
}

// Flush writes the queued changes in one transaction.
func (j *Journal) Flush(ctx context.Context) error {
	j.flushMu.Lock()
	defer j.flushMu.Unlock()
	j.mu.Lock()
	p := j.pending
	j.pending = nil
	j.mu.Unlock()
	if len(p) == 0 {
		return nil
	}
	err := j.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, fn := range p {
			if err := fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	hit("journal-flushed")
	return err
}

func (j *Journal) put(e JournalEntry) {
	j.queue(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT OR REPLACE INTO entries(path, is_dir, lsize, lmtime, linode, etag, fileid, perms, rsize, rmtime) VALUES(?,?,?,?,?,?,?,?,?,?)`,
			e.Path, e.IsDir, e.LSize, e.LMtime, int64(e.LInode), e.ETag, e.FileID, e.Perms, e.RSize, e.RMtime)
		if err == nil {
			_, err = tx.Exec(`DELETE FROM errors WHERE path = ?`, e.Path)
		}
		if err == nil {
			_, err = tx.Exec(`DELETE FROM pending WHERE path = ?`, e.Path)
		}
		return err
	})
}

func (j *Journal) forget(p string) {
	j.queue(func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM entries WHERE path = ?`, p)
		if err == nil {
			_, err = tx.Exec(`DELETE FROM errors WHERE path = ?`, p)
		}
		if err == nil {
			_, err = tx.Exec(`DELETE FROM pending WHERE path = ?`, p)
		}
		return err
	})
}

// forgetTree drops p and everything below it.
func (j *Journal) forgetTree(p string) {
	j.queue(func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM entries WHERE path = ? OR substr(path, 1, ?) = ?`, p, len(p)+1, p+"/")
		return err
	})
}

// moveTree renames p and everything below it to q.
func (j *Journal) moveTree(from, to string) {
	j.queue(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM entries WHERE path = ? OR substr(path, 1, ?) = ?`, to, len(to)+1, to+"/"); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE entries SET path = ? || substr(path, ?) WHERE path = ? OR substr(path, 1, ?) = ?`,
			to, len(from)+1, from, len(from)+1, from+"/")
		return err
	})
}

func (j *Journal) setError(p, op string, err error) {
	msg := err.Error()
	j.queue(func(tx *sql.Tx) error {
		_, e := tx.Exec(`INSERT INTO errors(path, op, message, at, attempts) VALUES(?,?,?,?,1)
			ON CONFLICT(path) DO UPDATE SET op = excluded.op, message = excluded.message, at = excluded.at, attempts = attempts + 1`,
			p, op, msg, time.Now().Unix())
		return e
	})
}

func (j *Journal) addConflict(c Conflict) {
	j.queue(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT OR REPLACE INTO conflicts(copy, original, at) VALUES(?,?,?)`, c.Copy, c.Original, c.At.Unix())
		return err
	})
}

// Conflicts lists the conflict copies not yet resolved.
func (j *Journal) Conflicts(ctx context.Context) ([]Conflict, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT copy, original, at FROM conflicts ORDER BY at DESC, copy`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		var at int64
		if err := rows.Scan(&c.Copy, &c.Original, &at); err != nil {
			return nil, err
		}
		c.At = time.Unix(at, 0)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ResolveConflict forgets a conflict (after the user chose a version).
func (j *Journal) ResolveConflict(ctx context.Context, copyPath string) error {
	_, err := j.db.ExecContext(ctx, `DELETE FROM conflicts WHERE copy = ?`, copyPath)
	return err
}

// Errors lists the per-file errors of the last passes.
func (j *Journal) Errors(ctx context.Context) ([]FileError, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT path, op, message, at, attempts FROM errors ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FileError
	for rows.Next() {
		var e FileError
		var at int64
		if err := rows.Scan(&e.Path, &e.Op, &e.Message, &at, &e.Attempts); err != nil {
			return nil, err
		}
		e.At = time.Unix(at, 0)
		out = append(out, e)
	}
	return out, rows.Err()
}

// clearErrorsExcept drops errors of paths not in keep (they went away).
func (j *Journal) clearErrorsExcept(ctx context.Context, keep map[string]bool) error {
	errs, err := j.Errors(ctx)
	if err != nil {
		return err
	}
	for _, e := range errs {
		if !keep[e.Path] {
			p := e.Path
			j.queue(func(tx *sql.Tx) error { _, err := tx.Exec(`DELETE FROM errors WHERE path = ?`, p); return err })
		}
	}
	return nil
}

func underOrSame(p, dir string) bool {
	return dir == "" || p == dir || strings.HasPrefix(p, dir+"/")
}
