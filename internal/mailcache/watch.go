package mailcache

import (
	"context"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// idleRenew: servers drop an IDLE after 30 minutes (RFC 2177); renew before.
const idleRenew = 25 * time.Minute

// Watch keeps one connection in IDLE on the inbox and calls onChange when
// the server reports new, changed or expunged messages there. Other folders
// are covered by the caller's periodic Sync (one LIST-STATUS round trip), so
// the account uses at most two connections. Watch returns when ctx ends or
// the connection breaks (the caller retries later).
func (c *Cache) Watch(ctx context.Context, a Account, onChange func()) error {
	changed := make(chan struct{}, 1)
	signal := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	h := &imapclient.UnilateralDataHandler{
		Expunge: func(uint32) { signal() },
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				signal()
			}
		},
		Fetch: func(*imapclient.FetchMessageData) { signal() },
	}
	cl, err := dialIMAP(ctx, a, h)
	if err != nil {
		return err
	}
	defer cl.Close()
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	defer stop()
	if _, err := cl.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return ctxErr(ctx, err)
	}
	for {
		idle, err := cl.Idle()
		if err != nil {
			return ctxErr(ctx, err)
		}
		c.crashPoint("idling")
		var fire bool
		select {
		case <-ctx.Done():
		case <-cl.Closed():
		case <-changed:
			fire = true
		case <-time.After(idleRenew):
		}
		idle.Close()
		werr := idle.Wait()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fire {
			onChange()
		}
		if werr != nil {
			return ctxErr(ctx, werr)
		}
	}
}
