package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/deskport/deskport/app"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
)

func init() {
	registerService(func() interface{} {
		open := func(ctx context.Context) (*mailcache.Cache, error) {
			paths, err := config.UserPaths()
			if err != nil {
				return nil, err
			}
			return mailcache.Open(ctx, filepath.Join(paths.Data, "mail"), mailPolicy(paths))
		}
		svc := app.NewMail(open, signedInMailAccount)
		app.UseMailSettings(svc, loadSettings)
		// A mail sign-in in the accounts view syncs at once.
		app.SyncOnSignIn(svc, appAccounts())
		// mailto: links clicked in a mail open the mail view's compose panel.
		composeMailto = func(u string) bool { return app.ComposeMailto(svc, u) }
		return svc
	})
}

// loadSettings reads the user's and the administrator's settings.
func loadSettings() (*config.Config, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return nil, err
	}
	return config.Load(paths)
}

// mailPolicy is the offline policy from the settings. A settings file that
// cannot be read does not keep mail from opening: the defaults apply and
// the error is logged (the shell shows it too, see gui.go).
func mailPolicy(paths config.Paths) mailcache.Policy {
	cfg, err := config.Load(paths)
	if err != nil {
		slog.Error("mail: settings not loaded, the offline policy keeps its defaults", "err", err)
		return mailcache.Policy{}
	}
	return app.CachePolicy(cfg.Effective)
}
