package app

import (
	"context"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/deskport/deskport/internal/suite"
)

// Deep links: `deskport deskport://open/files` opens the app in the running
// window (the single-instance lock hands the arguments over) or, on a first
// launch, once the window is up.
var deepLinksPart = part{
	options: func(o *options.App) {
		if o.SingleInstanceLock == nil {
			return
		}
		prev := o.SingleInstanceLock.OnSecondInstanceLaunch
		o.SingleInstanceLock.OnSecondInstanceLaunch = func(d options.SecondInstanceData) {
			if prev != nil {
				prev(d)
			}
			openDeepLinks(d.Args)
		}
	},
	startup: func(ctx context.Context) {
		if links := DeepLinks(os.Args[1:]); len(links) > 0 {
			go func() {
				waitWindowReady()
				openDeepLinks(links)
			}()
		}
	},
}

func openDeepLinks(args []string) {
	links := DeepLinks(args)
	if len(links) == 0 {
		return
	}
	var p *suite.Profile
	if sp, ok := suiteProfile(); ok {
		p = &sp
	}
	// Only the last link counts: one window shows one page.
	target, err := ResolveDeepLink(links[len(links)-1], p, shellURL)
	if err != nil {
		slog.Warn("deep link refused", "reason", err.Error())
		return
	}
	navigate(target)
}
