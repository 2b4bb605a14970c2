//go:build unix

package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
	"github.com/deskport/deskport/internal/webdav"
)

// buildCLI builds the deskport binary (headless: no desktop tags needed).
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "deskport")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/deskport/deskport").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A `deskport files sync --once` with one download that stalls (given up
// after --stall-timeout) and one that trickles on, stopped by Ctrl+C or
// SIGTERM: it stops at once and still prints the per-file error list, and
// nothing partial is left at a file's name.
func TestFilesSyncInterruptedStillListsErrors(t *testing.T) {
	bin := buildCLI(t)
	nc := testpeer.StartNCServer(t)
	s := testpeer.StartStallServer(t, nc.FilesURL)
	up, err := webdav.New(webdav.Options{FilesURL: nc.FilesURL, User: nc.User, Password: nc.Pass})
	if err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 1<<20)
	rand.Read(body)
	for _, name := range []string{"stall-down.bin", "trickle.bin"} {
		if _, err := up.Put(context.Background(), name, bytes.NewReader(body), int64(len(body)), webdav.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	listed := regexp.MustCompile(`(?m)^  stall-down\.bin: .*stalled`)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, "files", "sync", "--once", "--local", dir, "--url", s.Through(nc.FilesURL), "--user", nc.User,
				"--state", t.TempDir(), "--stall-timeout", "2")
			cmd.Env = append(os.Environ(), "DESKPORT_PASSWORD="+nc.Pass, "DESKPORT_HOME="+t.TempDir())
			var out lockedBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// the stalled file is given up while the other still trickles in
			deadline := time.Now().Add(60 * time.Second)
			for !strings.Contains(out.String(), "download stall-down.bin:") {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("the stalled download was never given up:\n%s", out.String())
				}
				time.Sleep(100 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond)
			cmd.Process.Signal(sig)
			stopped := time.Now()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 20 s after %s:\n%s", sig, out.String())
			}
			t.Logf("stopped %s after %s:\n%s", time.Since(stopped).Round(time.Millisecond), sig, out.String())
			if err == nil {
				t.Error("an interrupted sync exited 0")
			}
			if !listed.MatchString(out.String()) {
				t.Errorf("the per-file error list (stall-down.bin) was not printed after %s", sig)
			}
			if !strings.Contains(out.String(), "interrupted") {
				t.Errorf("the output does not say the sync was interrupted")
			}
			for _, name := range []string{"stall-down.bin", "trickle.bin"} {
				if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
					t.Errorf("a partial %s sits at its final name", name)
				}
			}
		})
	}
}
