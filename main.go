// Deskport: the desktop client for a digitally sovereign web suite.
//
// `deskport` opens the window; `deskport COMMAND ...` runs headless (see cli.go).
package main

import (
	"context"
	"embed"
	"os"
	"os/signal"
	"syscall"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runCLI(ctx, stdEnv(), os.Args[1:])
	stop()
	if code >= 0 {
		os.Exit(code)
	}
	if err := runGUI(os.Args[1:]); err != nil {
		os.Stderr.WriteString("deskport: " + err.Error() + "\n")
		os.Exit(1)
	}
}
