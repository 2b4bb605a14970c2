package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"

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
}
