// Deskport: the desktop client for a digitally sovereign web suite.
//
// `deskport` opens the window (app/); `deskport COMMAND ...` runs a command
// without one (internal/cli). Both open the engines through internal/workspace.
package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"syscall"

	"github.com/deskport/deskport/app"
	"github.com/deskport/deskport/internal/cli"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/logging"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/windowicon.png
var appIcon []byte

// guiProgram, set at build time (-ldflags "-X main.guiProgram=PATH"), makes
// this binary a WebKit-free command line that hands the window over to the
// program at PATH (relative to this program's folder unless absolute). The
// Linux package ships such a CGO_ENABLED=0 build as /usr/bin/deskport with
// PATH ../lib/deskport/deskport-gui: headless commands then start as a plain
// Go program (no WebKitGTK, GTK and their ~170 shared libraries to load), and
// the window program is started only for the window.
var guiProgram string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := cli.StdEnv()
	env.Window = window{}
	// Headless commands log to the same capped file as the window; the
	// file is only created when something is logged.
	if paths, err := config.UserPaths(); err == nil {
		env.Log = logging.Setup(paths.Logs, logging.ParseLevel(os.Getenv("DESKPORT_LOG_LEVEL")))
		defer func() { env.Log.Close() }()
	}
	// DESKPORT_CPUPROFILE=FILE profiles a headless command (benchmarks).
	if f := os.Getenv("DESKPORT_CPUPROFILE"); f != "" {
		if out, err := os.Create(f + "." + strconv.Itoa(os.Getpid())); err == nil && pprof.StartCPUProfile(out) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	code := cli.Run(ctx, env, os.Args[1:])
	stop()
	if code >= 0 {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
	if err := (window{}).Open(context.Background(), cli.WindowOptions{Log: env.Log}); err != nil {
		os.Stderr.WriteString("deskport: " + err.Error() + "\n")
		os.Exit(1)
	}
}

// window is the program's window as the commands see it (cli.Window): this
// program's own (app.Run), or in the WebKit-free command line the window
// program it hands over to.
type window struct{}

func (window) Check() error {
	if guiProgram != "" {
		return handOver()
	}
	return app.CheckDisplay()
}

func (window) Open(_ context.Context, o cli.WindowOptions) error {
	if guiProgram != "" {
		return handOver()
	}
	return app.Run(app.Options{Assets: assets, Icon: appIcon, Log: o.Log,
		Title: o.Title, Instance: o.Instance, ShellScript: o.ShellScript, Secrets: o.Secrets})
}

func (window) Program() (string, error) {
	if guiProgram != "" {
		return guiProgramPath(), nil
	}
	return os.Executable()
}

// handOver replaces this process by the window program, same arguments; it
// returns only when that fails.
func handOver() error {
	program := guiProgramPath()
	err := cli.ExecWindowProgram(program)
	return fmt.Errorf("cannot start the window program %s: %w; reinstall the deskport package", program, err)
}

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
