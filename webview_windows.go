//go:build windows

package main

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/navpolicy"
)

const shellURL = navpolicy.ShellWindows

func init() {
	optionHooks = append(optionHooks, func(o *options.App) {
		// WebView2 keeps cookies and site data in its user data folder: put
		// it under Deskport's data dir so sessions survive restarts there.
		if paths, err := config.UserPaths(); err == nil {
			if o.Windows == nil {
				o.Windows = &windows.Options{}
			}
			o.Windows.WebviewUserDataPath = webviewUserDataPath(paths.Data)
		}
	})
	// WebView2 under Wails v2 has no navigation, new-window or permission
	// events: Wails calls OnDomReady after every NavigationCompleted
	// (remote pages too) and the guard enforces the policy from inside the
	// page (internal/webguard, limits there).
	domReadyHooks = append(domReadyHooks, func(ctx context.Context) {
		wruntime.WindowExecJS(ctx, guardScript(shellURL))
	})
}
