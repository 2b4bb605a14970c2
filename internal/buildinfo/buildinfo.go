// Package buildinfo holds what the build stamps into the program: its
// version. Both faces (the window in app/, the commands in internal/cli)
// show it; neither owns it.
package buildinfo

// Version is set at build time:
//
//	-ldflags "-X github.com/deskport/deskport/internal/buildinfo.Version=1.2.3"
var Version = "0.1.0-dev"

// UserAgent is what Deskport's own HTTP requests say they are.
func UserAgent() string { return "Deskport/" + Version }
