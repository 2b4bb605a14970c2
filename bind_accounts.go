package main

import (
	"fmt"
	"os"
	"sync"

	"github.com/deskport/deskport/app"
	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
)

var (
	accountsOnce   sync.Once
	accountsShared *accounts.Manager
	// accountsService is the first-run / accounts view's service. The
	// connected suite it saves is read back by suiteProfile (bind_launcher.go).
	accountsService *app.Accounts
)

// appAccounts is the window process's one accounts manager: the sync and
// mail engines take credentials from it and register OnChange on it.
func appAccounts() *accounts.Manager {
	accountsOnce.Do(func() {
		m, _, err := accountsManager()
		if err != nil {
			// Settings unreadable: sign-in still works with the defaults;
			// the view shows the settings error.
			fmt.Fprintln(os.Stderr, "deskport: accounts:", err)
			paths, _ := config.UserPaths()
			client, tlsConf, _ := accountsNet(nil)
			m = accounts.New(paths, accountsSecrets(), client)
			m.TLS = tlsConf
		}
		accountsShared = m
	})
	return accountsShared
}

func init() {
	registerService(func() interface{} {
		m := appAccounts()
		load := func() (*config.Config, error) { return config.Load(m.Paths) }
		accountsService = app.NewAccounts(m, load, windowNav{}, shellURL, suiteChanged)
		accountsService.ClearWebSession = clearWebSession
		return accountsService
	})
}
