package main

import (
	"os"
	"path/filepath"
)

// guiProgram, set at build time (-ldflags "-X main.guiProgram=PATH"), makes
// this binary a WebKit-free command line that hands the window over to the
// program at PATH (relative to this program's folder unless absolute). The
// Linux package ships such a CGO_ENABLED=0 build as /usr/bin/deskport with
// PATH ../lib/deskport/deskport-gui: headless commands then start as a plain
// Go program (no WebKitGTK, GTK and their ~170 shared libraries to load), and
// the window program is started only for the window.
var guiProgram string

// guiProgramPath is guiProgram resolved against this program's folder.
func guiProgramPath() string {
	if filepath.IsAbs(guiProgram) {
		return guiProgram
	}
	self, err := os.Executable()
	if err != nil {
		return guiProgram
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	return filepath.Join(filepath.Dir(self), guiProgram)
}
