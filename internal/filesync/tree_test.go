package filesync_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
)

func states(t *testing.T, e *filesync.Engine, dir string) map[string]filesync.TreeEntry {
	t.Helper()
	es, err := e.Children(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]filesync.TreeEntry{}
	for _, x := range es {
		m[x.Name] = x
	}
	return m
}

// The tree shows each entry's state while a real sync against the
// Nextcloud-compatible server runs, and after it; the activity of that
// sync is still there when the journal is opened again (a restart).
func TestTreeStatesAndActivityAgainstNextcloud(t *testing.T) {
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	big := strings.Repeat("x", 600<<10)
	h.remoteWrite("big1.bin", big)
	h.remoteWrite("big2.bin", big)
	h.remoteWrite("docs/report.txt", "the report")
	h.write("new-here.txt", "made here")
	h.write("Private/secret.txt", "not synced")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	open := func() (*filesync.Journal, *filesync.Engine) {
		j, err := filesync.OpenJournal(ctx, filepath.Join(h.state, "journal.db"), h.dir, p.url)
		if err != nil {
			t.Fatal(err)
		}
		e, err := filesync.New(filesync.Options{LocalDir: h.dir, Remote: davremote.New(p.client(t)), Journal: j,
			Parallel: 1, Limit: 1 << 20, BulkMax: 1, Exclude: []string{"Private"}, Logf: t.Logf})
		if err != nil {
			t.Fatal(err)
		}
		return j, e
	}
	j, e := open()
	done := make(chan error, 1)
	go func() { _, err := e.Sync(ctx); done <- err }()
	// While it runs: one download in progress, the other still waiting
	// (not on disk yet, but listed), the local folder excluded.
	sawTransferring, sawWaiting := false, false
	for !(sawTransferring && sawWaiting) {
		select {
		case err := <-done:
			t.Fatalf("the sync ended (%v) before the tree showed a transfer and a waiting download", err)
		case <-time.After(20 * time.Millisecond):
		}
		m := states(t, e, "")
		if m["Private"].State != filesync.StateExcluded {
			t.Fatalf("Private: state %q, want excluded", m["Private"].State)
		}
		b1, b2 := m["big1.bin"], m["big2.bin"]
		if b1.State == filesync.StateTransferring || b2.State == filesync.StateTransferring {
			sawTransferring = true
		}
		if b2.State == filesync.StateDownload || b1.State == filesync.StateDownload {
			sawWaiting = true
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	m := states(t, e, "")
	for _, n := range []string{"big1.bin", "big2.bin", "docs", "new-here.txt"} {
		if m[n].State != filesync.StateSynced {
			t.Errorf("%s after the sync: %q, want synced", n, m[n].State)
		}
	}
	if !m["docs"].IsDir || m["big1.bin"].Size != 600<<10 {
		t.Errorf("docs %+v, big1 %+v", m["docs"], m["big1.bin"])
	}
	if d := states(t, e, "docs"); d["report.txt"].State != filesync.StateSynced || d["report.txt"].Path != "docs/report.txt" {
		t.Errorf("docs/report.txt: %+v", d["report.txt"])
	}
	// A local edit waits to upload; its folder says so too... once planned;
	// before a pass the file itself already differs from the journal.
	h.write("docs/report.txt", "edited here, longer")
	if d := states(t, e, "docs"); d["report.txt"].State != filesync.StateUpload {
		t.Errorf("edited report.txt: %q, want upload", d["report.txt"].State)
	}
	// Changed on both sides: a conflict.
	h.remoteWrite("docs/report.txt", "edited on the server")
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	d := states(t, e, "docs")
	if d["report.txt"].State != filesync.StateConflict || states(t, e, "")["docs"].State != filesync.StateConflict {
		t.Errorf("after a conflict: report.txt %q, docs %q, want conflict", d["report.txt"].State, states(t, e, "")["docs"].State)
	}
	found, err := e.Find(ctx, "REPORT", 10)
	// the conflict copy (uploaded as a file of its own) and the original
	if err != nil || len(found) != 2 || found[1].Path != "docs/report.txt" || found[0].State != filesync.StateConflict || found[1].State != filesync.StateConflict {
		t.Errorf("Find(REPORT) = %+v, %v", found, err)
	}
	if found, _ := e.Find(ctx, "doc", 10); len(found) != 1 || !found[0].IsDir {
		t.Errorf("Find(doc) must find the folder only, not the files in it: %+v", found)
	}
	if _, err := e.Children(ctx, "../etc"); err == nil {
		t.Error("Children listed a folder outside the synced folder")
	}
	os.Remove(filepath.Join(h.dir, "big2.bin"))
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	j.Close()

	// A restart: the activity is read back from the journal.
	j, _ = open()
	defer j.Close()
	acts, err := j.Activity(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]filesync.Activity{}
	for _, a := range acts {
		got[a.Kind+" "+a.Path] = a
	}
	for _, want := range []string{"downloaded big1.bin", "downloaded big2.bin", "downloaded docs/report.txt", "uploaded new-here.txt", "conflict docs/report.txt", "deleted-here big2.bin"} {
		if _, ok := got[want]; !ok {
			t.Errorf("activity lacks %q; it has %v", want, acts)
		}
	}
	if a := got["downloaded big1.bin"]; a.Size != 600<<10 || time.Since(a.At) > time.Minute {
		t.Errorf("big1 activity: %+v", a)
	}
	if acts[0].Kind != "deleted-here" {
		t.Errorf("newest first: %+v", acts[0])
	}
}
