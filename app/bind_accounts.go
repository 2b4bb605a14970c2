package app

import (
	"fmt"
	"os"
	"sync"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
)

var (
	accountsOnce   sync.Once
	accountsShared *accounts.Manager
)

// appAccounts is the window process's one accounts manager: the sync and
// mail engines take credentials from it and register OnChange on it.
func appAccounts() *accounts.Manager {
	accountsOnce.Do(func() {
		m, err := ws.AccountsWithDefaults()
		if err != nil {
			// Settings unreadable: sign-in still works with the defaults;
			// the view shows the settings error.
			fmt.Fprintln(os.Stderr, "deskport: accounts:", err)
		}
		accountsShared = m
	})
	return accountsShared
}

// accountsService is the first-run / accounts view's service. The connected
// suite it saves is read back by suiteProfile (bind_launcher.go).
func accountsService() *Accounts {
	m := appAccounts()
	load := func() (*config.Config, error) { return config.Load(m.Paths) }
	s := NewAccounts(m, load, windowNav{}, shellURL, suiteChanged)
	s.ClearWebSession = clearWebSession
	return s
}
