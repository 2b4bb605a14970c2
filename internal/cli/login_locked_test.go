package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/testpeer"
)

// TestLoginWithLockedKeyring: `deskport login` against a real gnome-keyring
// that is locked (as by a screen lock, with no prompter to unlock it) fails
// with the keyring's advice and saves no account. It runs in a private
// D-Bus session and keyring so that locking disturbs no other test.
func TestLoginWithLockedKeyring(t *testing.T) {
	if !testpeer.InPrivateKeyring(t) {
		return
	}
	nc := testpeer.StartNCServer(t)
	paths, _ := accountsCLIHome(t) // the real keyring: DBUS_SESSION_BUS_ADDRESS is set here
	useTestSecrets(t, (func() secrets.Store { return secrets.NewKeyring().WithTimeout(15e9) })())
	if err := secrets.NewKeyring().Set("probe/before-lock", "x"); err != nil {
		t.Fatal(err)
	}
	testpeer.LockKeyring(t)
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
