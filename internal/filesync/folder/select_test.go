package folder_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/testpeer"
)

// Choosing folders against the Nextcloud-compatible server: the listing
// has sizes and ticks; unticking a folder with a local edit asks first and
// keeps the edit (here, unsynced, and nothing is deleted on the server);
// ticking it again uploads it.
func TestChooseServerFoldersKeepsUnsyncedWork(t *testing.T) {
	s := testpeer.StartNCServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Mkdir("Photos"))
	must(s.Mkdir("Photos/2026"))
	must(s.Upload("Photos/2026/a.jpg", []byte(strings.Repeat("j", 3000)), time.Now()))
	must(s.Upload("Photos/b.jpg", []byte(strings.Repeat("b", 500)), time.Now()))
	must(s.Mkdir("Docs"))
	must(s.Upload("Docs/x.txt", []byte("0123456789"), time.Now()))
	dir := t.TempDir()
	f, err := folder.Open(ctx, folder.Config{LocalDir: dir, FilesURL: s.FilesURL, User: s.User, Password: s.Pass, StateDir: t.TempDir()})
	must(err)
	defer f.Close()
	_, err = f.Engine.Sync(ctx)
	must(err)

	top, err := f.ServerFolders(ctx, "")
	must(err)
	if len(top) != 2 || top[0].Name != "Docs" || top[0].Size != 10 || top[1].Path != "Photos" || top[1].Size != 3500 || !top[1].Synced {
		t.Fatalf("top folders: %+v", top)
	}
	edit := filepath.Join(dir, "Photos", "2026", "notes.txt")
	must(os.WriteFile(edit, []byte("written here, not uploaded"), 0o644))
	ch, err := f.SetSynced(ctx, "Photos", false, false)
	must(err)
	if ch.Done || ch.Count != 1 || len(ch.Unsynced) != 1 || ch.Unsynced[0] != "Photos/2026/notes.txt" {
		t.Fatalf("unticking with a local edit must ask first: %+v", ch)
	}
	if l, _ := f.Lists(); len(l.Excluded) != 0 {
		t.Fatalf("unticked before the answer: %v", l.Excluded)
	}
	ch, err = f.SetSynced(ctx, "Photos", false, true)
	must(err)
	if !ch.Done {
		t.Fatalf("confirmed untick: %+v", ch)
	}
	if _, err := f.Engine.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(edit); err != nil || string(b) != "written here, not uploaded" {
		t.Fatalf("the local edit is gone after unticking: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Photos", "2026", "a.jpg")); err != nil {
		t.Fatalf("a synced file was deleted here on unticking: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.Root, "Photos", "2026", "a.jpg")); err != nil {
		t.Fatalf("a file was deleted on the server on unticking: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.Root, "Photos", "2026", "notes.txt")); err == nil {
		t.Fatal("the unticked folder's edit was uploaded")
	}
	top, _ = f.ServerFolders(ctx, "")
	sub, err := f.ServerFolders(ctx, "Photos")
	must(err)
	if top[1].Synced || len(sub) != 1 || sub[0].Synced || !sub[0].Inherited || sub[0].Size != 3000 {
		t.Fatalf("after unticking: top %+v, Photos/ %+v", top, sub)
	}
	ch, err = f.SetSynced(ctx, "Photos", true, false)
	must(err)
	_, err = f.Engine.Sync(ctx)
	must(err)
	if b, err := os.ReadFile(filepath.Join(s.Root, "Photos", "2026", "notes.txt")); !ch.Done || err != nil || string(b) != "written here, not uploaded" {
		t.Fatalf("ticked again: %+v, server has %q %v", ch, b, err)
	}
	if _, err := f.SetSynced(ctx, "../x", false, true); err == nil {
		t.Fatal("a path outside the folder was accepted")
	}
}
