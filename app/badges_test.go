package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/ncnotify"
)

func TestPollNotifications(t *testing.T) {
	var tr ncnotify.Tracker
	var announced []int64
	changes := 0
	list := []ncnotify.Notification{{ID: 1, Subject: "a"}}
	fetch := func(context.Context) ([]ncnotify.Notification, error) { return list, nil }
	round := func(f func(context.Context) ([]ncnotify.Notification, error)) {
		pollNotifications(context.Background(), f, &tr, func(n ncnotify.Notification) { announced = append(announced, n.ID) }, func() { changes++ })
	}
	ncCount.Store(0)
	round(fetch)
	if len(announced) != 0 || ncCount.Load() != 1 || changes != 1 {
		t.Fatalf("first round: announced %v, count %d, changes %d", announced, ncCount.Load(), changes)
	}
	list = append([]ncnotify.Notification{{ID: 2, Subject: "b"}}, list...)
	round(fetch)
	if len(announced) != 1 || announced[0] != 2 || ncCount.Load() != 2 || changes != 2 {
		t.Fatalf("second round: announced %v, count %d, changes %d", announced, ncCount.Load(), changes)
	}
	round(func(context.Context) ([]ncnotify.Notification, error) { return nil, errors.New("offline") })
	if ncCount.Load() != 2 || changes != 2 {
		t.Error("an error keeps the last count")
	}
	round(fetch)
	if changes != 2 || len(announced) != 1 {
		t.Error("no change, no event, no announcement")
	}
	// Signed out: the badge goes to 0 (once), and the next account's first
	// poll does not announce its old notifications.
	signedOut := func(context.Context) ([]ncnotify.Notification, error) {
		return nil, fmt.Errorf("files: %w", accounts.ErrNoAccount)
	}
	round(signedOut)
	round(signedOut)
	if ncCount.Load() != 0 || changes != 3 {
		t.Errorf("after sign-out: count %d, changes %d", ncCount.Load(), changes)
	}
	round(fetch)
	if len(announced) != 1 || ncCount.Load() != 2 {
		t.Errorf("after signing in again: announced %v, count %d", announced, ncCount.Load())
	}
	if !signedOutErr(ncnotify.ErrUnauthorized) || signedOutErr(errors.New("offline")) {
		t.Error("signedOutErr")
	}
	t.Setenv("DESKPORT_NOTIFY_EVERY", "3s")
	if notifyInterval() != 3*time.Second {
		t.Error("DESKPORT_NOTIFY_EVERY ignored")
	}
	t.Setenv("DESKPORT_NOTIFY_EVERY", "1ms")
	if notifyInterval() != notifyEvery {
		t.Error("a too short interval is taken")
	}
	if o := desktopNotification(ncnotify.Notification{ID: 5, Message: "m"}); o.Title != "Nextcloud" || o.ID != "nc-5" || o.Body != "m" {
		t.Errorf("desktopNotification = %+v", o)
	}
}

func TestMailSignedInFollowsTheBook(t *testing.T) {
	t.Setenv("DESKPORT_HOME", t.TempDir())
	if mailSignedIn() {
		t.Fatal("no book, no mail account")
	}
	paths, _ := config.UserPaths()
	os.MkdirAll(paths.Config, 0o700)
	if err := accounts.SaveBook(paths, accounts.Book{Mail: &accounts.Mail{Address: "alice@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if !mailSignedIn() {
		t.Error("the book has a mail account")
	}
	// The files tile's state follows the files account, not the mail one.
	if filesSignedIn() {
		t.Error("no files account in the book")
	}
	if err := accounts.SaveBook(paths, accounts.Book{Files: &accounts.Files{ServerURL: "https://files.example.org", LoginName: "alice"}}); err != nil {
		t.Fatal(err)
	}
	if !filesSignedIn() || mailSignedIn() {
		t.Errorf("files only: filesSignedIn %v, mailSignedIn %v", filesSignedIn(), mailSignedIn())
	}
}

// The mail badge's watcher: it counts at the start, again when a file in the
// cache's folder changes or the account changed (kick), and tells the shell
// only when the count differs.
func TestWatchMailBadge(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "mail.db")
	os.WriteFile(db, []byte("v1"), 0o600)
	var mu sync.Mutex
	unread, counts, events := 2, 0, 0
	count := func() (int, error) {
		mu.Lock()
		defer mu.Unlock()
		counts++
		return unread, nil
	}
	state := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return counts, events
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kick := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		watchMailBadge(ctx, 10*time.Millisecond, dir, kick, count, func() { mu.Lock(); events++; mu.Unlock() })
		close(done)
	}()
	waitFor := func(what string, ok func(c, e int) bool) {
		t.Helper()
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
			if ok(state()) {
				return
			}
		}
		c, e := state()
		t.Fatalf("%s: %d counts, %d events", what, c, e)
	}
	waitFor("the first count", func(c, e int) bool { return c == 1 && e == 1 })
	time.Sleep(60 * time.Millisecond)
	if c, _ := state(); c != 1 {
		t.Fatalf("counted %d times without a change", c)
	}
	// A sync wrote new mail: counted again, the shell is told.
	mu.Lock()
	unread = 3
	mu.Unlock()
	os.WriteFile(filepath.Join(dir, "mail.db-wal"), []byte("new mail"), 0o600)
	waitFor("after new mail", func(c, e int) bool { return c == 2 && e == 2 })
	// A write that leaves the count as it was: no event.
	os.WriteFile(db, []byte("v2, longer"), 0o600)
	waitFor("after a write", func(c, e int) bool { return c == 3 })
	time.Sleep(50 * time.Millisecond)
	if _, e := state(); e != 2 {
		t.Fatalf("an unchanged count was announced: %d events", e)
	}
	// Signed out (kick, no file changed): the count drops to 0.
	mu.Lock()
	unread = 0
	mu.Unlock()
	kick <- struct{}{}
	waitFor("after the sign-out", func(c, e int) bool { return c == 4 && e == 3 })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not stop with its context")
	}
}

// Signed out of mail, the cache's unread count is no one's: badge 0.
func TestMailBadgeSignedOut(t *testing.T) {
	t.Setenv("DESKPORT_HOME", t.TempDir())
	opened := false
	m := NewMail(func(context.Context) (*mailcache.Cache, error) {
		opened = true
		return nil, errors.New("no cache in this test")
	}, func() (mailcache.Account, error) { return mailcache.Account{}, accounts.ErrNoAccount })
	if n, err := mailBadge(m); n != 0 || err != nil || opened {
		t.Errorf("signed out: badge %d, %v, cache opened %v", n, err, opened)
	}
	paths, _ := config.UserPaths()
	os.MkdirAll(paths.Config, 0o700)
	accounts.SaveBook(paths, accounts.Book{Mail: &accounts.Mail{Address: "alice@example.org"}})
	if _, err := mailBadge(m); err == nil || !opened {
		t.Errorf("signed in: the badge comes from the cache (err %v, opened %v)", err, opened)
	}
}
