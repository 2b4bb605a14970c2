package folder

import (
	"context"
	"strings"
	"testing"
)

func TestOpenRefusesMissingFolderAndSecondSyncer(t *testing.T) {
	ctx := context.Background()
	c := Config{LocalDir: t.TempDir(), FilesURL: "https://cloud.example.org/remote.php/dav/files/a/", User: "a", Password: "p", StateDir: t.TempDir()}
	f, err := Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, c); err == nil || !strings.Contains(err.Error(), "already syncing") {
		t.Fatalf("second Open: %v", err)
	}
	f.Close()
	f2, err := Open(ctx, c)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	f2.Close()
	c.LocalDir += "/missing"
	if _, err := Open(ctx, c); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing folder: %v", err)
	}
}

func TestListsAreSavedCheckedAndReloaded(t *testing.T) {
	ctx := context.Background()
	c := Config{LocalDir: t.TempDir(), FilesURL: "https://cloud.example.org/remote.php/dav/files/a", User: "a", Password: "p", StateDir: t.TempDir()}
	f, err := Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetLists(Lists{Ignore: []string{"*.tmp", "build/"}, Excluded: []string{"/Photos/", "Archive/2020"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetLists(Lists{Ignore: []string{"[bad"}}); err == nil {
		t.Fatal("a malformed pattern was saved")
	}
	if err := f.SetLists(Lists{Excluded: []string{"../etc"}}); err == nil {
		t.Fatal("an excluded folder outside the tree was saved")
	}
	f.Close()
	f, err = Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := f.Lists()
	if err != nil || strings.Join(l.Ignore, ",") != "*.tmp,build/" || strings.Join(l.Excluded, ",") != "Photos,Archive/2020" {
		t.Fatalf("%+v %v", l, err)
	}
	if strings.Join(f.Config.Exclude, ",") != "Photos,Archive/2020" {
		t.Fatalf("not applied at open: %v", f.Config.Exclude)
	}
}
