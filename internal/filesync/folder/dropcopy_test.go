package folder

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCopyIn(t *testing.T) {
	root, src := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(src, "a.txt"), []byte("A"), 0o644)
	os.MkdirAll(filepath.Join(src, "dir/sub"), 0o755)
	os.WriteFile(filepath.Join(src, "dir/sub/b.txt"), []byte("BB"), 0o644)
	os.Symlink("/etc/passwd", filepath.Join(src, "dir/link"))
	os.WriteFile(filepath.Join(root, "a.txt"), []byte("existing"), 0o644)
	var last, tot int64
	got, err := CopyIn(root, "", []string{filepath.Join(src, "a.txt"), filepath.Join(src, "dir")}, "linux", func(d, t int64) { last, tot = d, t })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "a (2).txt" || got[1] != "dir" {
		t.Fatalf("%v", got)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "a.txt")); string(b) != "existing" {
		t.Fatal("an existing file was overwritten")
	}
	if b, _ := os.ReadFile(filepath.Join(root, "dir/sub/b.txt")); string(b) != "BB" {
		t.Fatal("folder not copied")
	}
	if _, err := os.Lstat(filepath.Join(root, "dir/link")); err == nil {
		t.Fatal("a link was copied")
	}
	if last != 3 || tot != 3 {
		t.Fatalf("progress %d/%d", last, tot)
	}
	if _, err := CopyIn(root, "../x", []string{filepath.Join(src, "a.txt")}, "linux", nil); err == nil {
		t.Fatal("target outside the root accepted")
	}
	if _, err := CopyIn(root, "", []string{filepath.Join(root, "dir")}, "linux", nil); err == nil {
		t.Fatal("copying the synced folder into itself accepted")
	}
}
