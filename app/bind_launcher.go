package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/suitenav"
)

// suiteProfile is the connected suite: the one in the account book
// (accounts.json, written at sign-in), or — for admins' test setups and the
// end-to-end tests — DESKPORT_SUITE_DOMAIN with DESKPORT_SUITE_HOSTS
// ("files=https://cloud.example.org,meet=meet.example.org"), which wins.
var suiteProfile = func() (suite.Profile, bool) {
	if d := os.Getenv("DESKPORT_SUITE_DOMAIN"); d != "" {
		p, err := profileFromEnv(d, os.Getenv("DESKPORT_SUITE_HOSTS"))
		return p, err == nil
	}
	return bookProfile()
}

// bookProfile reads the suite from accounts.json, re-reading only when the
// file changed (the navigation policy asks on every page load).
var bookCache struct {
	sync.Mutex
	mod  time.Time
	size int64
	p    *suite.Profile
}

func bookProfile() (suite.Profile, bool) {
	paths, err := config.UserPaths()
	if err != nil {
		return suite.Profile{}, false
	}
	st, err := os.Stat(accounts.BookPath(paths))
	if err != nil {
		return suite.Profile{}, false
	}
	bookCache.Lock()
	defer bookCache.Unlock()
	if !st.ModTime().Equal(bookCache.mod) || st.Size() != bookCache.size {
		bookCache.mod, bookCache.size, bookCache.p = st.ModTime(), st.Size(), nil
		if b, err := accounts.LoadBook(paths); err == nil && b.Suite != nil && b.Suite.Domain != "" {
			p := *b.Suite
			bookCache.p = &p
		}
	}
	if bookCache.p == nil {
		return suite.Profile{}, false
	}
	return *bookCache.p, true
}

func profileFromEnv(domain, hosts string) (suite.Profile, error) {
	over := map[suite.App]string{}
	for _, kv := range strings.Split(hosts, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if ok {
			over[suite.App(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	return suite.New(domain, over)
}

// currentPolicy is the navigation policy for the connected suite.
// adminExtraOrigins are the admin's extraOrigins (e.g. a federated IdP),
// read once at window start.
var adminExtraOrigins []string

func currentPolicy() *navpolicy.Policy {
	if p, ok := suiteProfile(); ok {
		return suitenav.Policy(&p, adminExtraOrigins...)
	}
	return suitenav.Policy(nil, adminExtraOrigins...)
}

// windowNav loads URLs in the main window through the platform's navigate.
type windowNav struct{}

func (windowNav) Navigate(url string) { navigate(url) }

var launcher = NewLauncher(func() (suite.Profile, bool) { return suiteProfile() }, windowNav{}, shellURL, nil)

var launcherPart = part{startup: func(ctx context.Context) {
	navCtx = ctx
	// Reachability checks go through the shared client (proxy, admin CA).
	if m, _, err := ws.Accounts(); err == nil && m.HTTP != nil {
		SetLauncherClient(launcher, m.HTTP)
	}
}}

// suiteChanged brings the window up to date after the suite profile changed
// (sign-in, settings): the switcher in suite pages and the Apps menu. The
// navigation policy follows by itself (it asks suiteProfile each time).
func suiteChanged() {
	if p, ok := suiteProfile(); ok {
		setUserScript(suitenav.SwitcherScript(p, shellURL))
	} else {
		setUserScript("")
	}
	if navCtx != nil {
		wruntime.MenuSetApplicationMenu(navCtx, appMenu())
		wruntime.MenuUpdateApplicationMenu(navCtx)
	}
}

// navCtx is Wails' context, for platforms that navigate through the runtime.
var navCtx context.Context

// Where the web engines keep cookies and site data (the suite sessions):
// `deskport logout` removes these folders (accounts.WebSessionDirs).
func webkitDataDir(data string) string       { return filepath.Join(data, "webkit") }
func webviewUserDataPath(data string) string { return filepath.Join(data, "WebView2") }
