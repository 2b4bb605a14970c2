// Package workspace opens what both of Deskport's faces need from the
// user's settings, the OS keyring and the account book: the accounts
// manager, the signed-in files account and its synced folder, the mail
// account and its offline cache with its policy. The window (app/) and the
// commands (internal/cli) call it; neither defines any of it, and it knows
// neither.
package workspace

import (
	"crypto/tls"
	"net/http"
	"os"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/buildinfo"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/netx"
	"github.com/deskport/deskport/internal/secrets"
)

// A Workspace is the user's Deskport as seen from one process: it keeps
// secrets in Secrets and everything else under config.UserPaths.
type Workspace struct {
	// Secrets holds the passwords: the OS keyring, or the demo's in-memory one.
	Secrets secrets.Store
}

// Default is the user's own workspace, with the OS keyring.
func Default() *Workspace { return New(secrets.NewKeyring()) }

// New is a workspace whose passwords live in store.
func New(store secrets.Store) *Workspace { return &Workspace{Secrets: store} }

// Net builds the HTTP client and TLS config (proxy, admin CA bundle) from
// the merged settings; without settings, the shared defaults.
func Net(cfg *config.Config) (*http.Client, *tls.Config, error) {
	if cfg == nil {
		t, _ := netx.TLSConfig(netx.Options{})
		return netx.Client(), t, nil
	}
	o := netx.Options{Proxy: cfg.Effective.Proxy, CABundle: cfg.Effective.CABundle, UserAgent: buildinfo.UserAgent()}
	c, err := netx.NewClient(o)
	if err != nil {
		return nil, nil, err
	}
	t, err := netx.TLSConfig(o)
	if err != nil {
		return nil, nil, err
	}
	return c, t, nil
}

// Accounts opens the user's accounts with the user's settings.
func (w *Workspace) Accounts() (*accounts.Manager, *config.Config, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return nil, nil, err
	}
	if err := paths.Ensure(); err != nil {
		return nil, nil, err
	}
	cfg, err := config.Load(paths)
	if err != nil {
		return nil, nil, err
	}
	client, tlsConf, err := Net(cfg)
	if err != nil {
		return nil, nil, err
	}
	return w.manager(paths, client, tlsConf), cfg, nil
}

// AccountsWithDefaults is Accounts for a window that must open even when the
// settings cannot be read: sign-in then works with the default network
// settings, and settingsErr says what is wrong with the file.
func (w *Workspace) AccountsWithDefaults() (m *accounts.Manager, settingsErr error) {
	m, _, err := w.Accounts()
	if err == nil {
		return m, nil
	}
	paths, _ := config.UserPaths()
	client, tlsConf, _ := Net(nil)
	return w.manager(paths, client, tlsConf), err
}

func (w *Workspace) manager(paths config.Paths, client *http.Client, tlsConf *tls.Config) *accounts.Manager {
	m := accounts.New(paths, w.Secrets, client)
	m.TLS = tlsConf
	host, _ := os.Hostname()
	m.UserAgent = "Deskport (" + host + ")"
	return m
}

// LoadSettings reads the user's and the administrator's settings.
func LoadSettings() (*config.Config, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return nil, err
	}
	return config.Load(paths)
}
