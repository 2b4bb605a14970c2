//go:build unix

package mailcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
)

// These tests run several processes (this test binary again) on one cache
// folder at the same moment, as the app's background sync and the CLI do,
// and count at the SMTP sink how often each message arrived.

func init() {
	if os.Getenv("MAILCACHE_OUTBOX_CHILD") == "1" {
		os.Exit(outboxChild())
	}
}

// outboxChild opens the cache, waits for the start signal (a file) so that
// all children begin their sync together, and syncs once.
func outboxChild() int {
	c, err := Open(context.Background(), os.Getenv("MAILCACHE_DIR"), Policy{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer c.Close()
	port, _ := strconv.Atoi(os.Getenv("MAILCACHE_IMAP_PORT"))
	sport, _ := strconv.Atoi(os.Getenv("MAILCACHE_SMTP_PORT"))
	a := Account{IMAP: Server{Host: "127.0.0.1", Port: port, Security: SecurityPlainLoopback},
		SMTP: Server{Host: "127.0.0.1", Port: sport, Security: SecurityPlainLoopback}, User: "alice", Password: "secret"}
	for start := os.Getenv("MAILCACHE_GO"); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(start); err == nil {
			break
		}
	}
	res, err := c.Sync(context.Background(), a)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	fmt.Printf("sent=%d\n", res.Sent)
	return 0
}

// syncLockHolder is the index of the process that holds the cache's sync
// lock now (read from /proc/locks), or -1: the one worth killing, as it is
// the one sending.
func syncLockHolder(t *testing.T, dir string, ps []*outboxProc) int {
	var st syscall.Stat_t
	if syscall.Stat(filepath.Join(dir, "sync.lock"), &st) != nil {
		return -1
	}
	locks, err := os.ReadFile("/proc/locks")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(locks), "\n") {
		f := strings.Fields(line) // 1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF
		if len(f) < 6 || f[1] != "FLOCK" || !strings.HasSuffix(f[5], ":"+strconv.FormatUint(uint64(st.Ino), 10)) {
			continue
		}
		for i, p := range ps {
			if strconv.Itoa(p.cmd.Process.Pid) == f[4] {
				return i
			}
		}
	}
	return -1
}

type outboxProc struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func startOutboxProcs(t *testing.T, n int, dir, goFile string, d *testpeer.Dovecot, s *testpeer.SMTPSink) []*outboxProc {
	t.Helper()
	var ps []*outboxProc
	for i := 0; i < n; i++ {
		p := &outboxProc{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		p.cmd.Env = append(os.Environ(), "MAILCACHE_OUTBOX_CHILD=1", "MAILCACHE_DIR="+dir, "MAILCACHE_GO="+goFile,
			"MAILCACHE_IMAP_PORT="+strconv.Itoa(d.Port), "MAILCACHE_SMTP_PORT="+strconv.Itoa(s.Port))
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	time.Sleep(150 * time.Millisecond) // all opened the cache and wait
	if err := os.WriteFile(goFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return ps
}

// countDelivered counts, per Message-ID, the messages the sink received.
func countDelivered(s *testpeer.SMTPSink, mids []string) map[string]int {
	n := map[string]int{}
	for _, m := range s.Received() {
		for _, mid := range mids {
			if bytes.Contains(m, []byte(mid)) {
				n[mid]++
			}
		}
	}
	return n
}

func enqueueRound(t *testing.T, dir string, round, count int) []string {
	t.Helper()
	ctx := context.Background()
	c, err := Open(ctx, dir, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var mids []string
	// large enough that writing DATA takes a while, as with a real attachment
	attachment := bytes.Repeat([]byte("Zahlen und Worte 0123456789\n"), 12000)
	for i := 0; i < count; i++ {
		raw, err := Compose(Draft{From: "alice@example.org", To: "bob@example.org", Subject: fmt.Sprintf("round %d message %d", round, i),
			Text: "hallo", Attachments: []DraftAttachment{{Name: "bericht.txt", Data: attachment}}})
		if err != nil {
			t.Fatal(err)
		}
		o, err := c.Enqueue(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		mids = append(mids, o.MessageID)
	}
	return mids
}

// Three processes sync one cache at the same moment, round after round:
// every queued message is delivered exactly once and filed once in Sent.
func TestOutboxExactlyOnceAcrossProcesses(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	a := account(d, s)
	dir := t.TempDir()
	mustSync(t, openCache(t, dir, Policy{}), a)
	const rounds, procs, perRound = 5, 3, 4
	var all []string
	for r := 0; r < rounds; r++ {
		mids := enqueueRound(t, dir, r, perRound)
		all = append(all, mids...)
		ps := startOutboxProcs(t, procs, dir, filepath.Join(t.TempDir(), "go"), d, s)
		sentByProcs := 0
		for i, p := range ps {
			if err := p.cmd.Wait(); err != nil { // counted below all the same
				t.Errorf("round %d: process %d: %v\n%s", r, i, err, p.out.String())
			}
			if _, v, ok := strings.Cut(strings.TrimSpace(p.out.String()), "sent="); ok {
				n, _ := strconv.Atoi(v)
				sentByProcs += n
			}
		}
		// one more sync sends what a process left because another held the outbox
		c := openCache(t, dir, Policy{})
		sentByProcs += mustSync(t, c, a).Sent
		out, _ := c.Outbox(context.Background())
		c.Close()
		if len(out) != 0 {
			t.Errorf("round %d: outbox not empty after the syncs: %+v", r, out)
		}
		for _, mid := range mids {
			if n := countDelivered(s, []string{mid})[mid]; n != 1 {
				t.Errorf("round %d: %s delivered %d times", r, mid, n)
			}
		}
		if sentByProcs != perRound {
			t.Errorf("round %d: the processes report %d sent, want %d", r, sentByProcs, perRound)
		}
	}
	filed := map[string]int{}
	for _, m := range d.Messages("Sent") {
		for _, mid := range all {
			if m.Contains(mid) {
				filed[mid]++
			}
		}
	}
	for _, mid := range all {
		if filed[mid] != 1 {
			t.Errorf("%s filed %d times in Sent", mid, filed[mid])
		}
	}
	t.Logf("%d messages, %d rounds of %d processes, %d deliveries at the sink", len(all), rounds, procs, len(s.Received()))
}

// As above, but one process of each round is killed (-9) at a random moment
// while the others sync: no message is delivered twice, none is lost, and
// a message is left for the user to decide ("uncertain") only when it may
// really have reached the server; the killed process's claim is recovered
// by the next sync.
func TestOutboxKill9WhileOthersSend(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	a := account(d, s)
	dir := t.TempDir()
	mustSync(t, openCache(t, dir, Policy{}), a)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("MAILCACHE_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (MAILCACHE_SEED=%d repeats it)", seed, seed)
	rnd := rand.New(rand.NewPCG(seed, 0))
	const rounds, procs, perRound = 8, 3, 3
	uncertain, holderKilled := 0, 0
	for r := 0; r < rounds; r++ {
		mids := enqueueRound(t, dir, r, perRound)
		ps := startOutboxProcs(t, procs, dir, filepath.Join(t.TempDir(), "go"), d, s)
		time.Sleep(time.Duration(rnd.IntN(500)) * time.Millisecond)
		victim := syncLockHolder(t, dir, ps)
		if victim < 0 {
			victim = rnd.IntN(procs)
		} else {
			holderKilled++
		}
		ps[victim].cmd.Process.Signal(syscall.SIGKILL)
		for i, p := range ps {
			err := p.cmd.Wait()
			var ee *exec.ExitError
			if i == victim && errors.As(err, &ee) {
				continue
			}
			if err != nil {
				t.Fatalf("round %d: process %d: %v\n%s", r, i, err, p.out.String())
			}
		}
		c := openCache(t, dir, Policy{})
		mustSync(t, c, a)
		ctx := context.Background()
		out, _ := c.Outbox(ctx)
		left := map[string]Outgoing{}
		for _, o := range out {
			left[o.MessageID] = o
		}
		delivered := countDelivered(s, mids)
		for _, mid := range mids {
			o, inOutbox := left[mid]
			switch n := delivered[mid]; {
			case n > 1:
				t.Errorf("round %d: %s delivered %d times", r, mid, n)
			case inOutbox && o.State != outUncertain:
				t.Errorf("round %d: %s left %s after a clean sync", r, mid, o.State)
			case n == 0 && !inOutbox:
				t.Errorf("round %d: %s lost: neither delivered nor in the outbox", r, mid)
			case inOutbox:
				uncertain++
				if n == 0 { // the user sends it again
					if err := c.Resend(ctx, o.ID); err != nil {
						t.Fatal(err)
					}
					mustSync(t, c, a)
					if m := countDelivered(s, []string{mid})[mid]; m != 1 {
						t.Errorf("round %d: resent %s delivered %d times", r, mid, m)
					}
				} else if err := c.Discard(ctx, o.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		c.Close()
	}
	t.Logf("%d rounds of %d processes, one killed each round (%d times the one syncing); %d messages left uncertain for the user, %d delivered",
		rounds, procs, holderKilled, uncertain, len(s.Received()))
}
