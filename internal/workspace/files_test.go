package workspace

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/config"
)

func TestFilesDAVURL(t *testing.T) {
	if u := FilesDAVURL("https://cloud.example.org/", "a b"); u != "https://cloud.example.org/remote.php/dav/files/a%20b/" {
		t.Error(u)
	}
}

// The administrator's or user's filesPollSeconds reaches both faces' sync loop.
func TestFilesPollFromSettings(t *testing.T) {
	home := t.TempDir()
	t.Setenv("DESKPORT_HOME", home)
	t.Setenv(config.DefaultsEnv, filepath.Join(home, "no-defaults.json"))
	if d := FilesPoll(); d != 0 {
		t.Fatalf("unset: %v, want 0 (the engine's default)", d)
	}
	os.MkdirAll(filepath.Join(home, "config"), 0o700)
	os.WriteFile(filepath.Join(home, "config", "settings.json"), []byte(`{"filesPollSeconds": 300}`), 0o600)
	if d := FilesPoll(); d != 5*time.Minute {
		t.Fatalf("filesPollSeconds 300: %v, want 5m", d)
	}
}
