package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The Windows sign-out path: the marker asks the next start to delete the
// WebView2 folder; without a marker nothing is touched.
func TestWebSessionResetMarker(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	dir := webviewUserDataPath(data)
	cookie := filepath.Join(dir, "EBWebView", "Default", "Network", "Cookies")
	if err := os.MkdirAll(filepath.Dir(cookie), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cookie, []byte("session"), 0o600)

	if done, err := applyWebSessionReset(data, dir); done || err != nil {
		t.Fatalf("no marker: deleted=%v err=%v", done, err)
	}
	if _, err := os.Stat(cookie); err != nil {
		t.Fatalf("session deleted without a sign-out: %v", err)
	}
	if err := markWebSessionReset(data); err != nil {
		t.Fatal(err)
	}
	if done, err := applyWebSessionReset(data, dir); !done || err != nil {
		t.Fatalf("with marker: deleted=%v err=%v", done, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("WebView2 folder still there: %v", err)
	}
	if _, err := os.Stat(webSessionMarkerPath(data)); !os.IsNotExist(err) {
		t.Errorf("marker left behind: %v", err)
	}
	// The start after that keeps the new session.
	os.MkdirAll(dir, 0o700)
	if done, _ := applyWebSessionReset(data, dir); done {
		t.Error("second start deleted the session again")
	}
	// A marker on a fresh install (no folder yet) is consumed quietly.
	os.RemoveAll(dir)
	markWebSessionReset(data)
	if done, err := applyWebSessionReset(data, dir); !done || err != nil {
		t.Errorf("marker without folder: %v %v", done, err)
	}
}

// A second start while a window still uses the folder (Windows refuses to
// rename it then): nothing in the folder is deleted, the marker stays, and
// the next start deletes it. A folder left aside by an interrupted reset is
// removed at the next start.
func TestWebSessionResetFolderInUse(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	dir := webviewUserDataPath(data)
	cookie := filepath.Join(dir, "EBWebView", "Default", "Network", "Cookies")
	unlocked := filepath.Join(dir, "EBWebView", "Default", "Preferences")
	os.MkdirAll(filepath.Dir(cookie), 0o700)
	os.WriteFile(cookie, []byte("session"), 0o600)
	os.WriteFile(unlocked, []byte("{}"), 0o600)
	markWebSessionReset(data)

	renameDir = func(string, string) error { return &os.LinkError{Op: "rename", Err: errors.New("in use")} }
	t.Cleanup(func() { renameDir = os.Rename })
	if done, err := applyWebSessionReset(data, dir); done || err == nil {
		t.Fatalf("folder in use: deleted=%v err=%v", done, err)
	}
	for _, f := range []string{cookie, unlocked} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("a file of the running window's folder was touched: %v", err)
		}
	}
	if _, err := os.Stat(webSessionMarkerPath(data)); err != nil {
		t.Fatalf("the marker must stay for the next start: %v", err)
	}

	renameDir = os.Rename
	os.MkdirAll(dir+".signed-out/old", 0o700) // an earlier interrupted reset
	if done, err := applyWebSessionReset(data, dir); !done || err != nil {
		t.Fatalf("next start: deleted=%v err=%v", done, err)
	}
	for _, f := range []string{dir, dir + ".signed-out", webSessionMarkerPath(data)} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s still there: %v", f, err)
		}
	}
}
