package workspace

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"path/filepath"

	accmail "github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/netx"
)

// MailCacheDir is where the offline mail cache lives.
func MailCacheDir(paths config.Paths) string { return filepath.Join(paths.Data, "mail") }

// MailCachePolicy is the mail cache policy the settings ask for (zero: the
// cache's default).
func MailCachePolicy(s config.Settings) mailcache.Policy {
	return mailcache.Policy{BodyDays: s.MailBodyDays, MaxAttachmentBytes: int64(s.MailAttachmentMaxKB) << 10}
}

// MailPolicyOrDefaults is the offline policy from the settings. A settings
// file that cannot be read does not keep mail from opening: the defaults
// apply and the error is logged (the window shows it too).
func MailPolicyOrDefaults(paths config.Paths) mailcache.Policy {
	cfg, err := config.Load(paths)
	if err != nil {
		slog.Error("mail: settings not loaded, the offline policy keeps its defaults", "err", err)
		return mailcache.Policy{}
	}
	return MailCachePolicy(cfg.Effective)
}

// OpenMailCache opens the user's offline mail cache with the settings' policy.
func OpenMailCache(ctx context.Context) (*mailcache.Cache, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return nil, err
	}
	return mailcache.Open(ctx, MailCacheDir(paths), MailPolicyOrDefaults(paths))
}

// ExtraRoots is the root pool with the admin's CA bundle, or nil (the
// system's roots, loaded by the TLS handshake only when one happens: reading
// them up front was a third of a no-change resync on plain loopback).
func ExtraRoots(bundle string) (*x509.CertPool, error) {
	if bundle == "" {
		return nil, nil
	}
	tc, err := netx.TLSConfig(netx.Options{CABundle: bundle})
	if err != nil {
		return nil, err
	}
	return tc.RootCAs, nil
}

// SignedInMail is the mail account saved by 'deskport login' or the window.
func (w *Workspace) SignedInMail() (mailcache.Account, error) {
	m, cfg, err := w.Accounts()
	if err != nil {
		return mailcache.Account{}, err
	}
	roots, err := ExtraRoots(cfg.Effective.CABundle)
	if err != nil {
		return mailcache.Account{}, err
	}
	a, pw, err := m.Mail()
	if err != nil {
		return mailcache.Account{}, fmt.Errorf("%w (sign in with 'deskport login --mail-user ...', or give --host/--user)", err)
	}
	conv := func(s accmail.Server) mailcache.Server {
		sec := mailcache.Security(s.Security)
		if s.Security == accmail.Plain {
			sec = mailcache.SecurityPlainLoopback
		}
		return mailcache.Server{Host: s.Host, Port: s.Port, Security: sec}
	}
	return mailcache.Account{IMAP: conv(a.IMAP), SMTP: conv(a.SMTP), User: a.Username, Password: pw, From: a.Address, RootCAs: roots}, nil
}
