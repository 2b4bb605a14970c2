package app

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
// It reports whether the session was deleted.
//
// The option hooks also run in a second start that only hands its link to
// the running window and exits (the single-instance check comes later, in
// wails.Run), so the folder may be in use by a window. It is first renamed
// aside, all at once: Windows refuses to rename a folder while a file in it
// is open, and then nothing in it is touched (deleting it file by file
// would remove whatever that window has not locked) and the marker stays
// for the next start. What an interrupted deletion left aside goes at the
// next start.
func applyWebSessionReset(data, dir string) (bool, error) {
	aside := dir + ".signed-out"
	os.RemoveAll(aside) // left by an interrupted reset; tried again next time
	marker := webSessionMarkerPath(data)
	if _, err := os.Stat(marker); errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := renameDir(dir, aside); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("could not delete the web session in %s (is another Deskport window open?): %w", dir, err)
	}
	// The web view starts with an empty folder now: the session is gone.
	if err := os.Remove(marker); err != nil && !errors.Is(err, os.ErrNotExist) {
		return true, err
	}
	if err := os.RemoveAll(aside); err != nil {
		return true, fmt.Errorf("the old web session in %s is deleted at the next start: %w", aside, err)
	}
	return true, nil
}

// renameDir is os.Rename; tests make it fail as Windows does for a folder in use.
var renameDir = os.Rename
