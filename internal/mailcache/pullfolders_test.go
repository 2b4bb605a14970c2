package mailcache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

func fillFolders(d *testpeer.Dovecot, counts map[string]int, pad string) int {
	n := 0
	for folder, k := range counts {
		for i := 0; i < k; i++ {
			d.Append(folder, testMail(fmt.Sprintf("%s %d", folder, i), fmt.Sprintf("Inhalt %s Nummer %d\r\n%s", folder, i, pad)))
			n++
		}
	}
	return n
}

// A large sync runs on two connections, folder by folder, and holds every
// message once, as one connection would.
func TestLargeSyncUsesTwoConnections(t *testing.T) {
	d := testpeer.StartDovecot(t)
	counts := map[string]int{"INBOX": 40, "Archive": 30, "Sent": 20, "Junk": 5}
	n := fillFolders(d, counts, "")
	old := parallelFetchMin
	parallelFetchMin = 50
	defer func() { parallelFetchMin = old }()
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	var second atomic.Int32
	c.crash = func(p string) {
		if p == "second-connection" {
			second.Add(1)
		}
	}
	a := account(d, nil)
	res := mustSync(t, c, a)
	if second.Load() != 1 || res.New != n || res.Messages != n {
		t.Fatalf("second connections %d, fetched %d, cache holds %d; want 1, %d, %d", second.Load(), res.New, res.Messages, n, n)
	}
	fc := folderCounts(t, c)
	for f, k := range counts {
		if fc[f][0] != k {
			t.Errorf("%s holds %d, want %d (%v)", f, fc[f][0], k, fc)
		}
	}
	if got, _ := c.Count(context.Background(), "Inhalt"); got != n {
		t.Errorf("index holds %d, want %d", got, n)
	}
	if st := c.Status(context.Background()); st.Progress != (Progress{}) {
		t.Errorf("progress after the sync: %+v", st.Progress)
	}
	// a small change stays on one connection
	d.Append("Archive", testMail("neu", "Inhalt neu"))
	d.Append("INBOX", testMail("neu", "Inhalt neu"))
	if res := mustSync(t, c, a); res.New != 2 || second.Load() != 1 {
		t.Fatalf("incremental: %+v, second connections %d", res, second.Load())
	}
}

// The server going away during a two-connection sync ends it with
// ErrOffline (no hang); the next sync completes it, each message once.
func TestServerGoneDuringTwoConnectionSync(t *testing.T) {
	d := testpeer.StartDovecot(t)
	// 24 MB a folder: more than the sockets buffer when the server goes
	pad := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n", 7000)
	n := fillFolders(d, map[string]int{"INBOX": 60, "Archive": 60}, pad)
	oldMin, oldBatch := parallelFetchMin, batchMessages
	parallelFetchMin, batchMessages = 50, 10
	defer func() { parallelFetchMin, batchMessages = oldMin, oldBatch }()
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	a := account(d, nil)
	var batches atomic.Int32
	c.crash = func(p string) {
		if p == "fetch-batch" && batches.Add(1) == 1 {
			d.Stop()
		}
	}
	r0, err := c.Sync(context.Background(), a)
	t.Logf("interrupted: %+v %v (batches %d)", r0, err, batches.Load())
	if !errors.Is(err, ErrOffline) {
		t.Fatalf("sync with the server gone: %v, want ErrOffline", err)
	}
	var kept int
	c.db.QueryRow(`SELECT count(*) FROM messages`).Scan(&kept)
	// The sockets may have held the rest of both folders when the server
	// went: all may be kept; what must hold is that nothing is lost or doubled.
	if kept < batchMessages {
		t.Fatalf("kept %d of %d, want at least the committed batch", kept, n)
	}
	c.crash = nil
	d.Start()
	res := mustSync(t, c, a)
	var distinct int
	c.db.QueryRow(`SELECT count(DISTINCT message_id) FROM messages`).Scan(&distinct)
	if res.New != n-kept || res.Messages != n || distinct != n {
		t.Fatalf("resume fetched %d (had %d), holds %d, distinct %d, want %d", res.New, kept, res.Messages, distinct, n)
	}
}

// With two folders downloading at once, the progress follows one to its
// end before it shows the other.
func TestProgressFollowsOneFolder(t *testing.T) {
	c := openCache(t, t.TempDir(), Policy{})
	step := func(folder string, done, total int, want Progress) {
		t.Helper()
		c.progress(folder, done, total)
		if got := c.Status(context.Background()).Progress; got != want {
			t.Fatalf("after %s %d/%d: %+v, want %+v", folder, done, total, got, want)
		}
	}
	step("INBOX", 1, 10, Progress{"INBOX", 1, 10})
	step("Archive", 5, 20, Progress{"INBOX", 1, 10})
	step("INBOX", 10, 10, Progress{"INBOX", 10, 10})
	step("Archive", 6, 20, Progress{"Archive", 6, 20})
}

func TestOrderFoldersInboxFirst(t *testing.T) {
	jobs := []folderJob{{name: "Trash", incoming: 5}, {name: "Archive", incoming: 900}, {name: "INBOX", incoming: 10}, {name: "Sent", incoming: 50}}
	orderFolders(jobs)
	var names []string
	for _, j := range jobs {
		names = append(names, j.name)
	}
	if got := strings.Join(names, " "); got != "INBOX Archive Sent Trash" {
		t.Fatalf("order %s", got)
	}
}
