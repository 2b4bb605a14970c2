package filesync_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/memremote"
)

// A real full disk: a 2 MB tmpfs (needs root; skipped otherwise).
func TestRealFullDiskStopsCleanly(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	rem := memremote.New(true)
	rem.Write("small.txt", "fits")
	rem.Write("big.bin", strings.Repeat("x", 3<<20))
	ctx := context.Background()
	j, err := filesync.OpenJournal(ctx, filepath.Join(t.TempDir(), "j.db"), dir, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: rem, Journal: j, Parallel: 1})
	_, err = e.Sync(ctx)
	if !errors.Is(err, filesync.ErrDiskFull) || !strings.Contains(err.Error(), "free some space") {
		t.Fatalf("want a clean disk-full stop, got %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), ".deskport-tmp-") {
			t.Fatalf("temp file left on the full disk: %s", en.Name())
		}
	}
	if len(rem.Files()) != 2 {
		t.Fatal("server files touched")
	}
}
