package main

import (
	"context"
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
			return mailcache.Open(ctx, filepath.Join(paths.Data, "mail"), mailcache.Policy{})
		}
		svc := app.NewMail(open, signedInMailAccount)
		// A mail sign-in in the accounts view syncs at once.
		app.SyncOnSignIn(svc, appAccounts())
		// mailto: links clicked in a mail open the mail view's compose panel.
		composeMailto = func(u string) bool { return app.ComposeMailto(svc, u) }
		return svc
	})
}
