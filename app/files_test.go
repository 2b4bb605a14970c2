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

type fakeFM struct{ opened, revealed []string }

func (f *fakeFM) Open(p string) error   { f.opened = append(f.opened, p); return nil }
func (f *fakeFM) Reveal(p string) error { f.revealed = append(f.revealed, p); return nil }

func TestFilesServiceConflictsDropAndOpen(t *testing.T) {
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
	fm := &fakeFM{}
	s := NewFiles(func(context.Context) (*folder.Folder, error) { return f, nil }, fm)

	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("v1"), 0o644)
	e.Sync(ctx)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("mine"), 0o644)
	rem.Write("a.txt", "theirs")
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := s.Status()
	if err != nil || !st.Ready || len(st.Conflicts) != 1 || st.Files < 2 {
		t.Fatalf("status %+v %v", st, err)
	}
	// edited again since the conflict: keep mine refuses to overwrite it
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("theirs, edited here"), 0o644)
	if err := s.KeepMine(st.Conflicts[0].Copy); err == nil {
		t.Fatal("keep mine overwrote a file edited after the conflict")
	}
	e.Sync(ctx)
	if err := s.KeepMine(st.Conflicts[0].Copy); err != nil {
		t.Fatal(err)
	}
	e.Sync(ctx)
	if b, _ := rem.Read("a.txt"); string(b) != "mine" {
		t.Fatalf("keep mine: server has %q", b)
	}
	if st, _ = s.Status(); len(st.Conflicts) != 0 {
		t.Fatal("conflict not resolved")
	}
	if err := s.KeepTheirs("nope"); err == nil {
		t.Fatal("unknown conflict accepted")
	}

	src := filepath.Join(t.TempDir(), "dropped.txt")
	os.WriteFile(src, []byte("dropped"), 0o644)
	got, err := s.DropFiles("", []string{src})
	if err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	e.Sync(ctx)
	if b, _ := rem.Read("dropped.txt"); string(b) != "dropped" {
		t.Fatal("dropped file not uploaded")
	}
	if err := s.Reveal("../../etc/passwd"); err == nil {
		t.Fatal("reveal outside the folder accepted")
	}
	s.Reveal("dropped.txt")
	if len(fm.revealed) != 1 || fm.revealed[0] != filepath.Join(dir, "dropped.txt") {
		t.Fatal(fm.revealed)
	}
	s.Pause()
	if st, _ = s.Status(); st.Sync.State != "paused" {
		t.Fatalf("state %q", st.Sync.State)
	}
	s.Resume()
}
