package app

import (
	"context"
	"testing"

	"github.com/deskport/deskport/internal/mailcache"
)

// syncedMail is the mail service for acct on a cache (policy p) in a
// temporary folder, with rt as its runtime, after one sync from the
// server; the cache closes with the test.
func syncedMail(t *testing.T, acct mailcache.Account, p mailcache.Policy, rt Runtime) *Mail {
	t.Helper()
	dir := t.TempDir()
	var cache *mailcache.Cache
	m := NewMail(func(ctx context.Context) (*mailcache.Cache, error) {
		c, err := mailcache.Open(ctx, dir, p)
		cache = c
		return c, err
	}, func() (mailcache.Account, error) { return acct, nil })
	m.rt = rt
	if _, err := m.Folders(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	if _, err := cache.Sync(context.Background(), acct); err != nil {
		t.Fatal(err)
	}
	return m
}
