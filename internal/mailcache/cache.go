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
	// MaxBodyBytes: at most about this much of one message is stored
	// offline (default 25 MB, or enough for an attachment of
	// MaxAttachmentBytes in base64 and 1 MB more): of a larger message, the
	// attachments that do not fit are left out, largest first (its text is
	// always kept).
	MaxBodyBytes int64
	// MaxAttachmentBytes: attachments larger than this (decoded) are left
	// out of the stored message and fetched from the server when opened or
	// saved (default 10 MB); the message's text and smaller parts are
	// stored. Messages up to a third larger than this (the size base64 adds)
	// are fetched whole in one go, whatever they hold.
	MaxAttachmentBytes int64
}

func (p Policy) withDefaults() Policy {
	if p.BodyDays == 0 {
		p.BodyDays = 90
	}
	if p.MaxAttachmentBytes <= 0 {
		p.MaxAttachmentBytes = 10 << 20
	}
	if p.MaxBodyBytes <= 0 {
		// An attachment the policy keeps must fit: base64 adds a third.
		p.MaxBodyBytes = max(25<<20, p.MaxAttachmentBytes+p.MaxAttachmentBytes/3+1<<20)
	}
	return p
}

// WithDefaults is p with Deskport's defaults in place of its zero fields:
// what the cache keeps when opened with p.
func (p Policy) WithDefaults() Policy { return p.withDefaults() }

// wholeBytes: messages up to this size are fetched whole; larger ones part
// by part (skeleton.go).
func (p Policy) wholeBytes() int64 {
	return min(p.MaxBodyBytes, p.MaxAttachmentBytes+p.MaxAttachmentBytes/3)
}

// Cache is one account's mail cache in a directory.
type Cache struct {
	db     *store.DB
	dir    string
	policy Policy // read and written only under mu (by the sync)

	mu         sync.Mutex // serializes sync/replay runs
	policyMu   sync.Mutex
	nextPolicy *Policy // set by SetPolicy, taken by the next sync
	statusMu   sync.Mutex
	status     Status
	onStatus   func()
	progressAt time.Time

	crash func(point string) // test hook: crash points, nil in production
	packs *packWriter
	conns connKeeper // the last sync's connection, kept logged in
}

// Open opens (creating) the cache in dir.
func Open(ctx context.Context, dir string, policy Policy) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail cache: cannot create %s: %w (check permissions and free space)", dir, err)
	}
	path := filepath.Join(dir, "mail.db")
	// The integrity check runs only after a crash (store.Open), so a search
	// from the command line opens in milliseconds.
	db, err := store.Open(ctx, path, "mailcache", migrations, nil)
	if err != nil {
		return nil, err
	}
	c := &Cache{db: db, dir: dir, policy: policy.withDefaults(), packs: newPackWriter(filepath.Join(dir, "bodies"))}
	return c, nil
}

// SetPolicy changes what the cache keeps offline, from the next sync on: a
// sync that is running finishes under the policy it started with. It
// returns at once, also while a sync runs. A larger BodyDays makes the next
// sync fetch the bodies now in range (backfill.go); a smaller one deletes
// nothing.
func (c *Cache) SetPolicy(p Policy) {
	p = p.withDefaults()
	c.policyMu.Lock()
	c.nextPolicy = &p
	c.policyMu.Unlock()
}

// applyPolicy takes the policy SetPolicy left, if any; the caller holds c.mu.
func (c *Cache) applyPolicy() {
	c.policyMu.Lock()
	defer c.policyMu.Unlock()
	if c.nextPolicy != nil {
		c.policy, c.nextPolicy = *c.nextPolicy, nil
	}
}

// Close closes the database.
func (c *Cache) Close() error {
	c.Disconnect()
	c.packs.close()
	openPacks.forget(c.dir)
	return c.db.Close()
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
