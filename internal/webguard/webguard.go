// Package webguard builds the navigation guard Deskport runs in pages of
// WebView2 on Windows. With the WebView2 hooks (internal/webview2hooks,
// Config.Host) the engine's events hold the wall and the guard, run in every
// frame before the page's scripts, is defence in depth (camera and
// microphone outside the meet origin, Chromium's error page to the shell's
// offline view). Without them (Host false: how the guard was first used,
// and what e2e/webguard_e2e.py still exercises) it also routes links and
// window.open itself, with the limits below.
//
// The guard (guard.js) is generated from the current navigation policy: in a
// page of a disallowed origin it opens the page outside and returns to the
// shell; it routes clicks on outside links, target=_blank links and
// window.open to the shell's opener (navpolicy.OpenPath) or into the same
// window; it refuses getUserMedia outside the meet origin; and on
// Chromium's network error page it shows the shell's offline view. It is
// idempotent: the app runs it again after every completed navigation.
//
// Limits: the page has loaded and run its own script before the guard
// arrives, so this is not a hard boundary like the WebKit policy handlers on
// Linux: a page may navigate, open windows or call getUserMedia first, and
// a page written against the guard can pre-empt its listeners or replace
// window.open non-configurably. What is hardened: the state key is random
// per run (no pre-seeding), and whether the current page may stay is
// decided on location (unforgeable) with plain comparisons. Starting the
// opener's navigation fires the page's beforeunload (an editor with unsaved
// changes may ask "leave site?" when an outside link is clicked).
package webguard

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/suitenav"
)

//go:embed guard.js
var guardJS string

const placeholder = "__CONFIG__"

// LeaveDelayMS is how long the guard waits, after asking the opener to open
// a disallowed page outside, before it replaces that page with the shell (a
// second navigation started at once could cancel the opener's request).
const LeaveDelayMS = 300

// Config is what the guard needs to know.
type Config struct {
	// Allowed are the origins the window may show (navpolicy.Policy.Origins).
	Allowed []string
	// Shell is the shell's address, e.g. navpolicy.ShellWindows.
	Shell string
	// Meet is the video app's origin (camera and microphone); "" for none.
	Meet string
	// Offline is the shell's offline view without the failed address
	// (suitenav.OfflinePage(shell, "")); the guard appends the escaped address.
	Offline string
	// Key names the guard's state in the page; "" means a random name fixed
	// for this process (a page cannot guess it to pre-seed the state).
	Key string
	// Extra is script appended after the guard (the app switcher); it runs
	// in the same page and must check for itself where it applies.
	Extra string
	// Host says the engine's own hooks decide navigations, new windows and
	// permissions (Windows with internal/webview2hooks): the guard then
	// leaves links, forms and window.open to the engine, which knows whether
	// the user clicked, and keeps only its defence-in-depth parts.
	Host bool
}

type jsConfig struct {
	Allowed     []string `json:"allowed"`
	ShellOrigin string   `json:"shellOrigin"`
	Home        string   `json:"home"`
	Open        string   `json:"open"`
	Meet        string   `json:"meet"`
	Offline     string   `json:"offline"`
	LeaveDelay  int      `json:"leaveDelay"`
	Key         string   `json:"key"`
	Host        bool     `json:"host"`
}

// runKey is the guard's state key for this process.
var runKey = func() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "__deskportGuard_" + hex.EncodeToString(b)
}()

// Script returns the guard for c as one script to run in a page.
func Script(c Config) string {
	allowed := []string{}
	for _, o := range c.Allowed {
		if n, ok := navpolicy.Origin(o); ok {
			allowed = append(allowed, n)
		}
	}
	meet := ""
	if n, ok := navpolicy.Origin(c.Meet); ok {
		meet = n
	}
	shell := strings.TrimSuffix(c.Shell, "/")
	so, _ := navpolicy.Origin(c.Shell)
	if so == "" {
		so = shell // wails://wails: not an http origin, matches nothing in the page
	}
	offline := c.Offline
	if offline == "" {
		offline = shell + "/#/home/offline/"
	}
	jc := jsConfig{
		Allowed:     allowed,
		ShellOrigin: so,
		Home:        shell + "/#/home",
		Open:        shell + navpolicy.OpenPath + "?u=",
		Meet:        meet,
		Offline:     offline,
		LeaveDelay:  LeaveDelayMS,
		Key:         runKey,
		Host:        c.Host,
	}
	if c.Key != "" {
		jc.Key = c.Key
	}
	// encoding/json escapes <, >, &, U+2028 and U+2029, so the result is a
	// JavaScript expression whatever the strings hold.
	b, err := json.Marshal(jc)
	if err != nil {
		return ""
	}
	i := strings.LastIndex(guardJS, placeholder)
	if i < 0 {
		return ""
	}
	s := guardJS[:i] + string(b) + guardJS[i+len(placeholder):]
	if c.Extra != "" && c.Host {
		// A document-created run comes before the page is parsed: the
		// switcher needs a document to attach to.
		s += "\n;{ let run = function () {\n" + c.Extra + "\n};" +
			" if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run); else run(); }\n"
	} else if c.Extra != "" {
		s += "\n;" + c.Extra + "\n"
	}
	return s
}

// ForProfile is the guard's configuration for a suite (nil: none set up,
// shell only) and the admin's extra origins, with the app switcher.
func ForProfile(p *suite.Profile, extraOrigins []string, shell string) Config {
	c := Config{
		Allowed: suitenav.Policy(p, extraOrigins...).Origins(),
		Shell:   shell,
		Offline: suitenav.OfflinePage(shell, ""),
	}
	if p != nil {
		c.Meet = p.Origin(suite.Meet)
		c.Extra = suitenav.SwitcherScript(*p, shell)
	}
	return c
}
