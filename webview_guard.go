package main

import (
	"github.com/deskport/deskport/app"
	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/webguard"
)

// guardScript is the page guard for the current policy (Windows runs it in
// every page after each completed navigation: webview_windows.go). Plain Go
// on every platform, so it is tested on Linux too.
func guardScript(shell string) string {
	c := webguard.Config{
		Allowed: currentPolicy().Origins(),
		Shell:   shell,
		Offline: app.OfflinePage(shell, ""),
	}
	if p, ok := suiteProfile(); ok {
		c.Meet = p.Origin(suite.Meet)
		c.Extra = app.SwitcherScript(p, shell)
	}
	return webguard.Script(c)
}
