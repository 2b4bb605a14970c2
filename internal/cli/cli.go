// Package cli is Deskport's command line: `deskport COMMAND ...`, one file
// per command. It runs the engines headless, through the same wiring as the
// window (internal/workspace), and imports no window code: a command that
// needs a window (the demo, the window self-check) asks Env.Window for one.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/deskport/deskport/internal/buildinfo"
	"github.com/deskport/deskport/internal/logging"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/workspace"
)

// A command is one headless subcommand: `deskport NAME ARGS...`. Each lives
// in its own <name>.go and is listed in commands below.
type command struct {
	Name    string
	Summary string // one line for `deskport --help`
	Usage   string // printed by `deskport NAME --help`
	Run     func(ctx context.Context, env *Env, args []string) error
}

// commands are all of them, for the dispatch and `deskport --help`.
var commands = map[string]*command{}

func init() {
	for _, c := range []*command{demoCommand, doctorCommand, filesCommand, loginCommand, logoutCommand, mailCommand, versionCommand} {
		commands[c.Name] = c
	}
}

// Env is what a command may touch: its standard streams, the user's
// workspace, and a window when the program has one.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Workspace is the user's accounts, folders and caches; nil: the OS keyring's.
	Workspace *workspace.Workspace
	// Window opens Deskport's window; nil in a program without one.
	Window Window
	// Log is the capped log file the process writes (may be nil).
	Log *logging.Rotator
}

// A Window is the program's window, as the commands that need one see it.
type Window interface {
	// Check says, before anything is started, why no window can open here
	// (no graphical session). It may replace the process (by the window
	// program, or itself inside a D-Bus session of its own), so it comes
	// before anything is started.
	Check() error
	// Open shows the window and returns when it is closed.
	Open(ctx context.Context, o WindowOptions) error
	// Program is the program file that opens the window, for commands that
	// start it as a child process (the self-check).
	Program() (string, error)
}

// WindowOptions are what a command changes in the window it opens.
type WindowOptions struct {
	Title string // empty: "Deskport"
	// Instance is added to the single-instance lock's name, so that a
	// running Deskport does not take this window over ("" for the user's own).
	Instance string
	// ShellScript runs in Deskport's own page after every load.
	ShellScript string
	// Secrets, when not nil, replaces the OS keyring (the demo's in-memory one).
	Secrets secrets.Store
	// Log is the log file to write to (nil: the window opens its own).
	Log *logging.Rotator
}

func (e *Env) workspace() *workspace.Workspace {
	if e.Workspace == nil {
		e.Workspace = workspace.Default()
	}
	return e.Workspace
}

// usageError makes the command print its usage with the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "Deskport %s: the desktop client for your sovereign web suite.\n\n", buildinfo.Version)
	fmt.Fprintln(w, "Usage:\n  deskport              open the Deskport window\n  deskport COMMAND ...  run a command without a window\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun 'deskport COMMAND --help' for a command's options.")
}

// Run runs a subcommand and returns the process exit code, or -1 when args
// name no subcommand and the window should open.
func Run(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		return -1
	}
	switch args[0] {
	case "-h", "--help", "help":
		printHelp(env.Stdout)
		return 0
	case "--version", "-v":
		args = []string{"version"}
	}
	c, ok := commands[args[0]]
	if !ok {
		if strings.HasPrefix(args[0], "deskport:") || strings.HasPrefix(args[0], "-") {
			return -1 // deep link or a window flag
		}
		fmt.Fprintf(env.Stderr, "deskport: unknown command %q\n\n", args[0])
		printHelp(env.Stderr)
		return 2
	}
	rest := args[1:]
	if len(rest) > 0 && (rest[0] == "-h" || rest[0] == "--help") {
		fmt.Fprintln(env.Stdout, c.Usage)
		return 0
	}
	if err := c.Run(ctx, env, rest); err != nil {
		if ue, ok := err.(usageError); ok {
			fmt.Fprintf(env.Stderr, "deskport %s: %s\n\n%s\n", c.Name, ue.msg, c.Usage)
			return 2
		}
		fmt.Fprintf(env.Stderr, "deskport %s: %v\n", c.Name, err)
		return 1
	}
	return 0
}

// StdEnv is the process's own streams, the OS keyring's workspace, no window.
func StdEnv() *Env { return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr} }

// errNoWindow is what a window command says in a program without one.
var errNoWindow = fmt.Errorf("this program has no window; run 'deskport' from a desktop installation")
