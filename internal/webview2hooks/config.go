package webview2hooks

import (
	"net/url"

	"github.com/deskport/deskport/internal/navpolicy"
)

// Config is what the hooks ask the app.
type Config struct {
	// Policy is the navigation policy now (it follows sign-in and settings).
	Policy func() *navpolicy.Policy
	// AllowMedia reports whether a page may use camera and microphone
	// (app.AllowMedia for the connected suite).
	AllowMedia func(uri string) bool
	// Open hands a web, mail or phone link to the desktop.
	Open func(uri string)
	// Script runs in every frame of every document before its own scripts.
	Script string
	// Log records a refused request (slog-style key/value pairs).
	Log func(msg string, args ...any)
}

func (c Config) withDefaults() Config {
	if c.Policy == nil {
		c.Policy = func() *navpolicy.Policy { return navpolicy.New(nil) }
	}
	if c.Open == nil {
		c.Open = func(string) {}
	}
	if c.Log == nil {
		c.Log = func(string, ...any) {}
	}
	return c
}

// redact keeps an address's scheme, host and path for the log: queries and
// fragments may carry tokens.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	if u.Opaque != "" {
		return u.Scheme + ":…"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}
