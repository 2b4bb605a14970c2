package filesync_test

// Scale: what a large folder must not cost (issue 20). The figures are in
// bench/files (bench-100k.sh); these tests pin the behaviour behind them.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/filesync/memremote"
	"github.com/deskport/deskport/internal/webdav"
)

// A folder renamed here is one MOVE on the server, whatever it holds: no
// upload, no delete, no new folder; a file edited inside it at the same
// time is the one upload that follows the MOVE.
func TestDAVFolderRenameIsOneMove(t *testing.T) {
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	const files = 300
	for i := 0; i < files; i++ {
		h.write(fmt.Sprintf("Projects/s%02d/t%d/file%03d.txt", i%10, i%3, i), fmt.Sprintf("content %d", i))
	}
	h.write("other.txt", "stays")
	if res := h.mustSync(); res.Uploaded != files+1 {
		t.Fatalf("first sync: %v", res)
	}
	h.mustSync()

	if err := os.Rename(filepath.Join(h.dir, "Projects"), filepath.Join(h.dir, "Projects 2026")); err != nil {
		t.Fatal(err)
	}
	p.reset()
	res := h.mustSync()
	if n := p.requests("MOVE"); n != 1 || res.Moved != 1 {
		t.Fatalf("rename of a folder of %d files: %d MOVE, %v", files, n, res)
	}
	for _, m := range []string{"PUT", "POST", "DELETE", "MKCOL"} {
		if n := p.requests(m); n != 0 {
			t.Errorf("rename of a folder: %d %s requests, want none", n, m)
		}
	}
	h.assertEqual()

	// Renamed again, into a new folder, with one file edited meanwhile.
	if err := os.Mkdir(filepath.Join(h.dir, "Archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(h.dir, "Projects 2026"), filepath.Join(h.dir, "Archive", "Projects")); err != nil {
		t.Fatal(err)
	}
	h.write("Archive/Projects/s04/t1/file004.txt", "edited while renamed")
	p.reset()
	res = h.mustSync()
	if p.requests("MOVE") != 1 || p.requests("PUT")+p.requests("POST") != 1 || p.requests("DELETE") != 0 || p.requests("MKCOL") != 1 {
		t.Fatalf("rename into a new folder with one edit: %d MOVE, %d PUT, %d POST, %d DELETE, %d MKCOL; %v",
			p.requests("MOVE"), p.requests("PUT"), p.requests("POST"), p.requests("DELETE"), p.requests("MKCOL"), res)
	}
	h.assertEqual()
}

// capsAfterList is a server whose capabilities answer only once the root
// listing has been asked for: a pass that waits for the capabilities before
// it lists (one round trip after the other) never finishes.
type capsAfterList struct {
	*memremote.Remote
	listed chan struct{}
}

func (r *capsAfterList) Capabilities(ctx context.Context) (filesync.Capabilities, error) {
	select {
	case <-r.listed:
	case <-ctx.Done():
		return filesync.Capabilities{}, fmt.Errorf("the root listing was never asked for while the capabilities were pending: %w", ctx.Err())
	}
	return r.Remote.Capabilities(ctx)
}

func (r *capsAfterList) List(ctx context.Context, dir string) (filesync.Listing, error) {
	if dir == "" {
		select {
		case <-r.listed:
		default:
			close(r.listed)
		}
	}
	return r.Remote.List(ctx, dir)
}

// The round trips of a pass overlap: the capabilities and the root listing
// are asked for at once, so a no-change pass costs one round trip, not two
// (three with status.php) one after the other.
func TestCapabilitiesAndRootListingOverlap(t *testing.T) {
	dir := t.TempDir()
	rem := &capsAfterList{Remote: memremote.New(true), listed: make(chan struct{})}
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644)
	j, err := filesync.OpenJournal(context.Background(), filepath.Join(t.TempDir(), "j.db"), dir, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, err := filesync.New(filesync.Options{LocalDir: dir, Remote: rem, Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	// Not a timing assertion: without the overlap the pass deadlocks until
	// this deadline and fails; with it the deadline is never reached.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := e.Sync(ctx)
	if err != nil || res.Uploaded != 1 {
		t.Fatalf("sync: %v, %v", res, err)
	}
}

// A folder the server moved into a new folder is renamed here in the same
// pass (its new parents made first), not downloaded, and nothing fails.
func TestDAVServerMoveIntoNewFolderIsOneRename(t *testing.T) {
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	for i := 0; i < 50; i++ {
		h.write(fmt.Sprintf("Team/f%02d.txt", i), fmt.Sprintf("content %d", i))
	}
	h.mustSync()
	h.mustSync()
	ctx := context.Background()
	if err := h.other.MkdirAll(ctx, "Old/2026"); err != nil {
		t.Fatal(err)
	}
	if err := h.other.Move(ctx, "Team", "Old/2026/Team", webdav.MoveOptions{}); err != nil {
		t.Fatal(err)
	}
	var failed []string
	j, err := filesync.OpenJournal(ctx, filepath.Join(h.state, "journal.db"), h.dir, p.url)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, err := filesync.New(filesync.Options{LocalDir: h.dir, Remote: davremote.New(p.client(t)), Journal: j,
		Logf: func(f string, a ...any) { failed = append(failed, fmt.Sprintf(f, a...)) }})
	if err != nil {
		t.Fatal(err)
	}
	p.reset()
	res, err := e.Sync(ctx)
	if err != nil || res.Moved != 1 || res.Downloaded != 0 || len(failed) != 0 {
		t.Fatalf("server move into a new folder: %v, %v; logged %q", res, err, failed)
	}
	if n := p.requests("GET") - 2; n != 0 { // status.php and capabilities
		t.Errorf("%d downloads for a move", n)
	}
	h.assertEqual()
}
