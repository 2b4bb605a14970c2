//go:build !windows && !(linux && cgo)

package app

import (
	"encoding/json"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Without access to the web view (Linux without cgo: test and headless
// builds; Windows has webview_windows.go) the window is driven by script in
// whatever page it shows.

// navigate loads u in the main window by script.
func navigate(u string) {
	if navCtx == nil {
		return
	}
	b, _ := json.Marshal(u)
	wruntime.WindowExecJS(navCtx, "window.location.href = "+string(b)+";")
}

// waitWindowReady: the runtime can navigate once started.
func waitWindowReady() {}

// setUserScript: no page scripts without access to the web view.
func setUserScript(string) {}

// history moves in the window's history: -1 back, 1 forward, 0 reload.
func history(step int) {
	if navCtx == nil {
		return
	}
	js := map[int]string{-1: "history.back();", 1: "history.forward();", 0: "location.reload();"}[step]
	wruntime.WindowExecJS(navCtx, js)
}
