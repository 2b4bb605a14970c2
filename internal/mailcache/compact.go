package mailcache

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Compaction. Bodies of deleted, expunged or refetched messages stay in
// their pack as dead bytes; a pack that is mostly dead is rewritten: its
// live bodies are appended to the current pack, the rows point there in
// one transaction, and then the old file is deleted. A crash before the
// commit leaves copies nobody points at (dead bytes of the new pack); a
// crash after it leaves a pack nobody points at, which the next compaction
// deletes. A sync runs it at most once a day (compactEvery).
var (
	compactMinWaste = int64(64 << 20) // a pack is rewritten when this much and half of it is dead
	compactEvery    = 24 * time.Hour
	// A pack is touched only when it was last written this long ago:
	// another process (the CLI beside the app) may be filling it, with rows
	// not committed yet.
	orphanAge = time.Hour
	// How long a compaction waits for searches and readers that began
	// before it moved bodies (readersOnLatest).
	readerWait = 2 * time.Second
)

// CompactResult says what a compaction did.
type CompactResult struct {
	Packs int   // packs rewritten or deleted
	Moved int   // bodies copied to the current pack
	Freed int64 // bytes given back to the disk
	// Pending packs no row points at any more were left in place: a reader
	// that began before the compaction was still on them. The next sync
	// deletes them.
	Pending int
}

// CompactPacks rewrites the packs that are mostly dead bytes now.
func (c *Cache) CompactPacks(ctx context.Context) (CompactResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lock, err := c.lockProcesses(ctx)
	if err != nil {
		return CompactResult{}, err
	}
	defer lock.unlock()
	return c.compactLocked(ctx)
}

// compactDue runs a compaction when the last one is older than compactEvery.
func (c *Cache) compactDue(ctx context.Context) {
	if t, err := time.Parse(time.RFC3339, c.meta(ctx, "compacted_at")); err == nil && time.Since(t) < compactEvery {
		return
	}
	if res, err := c.compactLocked(ctx); err == nil && res.Pending == 0 {
		c.db.Tx(ctx, func(tx *sql.Tx) error {
			return c.setMeta(ctx, tx, "compacted_at", time.Now().UTC().Format(time.RFC3339))
		})
	}
}

func (c *Cache) compactLocked(ctx context.Context) (CompactResult, error) {
	var res CompactResult
	dir := filepath.Join(c.dir, "bodies")
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return res, nil
		}
		return res, err
	}
	live := map[string]int64{}
	rows, err := c.db.QueryContext(ctx, `SELECT body_pack, sum(body_len) FROM messages WHERE body_state=? GROUP BY body_pack`, bodyCached)
	if err != nil {
		return res, err
	}
	for rows.Next() {
		var pack string
		var n int64
		rows.Scan(&pack, &n)
		live[pack] = n
	}
	rows.Close()
	writing := c.packs.names()
	type pack struct {
		name string
		size int64
	}
	var gone []pack // packs no row points at once the rewrites are committed
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".pack")
		if !ok || !validPackName(name) || writing[name] {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < orphanAge {
			continue
		}
		waste := info.Size() - live[name]
		switch {
		case live[name] == 0:
			gone = append(gone, pack{name, info.Size()})
		case live[name] > 0 && waste >= compactMinWaste && waste >= info.Size()/2:
			moved, err := c.rewritePack(ctx, name)
			if err != nil {
				return res, err
			}
			res.Moved += moved
			gone = append(gone, pack{name, info.Size()})
		}
	}
	if len(gone) == 0 {
		return res, nil
	}
	if !c.readersOnLatest(ctx) {
		res.Pending = len(gone)
		return res, nil
	}
	for _, p := range gone {
		if c.removePack(ctx, p.name) {
			res.Packs++
			res.Freed += p.size
		}
	}
	return res, nil
}

// rewritePack copies the live bodies of pack name to the current pack and
// points their rows there.
func (c *Cache) rewritePack(ctx context.Context, name string) (int, error) {
	type move struct {
		id       int64
		old, new bodyLoc
	}
	var moves []move
	rows, err := c.db.QueryContext(ctx, `SELECT id, body_off, body_len, body_crc FROM messages WHERE body_state=? AND body_pack=? ORDER BY body_off`, bodyCached, name)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		m := move{old: bodyLoc{Pack: name}}
		if err := rows.Scan(&m.id, &m.old.Off, &m.old.Len, &m.old.CRC); err != nil {
			rows.Close()
			return 0, err
		}
		moves = append(moves, m)
	}
	rows.Close()
	kept := moves[:0]
	for _, m := range moves {
		raw, err := c.readPack(m.old)
		if err != nil {
			continue // damaged: the row keeps pointing at it and the body is fetched again when opened
		}
		if m.new, err = c.packs.append(raw); err != nil {
			return 0, fmt.Errorf("compacting the mail cache: %w", err)
		}
		kept = append(kept, m)
	}
	c.crashPoint("compact-copied")
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, m := range kept {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET body_pack=?, body_off=?, body_len=?, body_crc=?
				WHERE id=? AND body_pack=? AND body_off=?`, m.new.Pack, m.new.Off, m.new.Len, m.new.CRC, m.id, name, m.old.Off); err != nil {
				return err
			}
		}
		return nil
	})
	return len(kept), err
}

// readersOnLatest waits, up to readerWait, until every reader of the
// database (in this process or another) sees its latest commit. A search
// that began before a compaction's commit still sees the bodies in their
// old pack and reads them from there: the pack may go only once it is done.
// A FULL checkpoint waits for exactly that.
func (c *Cache) readersOnLatest(ctx context.Context) bool {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	var was int64
	if err := conn.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&was); err != nil {
		return false
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout=%d`, readerWait.Milliseconds())); err != nil {
		return false
	}
	defer conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA busy_timeout=%d`, was))
	var busy, logFrames, done int64
	err = conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(FULL)`).Scan(&busy, &logFrames, &done)
	return err == nil && busy == 0
}

// removePack deletes a pack no row points at any more. A file still open
// elsewhere (Windows refuses) stays for the next compaction.
func (c *Cache) removePack(ctx context.Context, name string) bool {
	var used bool
	if err := c.db.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM messages WHERE body_pack=? AND body_state=?)`, name, bodyCached).Scan(&used); err != nil || used {
		return false
	}
	path := filepath.Join(c.dir, "bodies", name+".pack")
	openPacks.forgetFile(path)
	return os.Remove(path) == nil
}
