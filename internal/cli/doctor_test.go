package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/logging"
	"github.com/deskport/deskport/internal/testpeer"
)

func doctorRun(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Run(context.Background(), testEnv(strings.NewReader(""), &out, &out), args)
	return code, out.String()
}

func doctorHome(t *testing.T, settings string) string {
	home := t.TempDir()
	t.Setenv("DESKPORT_HOME", home)
	t.Setenv("DESKPORT_DEFAULTS", filepath.Join(home, "no-defaults.json"))
	if settings != "" {
		os.MkdirAll(filepath.Join(home, "config"), 0o700)
		os.WriteFile(filepath.Join(home, "config", "settings.json"), []byte(settings), 0o600)
	}
	return home
}

func TestDoctorWithoutKeyringSaysWhatToInstall(t *testing.T) {
	doctorHome(t, "")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	code, out := doctorRun(t, "doctor")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	if !strings.Contains(out, "FAIL  keyring") || !strings.Contains(out, "fix: install gnome-keyring") {
		t.Fatalf("no keyring failure with a fix:\n%s", out)
	}
	if !strings.Contains(out, "no suite configured") || !strings.Contains(out, "deskport login --domain") {
		t.Fatalf("missing suite hint:\n%s", out)
	}
}

func TestDoctorWithKeyringAndSuite(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		testpeer.Missing(t, "a D-Bus session with gnome-keyring", "run through scripts/with-keyring.sh")
	}
	nc := testpeer.StartNCServer(t)
	home := doctorHome(t, `{"domain": "deskport.test", "hosts": {"files": "`+nc.URL+`"}}`)
	code, out := doctorRun(t, "doctor", "--bundle", filepath.Join(home, "diag.zip"))
	if !strings.Contains(out, "ok    keyring          reachable and unlocked") {
		t.Fatalf("keyring not ok:\n%s", out)
	}
	if !strings.Contains(out, "ok    suite files") || !strings.Contains(out, nc.URL) {
		t.Fatalf("files service not found:\n%s", out)
	}
	// Other hosts of deskport.test do not exist: warnings with a reason, not failures.
	if !strings.Contains(out, "warn  suite portal") {
		t.Fatalf("unreachable portal not a warning:\n%s", out)
	}
	if code != 0 || strings.Contains(out, "FAIL") {
		t.Fatalf("doctor failed on a machine set up by the test command (exit %d):\n%s", code, out)
	}
}

func TestDoctorBundleHoldsReportAndLogsButNoSecret(t *testing.T) {
	home := doctorHome(t, `{"bandwidthKBps": 100}`)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	const secret = "app-pw-Zq8vK2mN"
	os.MkdirAll(filepath.Join(home, "logs"), 0o700)
	// A log written before the secret was known to be one, then registered:
	// the bundle scrubs it again.
	os.WriteFile(filepath.Join(home, "logs", logging.FileName), []byte(`{"msg":"oops `+secret+`"}`+"\n"), 0o600)
	logging.Secret(secret)
	zipPath := filepath.Join(home, "diag.zip")
	doctorRun(t, "doctor", "--bundle", zipPath)
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		names[f.Name] = string(data)
		if strings.Contains(string(data), secret) {
			t.Fatalf("%s in the bundle holds the secret", f.Name)
		}
	}
	if !strings.Contains(names["doctor.txt"], "keyring") || !strings.Contains(names["settings.json"], "bandwidthKBps") || names["logs/deskport.log"] == "" {
		t.Fatalf("bundle incomplete: %v", names)
	}
}
