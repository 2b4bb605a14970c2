package main

import "github.com/deskport/deskport/internal/webguard"

// guardScript is the page guard for the current policy (Windows runs it in
// every page after each completed navigation: webview_windows.go). Plain Go
// on every platform, so it is tested on Linux too.
func guardScript(shell string) string {
	if p, ok := suiteProfile(); ok {
		return webguard.Script(webguard.ForProfile(&p, adminExtraOrigins, shell))
	}
	return webguard.Script(webguard.ForProfile(nil, adminExtraOrigins, shell))
}
