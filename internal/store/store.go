// Package store opens Deskport's SQLite databases: WAL journal, a busy
// timeout, a bounded connection pool and versioned schema migrations.
//
// Every engine (filesync, mailcache, accounts) owns its own database file and
// its own list of migrations; a database may also hold several named schemas.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Migration moves a schema from Version-1 to Version. Migrations run in
// order, each in its own transaction together with the version bump, so a
// crash leaves the schema at a version that exists.
type Migration struct {
	Version int
	SQL     string                                      // run as one script, or
	Func    func(ctx context.Context, tx *sql.Tx) error // for migrations that need Go
}

// Options tune Open. The zero value is sensible for a desktop client.
type Options struct {
	MaxOpenConns int           // default 4
	BusyTimeout  time.Duration // default 10s
	// Synchronous is the SQLite synchronous level: "NORMAL" (default; with
	// WAL a power cut may lose the last transactions but never corrupts) or
	// "FULL" (every commit fsynced).
	Synchronous string
	// Check is when to run PRAGMA quick_check (it reads the whole file:
	// about 600 ms per 45 MB): CheckAfterCrash (default) runs it only when a
	// WAL file was left behind, which a clean close removes.
	Check CheckPolicy
}

// CheckPolicy says when Open verifies the database.
type CheckPolicy int

const (
	CheckAfterCrash CheckPolicy = iota
	CheckAlways
	CheckNever
)

// DB is a *sql.DB with the path it was opened from.
type DB struct {
	*sql.DB
	Path string
}

// Open opens (creating if needed) the database at path and brings the schema
// named schema up to the last migration.
func Open(ctx context.Context, path, schema string, migrations []Migration, opt *Options) (*DB, error) {
	o := Options{}
	if opt != nil {
		o = *opt
	}
	if o.MaxOpenConns <= 0 {
		o.MaxOpenConns = 4
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if o.Synchronous == "" {
		o.Synchronous = "NORMAL"
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: cannot create the folder for %s: %w (check permissions and free space)", path, err)
	}
	check := o.Check == CheckAlways
	if o.Check == CheckAfterCrash {
		if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
			check = true
		}
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+o.Synchronous+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(o.MaxOpenConns)
	sdb.SetMaxIdleConns(o.MaxOpenConns)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{DB: sdb, Path: path}
	if err := db.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: %s cannot be opened: %w (if the file is damaged, move it aside; Deskport rebuilds caches but not queued changes)", path, err)
	}
	if check {
		var ok string
		if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil || ok != "ok" {
			sdb.Close()
			if err == nil {
				err = errors.New(ok)
			}
			return nil, fmt.Errorf("store: %s failed its integrity check: %w (move the file aside and restart)", path, err)
		}
	}
	if err := db.Migrate(ctx, schema, migrations); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// Version returns the current version of schema (0 when never migrated).
func (db *DB) Version(ctx context.Context, schema string) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (name TEXT PRIMARY KEY, version INTEGER NOT NULL)`); err != nil {
		return 0, fmt.Errorf("store: %s: %w", db.Path, err)
	}
	var v int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_version WHERE name = ?`, schema).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// Migrate applies the migrations of schema that are newer than its version.
func (db *DB) Migrate(ctx context.Context, schema string, migrations []Migration) error {
	cur, err := db.Version(ctx, schema)
	if err != nil {
		return err
	}
	last := 0
	for _, m := range migrations {
		if m.Version != last+1 {
			return fmt.Errorf("store: schema %q: migration %d follows %d; versions must count up by one", schema, m.Version, last)
		}
		last = m.Version
	}
	if cur > last {
		return fmt.Errorf("store: %s has schema %q at version %d, newer than this Deskport knows (%d): update Deskport", db.Path, schema, cur, last)
	}
	for _, m := range migrations[cur:] {
		if err := db.Tx(ctx, func(tx *sql.Tx) error {
			if m.SQL != "" {
				if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
					return err
				}
			}
			if m.Func != nil {
				if err := m.Func(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version(name, version) VALUES(?, ?)
				ON CONFLICT(name) DO UPDATE SET version = excluded.version`, schema, m.Version)
			return err
		}); err != nil {
			return fmt.Errorf("store: %s: migrating schema %q to version %d: %w", db.Path, schema, m.Version, err)
		}
	}
	return nil
}

// Tx runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
