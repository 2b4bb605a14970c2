// Package doctor checks what Deskport needs on this machine (web engine,
// keyring, folders, the suite) and writes a diagnostics bundle a helpdesk can
// read. Every failed check says how to fix it.
package doctor

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/logging"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/suite"
)

// Level of a result.
type Level string

const (
	OK   Level = "ok"
	Warn Level = "warn"
	Fail Level = "FAIL"
)

// Result is one line of the report.
type Result struct {
	Check  string `json:"check"`
	Level  Level  `json:"level"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Env is what the checks look at; tests replace parts of it.
type Env struct {
	Paths    config.Paths
	Keyring  secrets.Store
	Client   *http.Client
	GOOS     string
	FindLibs func() (string, error) // the web engine: version or location
}

// Run performs every check. Offline suites are a warning, not a failure:
// Deskport works offline.
func Run(ctx context.Context, e Env) []Result {
	var out []Result
	add := func(r Result) { out = append(out, r) }

	add(Result{Check: "deskport", Level: OK, Detail: fmt.Sprintf("%s/%s, %s", e.GOOS, runtime.GOARCH, runtime.Version())})

	if v, err := e.FindLibs(); err != nil {
		add(Result{Check: "web engine", Level: Fail, Detail: err.Error(), Fix: webEngineFix(e.GOOS)})
	} else {
		add(Result{Check: "web engine", Level: OK, Detail: v})
	}

	add(checkKeyring(e.Keyring))

	for _, d := range []struct{ name, dir string }{{"config folder", e.Paths.Config}, {"data folder", e.Paths.Data}, {"cache folder", e.Paths.Cache}, {"logs folder", e.Paths.Logs}} {
		add(checkWritable(d.name, d.dir))
	}

	cfg, err := config.Load(e.Paths)
	if err != nil {
		add(Result{Check: "settings", Level: Fail, Detail: err.Error(), Fix: "correct the file named above; Deskport does not overwrite it"})
		return out
	}
	src := "not set"
	if cfg.Effective.Domain != "" {
		src = cfg.Effective.Domain
		if cfg.IsLocked("domain") {
			src += " (locked by your administrator)"
		}
	}
	add(Result{Check: "settings", Level: OK, Detail: fmt.Sprintf("%s; admin defaults %s; suite domain %s", cfg.UserFile, existsWord(cfg.DefaultsFile), src)})

	if cfg.Effective.Domain == "" {
		add(Result{Check: "suite", Level: Warn, Detail: "no suite configured", Fix: "run 'deskport login --domain YOUR-DOMAIN' or open Deskport and enter it"})
		return out
	}
	p, err := suite.FromSettings(cfg.Effective.Domain, cfg.Effective.Hosts)
	if err != nil {
		add(Result{Check: "suite", Level: Fail, Detail: err.Error(), Fix: "correct the domain or host overrides in the settings"})
		return out
	}
	rep := suite.Discover(ctx, e.Client, p)
	for _, c := range rep.Checks {
		lvl := OK
		if !c.OK() {
			lvl = Warn
		}
		detail := c.URL + ": " + string(c.Status)
		if c.Detail != "" {
			detail += " (" + c.Detail + ")"
		}
		r := Result{Check: "suite " + string(c.App), Level: lvl, Detail: detail}
		if lvl != OK {
			r.Fix = c.Reason
		}
		add(r)
	}
	return out
}

func existsWord(path string) string {
	if _, err := os.Stat(path); err == nil {
		return path
	}
	return path + " (none)"
}

func checkKeyring(k secrets.Store) Result {
	_, err := k.Get("deskport/doctor-probe")
	switch {
	case err == nil || errors.Is(err, secrets.ErrNotFound):
		return Result{Check: "keyring", Level: OK, Detail: "reachable and unlocked"}
	case errors.Is(err, secrets.ErrLocked):
		return Result{Check: "keyring", Level: Fail, Detail: err.Error(), Fix: "unlock your keyring (GNOME: Passwords and Keys; Windows: sign in again)"}
	case errors.Is(err, secrets.ErrNoService):
		return Result{Check: "keyring", Level: Fail, Detail: err.Error(), Fix: "install gnome-keyring (apt-get install gnome-keyring) or enable KeePassXC's Secret Service, then log in to the desktop again"}
	}
	return Result{Check: "keyring", Level: Fail, Detail: err.Error(), Fix: "check that your keyring works, e.g. with 'secret-tool search --all service Deskport'"}
}

func checkWritable(name, dir string) Result {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Result{Check: name, Level: Fail, Detail: err.Error(), Fix: "make " + dir + " writable for your user, or set DESKPORT_HOME"}
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return Result{Check: name, Level: Fail, Detail: err.Error(), Fix: "make " + dir + " writable for your user and free some disk space"}
	}
	f.Close()
	os.Remove(f.Name())
	detail := dir
	if free, ok := freeBytes(dir); ok {
		detail += fmt.Sprintf(" (%s free)", human(free))
		if free < 200<<20 {
			return Result{Check: name, Level: Warn, Detail: detail, Fix: "free disk space: sync and the mail cache stop cleanly when the disk is full"}
		}
	}
	return Result{Check: name, Level: OK, Detail: detail}
}

func human(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

func webEngineFix(goos string) string {
	if goos == "windows" {
		return "install the Microsoft Edge WebView2 Runtime (the Deskport installer does this), or ask your IT"
	}
	return "install WebKitGTK 4.1: apt-get install libwebkit2gtk-4.1-0"
}

// Failed reports whether any result failed.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Level == Fail {
			return true
		}
	}
	return false
}

// Print writes the report, one check a line, fixes indented below.
func Print(w io.Writer, rs []Result) {
	for _, r := range rs {
		fmt.Fprintf(w, "%-4s  %-16s %s\n", r.Level, r.Check, r.Detail)
		if r.Fix != "" {
			fmt.Fprintf(w, "      %-16s fix: %s\n", "", r.Fix)
		}
	}
}

// WriteBundle writes a zip a helpdesk can read: the report, the settings and
// admin defaults (they hold no secrets), and the logs (already redacted,
// scrubbed once more here).
func WriteBundle(path string, rs []Result, p config.Paths) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("doctor: cannot create %s: %w (choose another file name)", path, err)
	}
	zw := zip.NewWriter(f)
	add := func(name string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(logging.Scrub(string(data))))
		return err
	}
	var sb strings.Builder
	Print(&sb, rs)
	err = add("doctor.txt", []byte(sb.String()))
	for _, src := range []struct{ name, path string }{
		{"settings.json", filepath.Join(p.Config, "settings.json")},
		{"accounts.json", filepath.Join(p.Config, "accounts.json")},
		{"defaults.json", config.DefaultsPath()},
	} {
		if data, rerr := os.ReadFile(src.path); rerr == nil && err == nil {
			err = add(src.name, data)
		}
	}
	logs, _ := filepath.Glob(filepath.Join(p.Logs, logging.FileName+"*"))
	for _, l := range logs {
		if data, rerr := os.ReadFile(l); rerr == nil && err == nil {
			err = add("logs/"+filepath.Base(l), data)
		}
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("doctor: writing %s: %w", path, err)
	}
	return nil
}
