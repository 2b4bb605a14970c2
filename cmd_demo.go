package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/demo"
	"github.com/deskport/deskport/internal/demo/keyring"
	"github.com/deskport/deskport/internal/logging"
	"github.com/deskport/deskport/internal/secrets"
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

func init() {
	register(&command{Name: "demo", Summary: "try Deskport with a built-in demo suite (nothing leaves this computer)", Usage: demoUsage, Run: runDemo})
}

func runDemo(ctx context.Context, env *cmdEnv, args []string) error {
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
	if *unlessConfigured {
		configured, err := userConfigured()
		if err != nil {
			return err
		}
		if configured {
			return runGUI(nil)
		}
	}
	if !*headless {
		if err := displayAvailable(os.Getenv); err != nil {
			return err
		}
		ownSessionBus() // before the servers start: it may restart the process
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

// userConfigured tells whether the user's own Deskport has a suite or an
// account (or an administrator pre-set the suite): then it is opened, not
// the demo. Nothing is written.
func userConfigured() (bool, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return false, err
	}
	b, err := accounts.LoadBook(paths)
	if err != nil {
		return true, nil // a damaged book is the user's: the window shows what to do
	}
	if b.Suite != nil || b.Files != nil || b.Mail != nil {
		return true, nil
	}
	if cfg, err := config.Load(paths); err == nil && cfg.Effective.Domain != "" {
		return true, nil
	}
	return false, nil
}

// demoWindow signs the window in to s in a throw-away home with an
// in-memory keyring, opens it, and removes the home at exit unless keep.
func demoWindow(ctx context.Context, env *cmdEnv, s *demo.Suite, keep bool) error {
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
	if err := useDemoHome(home); err != nil {
		return err
	}
	store := keyring.New()
	accountsSecrets = func() secrets.Store { return store }
	m, _, err := accountsManager()
	if err != nil {
		return err
	}
	if err := s.SignIn(ctx, m); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "deskport demo: the demo suite is running; close the window to stop it. Its data is in %s (%s at exit).\n", home, map[bool]string{true: "kept", false: "removed"}[keep])
	optionHooks = append(optionHooks, func(o *options.App) {
		o.Title = "Deskport – Demo"
		// Not the user's own Deskport: a running one must not take over.
		if o.SingleInstanceLock != nil {
			o.SingleInstanceLock.UniqueId += ".demo"
		}
	})
	domReadyHooks = append(domReadyHooks, func(ctx context.Context) { wruntime.WindowExecJS(ctx, demoBannerJS) })
	return runGUI(nil)
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
func useDemoHome(home string) error {
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
	if logFile != nil {
		logFile.Close()
	}
	logFile = logging.Setup(paths.Logs, slog.LevelInfo)
	return nil
}

// Demo lets a window without an account start the demo in a window of its
// own (the first-run view's "Try the demo").
type Demo struct{}

func init() { registerService(func() interface{} { return &Demo{} }) }

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
