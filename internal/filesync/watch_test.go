package filesync_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
)

func TestRunPicksUpLocalChangesAndPauses(t *testing.T) {
	h := newHarness(t, true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	passes := make(chan filesync.Result, 100)
	done := make(chan struct{})
	go func() {
		h.eng.Run(ctx, filesync.RunOptions{Poll: time.Hour, Settle: 50 * time.Millisecond, OnPass: func(r filesync.Result, err error) {
			if err != nil {
				t.Error(err)
			}
			passes <- r
		}})
		close(done)
	}()
	wait := func(cond func() bool) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for !cond() {
			select {
			case <-passes:
			case <-deadline:
				t.Fatal("timed out waiting for a sync pass")
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	<-passes
	h.write("sub/new.txt", "hello") // a new folder must be watched too
	wait(func() bool { _, ok := h.rem.Read("sub/new.txt"); return ok })
	h.write("sub/second.txt", "again")
	wait(func() bool { _, ok := h.rem.Read("sub/second.txt"); return ok })

	h.eng.Pause()
	// A pass already running (the engine's own confirming pass) finishes first.
	for end := time.Now().Add(5 * time.Second); h.eng.Status().State != "paused"; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("state %q", h.eng.Status().State)
		}
	}
	h.write("paused.txt", "x")
	time.Sleep(300 * time.Millisecond)
	if _, ok := h.rem.Read("paused.txt"); ok {
		t.Fatal("synced while paused")
	}
	h.eng.Resume()
	wait(func() bool { _, ok := h.rem.Read("paused.txt"); return ok })
	os.Remove(filepath.Join(h.dir, "paused.txt"))
	wait(func() bool { _, ok := h.rem.Read("paused.txt"); return !ok })
	cancel()
	<-done
}

func TestRunPollsTheServerCheaply(t *testing.T) {
	h := newHarness(t, true)
	h.write("a.txt", "a")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	passes := make(chan filesync.Result, 100)
	go h.eng.Run(ctx, filesync.RunOptions{Poll: 40 * time.Millisecond, Settle: 20 * time.Millisecond, OnPass: func(r filesync.Result, err error) { passes <- r }})
	<-passes
	h.rem.ResetCalls()
	time.Sleep(time.Second)
	if n := len(passes); n != 0 {
		t.Fatalf("%d passes while nothing changed", n)
	}
	if calls := h.rem.CallCounts(); calls["PROPFIND"] < 2 || len(calls) != 1 {
		t.Fatalf("polls made %v, want PROPFINDs only", calls)
	}
	h.rem.Write("b.txt", "from the server")
	deadline := time.After(10 * time.Second)
	for {
		select {
		case <-passes:
		case <-deadline:
			t.Fatal("server change not picked up")
		case <-time.After(20 * time.Millisecond):
		}
		if _, err := os.Stat(filepath.Join(h.dir, "b.txt")); err == nil {
			return
		}
	}
}

// A file saved into a synced folder while no pass has scanned it yet (the
// settle time, or a pass busy with a long upload) makes its folder "waiting
// to upload" at once, not "synced" with a waiting file inside.
func TestFolderOfAnUnscannedChangeIsNotSynced(t *testing.T) {
	h := newHarness(t, true)
	h.write("a/old.txt", "old")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	passes := make(chan filesync.Result, 10)
	done := make(chan struct{})
	go func() {
		h.eng.Run(ctx, filesync.RunOptions{Poll: time.Hour, Settle: time.Hour, OnPass: func(r filesync.Result, err error) { passes <- r }})
		close(done)
	}()
	defer func() { cancel(); <-done }()
	select {
	case <-passes:
	case <-time.After(10 * time.Second):
		t.Fatal("no first pass")
	}
	folderState := func() string {
		es, err := h.eng.Children(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Path == "a" {
				return e.State
			}
		}
		return "missing"
	}
	if s := folderState(); s != filesync.StateSynced {
		t.Fatalf("after the first pass: %q", s)
	}
	h.write("a/new.txt", "new")
	deadline := time.Now().Add(5 * time.Second)
	for folderState() != filesync.StateUpload {
		if time.Now().After(deadline) {
			t.Fatalf("folder a with an unscanned new file: %q, want %q", folderState(), filesync.StateUpload)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The same while a pass is busy with a long upload: the watcher's events are
// taken during the pass, not after it.
func TestFolderOfAChangeDuringABusyPassIsNotSynced(t *testing.T) {
	h := newHarness(t, true)
	h.write("a/old.txt", "old")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	passes := make(chan struct{}, 10)
	go func() {
		h.eng.Run(ctx, filesync.RunOptions{Poll: time.Hour, Settle: 20 * time.Millisecond, OnPass: func(filesync.Result, error) { passes <- struct{}{} }})
		close(done)
	}()
	defer func() { cancel(); <-done }()
	select {
	case <-passes:
	case <-time.After(10 * time.Second):
		t.Fatal("no first pass")
	}
	state := func(p string) string {
		es, err := h.eng.Children(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Path == p {
				return e.State
			}
		}
		return "missing"
	}
	h.eng.SetLimit(8 << 10)
	h.write("big.bin", string(make([]byte, 256<<10))) // 32 s at 8 KiB/s
	deadline := time.Now().Add(10 * time.Second)
	for state("big.bin") != filesync.StateTransferring {
		if time.Now().After(deadline) {
			t.Fatalf("big.bin: %q, want transferring", state("big.bin"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.write("a/new.txt", "new")
	deadline = time.Now().Add(5 * time.Second)
	for state("a") != filesync.StateUpload {
		if time.Now().After(deadline) {
			t.Fatalf("folder a with a new file during a busy pass: %q (big.bin %q), want %q", state("a"), state("big.bin"), filesync.StateUpload)
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.eng.SetLimit(0)
}

// What the engine's own downloads write here is no local change left over:
// after the passes the folders are "synced" again.
func TestFoldersAreSyncedAfterDownloadsSettle(t *testing.T) {
	h := newHarness(t, true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		h.eng.Run(ctx, filesync.RunOptions{Poll: time.Hour, Settle: 20 * time.Millisecond})
		close(done)
	}()
	defer func() { cancel(); <-done }()
	time.Sleep(200 * time.Millisecond)
	for i := 0; i < 20; i++ {
		h.rem.Write("docs/f"+strconv.Itoa(i)+".txt", "x")
	}
	h.eng.SyncNow()
	deadline := time.Now().Add(10 * time.Second)
	for {
		es, err := h.eng.Children(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 1 && es[0].Path == "docs" && es[0].State == filesync.StateSynced {
			if _, err := os.Stat(filepath.Join(h.dir, "docs", "f19.txt")); err == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("after downloads: %+v", es)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runPasses runs h's engine and hands every pass's result to the test.
func runPasses(t *testing.T, h *harness, o filesync.RunOptions) (passes <-chan filesync.Result, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan filesync.Result, 100)
	o.OnPass = func(r filesync.Result, err error) {
		if err != nil {
			t.Errorf("pass: %v", err)
		}
		ch <- r
	}
	done := make(chan struct{})
	go func() { h.eng.Run(ctx, o); close(done) }()
	return ch, func() { cancel(); <-done }
}

// untilPass waits for a pass after which cond holds and returns it.
func untilPass(t *testing.T, passes <-chan filesync.Result, what string, cond func() bool) filesync.Result {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case r := <-passes:
			if cond() {
				return r
			}
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// After its first pass, the running engine looks only at what changed:
// a saved file, a file changed on the server, a new folder — each pass
// scans a handful of entries, not the whole folder (issue 20: at 100,000
// files a full pass is 2 s of CPU).
func TestRunLooksOnlyAtWhatChanged(t *testing.T) {
	h := newHarness(t, true)
	const files = 600
	for i := 0; i < files; i++ {
		h.write(fmt.Sprintf("p%d/q%d/f%03d.txt", i%6, i%5, i), fmt.Sprint("content ", i))
	}
	h.sync()
	passes, stop := runPasses(t, h, filesync.RunOptions{Poll: 50 * time.Millisecond, Settle: 30 * time.Millisecond})
	defer stop()
	if r := <-passes; r.Scoped || r.Scanned < files {
		t.Fatalf("first pass of Run: scoped %v, %d scanned; want a full pass", r.Scoped, r.Scanned)
	}
	h.write("p3/q3/f003.txt", "edited here")
	r := untilPass(t, passes, "the edit on the server", func() bool { b, _ := h.rem.Read("p3/q3/f003.txt"); return string(b) == "edited here" })
	if !r.Scoped || r.Scanned > 10 {
		t.Errorf("pass after one saved file: scoped %v, %d local entries scanned", r.Scoped, r.Scanned)
	}
	h.rem.Write("p1/q2/f007.txt", "edited there")
	r = untilPass(t, passes, "the server's edit here", func() bool {
		b, _ := os.ReadFile(filepath.Join(h.dir, "p1/q2/f007.txt"))
		return string(b) == "edited there"
	})
	if !r.Scoped || r.Scanned > 10 {
		t.Errorf("pass after one file changed on the server: scoped %v, %d local entries scanned", r.Scoped, r.Scanned)
	}
	for i := 0; i < 5; i++ {
		h.write(fmt.Sprintf("p5/new/sub/n%d.txt", i), "new")
	}
	r = untilPass(t, passes, "the new folder on the server", func() bool { _, ok := h.rem.Read("p5/new/sub/n4.txt"); return ok })
	if !r.Scoped || r.Scanned > 20 {
		t.Errorf("pass after a new folder: scoped %v, %d local entries scanned", r.Scoped, r.Scanned)
	}
	stop()
	h.assertEqual()
	if res := h.sync(); res.Uploaded+res.Downloaded+res.DeletedLocal+res.DeletedRemote+res.Moved != 0 {
		t.Fatalf("a full pass after the scoped ones still had work: %v", res)
	}
}

// A watched folder that moves keeps reporting its subfolders' events under
// the old path (fsnotify keeps the path it was given), so a scoped pass
// would look in the wrong place: the move makes the next pass a full one
// and the new place is watched afresh, so an edit below it afterwards is
// found where it is.
func TestRunAfterAFolderMovedFindsEditsBelowIt(t *testing.T) {
	h := newHarness(t, true)
	h.write("old/sub/deep/a.txt", "a")
	h.write("other.txt", "o")
	h.sync()
	passes, stop := runPasses(t, h, filesync.RunOptions{Poll: time.Hour, Settle: 30 * time.Millisecond})
	defer stop()
	<-passes
	if err := os.Rename(filepath.Join(h.dir, "old"), filepath.Join(h.dir, "new")); err != nil {
		t.Fatal(err)
	}
	untilPass(t, passes, "the move on the server", func() bool { _, ok := h.rem.Read("new/sub/deep/a.txt"); return ok })
	time.Sleep(100 * time.Millisecond) // the move's events are all in
	h.write("new/sub/deep/a.txt", "edited after the move")
	untilPass(t, passes, "the edit below the moved folder on the server", func() bool {
		b, _ := h.rem.Read("new/sub/deep/a.txt")
		return string(b) == "edited after the move"
	})
}

// alwaysUp is a notify_push connection that never announces anything.
type alwaysUp struct{}

func (alwaysUp) Listen(ctx context.Context, up func(bool), changed func()) error {
	up(true)
	<-ctx.Done()
	return nil
}

// While push is up no poll starts a pass, but the full scan that catches
// what the watcher may have missed still comes (FullScan).
func TestRunScansInFullWhilePushIsUp(t *testing.T) {
	h := newHarness(t, true, func(o *filesync.Options) { o.Push = alwaysUp{} })
	h.write("a.txt", "a")
	passes, stop := runPasses(t, h, filesync.RunOptions{Poll: 50 * time.Millisecond, Settle: 20 * time.Millisecond, FullScan: 400 * time.Millisecond})
	defer stop()
	<-passes
	select {
	case r := <-passes:
		if r.Scoped {
			t.Fatalf("the pass while push was up was scoped: %v", r)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no full pass in 3 s while push was up (FullScan 400 ms)")
	}
}
