//go:build !windows && !(linux && cgo)

package main

import (
	"encoding/json"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/navpolicy"
)

const shellURL = navpolicy.ShellLinux

// navigate loads u in the main window by script (no WebKit access here).
func navigate(u string) {
	if navCtx == nil {
		return
	}
	b, _ := json.Marshal(u)
	wruntime.WindowExecJS(navCtx, "window.location.href = "+string(b)+";")
}

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
