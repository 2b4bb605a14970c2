package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"sync"
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/buildinfo"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/logging"
	"github.com/deskport/deskport/internal/netx"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/winstate"
	"github.com/deskport/deskport/internal/workspace"
)

// Options are what the program that opens the window chooses.
type Options struct {
	Assets fs.FS            // the shell page (frontend/dist)
	Icon   []byte           // the window icon (PNG)
	Log    *logging.Rotator // the process's log file (nil: the window opens its own)
	// The demo's window (deskport demo): its title, a single-instance name
	// of its own, a banner in the shell, an in-memory keyring.
	Title       string
	Instance    string
	ShellScript string
	Secrets     secrets.Store
}

// ws is the user's workspace (accounts, folders, caches) the window's
// services open their engines from; Run sets it before anything is bound.
var ws = workspace.Default()

// The window, in one place. services are what the shell page can call
// (window.go.app.NAME.Method), in binding order; a service with
// Startup(context.Context) gets Wails' context, one with Shutdown() is
// stopped when the window closes (in reverse order). parts are what the
// window's features add to Wails' options and to its start, in this
// order (the order matters: the self-check drops the single-instance lock
// before deep links wrap it; test features come before the engine's
// storage is set).
func services(shell *Shell) []interface{} {
	bound := []interface{}{shell, accountsService(), filesService(), launcher, mailService(), &Demo{}}
	if windowCheckControl != "" {
		bound = append(bound, &WindowCheck{}) // deskport doctor --window
	}
	return append(bound, testServices()...) // test builds only (e2e_linux.go)
}

func parts(o Options) []part {
	return []part{
		badgesPart,       // unread mail and Nextcloud notifications on the launcher (badges.go)
		localSourcesPart, // the synced folder and mail cache for the launcher and offline view (badges.go)
		launcherPart,     // the launcher's network client, the window's context (bind_launcher.go)
		selfCheckPart,    // deskport doctor --window (selfcheck.go)
		deepLinksPart,    // deskport://... from a second start or the command line (deeplink_window.go)
		testPart,         // test builds only (e2e_linux.go)
		fileDropPart,     // files dropped on the window go to the Files view
		menuPart,         // the application menu and its shortcuts (menu.go)
		webSessionPart,   // a sign-out's web session reset (websession_windows.go)
		platformPart,     // the web engine's guards: webview_linux.go, webview_windows.go
		demoPart(o),      // deskport demo's title, instance and banner
	}
}

// A part of the window: each hook may be nil.
type part struct {
	options  func(o *options.App)
	startup  func(ctx context.Context)
	domReady func(ctx context.Context) // after every page load (Windows: remote pages too)
}

type starter interface{ Startup(ctx context.Context) }

// A service with Shutdown() is stopped when the window closes, before the
// process exits (background loops finish their transaction, close files).
type stopper interface{ Shutdown() }

var fileDropPart = part{options: func(o *options.App) {
	o.DragAndDrop = &options.DragAndDrop{EnableFileDrop: true}
}}

func demoPart(o Options) part {
	return part{
		options: func(ao *options.App) {
			if o.Title != "" {
				ao.Title = o.Title
			}
			if o.Instance != "" && ao.SingleInstanceLock != nil {
				ao.SingleInstanceLock.UniqueId += "." + o.Instance
			}
		},
		domReady: func(ctx context.Context) {
			if o.ShellScript != "" {
				wruntime.WindowExecJS(ctx, o.ShellScript)
			}
		},
	}
}

// displayAvailable says, before GTK fails with a panic, that the window
// needs a graphical session and how to run it without one.
func displayAvailable(getenv func(string) string) error {
	if bindingsBuild || goruntime.GOOS == "windows" || goruntime.GOOS == "darwin" || getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return nil
	}
	return errors.New("the window needs a graphical session, and neither DISPLAY nor WAYLAND_DISPLAY is set.\n" +
		"  Run Deskport from your desktop, or without a screen under a virtual one:\n" +
		"    xvfb-run -a deskport\n" +
		"  Commands such as 'deskport files sync' and 'deskport demo --headless' need no window (deskport --help)")
}

// ownSessionBus restarts Deskport inside a D-Bus session of its own when
// there is none (a bare X server, xvfb-run): otherwise GTK's accessibility
// bus and D-Bus autolaunch start a dbus-daemon and an at-spi-bus-launcher
// that outlive the window. dbus-run-session ends them when Deskport exits.
// It returns only when nothing was restarted.
func ownSessionBus() {
	if bindingsBuild || goruntime.GOOS != "linux" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return
	}
	if rt := os.Getenv("XDG_RUNTIME_DIR"); rt != "" {
		if st, err := os.Stat(filepath.Join(rt, "bus")); err == nil && st.Mode()&os.ModeSocket != 0 {
			return // the desktop session's bus, found by its standard place
		}
	}
	runner, err := exec.LookPath("dbus-run-session")
	if err != nil {
		return
	}
	self, err := os.Executable()
	if err != nil {
		return
	}
	err = syscall.Exec(runner, append([]string{"dbus-run-session", "--", self}, os.Args[1:]...), os.Environ())
	slog.Warn("could not start a D-Bus session for the window", "err", err)
}

// CheckDisplay says why the window cannot open here (no graphical
// session), before anything is started; with a display but no session bus it
// restarts the process inside one of its own.
func CheckDisplay() error {
	if err := displayAvailable(os.Getenv); err != nil {
		return err
	}
	ownSessionBus()
	return nil
}

// Run opens the window and returns when it is closed.
func Run(o Options) error {
	if err := CheckDisplay(); err != nil {
		return err
	}
	paths, err := config.UserPaths()
	if err != nil {
		return err
	}
	if err := paths.Ensure(); err != nil {
		return fmt.Errorf("cannot create Deskport's folders: %w (check permissions, or set DESKPORT_HOME)", err)
	}
	cfg, cfgErr := config.Load(paths)
	settings := config.Settings{}
	if cfgErr == nil {
		settings = cfg.Effective
	}
	if o.Secrets != nil {
		ws = workspace.New(o.Secrets)
	}
	if o.Log != nil {
		slog.SetDefault(logging.New(o.Log, logging.ParseLevel(settings.LogLevel)))
	} else {
		defer logging.Setup(paths.Logs, logging.ParseLevel(settings.LogLevel)).Close()
	}
	slog.Info("deskport starting", "version", buildinfo.Version, "os", goruntime.GOOS)
	if cfgErr != nil {
		// The window still opens (the shell shows the error); the file is left as it is.
		slog.Error("settings not loaded", "err", cfgErr)
	}
	if err := netx.Configure(netx.Options{Proxy: settings.Proxy, CABundle: settings.CABundle, UserAgent: buildinfo.UserAgent()}); err != nil {
		slog.Error("network settings", "err", err)
	}
	adminExtraOrigins = settings.ExtraOrigins
	winFile := filepath.Join(paths.Data, "window.json")
	win := winstate.Load(winFile)

	shell := NewShell(buildinfo.Version)
	bound := services(shell)
	windowParts := parts(o)
	ao := &options.App{
		Title:     "Deskport",
		Width:     win.Width,
		Height:    win.Height,
		MinWidth:  winstate.Min.Width,
		MinHeight: winstate.Min.Height,
		AssetServer: &assetserver.Options{
			Assets:  o.Assets,
			Handler: openLinkHandler(openOutside),
		},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		OnStartup: func(ctx context.Context) {
			for _, b := range bound {
				if s, ok := b.(starter); ok {
					s.Startup(ctx)
				}
			}
			for _, p := range windowParts {
				if p.startup != nil {
					p.startup(ctx)
				}
			}
		},
		OnDomReady: func(ctx context.Context) {
			restoreWindow(ctx, win, winFile)
			for _, p := range windowParts {
				if p.domReady != nil {
					p.domReady(ctx)
				}
			}
		},
		OnShutdown: func(ctx context.Context) {
			for i := len(bound) - 1; i >= 0; i-- {
				if s, ok := bound[i].(stopper); ok {
					s.Shutdown()
				}
			}
		},
		OnBeforeClose: func(ctx context.Context) bool {
			saveWindow(ctx, winFile)
			return false
		},
		Bind: bound,
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "org.deskport.Deskport",
			OnSecondInstanceLaunch: shell.SecondInstance,
		},
		// GPU policy Never (Wails' own default): with OnDemand, WebKit composites
		// through OpenGL (Mesa's software renderer where there is no GPU) and its
		// web process holds ~70 MiB more (bench/window/RESULTS.md).
		Linux:   &linux.Options{ProgramName: "deskport", Icon: o.Icon, WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		Windows: &windows.Options{},
	}
	for _, p := range windowParts {
		if p.options != nil {
			p.options(ao)
		}
	}
	return wails.Run(ao)
}

var restoreOnce sync.Once

// restoreWindow puts the window where it was, once (DOM-ready fires again on
// every page load).
func restoreWindow(ctx context.Context, s winstate.State, file string) {
	restoreOnce.Do(func() {
		go watchWindow(ctx, file)
		var screens []winstate.Screen
		if all, err := wruntime.ScreenGetAll(ctx); err == nil {
			for _, sc := range all {
				screens = append(screens, winstate.Screen{Width: sc.Size.Width, Height: sc.Size.Height})
			}
		}
		s = winstate.Fit(s, screens)
		if s.Maximised {
			wruntime.WindowMaximise(ctx)
			return
		}
		if s.X != 0 || s.Y != 0 {
			wruntime.WindowSetPosition(ctx, s.X, s.Y)
		}
	})
}

// watchWindow saves the window's geometry when it changes, so that it
// survives a crash or a session logout as well as a normal close.
func watchWindow(ctx context.Context, file string) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	last := winstate.Load(file)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s := currentWindow(ctx, last); s != last {
				if winstate.Save(file, s) == nil {
					last = s
				}
			}
		}
	}
}

func saveWindow(ctx context.Context, file string) {
	if err := winstate.Save(file, currentWindow(ctx, winstate.Load(file))); err != nil {
		slog.Warn("window state not saved", "err", err)
	}
}

// currentWindow reads the geometry; while maximised it keeps the last
// normal geometry so that un-maximising after a restart looks right.
func currentWindow(ctx context.Context, last winstate.State) winstate.State {
	s := winstate.State{Maximised: wruntime.WindowIsMaximised(ctx)}
	if s.Maximised {
		s.X, s.Y, s.Width, s.Height = last.X, last.Y, last.Width, last.Height
	} else {
		s.X, s.Y = wruntime.WindowGetPosition(ctx)
		s.Width, s.Height = wruntime.WindowGetSize(ctx)
	}
	return s
}
