package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// WebView2Installed reads the registry's "pv" value: empty or 0.0.0.0 means
// an uninstalled runtime whose key was left behind.
func WebView2Installed(pv string) (bool, string) {
	pv = strings.TrimSpace(pv)
	if pv == "" || pv == "0.0.0.0" {
		return false, ""
	}
	return true, pv
}

// WindowGuardFile (in the data folder) is where the Windows window records,
// at each start, whether its WebView2 hooks (internal/webview2hooks) were
// installed. Without them the window shows no suite page, and doctor says
// why.
const WindowGuardFile = "window-guard.json"

// WindowGuard is the record of one start.
type WindowGuard struct {
	Installed bool      `json:"installed"`
	Error     string    `json:"error,omitempty"`
	At        time.Time `json:"at"`
	Version   string    `json:"version"`
}

// WriteWindowGuard replaces the record (write to a temporary file, rename).
func WriteWindowGuard(dataDir string, g WindowGuard) error {
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dataDir, ".window-guard-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dataDir, WindowGuardFile))
}

// WindowGuardState reads the last start's record: a detail for the report,
// or an error when the hooks were not installed (the window then refuses
// every suite page).
func WindowGuardState(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, WindowGuardFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "window protections not recorded yet (open Deskport once)", nil
	}
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", WindowGuardFile, err)
	}
	var g WindowGuard
	if err := json.Unmarshal(b, &g); err != nil {
		return "", fmt.Errorf("%s is damaged: %v (open Deskport again to rewrite it)", WindowGuardFile, err)
	}
	when := g.At.Local().Format("2006-01-02 15:04")
	if !g.Installed {
		reason := g.Error
		if reason == "" {
			reason = "no reason recorded"
		}
		return "", fmt.Errorf("Deskport %s could not install its window protections at its last start (%s): %s; the window shows no suite pages until this is fixed (update Deskport and the WebView2 Runtime, or give this line to your IT)", g.Version, when, reason)
	}
	return fmt.Sprintf("window protections installed at the last start (%s, Deskport %s)", when, g.Version), nil
}
