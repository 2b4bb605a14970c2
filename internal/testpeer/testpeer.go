// Package testpeer starts real servers (Dovecot, Apache mod_dav, a
// Nextcloud-compatible SabreDAV server, an SMTP sink) on loopback for tests,
// each from a script in scripts/peers/, in a temp dir, stopped at cleanup.
//
// When a peer's program is missing the test is skipped, unless
// DESKPORT_REQUIRE_PEERS=1 (set by the test command), where it fails: CI must
// never pass by skipping the real thing.
package testpeer

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Missing reports a missing peer program: skip locally, fail under the test command.
func Missing(t testing.TB, what, install string) {
	t.Helper()
	msg := fmt.Sprintf("%s is not installed (install with: %s, or run make test)", what, install)
	if os.Getenv("DESKPORT_REQUIRE_PEERS") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Need checks that each program is on PATH (or an absolute path exists).
func Need(t testing.TB, install string, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			Missing(t, p, install)
		}
	}
}

// RepoRoot is the repository's top folder, found from this source file.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Script is the path of a peer script in scripts/peers/.
func Script(name string) string {
	return filepath.Join(RepoRoot(), "scripts", "peers", name)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// WaitPort waits until addr accepts TCP connections.
func WaitPort(t testing.TB, addr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("peer at %s did not come up within %s: %v", addr, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Run runs a peer script and fails the test with its output on error.
func Run(t testing.TB, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command(Script(script), args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", script, strings.Join(args, " "), err, out)
	}
	return string(out)
}
