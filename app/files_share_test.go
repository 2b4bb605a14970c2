package app

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

// Share link and "Open in the suite" from the files service against the
// Nextcloud-compatible server; the admin's switch turns share links off.
func TestFilesShareLinkAndOpenInSuite(t *testing.T) {
	s := testpeer.StartNCServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "Docs"), 0o755)
	os.WriteFile(filepath.Join(dir, "Docs", "Plan.odt"), []byte("plan"), 0o644)
	f, err := folder.Open(ctx, folder.Config{LocalDir: dir, FilesURL: s.FilesURL, User: s.User, Password: s.Pass, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Engine.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	nav := &recNav{}
	off := false
	svc := NewFiles(func(context.Context) (*folder.Folder, error) { return f, nil }, &fakeFM{})
	svc.Nav, svc.ShareLinksOff = nav, func() bool { return off }

	sh, err := svc.ShareLink("Docs/Plan.odt", "", "")
	if err != nil || !strings.HasPrefix(sh.URL, s.URL+"/s/") || sh.Permissions != 1 {
		t.Fatalf("share: %+v %v", sh, err)
	}
	if _, err := svc.ShareLink("../etc/passwd", "", ""); err == nil {
		t.Fatal("a path outside the folder was shared")
	}
	off = true
	if svc.CanShare() {
		t.Fatal("CanShare with share links turned off")
	}
	if _, err := svc.ShareLink("Docs/Plan.odt", "", ""); err == nil || !strings.Contains(err.Error(), "administrator") {
		t.Fatalf("share with links turned off: %v", err)
	}
	if err := svc.OpenInSuite("Docs/Plan.odt"); err != nil {
		t.Fatal(err)
	}
	id, _ := f.Journal.FileIDOf(ctx, "Docs/Plan.odt")
	if id == "" || len(nav.urls) != 1 || nav.urls[0] != s.URL+"/index.php/f/"+id {
		t.Fatalf("open in the suite went to %v (file id %q)", nav.urls, id)
	}
}
