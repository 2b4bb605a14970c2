//go:build windows

package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/buildinfo"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/doctor"
	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suitenav"
	"github.com/deskport/deskport/internal/webview2hooks"
)

const shellURL = navpolicy.ShellWindows

// guard is the window's WebView2 hooks (internal/webview2hooks): installed
// from OnStartup; until then every request to the shell waits, and if they
// could not be installed the window shows why instead of the shell.
var guard = newWindowGuard[*webview2hooks.Hooks](30 * time.Second)

func enableMockCapture() {}

var platformPart = part{
	options: func(o *options.App) {
		// WebView2 keeps cookies and site data in its user data folder: put
		// it under Deskport's data dir so sessions survive restarts there.
		if paths, err := config.UserPaths(); err == nil {
			if o.Windows == nil {
				o.Windows = &windows.Options{}
			}
			o.Windows.WebviewUserDataPath = webviewUserDataPath(paths.Data)
		}
		if bindingsBuild {
			return
		}
		if o.AssetServer == nil {
			o.AssetServer = &assetserver.Options{}
		}
		prev := o.AssetServer.Middleware
		o.AssetServer.Middleware = func(next http.Handler) http.Handler {
			if prev != nil {
				next = prev(next)
			}
			return guard.middleware(next)
		}
	},
	startup: func(ctx context.Context) {
		if bindingsBuild {
			return
		}
		go installGuard(ctx)
	},
	// The guard script also runs after each completed load: Chromium's
	// error pages get no document-created script, and the guard sends them
	// to the shell's offline view. Idempotent in every other page.
	domReady: func(ctx context.Context) {
		wruntime.WindowExecJS(ctx, guardScript(shellURL))
	},
}

func installGuard(ctx context.Context) {
	h, err := webview2hooks.Install(ctx.Value("frontend"), webview2hooks.Config{
		Policy: currentPolicy,
		AllowMedia: func(u string) bool {
			p, ok := suiteProfile()
			return ok && suitenav.AllowMedia(&p, u)
		},
		Open:   openOutside,
		Script: guardScript(shellURL),
		Log: func(msg string, args ...any) {
			slog.Info("window: "+msg, args...)
		},
	})
	if err != nil {
		slog.Error("the window's WebView2 hooks could not be installed; it shows no suite pages", "err", err)
	} else {
		slog.Info("window: WebView2 hooks installed")
	}
	guard.finish(h, err)
	if paths, perr := config.UserPaths(); perr == nil {
		rec := doctor.WindowGuard{Installed: err == nil, At: time.Now(), Version: buildinfo.Version}
		if err != nil {
			rec.Error = err.Error()
		}
		if werr := doctor.WriteWindowGuard(paths.Data, rec); werr != nil {
			slog.Warn("window guard state not recorded", "err", werr)
		}
	}
}

// navigate loads u in the main window through the hooks (Deskport's own
// navigations may open any shell route). Without hooks nothing loads.
func navigate(u string) {
	h, err := guard.wait()
	if err != nil {
		slog.Warn("navigation refused: the window is not protected", "err", err)
		return
	}
	h.Navigate(u)
}

// waitWindowReady blocks until the hooks are in place (or failed).
func waitWindowReady() { guard.wait() }

// setUserScript replaces the script every document runs before its own: the
// page guard with the app switcher for the current suite (src, the switcher
// alone, is what Linux injects; the guard includes it here).
func setUserScript(string) {
	if h, err := guard.wait(); err == nil {
		h.SetScript(guardScript(shellURL))
	}
}

// history moves in the window's history: -1 back, 1 forward, 0 reload. The
// hooks decide on the navigation that results like on any other.
func history(step int) {
	if navCtx == nil {
		return
	}
	js := map[int]string{-1: "history.back();", 1: "history.forward();", 0: "location.reload();"}[step]
	wruntime.WindowExecJS(navCtx, js)
}
