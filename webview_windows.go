//go:build windows

package main

import (
	"encoding/json"

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
}

// navigate loads u in the main window by script (Wails v2 has no Go-side
// load on Windows); the script runs in whatever page is shown.
func navigate(u string) {
	if navCtx == nil {
		return
	}
	b, _ := json.Marshal(u)
	wruntime.WindowExecJS(navCtx, "window.location.href = "+string(b)+";")
}

// waitWindowReady: on Windows the runtime can navigate once started.
func waitWindowReady() {}

// setUserScript: no page scripts without WebKit access (WebView2 under Wails
// v2 exposes no AddScriptToExecuteOnDocumentCreated).
func setUserScript(string) {}

// history moves in the window's history: -1 back, 1 forward, 0 reload.
func history(step int) {
	if navCtx == nil {
		return
	}
	js := map[int]string{-1: "history.back();", 1: "history.forward();", 0: "location.reload();"}[step]
	wruntime.WindowExecJS(navCtx, js)
}
