package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWindowGuardState(t *testing.T) {
	dir := t.TempDir()
	if d, err := WindowGuardState(dir); err != nil || !strings.Contains(d, "not recorded yet") {
		t.Errorf("no record: %q, %v", d, err)
	}
	at := time.Date(2026, 12, 7, 1, 2, 0, 0, time.UTC)
	if err := WriteWindowGuard(dir, WindowGuard{Installed: true, At: at, Version: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	if d, err := WindowGuardState(dir); err != nil || !strings.Contains(d, "installed") || !strings.Contains(d, "1.2.3") {
		t.Errorf("installed: %q, %v", d, err)
	}
	reason := `Wails frontend *windows.Frontend has no field "chromium"`
	if err := WriteWindowGuard(dir, WindowGuard{Installed: false, Error: reason, At: at, Version: "1.2.4"}); err != nil {
		t.Fatal(err)
	}
	d, err := WindowGuardState(dir)
	if err == nil || !strings.Contains(err.Error(), reason) || !strings.Contains(err.Error(), "shows no suite pages") || d != "" {
		t.Errorf("not installed must fail with the reason: %q, %v", d, err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if err := os.WriteFile(filepath.Join(dir, WindowGuardFile), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := WindowGuardState(dir); err == nil {
		t.Error("a damaged record passed")
	}
}
