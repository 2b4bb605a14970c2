package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

// make run opens the demo only for someone with nothing set up: an account,
// a connected suite or an administrator's pre-set domain means their own
// Deskport opens instead.
func TestDemoUnlessConfigured(t *testing.T) {
	home := t.TempDir()
	t.Setenv("DESKPORT_HOME", home)
	t.Setenv("DESKPORT_DEFAULTS", filepath.Join(home, "no-defaults.json"))
	if c, err := Configured(); err != nil || c {
		t.Fatalf("a fresh home counts as configured: %v %v", c, err)
	}
	os.MkdirAll(filepath.Join(home, "config"), 0o700)
	os.WriteFile(filepath.Join(home, "config", "settings.json"), []byte(`{"domain":"example.org"}`), 0o600)
	defaults := filepath.Join(home, "defaults.json")
	os.WriteFile(defaults, []byte(`{"domain":"example.org"}`), 0o600)
	t.Setenv("DESKPORT_DEFAULTS", defaults)
	if c, _ := Configured(); !c {
		t.Error("an administrator's pre-set domain does not count as configured")
	}
	t.Setenv("DESKPORT_DEFAULTS", filepath.Join(home, "no-defaults.json"))
	os.WriteFile(filepath.Join(home, "config", "accounts.json"), []byte(`{"version":1,"suite":{"domain":"example.org"}}`), 0o600)
	if c, _ := Configured(); !c {
		t.Error("a connected suite does not count as configured")
	}
}
