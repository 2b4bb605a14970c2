package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/testpeer"
)

// TestLoginWithLockedKeyring: `deskport login` against a real gnome-keyring
// that is locked (as by a screen lock, with no prompter to unlock it) fails
// with the keyring's advice and saves no account. It runs in a private
// D-Bus session and keyring so that locking disturbs no other test.
func TestLoginWithLockedKeyring(t *testing.T) {
	if os.Getenv("DESKPORT_LOGIN_LOCKED_CHILD") == "1" {
		lockedLoginChild(t)
		return
	}
	for _, p := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(p); err != nil {
			testpeer.Missing(t, p, "apt-get install dbus gnome-keyring")
		}
	}
	dir := t.TempDir()
	script := `set -e
export XDG_DATA_HOME="$D/data" XDG_RUNTIME_DIR="$D/run"; mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"
set +e
"$TESTBIN" -test.run '^TestLoginWithLockedKeyring$' -test.v; rc=$?
[ -z "${GNOME_KEYRING_PID:-}" ] || kill "$GNOME_KEYRING_PID"
exit $rc`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "DESKPORT_LOGIN_LOCKED_CHILD=1", "D="+dir, "TESTBIN="+os.Args[0])
	cmd.Env = append(cmd.Env, "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestLoginWithLockedKeyring") {
		t.Fatalf("locked-keyring child failed: %v\n%s", err, out)
	}
	if i := strings.Index(string(out), "deskport login said:"); i >= 0 {
		t.Log(strings.SplitN(string(out)[i:], "\n", 2)[0])
	}
}

func lockedLoginChild(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	paths, _ := accountsCLIHome(t) // the real keyring: DBUS_SESSION_BUS_ADDRESS is set here
	old := accountsSecrets
	accountsSecrets = func() secrets.Store { return secrets.NewKeyring().WithTimeout(15e9) }
	t.Cleanup(func() { accountsSecrets = old })
	if err := secrets.NewKeyring().Set("probe/before-lock", "x"); err != nil {
		t.Fatal(err)
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var done []dbus.ObjectPath
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).Store(&done, new(dbus.ObjectPath))
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	code, out := runCmd(t, nc.Pass+"\n", nil, "login", "--domain", "example.org", "--files-url", nc.URL, "--user", nc.User, "--password-stdin")
	if code != 1 || !strings.Contains(out, "could not save the password in the keyring") || !strings.Contains(out, "unlock") {
		t.Fatalf("login with a locked keyring: exit %d\n%s", code, out)
	}
	t.Logf("deskport login said: %s", out)
	data, _ := os.ReadFile(filepath.Join(paths.Config, "accounts.json"))
	if b, err := accounts.LoadBook(paths); err != nil || b.Files != nil || strings.Contains(string(data), nc.Pass) {
		t.Errorf("an account was saved without its secret (%v):\n%s", err, data)
	}
	// The app password the server issued for this failed sign-in was revoked again.
	if lines := nc.Requests(); !strings.Contains(strings.Join(lines, "\n"), "DELETE 200 /ocs/v2.php/core/apppassword") {
		t.Errorf("the unused app password was not revoked: %v", lines)
	}
}
