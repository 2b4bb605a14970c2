package workspace

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
)

// The mail cache opens with the offline policy from the settings; a broken
// settings file leaves the defaults and is logged, mail still opens.
func TestMailPolicyFromSettings(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(config.DefaultsEnv, filepath.Join(dir, "defaults.json"))
	paths := config.Paths{Config: filepath.Join(dir, "config"), Data: filepath.Join(dir, "data")}
	file := filepath.Join(paths.Config, "settings.json")
	os.MkdirAll(paths.Config, 0o700)
	var logged bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))

	os.WriteFile(file, []byte(`{"mailBodyDays": 365, "mailAttachmentMaxKB": 2048}`), 0o600)
	if p := MailPolicyOrDefaults(paths); p.BodyDays != 365 || p.MaxAttachmentBytes != 2<<20 {
		t.Fatalf("policy from the settings: %+v", p)
	}
	os.WriteFile(file, []byte(`{"mailBodyDays": "viele"}`), 0o600)
	if p := MailPolicyOrDefaults(paths); p != (mailcache.Policy{}) {
		t.Fatalf("broken settings: %+v, want the defaults", p)
	}
	if !strings.Contains(logged.String(), "settings not loaded") || !strings.Contains(logged.String(), "mailBodyDays") {
		t.Fatalf("the broken settings were not logged: %q", logged.String())
	}
}
