// Package app is Deskport's window: window.go lists what it consists of (the
// bound services and the parts each feature adds), the other files are the
// thin services the window's local shell page calls (no business logic: each
// forwards to an engine in internal/), the menu, deep links, badges and the
// web engines' hooks by platform (webview_linux.go, webview_windows.go).
// Engines are opened through internal/workspace, as the commands do.
package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/options"
)

// Shell is the service for the shell page itself: version, window control.
type Shell struct {
	version string
	rt      Runtime
}

func NewShell(version string) *Shell { return &Shell{version: version, rt: noRuntime{}} }

// Startup is called by Wails with the only context its runtime accepts.
func (s *Shell) Startup(ctx context.Context) { s.rt = NewWailsRuntime(ctx) }

// Version is Deskport's version, for the about box.
func (s *Shell) Version() string { return s.version }

// SecondInstance runs when Deskport is launched again: focus this window.
func (s *Shell) SecondInstance(data options.SecondInstanceData) {
	s.rt.Show()
	s.rt.Emit("deskport:second-instance", data.Args)
}
