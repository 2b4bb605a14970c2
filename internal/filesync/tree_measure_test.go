package filesync_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/memremote"
)

// TestMeasureTree100k times the tree's queries at 100,000 synced files
// (DESKPORT_MEASURE=1; the figures are in the README).
func TestMeasureTree100k(t *testing.T) {
	if os.Getenv("DESKPORT_MEASURE") == "" {
		t.Skip("set DESKPORT_MEASURE=1 to measure")
	}
	dir := t.TempDir()
	for d := 0; d < 10; d++ {
		sub := filepath.Join(dir, fmt.Sprintf("folder-%d", d))
		os.MkdirAll(sub, 0o755)
		for i := 0; i < 10000; i++ {
			os.WriteFile(filepath.Join(sub, fmt.Sprintf("file-%05d.txt", i)), []byte("x"), 0o644)
		}
	}
	ctx := context.Background()
	j, err := filesync.OpenJournal(ctx, filepath.Join(t.TempDir(), "j.db"), dir, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: memremote.New(true), Journal: j, MaxDeletes: 1 << 30})
	t0 := time.Now()
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("first sync of 100,000 files: %v", time.Since(t0))
	for _, c := range []struct{ name, dir string }{{"top (10 folders)", ""}, {"a folder of 10,000 files", "folder-3"}} {
		t0 = time.Now()
		kids, err := e.Children(ctx, c.dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Children(%s): %d entries in %v", c.name, len(kids), time.Since(t0))
	}
	t0 = time.Now()
	found, err := e.Find(ctx, "file-0424", 200)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Find among 100,000: %d hits in %v", len(found), time.Since(t0))
	t0 = time.Now()
	acts, err := j.Activity(ctx, 300)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Activity: %d entries in %v", len(acts), time.Since(t0))
}
