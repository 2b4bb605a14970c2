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
