package testpeer

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

const privateKeyringEnv = "DESKPORT_PRIVATE_KEYRING_TEST"

// InPrivateKeyring runs the calling test again in a child process with a
// D-Bus session and an unlocked gnome-keyring of its own (fresh XDG dirs, no
// display, so no unlock prompt can appear), for tests that lock the keyring
// and must not disturb others sharing the test command's keyring. It
// returns true in the child, where the test goes on; in the parent it
// waits for the child to pass and returns false.
func InPrivateKeyring(t *testing.T) bool {
	t.Helper()
	if os.Getenv(privateKeyringEnv) == t.Name() {
		return true
	}
	Need(t, "apt-get install dbus gnome-keyring", "dbus-run-session", "gnome-keyring-daemon")
	script := `set -e
export XDG_DATA_HOME="$D/data" XDG_RUNTIME_DIR="$D/run"; mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"
set +e
"$TESTBIN" -test.run "$TESTRUN" -test.v; rc=$?
[ -z "${GNOME_KEYRING_PID:-}" ] || kill "$GNOME_KEYRING_PID"
exit $rc`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script)
	cmd.Env = append(os.Environ(), privateKeyringEnv+"="+t.Name(), "D="+t.TempDir(), "TESTBIN="+os.Args[0],
		"TESTRUN=^"+regexp.QuoteMeta(t.Name())+"$", "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("%s in a private keyring failed: %v\n%s", t.Name(), err, out)
	}
	t.Logf("%s passed in a private keyring", t.Name())
	return false
}

// LockKeyring locks the login collection over D-Bus, as a screen lock would.
func LockKeyring(t testing.TB) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var done []dbus.ObjectPath
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).Store(&done, new(dbus.ObjectPath))
	if err != nil {
		t.Fatalf("locking the keyring: %v", err)
	}
}
