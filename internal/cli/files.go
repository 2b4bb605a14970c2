package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/workspace"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/netx"
)

const filesUsage = `Usage:
  deskport files sync [--once] [--local DIR --url FILES_DAV_URL --user U] [options]
  deskport files status (--state DIR | --local DIR --url FILES_DAV_URL)

sync keeps DIR and the server folder equal in both directions; without --once
it keeps running and syncs on every change until interrupted. Without --url
and --user it syncs the files account signed in with 'deskport login' into
~/Deskport (or --local DIR).
  --url URL            the WebDAV files folder, e.g.
                       https://cloud.example.org/remote.php/dav/files/alice/
  --user U             user name; the password (an app password) comes from
                       DESKPORT_PASSWORD or, with --password-stdin, the first
                       line of standard input
  --state DIR          where the sync journal lives (default: per folder pair
                       under Deskport's data folder); ignore.txt there holds
                       extra ignore patterns, one per line
  --confirm-deletes    carry out a large deletion the guard stopped
  --exclude FOLDER     server folder not to sync (repeatable)
  --parallel N         transfers at once (default 6)
  --limit KBPS         bandwidth limit in KiB/s (default none)
  --stall-timeout SEC  give up a transfer that makes no progress for this
                       long; the file is tried again at the next pass
                       (default 60)
  --quiet              print only errors and the summary`

var filesCommand = &command{Name: "files", Summary: "two-way file sync with the suite's file store", Usage: filesUsage, Run: runFiles}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runFiles(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"say what to do: sync or status"}
	}
	fs := flag.NewFlagSet("files "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c folder.Config
	var once, pwStdin, quiet bool
	var limit int64
	var stallSeconds float64
	var exclude multiFlag
	fs.StringVar(&c.LocalDir, "local", "", "")
	fs.StringVar(&c.FilesURL, "url", "", "")
	fs.StringVar(&c.User, "user", "", "")
	fs.StringVar(&c.StateDir, "state", "", "")
	fs.BoolVar(&c.ConfirmDeletes, "confirm-deletes", false, "")
	fs.IntVar(&c.Parallel, "parallel", 0, "")
	fs.Int64Var(&limit, "limit", 0, "")
	fs.Float64Var(&stallSeconds, "stall-timeout", 0, "")
	fs.Var(&exclude, "exclude", "")
	fs.BoolVar(&once, "once", false, "")
	fs.BoolVar(&pwStdin, "password-stdin", false, "")
	fs.BoolVar(&quiet, "quiet", false, "")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	c.Exclude, c.LimitBytes = exclude, limit*1024
	if stallSeconds < 0 {
		return usageError{"--stall-timeout must be a number of seconds above 0"}
	}
	c.StallTimeout = time.Duration(stallSeconds * float64(time.Second))
	switch args[0] {
	case "sync":
		return filesSync(ctx, env, c, once, pwStdin, quiet)
	case "status":
		return filesStatus(ctx, env, c)
	}
	return usageError{fmt.Sprintf("unknown files command %q: use sync or status", args[0])}
}

// filesSyncMemoryLimit is the Go heap's soft limit while a sync runs: a
// first sync of a large tree leaves much garbage between its steps, which
// the collector then returns instead of letting the process grow (a
// GOMEMLIMIT in the environment wins).
const filesSyncMemoryLimit = 150 << 20

func filesSync(ctx context.Context, env *Env, c folder.Config, once, pwStdin, quiet bool) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(filesSyncMemoryLimit)
	}
	if c.FilesURL == "" && c.User == "" && !pwStdin && os.Getenv("DESKPORT_PASSWORD") == "" {
		// The signed-in files account (deskport login) and its folder.
		acc, err := env.workspace().SignedInFiles()
		if err != nil {
			return fmt.Errorf("%w; or give --url, --user and a password", err)
		}
		c.FilesURL, c.User, c.Password = acc.URL, acc.User, acc.Password
		if c.LocalDir == "" {
			if c.LocalDir, err = workspace.FilesDir(); err != nil {
				return err
			}
			os.MkdirAll(c.LocalDir, 0o755)
		}
	}
	if c.LocalDir == "" || c.FilesURL == "" || c.User == "" {
		return usageError{"--local, --url and --user are needed (or sign in first with deskport login)"}
	}
	switch {
	case c.Password != "":
	case pwStdin:
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("--password-stdin: standard input is empty; pipe the password into it")
		}
		c.Password = strings.TrimRight(line, "\r\n")
	default:
		c.Password = os.Getenv("DESKPORT_PASSWORD")
	}
	if c.Password == "" {
		return usageError{"no password: set DESKPORT_PASSWORD or use --password-stdin"}
	}
	c.HTTPClient = netx.Client()
	if !quiet {
		c.Logf = func(f string, a ...any) { fmt.Fprintf(env.Stderr, f+"\n", a...) }
		last := time.Time{}
		c.Progress = func(p filesync.Progress) {
			if time.Since(last) < time.Second {
				return
			}
			last = time.Now()
			eta := ""
			if p.ETASeconds >= 0 {
				eta = fmt.Sprintf(", %s left", (time.Duration(p.ETASeconds) * time.Second).String())
			}
			fmt.Fprintf(env.Stderr, "%d/%d files, %.1f/%.1f MB, %.1f MB/s%s\n", p.FilesDone, p.FilesTotal,
				float64(p.BytesDone)/1e6, float64(p.BytesTotal)/1e6, p.Rate/1e6, eta)
		}
	}
	f, err := folder.Open(ctx, c)
	if err != nil {
		return err
	}
	defer f.Close()
	if !once {
		fmt.Fprintf(env.Stderr, "syncing %s with %s; press Ctrl+C to stop\n", f.Config.LocalDir, c.FilesURL)
		return f.Engine.Run(ctx, filesync.RunOptions{Poll: workspace.FilesPoll(), OnPass: func(r filesync.Result, err error) {
			if err == nil && !quiet && r.Downloaded+r.Uploaded+r.DeletedLocal+r.DeletedRemote+r.Moved > 0 {
				fmt.Fprintf(env.Stdout, "%s synced: %s\n", time.Now().Format("15:04:05"), r)
			}
		}})
	}
	start := time.Now()
	res, err := f.Engine.Sync(ctx)
	if ctx.Err() != nil {
		// Ctrl+C or SIGTERM: what failed before it is still worth knowing.
		fmt.Fprintf(env.Stdout, "interrupted after %.1fs: %s; %d requests\n", time.Since(start).Seconds(), res, f.Client.Requests())
		if n := printFileErrors(env, f.Journal); n > 0 {
			return fmt.Errorf("sync interrupted; %d files had errors (listed above); the rest resumes at the next sync", n)
		}
		return errors.New("sync interrupted; it resumes at the next sync")
	}
	fmt.Fprintf(env.Stdout, "synced in %.1fs: %s; %d requests\n", time.Since(start).Seconds(), res, f.Client.Requests())
	if err != nil {
		printFileErrors(env, f.Journal)
		return err
	}
	if res.Errors > 0 {
		printFileErrors(env, f.Journal)
		return fmt.Errorf("%d files could not be synced (listed above); the rest is in sync. Fix them and sync again", res.Errors)
	}
	return nil
}

// printFileErrors lists the files whose last sync failed (at most 20) and
// returns how many there are.
func printFileErrors(env *Env, j *filesync.Journal) int {
	errs, _ := j.Errors(context.Background())
	for i, e := range errs {
		if i == 20 {
			fmt.Fprintf(env.Stderr, "… and %d more\n", len(errs)-20)
			break
		}
		fmt.Fprintf(env.Stderr, "  %s: %s\n", e.Path, e.Message)
	}
	return len(errs)
}

func filesStatus(ctx context.Context, env *Env, c folder.Config) error {
	if c.StateDir == "" {
		if c.LocalDir == "" || c.FilesURL == "" {
			return usageError{"give --state DIR, or --local DIR and --url URL"}
		}
		var err error
		if c.StateDir, err = folder.DefaultStateDir(c.LocalDir, c.FilesURL); err != nil {
			return err
		}
	}
	j, err := folder.OpenJournal(ctx, c.StateDir)
	if err != nil {
		return err
	}
	defer j.Close()
	local, _ := j.Meta(ctx, "local_root")
	remote, _ := j.Meta(ctx, "remote_url")
	files, dirs, bytes, err := j.Summary(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "folder:  %s\nserver:  %s\nsynced:  %d files in %d folders, %.1f MB\n", local, remote, files, dirs, float64(bytes)/1e6)
	cs, _ := j.Conflicts(ctx)
	errs, _ := j.Errors(ctx)
	fmt.Fprintf(env.Stdout, "conflicts: %d\n", len(cs))
	for _, c := range cs {
		fmt.Fprintf(env.Stdout, "  %s  (your version of %s, %s)\n", c.Copy, c.Original, c.At.Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(env.Stdout, "errors:  %d\n", len(errs))
	for _, e := range errs {
		fmt.Fprintf(env.Stdout, "  %s: %s (%s, %d attempts)\n", e.Path, e.Message, e.Op, e.Attempts)
	}
	return nil
}
