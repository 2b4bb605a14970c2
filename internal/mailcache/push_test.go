package mailcache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
)

func TestIdlePushesNewMail(t *testing.T) {
	d := testpeer.StartDovecot(t)
	c := openCache(t, t.TempDir(), Policy{})
	a := account(d, nil)
	mustSync(t, c, a)
	ctx, cancel := context.WithCancel(context.Background())
	changed := make(chan struct{}, 4)
	done := make(chan error, 1)
	idling := make(chan struct{}, 1)
	c.crash = func(p string) {
		if p == "idling" {
			select {
			case idling <- struct{}{}:
			default:
			}
		}
	}
	go func() { done <- c.Watch(ctx, a, func() { changed <- struct{}{} }) }()
	deadline := time.After(20 * time.Second)
	select {
	case <-idling:
	case <-deadline:
		t.Fatal("watch did not start idling")
	}
	d.Append("INBOX", testMail("pushed", "arrived while idling"))
	select {
	case <-changed:
	case err := <-done:
		t.Fatalf("watch ended: %v", err)
	case <-deadline:
		t.Fatal("no push within 20 s of a new message")
	}
	if res := mustSync(t, c, a); res.New != 1 || len(find(t, c, "pushed")) != 1 {
		t.Fatalf("after push: %+v", res)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("watch returned %v after cancel", err)
	}
}

func TestServerGoneMidSyncResumes(t *testing.T) {
	d := testpeer.StartDovecot(t)
	// big enough (60 MB) that the server cannot have sent everything into
	// the socket buffers (up to ~10 MB on loopback) and the pipeline (three
	// batches) before it goes away: at 20 MB it sometimes had, at 40 MB 28 MB got through
	const n = 300
	pad := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n", 3600)
	for i := 0; i < n; i++ {
		d.Append("INBOX", testMail(fmt.Sprintf("bulk %d", i), fmt.Sprintf("Inhalt Nummer %d\r\n%s", i, pad)))
	}
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	a := account(d, nil)
	old := batchMessages
	batchMessages = 25
	defer func() { batchMessages = old }()
	batches := 0
	c.crash = func(p string) {
		if p == "fetch-batch" {
			batches++
			if batches == 1 {
				d.Stop() // the server goes away between batches
			}
		}
	}
	r0, err := c.Sync(context.Background(), a)
	t.Logf("interrupted sync: %+v %v", r0, err)
	if !errors.Is(err, ErrOffline) {
		t.Fatalf("sync with the server gone: %v, want ErrOffline", err)
	}
	var kept int
	c.db.QueryRow(`SELECT count(*) FROM messages`).Scan(&kept)
	if kept < 50 || kept >= n {
		t.Fatalf("kept %d messages of the interrupted sync, want the committed batches", kept)
	}
	c.crash = nil
	d.Start()
	res := mustSync(t, c, a)
	if res.New != n-kept || res.Messages != n {
		t.Fatalf("resume fetched %d (had %d), cache holds %d, want %d", res.New, kept, res.Messages, n)
	}
	var distinct int
	c.db.QueryRow(`SELECT count(DISTINCT message_id) FROM messages`).Scan(&distinct)
	if distinct != n {
		t.Fatalf("%d distinct messages, want %d", distinct, n)
	}
	if r, _ := c.Count(context.Background(), "Inhalt"); r != n {
		t.Fatalf("index holds %d, want %d", r, n)
	}
}
