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
		return app.NewMail(open, signedInMailAccount)
	})
}
