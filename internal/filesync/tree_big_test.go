package filesync_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/memremote"
)

// A large folder's states come from one range query: the same states as
// the per-file lookups, and entries of deeper folders or of a folder with a
// longer name ("Big-2") are not taken for its own.
func TestChildrenOfALargeFolder(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"Big", "Big/sub", "Big-2"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	for i := 0; i < 100; i++ {
		os.WriteFile(filepath.Join(dir, "Big", fmt.Sprintf("f%03d.txt", i)), []byte("x"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "Big", "sub", "f001.txt"), []byte("deeper"), 0o644)
	os.WriteFile(filepath.Join(dir, "Big-2", "f002.txt"), []byte("other folder"), 0o644)
	ctx := context.Background()
	j, err := filesync.OpenJournal(ctx, filepath.Join(t.TempDir(), "j.db"), dir, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: memremote.New(true), Journal: j})
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "Big", "f001.txt"), []byte("edited, longer"), 0o644)
	os.WriteFile(filepath.Join(dir, "Big", "new.txt"), []byte("new"), 0o644)
	os.Remove(filepath.Join(dir, "Big", "f002.txt"))
	os.WriteFile(filepath.Join(dir, "Big", "f002.txt"), []byte("y"), 0o644) // same size, new mtime
	kids, err := e.Children(ctx, "Big")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, k := range kids {
		got[k.Name] = k.State
	}
	if len(kids) != 102 || got["sub"] != filesync.StateSynced || got["f000.txt"] != filesync.StateSynced ||
		got["f001.txt"] != filesync.StateUpload || got["new.txt"] != filesync.StateUpload || got["f099.txt"] != filesync.StateSynced {
		t.Fatalf("%d entries: %v", len(kids), got)
	}
}
