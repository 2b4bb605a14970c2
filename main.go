// Deskport: the desktop client for a digitally sovereign web suite.
//
// `deskport` opens the window; `deskport COMMAND ...` runs headless (see cli.go).
package main

import (
	"context"
	"embed"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/logging"
)

//go:embed all:frontend/dist
var assets embed.FS

// logFile is the log main opened; the window reuses it with its own level.
var logFile *logging.Rotator

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Headless commands log to the same capped file as the window; the
	// file is only created when something is logged.
	if paths, err := config.UserPaths(); err == nil {
		logFile = logging.Setup(paths.Logs, logging.ParseLevel(os.Getenv("DESKPORT_LOG_LEVEL")))
		defer logFile.Close()
	}
	// DESKPORT_CPUPROFILE=FILE profiles a headless command (benchmarks).
	if f := os.Getenv("DESKPORT_CPUPROFILE"); f != "" {
		if out, err := os.Create(f + "." + strconv.Itoa(os.Getpid())); err == nil && pprof.StartCPUProfile(out) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	code := runCLI(ctx, stdEnv(), os.Args[1:])
	stop()
	if code >= 0 {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
	if guiProgram != "" {
		program := guiProgramPath()
		err := execGUI(program)
		os.Stderr.WriteString("deskport: cannot start the window program " + program + ": " + err.Error() + "; reinstall the deskport package\n")
		os.Exit(1)
	}
	if err := runGUI(os.Args[1:]); err != nil {
		os.Stderr.WriteString("deskport: " + err.Error() + "\n")
		os.Exit(1)
	}
}
