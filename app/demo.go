package app

import (
	"fmt"
	"os"
	"os/exec"
)

// Demo lets a window without an account start the demo in a window of its
// own (the first-run view's "Try the demo").
type Demo struct{}

// Start opens 'deskport demo' beside this window; it leaves this window's
// settings and accounts alone.
func (Demo) Start() error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("could not find Deskport's program file to start the demo: %w", err)
	}
	cmd := exec.Command(self, "demo")
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start the demo: %w; run 'deskport demo' in a terminal", err)
	}
	go cmd.Wait()
	return nil
}
