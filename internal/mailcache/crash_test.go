//go:build unix

package mailcache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/deskport/deskport/internal/testpeer"
)

// The kill -9 tests run a sync in a child process (this test binary again)
// that SIGKILLs itself at its Nth crash point, for N = 1, 2, ... until a
// run finishes without reaching N: every point is hit once, by count, not
// by timing. After each kill a normal sync must leave server and cache right.

func TestMain(m *testing.M) {
	if os.Getenv("MAILCACHE_CHILD") == "1" {
		os.Exit(childSync())
	}
	os.Exit(m.Run())
}

func childSync() int {
	killAt, _ := strconv.Atoi(os.Getenv("MAILCACHE_KILL_AT"))
	port, _ := strconv.Atoi(os.Getenv("MAILCACHE_IMAP_PORT"))
	sport, _ := strconv.Atoi(os.Getenv("MAILCACHE_SMTP_PORT"))
	if b, _ := strconv.Atoi(os.Getenv("MAILCACHE_BATCH")); b > 0 {
		batchMessages = b
	}
	c, err := Open(context.Background(), os.Getenv("MAILCACHE_DIR"), Policy{BodyDays: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	n := 0
	c.crash = func(p string) {
		n++
		if n == killAt {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	a := Account{IMAP: Server{Host: "127.0.0.1", Port: port, Security: SecurityPlainLoopback},
		SMTP: Server{Host: "127.0.0.1", Port: sport, Security: SecurityPlainLoopback}, User: "alice", Password: "secret"}
	if _, err := c.Sync(context.Background(), a); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	return 0
}

// syncKilledAt runs the child; it reports whether the child was killed.
func syncKilledAt(t *testing.T, dir string, d *testpeer.Dovecot, s *testpeer.SMTPSink, k int, env ...string) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	sport := 0
	if s != nil {
		sport = s.Port
	}
	cmd.Env = append(os.Environ(), "MAILCACHE_CHILD=1", "MAILCACHE_DIR="+dir, "MAILCACHE_KILL_AT="+strconv.Itoa(k),
		"MAILCACHE_IMAP_PORT="+strconv.Itoa(d.Port), "MAILCACHE_SMTP_PORT="+strconv.Itoa(sport))
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if err != nil {
		t.Fatalf("child sync (kill at %d): %v\n%s", k, err, out)
	}
	return false
}

func TestKill9DuringReplay(t *testing.T) {
	d := testpeer.StartDovecot(t)
	a := account(d, nil)
	ctx := context.Background()
	for k := 1; ; k++ {
		if k > 60 {
			t.Fatal("the child never finished: more crash points than expected")
		}
		r := fmt.Sprintf("r%d ", k)
		for _, s := range []string{"seen", "flag", "move", "delete"} {
			d.Append("INBOX", testMail(r+s, "round "+r))
		}
		dir := t.TempDir()
		c, err := Open(ctx, dir, Policy{})
		if err != nil {
			t.Fatal(err)
		}
		mustSync(t, c, a)
		for _, err := range []error{
			c.SetSeen(ctx, idBySubject(t, c, r+"seen"), true),
			c.SetFlagged(ctx, idBySubject(t, c, r+"flag"), true),
			c.Move(ctx, idBySubject(t, c, r+"move"), "Archive"),
			c.Delete(ctx, idBySubject(t, c, r+"delete")),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		c.Close()

		killed := syncKilledAt(t, dir, d, nil, k)

		c, err = Open(ctx, dir, Policy{})
		if err != nil {
			t.Fatalf("after kill at %d: %v", k, err)
		}
		mustSync(t, c, a)
		if n, m := serverHas(d, "INBOX", r+"seen"); n != 1 || !m.HasFlag(imap.FlagSeen) {
			t.Errorf("kill at %d: seen not applied", k)
		}
		if n, m := serverHas(d, "INBOX", r+"flag"); n != 1 || !m.HasFlag(imap.FlagFlagged) {
			t.Errorf("kill at %d: flag not applied", k)
		}
		if n, _ := serverHas(d, "Archive", r+"move"); n != 1 {
			t.Errorf("kill at %d: %d copies moved to Archive", k, n)
		}
		if n, _ := serverHas(d, "Trash", r+"delete"); n != 1 {
			t.Errorf("kill at %d: %d copies in Trash", k, n)
		}
		if n, _ := serverHas(d, "INBOX", r+"move"); n != 0 {
			t.Errorf("kill at %d: moved message still in INBOX", k)
		}
		if dr, _ := c.DroppedActions(ctx); len(dr) != 0 {
			t.Errorf("kill at %d: replay dropped %+v", k, dr)
		}
		if st := c.Status(ctx); st.Pending != 0 {
			t.Errorf("kill at %d: %d actions left", k, st.Pending)
		}
		cacheMatchesServer(t, c, d)
		c.Close()
		if t.Failed() || !killed {
			t.Logf("checked %d kill points", k-1)
			return
		}
	}
}

func TestKill9DuringSending(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	a := account(d, s)
	ctx := context.Background()
	count := func(mid string) int {
		n := 0
		for _, m := range s.Received() {
			if strings.Contains(string(m), mid) {
				n++
			}
		}
		return n
	}
	inSent := func(mid string) int {
		n := 0
		for _, m := range d.Messages("Sent") {
			if m.Contains(mid) {
				n++
			}
		}
		return n
	}
	for k := 1; ; k++ {
		if k > 60 {
			t.Fatal("the child never finished")
		}
		dir := t.TempDir()
		c, err := Open(ctx, dir, Policy{})
		if err != nil {
			t.Fatal(err)
		}
		mustSync(t, c, a)
		var mids []string
		for i := 0; i < 2; i++ {
			raw, _ := Compose(Draft{From: "alice@example.org", To: "bob@example.org", Subject: fmt.Sprintf("k%d m%d", k, i), Text: "hi"})
			o, err := c.Enqueue(ctx, raw)
			if err != nil {
				t.Fatal(err)
			}
			mids = append(mids, o.MessageID)
		}
		c.Close()

		killed := syncKilledAt(t, dir, d, s, k)

		c, err = Open(ctx, dir, Policy{})
		if err != nil {
			t.Fatal(err)
		}
		mustSync(t, c, a)
		out, _ := c.Outbox(ctx)
		state := map[string]Outgoing{}
		for _, o := range out {
			state[o.MessageID] = o
		}
		for _, mid := range mids {
			o, queued := state[mid]
			switch n := count(mid); {
			case n > 1:
				t.Errorf("kill at %d: %s delivered %d times", k, mid, n)
			case queued && o.State != outUncertain:
				t.Errorf("kill at %d: %s left %s after a clean sync", k, mid, o.State)
			case n == 0 && !queued:
				t.Errorf("kill at %d: %s lost: neither delivered nor in the outbox", k, mid)
			case n == 0:
				// the user sends it again: delivered exactly once
				if err := c.Resend(ctx, o.ID); err != nil {
					t.Fatal(err)
				}
				mustSync(t, c, a)
				if count(mid) != 1 || inSent(mid) != 1 {
					t.Errorf("kill at %d: resend delivered %d, filed %d", k, count(mid), inSent(mid))
				}
			case queued: // delivered, but Deskport could not know: the user discards
				if inSent(mid) != 0 {
					t.Errorf("kill at %d: uncertain message filed in Sent", k)
				}
				c.Discard(ctx, o.ID)
			default:
				if f := inSent(mid); f != 1 {
					t.Errorf("kill at %d: %s filed %d times in Sent", k, mid, f)
				}
			}
		}
		c.Close()
		if t.Failed() || !killed {
			t.Logf("checked %d kill points", k-1)
			return
		}
	}
}

func TestKill9DuringFetch(t *testing.T) {
	d := testpeer.StartDovecot(t)
	const n = 45
	for i := 0; i < n; i++ {
		folder := []string{"INBOX", "Archive", "Sent"}[i%3]
		d.Append(folder, testMail(fmt.Sprintf("msg %d", i), fmt.Sprintf("Wort%d gemeinsam", i)))
	}
	a := account(d, nil)
	ctx := context.Background()
	for k := 1; ; k++ {
		if k > 40 {
			t.Fatal("the child never finished")
		}
		dir := t.TempDir()
		killed := syncKilledAt(t, dir, d, nil, k, "MAILCACHE_BATCH=4")
		c, err := Open(ctx, dir, Policy{BodyDays: -1})
		if err != nil {
			t.Fatalf("after kill at %d: %v", k, err)
		}
		res := mustSync(t, c, a)
		var distinct, indexed int
		c.db.QueryRow(`SELECT count(DISTINCT message_id) FROM messages`).Scan(&distinct)
		indexed, _ = c.Count(ctx, "gemeinsam")
		if res.Messages != n || distinct != n || indexed != n {
			t.Errorf("kill at %d: %d messages, %d distinct, %d indexed; want %d", k, res.Messages, distinct, indexed, n)
		}
		for i := 0; i < n; i += 11 {
			r, _ := c.Search(ctx, fmt.Sprintf("Wort%d", i), 5)
			if len(r) != 1 {
				t.Errorf("kill at %d: Wort%d found %d times", k, i, len(r))
				continue
			}
			if raw, err := c.Raw(ctx, r[0].ID); err != nil || !strings.Contains(string(raw), fmt.Sprintf("Wort%d ", i)) {
				t.Errorf("kill at %d: body of msg %d: %v", k, i, err)
			}
		}
		cacheMatchesServer(t, c, d)
		c.Close()
		if t.Failed() || !killed {
			t.Logf("checked %d kill points", k-1)
			return
		}
	}
}
