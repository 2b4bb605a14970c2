package filesync

import (
	"context"
	"errors"
)

// Notifier tells a running Run when the server announces a change, so that
// Run does not poll while it is connected (Nextcloud's notify_push, see
// internal/notifypush). Listen keeps its connection until ctx ends: up(true)
// once connected, up(false) when it drops (it reconnects by itself),
// changed() for every announced change. It returns early with an error when
// the server offers nothing to listen to; Run then polls.
type Notifier interface {
	Listen(ctx context.Context, up func(bool), changed func()) error
}

// listenPush runs Options.Push for Run: ups carries the latest connection
// state, changes one signal per announced change (coalesced). Both are nil
// without a Notifier, so Run's select ignores them.
func (e *Engine) listenPush(ctx context.Context) (ups <-chan bool, changes <-chan struct{}) {
	if e.opt.Push == nil {
		return nil, nil
	}
	upc, changed := make(chan bool, 1), make(chan struct{}, 1)
	go func() {
		err := e.opt.Push.Listen(ctx, func(up bool) {
			select { // only the latest state matters
			case <-upc:
			default:
			}
			upc <- up
		}, func() {
			select {
			case changed <- struct{}{}:
			default:
			}
		})
		if err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
			e.opt.Logf("%v", err)
		}
	}()
	return upc, changed
}

// serverMoved is one remote check (one PROPFIND on Nextcloud): true when a
// pass is worthwhile, also when the check itself failed.
func (e *Engine) serverMoved(ctx context.Context) bool {
	changed, err := e.remoteChanged(ctx)
	return err != nil || changed
}
