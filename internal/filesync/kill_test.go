//go:build !windows

package filesync_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/webdav"
)

func TestMain(m *testing.M) {
	if os.Getenv("FILESYNC_CHILD") == "1" {
		os.Exit(childSync())
	}
	os.Exit(m.Run())
}

// childSync is one sync run in a child process; with CRASH_AT=n it kills
// itself with SIGKILL at the n-th crash point (count-based, so every run
// with the same n dies at the same step).
func childSync() int {
	n, _ := strconv.Atoi(os.Getenv("CRASH_AT"))
	at := os.Getenv("CRASH_POINT") // or: the first time this point is reached
	count := 0
	filesync.SetCrashHook(func(point string) {
		count++
		if count == n || point == at {
			fmt.Fprintf(os.Stderr, "killing at %s\n", point)
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	})
	ctx := context.Background()
	dir, url := os.Getenv("LOCAL"), os.Getenv("URL")
	j, err := filesync.OpenJournal(ctx, filepath.Join(os.Getenv("STATE"), "journal.db"), dir, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer j.Close()
	c, _ := webdav.New(webdav.Options{FilesURL: url, User: os.Getenv("USER_"), Password: os.Getenv("PASS_")})
	e, _ := filesync.New(filesync.Options{LocalDir: dir, Remote: davremote.New(c), Journal: j, ConfirmDeletes: true, Parallel: 2,
		Logf: func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }})
	if os.Getenv("CHILD_RUN") == "1" {
		return childRun(ctx, e)
	}
	res, err := e.Sync(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Fprintf(os.Stderr, "hits=%d %v\n", count, res)
	return 0
}

func (h *davHarness) child(crashAt int) (killed bool, out string) {
	h.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FILESYNC_CHILD=1", "CRASH_AT="+strconv.Itoa(crashAt), "LOCAL="+h.dir,
		"URL="+h.p.url, "USER_="+h.p.user, "PASS_="+h.p.pass, "STATE="+h.state)
	b, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true, string(b)
		}
		h.t.Fatalf("child sync failed: %v\n%s", err, b)
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return false, string(b)
}

// TestKill9AtEveryPoint changes both sides, kills a sync at its k-th crash
// point (k = 1, 2, …), runs it again to the end and checks that both trees
// equal the expected one: nothing lost, nothing resurrected.
func TestKill9AtEveryPoint(t *testing.T) {
	forBothServers(t, func(t *testing.T, p *peer) {
		h := newDAVHarness(t, p)
		want := map[string]string{}
		lw := func(rel, c string) { h.write(rel, c); want[rel] = c }
		rw := func(rel, c string) { h.remoteWrite(rel, c); want[rel] = c }
		big := strings.Repeat("0123456789abcdef", 8<<10) // 128 KB
		lw("keep/base.txt", "base")
		lw("edit-here.txt", "v0")
		rw("edit-there.txt", "v0")
		lw("mv0.txt", "moving")
		lw("conflict.txt", "c0")
		if killed, out := h.child(0); killed {
			t.Fatal(out)
		}
		kills := 0
		for k := 1; k <= 40; k++ {
			lw(fmt.Sprintf("new/l%d.txt", k), fmt.Sprintf("L%d", k))
			rw(fmt.Sprintf("rnew/r%d.txt", k), fmt.Sprintf("R%d", k)+big)
			lw("edit-here.txt", fmt.Sprintf("here %d", k))
			rw("edit-there.txt", fmt.Sprintf("there %d", k))
			os.Rename(filepath.Join(h.dir, fmt.Sprintf("mv%d.txt", k-1)), filepath.Join(h.dir, fmt.Sprintf("mv%d.txt", k)))
			delete(want, fmt.Sprintf("mv%d.txt", k-1))
			want[fmt.Sprintf("mv%d.txt", k)] = "moving"
			if k > 2 {
				os.Remove(filepath.Join(h.dir, fmt.Sprintf("new/l%d.txt", k-2)))
				delete(want, fmt.Sprintf("new/l%d.txt", k-2))
				if err := h.other.Delete(context.Background(), fmt.Sprintf("rnew/r%d.txt", k-2), webdav.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
				delete(want, fmt.Sprintf("rnew/r%d.txt", k-2))
			}
			// a conflict: both sides edit the same file
			h.write("conflict.txt", fmt.Sprintf("c-local-%d", k))
			h.remoteWrite("conflict.txt", fmt.Sprintf("c-remote-%d", k))
			want["conflict.txt"] = fmt.Sprintf("c-remote-%d", k)
			killed, out := h.child(k)
			if os.Getenv("DESKPORT_FILESYNC_TRACE") != "" {
				t.Logf("k=%d: %s", k, out)
			}
			if killed {
				kills++
			}
			again, out2 := h.child(0)
			if again {
				t.Fatalf("the finishing run was killed: %s", out2)
			}
			if os.Getenv("DESKPORT_FILESYNC_TRACE") != "" {
				t.Logf("k=%d finish: %s", k, out2)
			}
			got := h.assertEqual()
			// the local edit is kept as a conflict copy; the user then removes it
			kept := false
			for p, c := range got {
				if strings.HasPrefix(p, "conflict (conflicted copy ") {
					if c == fmt.Sprintf("c-local-%d", k) {
						kept = true
					}
					os.Remove(filepath.Join(h.dir, p))
					delete(got, p)
				}
			}
			if !kept {
				t.Fatalf("k=%d (%s): the local edit of conflict.txt is lost: %v", k, out, keys(got))
			}
			if again, out2 := h.child(0); again {
				t.Fatalf("the cleanup run was killed: %s", out2)
			}
			got = h.assertEqual()
			if keys(got) != keys(want) {
				t.Fatalf("k=%d (%s): got %s\nwant %s", k, out, keys(got), keys(want))
			}
			for p, c := range want {
				if got[p] != c {
					t.Fatalf("k=%d (%s): %s = %.20q, want %.20q", k, out, p, got[p], c)
				}
			}
			if !killed {
				break // k passed the last crash point of a sync
			}
		}
		if kills < 8 {
			t.Fatalf("only %d kills: too few crash points exercised", kills)
		}
		t.Logf("%s: killed at %d different points, every time the next run finished correctly", p.name, kills)
		_ = time.Second
	})
}
