package filesync_test

import (
	"context"
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
	if st := h.eng.Status(); st.State != "paused" {
		t.Fatalf("state %q", st.State)
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
	if h.rem.Calls["PROPFIND"] < 2 || len(h.rem.Calls) != 1 {
		t.Fatalf("polls made %v, want PROPFINDs only", h.rem.Calls)
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
