package mailcache

import (
	"context"
	"time"
)

// Status is what the user sees of the sync state.
type Status struct {
	Online    bool      `json:"online"`
	Syncing   bool      `json:"syncing"`
	LastSync  time.Time `json:"lastSync"`
	LastError string    `json:"lastError"`
	Pending   int       `json:"pending"`   // queued actions
	Outbox    int       `json:"outbox"`    // messages waiting to be sent
	Uncertain int       `json:"uncertain"` // outbox messages that may have been sent (see Outbox)
	Dropped   int       `json:"dropped"`   // actions dropped because the message was gone
	// Progress of the running sync's download; zero when none runs.
	Progress Progress `json:"progress"`
}

// Progress is how far a sync has fetched new messages: Done of Total in
// Folder, and over all folders that changed so far.
type Progress struct {
	Folder string `json:"folder"`
	Done   int    `json:"done"`
	Total  int    `json:"total"`
}

// Status returns the sync state with counts from the database.
func (c *Cache) Status(ctx context.Context) Status {
	c.statusMu.Lock()
	s := c.status
	c.statusMu.Unlock()
	c.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM actions),
		(SELECT count(*) FROM outbox WHERE state IN ('queued','claimed','sending','sent')),
		(SELECT count(*) FROM outbox WHERE state='uncertain'),
		(SELECT count(*) FROM dropped_actions)`).Scan(&s.Pending, &s.Outbox, &s.Uncertain, &s.Dropped)
	if s.LastSync.IsZero() {
		if t := c.meta(ctx, "last_sync"); t != "" {
			s.LastSync, _ = time.Parse(time.RFC3339, t)
		}
	}
	return s
}

func (c *Cache) setStatus(f func(*Status)) {
	c.statusMu.Lock()
	f(&c.status)
	hook := c.onStatus
	c.statusMu.Unlock()
	if hook != nil {
		hook()
	}
}

// OnStatus calls f (on the syncing goroutine; it must not block) when the
// sync starts or ends and, at most every 250 ms, as it fetches messages,
// so a view can show progress. Read the state with Status.
func (c *Cache) OnStatus(f func()) {
	c.statusMu.Lock()
	c.onStatus = f
	c.statusMu.Unlock()
}

// progress records fetched messages; it tells OnStatus at most every
// 250 ms, and always at the end of a folder.
func (c *Cache) progress(folder string, done, total int) {
	c.statusMu.Lock()
	c.status.Progress = Progress{Folder: folder, Done: done, Total: total}
	hook := c.onStatus
	due := done == total || time.Since(c.progressAt) >= 250*time.Millisecond
	if due {
		c.progressAt = time.Now()
	}
	c.statusMu.Unlock()
	if hook != nil && due {
		hook()
	}
}
