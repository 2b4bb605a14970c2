//go:build linux && cgo

package app

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suitenav"
	"github.com/deskport/deskport/internal/webkit"
)

const shellURL = navpolicy.ShellLinux

func enableMockCapture() { webkit.EnableMockCapture() }

var platformPart = part{
	options: func(o *options.App) {
		openExternalHook = openExternal // which hands to checkOpen in check mode
		if o.AssetServer != nil && o.AssetServer.Handler != nil {
			o.AssetServer.Handler = withoutOpener(o.AssetServer.Handler)
		}
		if bindingsBuild {
			return
		}
		// Persistent cookies: WebKit's default context keeps them in memory
		// only; set the store before wails.Run so no request goes out first.
		if dir, err := webkitDir(); err == nil {
			webkit.SetCookieStorage(filepath.Join(dir, "cookies.sqlite"))
		}
	},
	startup: func(ctx context.Context) {
		webkit.Attach(webkit.Hooks{
			Policy:       currentPolicy,
			OpenExternal: openExternal,
			// The reader's links: the frame never navigates to the opener
			// (openLinkHandler stays for Windows, where a 204 keeps the frame).
			Open: openOutside,
			AllowMedia: func(viewURI string) bool {
				p, ok := suiteProfile()
				return ok && suitenav.AllowMedia(&p, viewURI)
			},
			Offline: func(failed string) string {
				if currentPolicy().OriginOf(failed) == "" {
					return ""
				}
				return suitenav.OfflinePage(shellURL, failed)
			},
		})
		if p, ok := suiteProfile(); ok {
			setUserScript(suitenav.SwitcherScript(p, shellURL))
		}
	},
}

// withoutOpener refuses the shell's opener (navpolicy.OpenPath) over HTTP.
// On Linux the window's policy handler takes every navigation to it before a
// request is made (the reader's links, on a click only; internal/webkit
// Decide), so a request that still reaches it is a sub-resource, e.g. an
// <img> in any page or frame, which must never open anything.
func withoutOpener(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == navpolicy.OpenPath {
			http.Error(w, "links open on a click only", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func webkitDir() (string, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return "", err
	}
	dir := webkitDataDir(paths.Data)
	return dir, os.MkdirAll(dir, 0o700)
}

func navigate(u string) { webkit.Load(u) }

// history moves in the window's history: -1 back, 1 forward, 0 reload.
func history(step int) {
	switch step {
	case -1:
		webkit.Back()
	case 1:
		webkit.Forward()
	default:
		webkit.Reload()
	}
}

// openExternal hands a web, mail or phone link to the desktop's handler.
func openExternal(u string) {
	if !navpolicy.ExternalOK(u) {
		return
	}
	if checkOpen != nil {
		checkOpen(u)
		return
	}
	cmd := exec.Command("xdg-open", u)
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}

// waitWindowReady blocks until the web view shows its first page, so a load
// from Go is not overtaken by Wails loading the shell.
func waitWindowReady() {
	<-webkit.Ready()
	for i := 0; i < 100; i++ {
		if u, err := webkit.URI(); err == nil && u != "" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func setUserScript(src string) { webkit.SetUserScript(src) }
