//go:build !windows

package filesync_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
)

// TestRandomKillLive is TestRandomKill for the running client: the child
// runs Run (watcher, scoped passes), the user and another client change
// both sides while it is idle, and it is killed with SIGKILL at a random
// moment of the pass that follows (often a scoped one) — or lives on to the
// next batch of changes. The same model then checks both trees.
func TestRandomKillLive(t *testing.T) {
	rounds := envInt("RANDOMKILL_ROUNDS", 8)
	seed := int64(envInt("RANDOMKILL_SEED", 1))
	files := envInt("RANDOMKILL_FILES", 120)
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	rk := &randomKill{h: h, files: files, renames: true, ambiguous: map[string]bool{}, rnd: rand.New(rand.NewSource(seed)), m: newVersionModel()}
	for i := 0; i < files; i++ {
		rk.create(true, fmt.Sprintf("d%d/l%d.txt", i%12, i))
	}
	for i := 0; i < files/4; i++ {
		rk.create(false, fmt.Sprintf("srv%d/r%d.txt", i%5, i))
	}
	if killed, out := h.childKilledAfter(0); killed {
		t.Fatalf("the first run was killed: %s", out)
	}
	scoped, passes, batches := 0, 0, 0
	avg := 500 * time.Millisecond
	for rk.round = 1; rk.round <= rounds; rk.round++ {
		c := startLiveChild(t, h)
		if r := c.next(t); r.scoped {
			t.Fatalf("round %d: the first pass of Run was scoped", rk.round)
		}
		for batch := 0; ; batch++ {
			t0 := time.Now()
			rk.changeBothSides()
			batches++
			if took := time.Since(t0); took > liveSettle/2 {
				t.Logf("round %d: the changes took %v (settle %v)", rk.round, took, liveSettle)
			}
			if batch == 3 || rk.rnd.Intn(3) == 0 {
				// A kill somewhere in the settle time or the pass after it.
				time.Sleep(time.Duration(rk.rnd.Int63n(int64(liveSettle + avg*12/10))))
				c.kill()
				rk.kills++
				break
			}
			t1 := time.Now()
			r := c.next(t)
			avg = (avg*3 + time.Since(t1) - liveSettle) / 4
			passes++
			if r.scoped {
				scoped++
			}
		}
	}
	for i := 0; i < 2; i++ {
		if killed, out := h.childKilledAfter(0); killed {
			t.Fatalf("the final run was killed: %s", out)
		}
	}
	rep := rk.check()
	t.Logf("seed %d: %d rounds, %d batches of changes, %d kills, %d passes seen to the end (%d scoped); %d versions written; "+
		"%d real conflicts, %d spurious, %d older at the path, %d lost, %d resurrected, %d unknown, %d tree differences, %d ambiguous",
		seed, rounds, batches, rk.kills, passes, scoped, rk.writes, rep.realConflicts, len(rep.spurious), len(rep.older), len(rep.lost),
		len(rep.resurrected), len(rk.unknown)+len(rep.unknown), len(rep.differ), len(rep.ambiguous))
	if scoped == 0 {
		t.Errorf("no scoped pass ran to its end: the test did not exercise them")
	}
	for _, l := range []struct {
		what string
		list []string
	}{{"WARN spurious conflict", rep.spurious}, {"WARN older version at the path", rep.older}, {"FAIL lost", rep.lost},
		{"WARN resurrected delete", rep.resurrected}, {"FAIL unknown content", append(rk.unknown, rep.unknown...)}, {"FAIL trees differ", rep.differ}} {
		for _, s := range l.list {
			t.Errorf("%s: %s", l.what, s)
		}
	}
}

// liveSettle is the child's wait after the first local event: longer than
// a batch of changes takes, so no pass starts in the middle of one.
const liveSettle = 1500 * time.Millisecond

type liveChild struct {
	cmd    *exec.Cmd
	passes chan livePass
	out    *strings.Builder
}

type livePass struct {
	scoped bool
	line   string
}

func startLiveChild(t *testing.T, h *davHarness) *liveChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FILESYNC_CHILD=1", "CHILD_RUN=1", "CRASH_AT=0", "LOCAL="+h.dir,
		"URL="+h.p.url, "USER_="+h.p.user, "PASS_="+h.p.pass, "STATE="+h.state, fmt.Sprint("SETTLE_MS=", liveSettle.Milliseconds()))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &liveChild{cmd: cmd, passes: make(chan livePass, 100), out: &strings.Builder{}}
	cmd.Stderr = c.out
	if _, err := cmd.StdinPipe(); err != nil { // the child ends when this closes
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "PASS ") {
				c.passes <- livePass{scoped: strings.Contains(l, "scoped=true"), line: l}
			}
		}
		close(c.passes)
	}()
	t.Cleanup(c.kill)
	return c
}

func (c *liveChild) next(t *testing.T) livePass {
	t.Helper()
	select {
	case p, ok := <-c.passes:
		if !ok {
			t.Fatalf("the running child ended: %s", c.out.String())
		}
		if strings.Contains(p.line, "err=") && !strings.Contains(p.line, "err=<nil>") {
			t.Logf("pass: %s", p.line)
		}
		return p
	case <-time.After(60 * time.Second):
		t.Fatalf("no pass of the running child within a minute: %s", c.out.String())
	}
	return livePass{}
}

func (c *liveChild) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.cmd.Wait()
	}
}

// childRun is the running client in the child: Run until stdin closes,
// one line per pass on stdout.
func childRun(ctx context.Context, e *filesync.Engine) int {
	ctx, cancel := context.WithCancel(ctx)
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()
	settle := time.Duration(envInt("SETTLE_MS", 1000)) * time.Millisecond
	e.Run(ctx, filesync.RunOptions{Poll: time.Hour, Settle: settle, OnPass: func(r filesync.Result, err error) {
		fmt.Printf("PASS scoped=%v scanned=%d err=%v %v\n", r.Scoped, r.Scanned, err, r)
	}})
	return 0
}
