package mailcache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// processLock makes a sync (and a compaction) exclusive across processes:
// the app's background sync and a `deskport mail sync` beside it on one
// cache would otherwise both send the outbox, both insert the same new
// messages and both rewrite the packs. It is an OS file lock, which the OS
// drops when its process dies (kill -9 included), so a crash never leaves
// the cache locked, and whoever holds it knows that no live process is in
// the middle of a sync (outbox.go relies on this after a crash).
type processLock struct{ f *os.File }

// lockProcesses waits for the cache's lock until ctx ends; c.mu is held.
func (c *Cache) lockProcesses(ctx context.Context) (*processLock, error) {
	path := filepath.Join(c.dir, "sync.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("mail cache: cannot open %s: %w (check permissions of the cache folder)", path, err)
	}
	wait := 5 * time.Millisecond
	for {
		if tryLockFile(f) == nil {
			return &processLock{f}, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for another Deskport process to finish its sync of %s: %w", c.dir, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

func (l *processLock) unlock() { l.f.Close() }
