package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// A command is one headless subcommand: `deskport NAME ARGS...`. Each lives in
// its own cmd_<name>.go and registers itself in init().
type command struct {
	Name    string
	Summary string // one line for `deskport --help`
	Usage   string // printed by `deskport NAME --help`
	Run     func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what a command may touch: its standard streams.
type cmdEnv struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.Name]; dup {
		panic("command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// usageError makes the command print its usage with the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "Deskport %s: the desktop client for your sovereign web suite.\n\n", version)
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

// runCLI runs a subcommand and returns the process exit code, or -1 when
// args name no subcommand and the window should open.
func runCLI(ctx context.Context, env *cmdEnv, args []string) int {
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

func stdEnv() *cmdEnv { return &cmdEnv{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr} }
