package main

import (
	"fmt"
	"os"

	"github.com/deskport/deskport/app"
	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/suite"
)

// accountsService is the first-run / accounts view's service (nil when the
// user's folders cannot be found).
var accountsService *app.Accounts

func init() {
	registerService(func() interface{} {
		m, _, err := accountsManager()
		if err != nil {
			fmt.Fprintln(os.Stderr, "deskport: accounts unavailable:", err)
			paths, _ := config.UserPaths()
			client, tlsConf, _ := accountsNet(nil)
			m = accounts.New(paths, accountsSecrets(), client)
			m.TLS = tlsConf
		}
		load := func() (*config.Config, error) { return config.Load(m.Paths) }
		accountsService = app.NewAccounts(m, load, windowNav{}, shellURL, suiteChanged)
		return accountsService
	})
	// The suite signed in to is the connected one; the environment
	// (DESKPORT_SUITE_DOMAIN, for tests and kiosks) is the fallback.
	fromEnv := suiteProfile
	suiteProfile = func() (suite.Profile, bool) {
		if accountsService != nil {
			if p, ok := app.SuiteProfile(accountsService); ok {
				return p, true
			}
		}
		return fromEnv()
	}
}
