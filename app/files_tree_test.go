package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/filesync/memremote"
)

// A drop onto a folder row copies into that folder, never over a file
// there, and the next pass uploads it there; the tree and the activity
// show it.
func TestFilesDropOntoSubfolderTreeAndActivity(t *testing.T) {
	dir := t.TempDir()
	rem := memremote.New(true)
	ctx := context.Background()
	j, err := filesync.OpenJournal(ctx, filepath.Join(t.TempDir(), "j.db"), dir, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: rem, Journal: j})
	f := &folder.Folder{Engine: e, Journal: j, Config: folder.Config{LocalDir: dir, FilesURL: "mem://"}}
	s := NewFiles(func(context.Context) (*folder.Folder, error) { return f, nil }, &fakeFM{})
	os.MkdirAll(filepath.Join(dir, "Projects", "2026"), 0o755)
	os.WriteFile(filepath.Join(dir, "Projects", "2026", "plan.odt"), []byte("old plan"), 0o644)
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "plan.odt")
	os.WriteFile(src, []byte("new plan"), 0o644)
	got, err := s.DropFiles("Projects/2026", []string{src})
	if err != nil || len(got) != 1 || got[0] != "Projects/2026/plan (2).odt" {
		t.Fatalf("drop: %v %v", got, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "Projects", "2026", "plan.odt")); string(b) != "old plan" {
		t.Fatalf("the drop overwrote plan.odt: %q", b)
	}
	kids, err := s.Children("Projects/2026")
	if err != nil || len(kids) != 2 || kids[0].State != filesync.StateUpload || kids[1].State != filesync.StateSynced {
		t.Fatalf("children before the pass: %+v %v", kids, err)
	}
	if _, err := s.DropFiles("../outside", []string{src}); err == nil {
		t.Fatal("a drop target outside the synced folder was accepted")
	}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if b, ok := rem.Read("Projects/2026/plan (2).odt"); !ok || string(b) != "new plan" {
		t.Fatalf("server has %q %v", b, ok)
	}
	acts, err := s.Activity()
	if err != nil || len(acts) == 0 || acts[0].Kind != "uploaded" || acts[0].Path != "Projects/2026/plan (2).odt" || acts[0].Size != 8 {
		t.Fatalf("activity: %+v %v", acts, err)
	}
	if found, err := s.Find("plan (2)"); err != nil || len(found) != 1 || found[0].State != filesync.StateSynced {
		t.Fatalf("find: %+v %v", found, err)
	}
}
