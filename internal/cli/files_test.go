package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

func filesCLI(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Run(context.Background(), testEnv(strings.NewReader(stdin), &out, &out), append([]string{"files"}, args...))
	return code, out.String()
}

func TestFilesCLI(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	dir, state := t.TempDir(), t.TempDir()
	for i := 0; i < 30; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)), []byte(fmt.Sprint(i)), 0o644)
	}
	base := []string{"sync", "--once", "--local", dir, "--url", nc.FilesURL, "--user", nc.User, "--state", state, "--password-stdin"}
	code, out := filesCLI(t, nc.Pass+"\n", base...)
	if code != 0 || !strings.Contains(out, "30 uploaded") {
		t.Fatalf("sync: %d %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(nc.Root, "f29.txt")); err != nil {
		t.Fatal(err)
	}
	code, out = filesCLI(t, "", "status", "--state", state)
	if code != 0 || !strings.Contains(out, "30 files") {
		t.Fatalf("status: %d %s", code, out)
	}
	// the guard: every file deleted locally
	for i := 0; i < 30; i++ {
		os.Remove(filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)))
	}
	code, out = filesCLI(t, nc.Pass+"\n", base...)
	if code == 0 || !strings.Contains(out, "--confirm-deletes") {
		t.Fatalf("guard: %d %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(nc.Root, "f29.txt")); err != nil {
		t.Fatal("guard let the server file go")
	}
	code, out = filesCLI(t, nc.Pass+"\n", append(base, "--confirm-deletes")...)
	if code != 0 {
		t.Fatalf("confirmed: %d %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(nc.Root, "f29.txt")); err == nil {
		t.Fatal("confirmed deletes not done")
	}
	// wrong password: a clear error
	code, out = filesCLI(t, "wrong\n", base...)
	if code == 0 || !strings.Contains(strings.ToLower(out), "password") && !strings.Contains(out, "credentials") {
		t.Fatalf("bad password: %d %s", code, out)
	}
	// a wrong server folder
	code, out = filesCLI(t, nc.Pass+"\n", "sync", "--once", "--local", t.TempDir(), "--url", nc.FilesURL+"nope", "--user", nc.User, "--state", t.TempDir(), "--password-stdin")
	if code == 0 || !strings.Contains(out, "check the files URL") {
		t.Fatalf("wrong URL: %d %s", code, out)
	}
	// no account signed in and no server given: says how to fix it
	t.Setenv("DESKPORT_HOME", t.TempDir())
	if code, out = filesCLI(t, "", "sync", "--once"); code == 0 || !strings.Contains(out, "--url") {
		t.Fatalf("no account: %d %s", code, out)
	}
	// usage errors
	if code, out = filesCLI(t, "", "sync", "--once", "--user", "u"); code != 2 || !strings.Contains(out, "--local") {
		t.Fatalf("usage: %d %s", code, out)
	}
	if code, out = filesCLI(t, "x\n", "sync", "--once", "--local", filepath.Join(dir, "missing"), "--url", nc.FilesURL, "--user", "u", "--password-stdin"); code == 0 || !strings.Contains(out, "does not exist") {
		t.Fatalf("missing folder: %d %s", code, out)
	}
}

// After deskport login, files sync needs no server arguments: the signed-in
// account (password from the keyring) syncs into DESKPORT_HOME/Files.
func TestFilesSyncUsesTheSignedInAccount(t *testing.T) {
	ncPass := accountsRandomPassword(t)
	nc := testpeer.StartNCServer(t, testpeer.NCUser("alice", ncPass))
	accountsCLIHome(t)
	if code, out := runCmd(t, ncPass+"\n", nil, "login", "--files-url", nc.URL, "--user", "alice", "--password-stdin"); code != 0 {
		t.Fatalf("login: %d %s", code, out)
	}
	os.WriteFile(filepath.Join(nc.Root, "from-server.txt"), []byte("hello"), 0o644)
	code, out := filesCLI(t, "", "sync", "--once")
	if code != 0 {
		t.Fatalf("sync: %d %s", code, out)
	}
	b, err := os.ReadFile(filepath.Join(os.Getenv("DESKPORT_HOME"), "Files", "from-server.txt"))
	if err != nil || string(b) != "hello" {
		t.Fatalf("not synced into the default folder: %v %q", err, b)
	}
}
