// Package mailcache keeps an IMAP account in SQLite for offline reading,
// searching and writing: folders, message headers and flags, bodies of
// recent mail, a full-text index, a queue of local actions replayed in order
// when online, and an outbox sent over SMTP submission.
package mailcache

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/store"
)

// Policy is what the cache keeps offline.
type Policy struct {
	// BodyDays: bodies of messages newer than this many days are fetched
	// during sync (default 90); 0 keeps the default, -1 fetches every body.
	BodyDays int
	// MaxBodyBytes: larger messages are fetched only when opened (default 25 MB).
	MaxBodyBytes int64
}

func (p Policy) withDefaults() Policy {
	if p.BodyDays == 0 {
		p.BodyDays = 90
	}
	if p.MaxBodyBytes <= 0 {
		p.MaxBodyBytes = 25 << 20
	}
	return p
}

// Cache is one account's mail cache in a directory.
type Cache struct {
	db     *store.DB
	dir    string
	policy Policy

	mu       sync.Mutex // serializes sync/replay runs
	statusMu sync.Mutex
	status   Status

	crash func(point string) // test hook: crash points, nil in production
	packs *packWriter
}

// Open opens (creating) the cache in dir.
func Open(ctx context.Context, dir string, policy Policy) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail cache: cannot create %s: %w (check permissions and free space)", dir, err)
	}
	path := filepath.Join(dir, "mail.db")
	db, err := openQuick(ctx, path)
	if db == nil || err != nil {
		db, err = store.Open(ctx, path, "mailcache", migrations, nil)
		if err != nil {
			return nil, err
		}
	}
	c := &Cache{db: db, dir: dir, policy: policy.withDefaults(), packs: &packWriter{dir: filepath.Join(dir, "bodies")}}
	return c, nil
}

// Close closes the database and notes that it was closed cleanly.
func (c *Cache) Close() error {
	c.packs.close()
	if err := c.db.Close(); err != nil {
		return err
	}
	f, err := os.Create(c.db.Path + ".closed")
	if err == nil {
		f.Close()
	}
	return nil
}

// openQuick opens the database without store.Open's integrity check when
// the last session closed it cleanly (a marker file beside it) and its
// schema is current: the check reads every page, hundreds of milliseconds
// per 50 MB, too slow for a search from the command line. After a crash
// (no marker) the full open with its check runs. The marker is removed
// while the database is open. It returns nil, nil when the full open is needed.
func openQuick(ctx context.Context, path string) (*store.DB, error) {
	marker := path + ".closed"
	if _, err := os.Stat(marker); err != nil {
		return nil, nil
	}
	if err := os.Remove(marker); err != nil {
		return nil, nil
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	sdb, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, nil
	}
	sdb.SetMaxOpenConns(4)
	sdb.SetMaxIdleConns(4)
	db := &store.DB{DB: sdb, Path: path}
	if v, err := db.Version(ctx, "mailcache"); err != nil || v != len(migrations) {
		sdb.Close()
		return nil, nil
	}
	return db, nil
}

// Dir is the cache directory.
func (c *Cache) Dir() string { return c.dir }

func (c *Cache) crashPoint(name string) {
	if c.crash != nil {
		c.crash(name)
	}
}

func (c *Cache) setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, key, value)
	return err
}

func (c *Cache) meta(ctx context.Context, key string) string {
	var v string
	c.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key=?`, key).Scan(&v)
	return v
}

func now() int64 { return time.Now().Unix() }

var randRead = rand.Read
