package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Signing out in the app ends the suite's web session in the window.
// Linux (websession_linux.go) clears WebKit's website data at once. WebView2
// under Wails v2 gives Go no handle on its profile, and its user data folder
// is locked while the window runs, so on Windows sign-out leaves a marker and
// the next start deletes the folder before wails.Run creates the web view.
// The marker logic is plain Go so it is tested on Linux too.

// webSessionResetMarker is the file that asks the next start to delete the
// WebView2 user data folder.
const webSessionResetMarker = "web-session-reset"

func webSessionMarkerPath(data string) string { return filepath.Join(data, webSessionResetMarker) }

// markWebSessionReset asks the next start to delete the web session.
func markWebSessionReset(data string) error {
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	return os.WriteFile(webSessionMarkerPath(data), []byte("delete the WebView2 user data folder at the next start\n"), 0o600)
}

// applyWebSessionReset runs before the window starts: if a sign-out left the
// marker, the web view's user data folder (dir) is deleted, then the marker.
// The marker stays when the folder could not be deleted (another Deskport
// window still holds it), so the next start tries again. It reports whether
// the session was deleted.
func applyWebSessionReset(data, dir string) (bool, error) {
	marker := webSessionMarkerPath(data)
	if _, err := os.Stat(marker); errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return false, fmt.Errorf("could not delete the web session in %s: %w", dir, err)
	}
	if err := os.Remove(marker); err != nil && !errors.Is(err, os.ErrNotExist) {
		return true, err
	}
	return true, nil
}
