package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/demo"
	"github.com/deskport/deskport/internal/demo/keyring"
	"github.com/deskport/deskport/internal/logging"
	"github.com/deskport/deskport/internal/workspace"
)

const demoUsage = `Usage: deskport demo [--headless [--json]] [--keep] [--unless-configured]

Starts a small demo suite inside Deskport, on this computer only: mail (IMAP
and SMTP with a few hundred messages), files (a Nextcloud-compatible server
with sample documents) and the suite's web apps. Then it opens the window
signed in to it. Your own settings and accounts are not touched: the demo
keeps its data in a throw-away folder, removed when the window closes, and
its passwords in memory.

  --headless           start only the servers, print their addresses and the
                       demo account's credentials, and run until Ctrl+C
  --json               with --headless: print them as one JSON object
  --keep               keep the demo's data folder at exit (its path is printed)
  --unless-configured  open your own Deskport instead when it has an account
                       or a suite set up (what 'make run' does)

Example (scripts): deskport demo --headless --json > demo.json &`

var demoCommand = &command{Name: "demo", Summary: "try Deskport with a built-in demo suite (nothing leaves this computer)", Usage: demoUsage, Run: runDemo}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	headless := fs.Bool("headless", false, "")
	asJSON := fs.Bool("json", false, "")
	keep := fs.Bool("keep", false, "")
	unlessConfigured := fs.Bool("unless-configured", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *asJSON && !*headless {
		return usageError{"--json needs --headless"}
	}
	if !*headless {
		if env.Window == nil {
			return errNoWindow
		}
		// Before the servers start: it may restart the process.
		if err := env.Window.Check(); err != nil {
			return err
		}
	}
	if *unlessConfigured {
		configured, err := workspace.Configured()
		if err != nil {
			return err
		}
		if configured {
			return env.Window.Open(ctx, WindowOptions{Log: env.Log})
		}
	}
	s, err := demo.Start(demo.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if *headless {
		if *asJSON {
			describeJSON(env.Stdout, s)
		} else {
			s.Describe(env.Stdout)
			fmt.Fprintln(env.Stdout, "Sign in with: printf '%s\\n' PASSWORD | deskport login --domain "+demo.Domain+" --files-url "+s.FilesURL+
				" --user "+s.User+" --password-stdin --mail-user "+s.User+" --mail-address "+s.Address+
				" --imap "+s.IMAP.Addr()+" --imap-security none --smtp "+s.SMTP.Addr()+" --smtp-security none")
			fmt.Fprintln(env.Stdout, "Running; press Ctrl+C to stop.")
		}
		<-ctx.Done()
		return nil
	}
	return demoWindow(ctx, env, s, *keep)
}

// describeJSON is the headless output for scripts.
func describeJSON(w io.Writer, s *demo.Suite) {
	origins := map[string]string{}
	for _, o := range s.Profile.Origins() {
		if a := s.Profile.AppOf(o); a != "" {
			origins[string(a)] = o
		}
	}
	json.NewEncoder(w).Encode(map[string]any{
		"domain": demo.Domain, "user": s.User, "password": s.Password, "address": s.Address,
		"filesUrl": s.FilesURL, "imap": s.IMAP.Addr(), "smtp": s.SMTP.Addr(), "origins": origins, "messages": s.Messages,
	})
}

// demoWindow signs the window in to s in a throw-away home with an
// in-memory keyring, opens it, and removes the home at exit unless keep.
func demoWindow(ctx context.Context, env *Env, s *demo.Suite, keep bool) error {
	home, err := os.MkdirTemp("", "deskport-demo-")
	if err != nil {
		return fmt.Errorf("cannot create the demo's data folder: %w (check that the temp folder is writable, or set TMPDIR)", err)
	}
	defer func() {
		if keep {
			fmt.Fprintln(env.Stderr, "deskport demo: data kept in", home)
			return
		}
		waitChildren(5 * time.Second)
		removeAll(home)
	}()
	if err := useDemoHome(env, home); err != nil {
		return err
	}
	store := keyring.New()
	env.Workspace = workspace.New(store)
	m, _, err := env.Workspace.Accounts()
	if err != nil {
		return err
	}
	if err := s.SignIn(ctx, m); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "deskport demo: the demo suite is running; close the window to stop it. Its data is in %s (%s at exit).\n", home, map[bool]string{true: "kept", false: "removed"}[keep])
	return env.Window.Open(ctx, WindowOptions{
		Title:       "Deskport – Demo",
		Instance:    "demo", // not the user's own Deskport: a running one must not take over
		ShellScript: demoBannerJS,
		Secrets:     store,
		Log:         env.Log,
	})
}

// demoBannerJS marks Deskport's own page (not the suite's) as the demo.
const demoBannerJS = `(function(){
if (location.protocol !== 'wails:' || document.getElementById('deskport-demo-banner')) return;
var p = document.createElement('p');
p.id = 'deskport-demo-banner';
p.setAttribute('role', 'note');
p.textContent = 'Demo: Deskport is connected to a demo suite running on this computer. Nothing you do here leaves it, and it is all gone when the window closes.';
p.style.cssText = 'margin:0;padding:6px 16px;background:#fff3cd;color:#4d3900;border-bottom:1px solid #d9b84a;font:14px system-ui,sans-serif';
document.body.prepend(p);
})()`

// removeAll removes the demo's folder, again while WebKit's helper
// processes, which end a moment after the window, still write their storage.
func removeAll(dir string) {
	gone := 0
	for i := 0; i < 50 && gone < 5; i++ {
		if _, err := os.Lstat(dir); err == nil {
			os.RemoveAll(dir)
			gone = 0
		} else {
			gone++
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// useDemoHome points every per-user folder of this process at home.
func useDemoHome(env *Env, home string) error {
	for k, v := range map[string]string{
		config.HomeEnv:   filepath.Join(home, "deskport"),
		"XDG_DATA_HOME":  filepath.Join(home, "xdg-data"),
		"XDG_CACHE_HOME": filepath.Join(home, "xdg-cache"),
	} {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	paths, err := config.UserPaths()
	if err != nil {
		return err
	}
	if err := paths.Ensure(); err != nil {
		return err
	}
	if env.Log != nil {
		env.Log.Close()
	}
	env.Log = logging.Setup(paths.Logs, slog.LevelInfo)
	return nil
}
