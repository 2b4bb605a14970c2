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
}

// Status returns the sync state with counts from the database.
func (c *Cache) Status(ctx context.Context) Status {
	c.statusMu.Lock()
	s := c.status
	c.statusMu.Unlock()
	c.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM actions),
		(SELECT count(*) FROM outbox WHERE state IN ('queued','sending','sent')),
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
	c.statusMu.Unlock()
}
