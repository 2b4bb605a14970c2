//go:build !windows && !(linux && cgo)

package app

import "github.com/deskport/deskport/internal/navpolicy"

const shellURL = navpolicy.ShellLinux

// Without access to the web view there is nothing to guard or hook: the
// window opens only in builds with one (Linux with cgo, Windows).
var platformPart = part{}

func enableMockCapture() {}
