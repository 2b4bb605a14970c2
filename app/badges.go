package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/ncnotify"
	"github.com/deskport/deskport/internal/workspace"
)

// Launcher badges from data: unread mail in the INBOX from the mail cache,
// and Nextcloud notifications from the OCS API (new ones also become desktop
// notifications through the Wails runtime).

const notifyEvery = 2 * time.Minute

// notifyInterval is notifyEvery, or DESKPORT_NOTIFY_EVERY (a Go duration,
// at least 1s) for end-to-end tests that cannot wait two minutes.
func notifyInterval() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("DESKPORT_NOTIFY_EVERY")); err == nil && d >= time.Second {
		return d
	}
	return notifyEvery
}

var ncCount atomic.Int64

// badgeMail is the bound mail service, for the mail badge.
var badgeMail *Mail

var badgesPart = part{
	options: func(o *options.App) {
		for _, b := range o.Bind {
			if m, ok := b.(*Mail); ok {
				badgeMail = m
				SetBadgeSource(launcher, "webmail", func(ctx context.Context) (int, error) { return mailBadge(m) })
			}
		}
		SetBadgeSource(launcher, "files", func(context.Context) (int, error) { return int(ncCount.Load()), nil })
	},
	startup: func(ctx context.Context) {
		if bindingsBuild {
			return
		}
		go notificationLoop(ctx)
		if m := badgeMail; m != nil {
			kick := make(chan struct{}, 1)
			appAccounts().OnChange(func(k accounts.Kind) {
				if k == accounts.MailKind {
					select {
					case kick <- struct{}{}:
					default:
					}
				}
			})
			go watchMailBadge(ctx, mailBadgeEvery, mailCacheDir(), kick, func() (int, error) { return mailBadge(m) },
				func() { wruntime.EventsEmit(ctx, "deskport:badges") })
		}
	},
}

// mailBadge is the launcher's mail count: the cache's unread messages in
// the inbox while a mail account is signed in. After a sign-out the cache
// stays (offline copy) but is no one's unread mail.
func mailBadge(m *Mail) (int, error) {
	if !mailSignedIn() {
		return 0, nil
	}
	return inboxUnread(m)
}

// The mail badge follows the cache while the launcher is shown: the cache's
// folder is looked at every mailBadgeEvery (a directory listing and a stat
// per entry, no database query); when a file changed (a sync stored mail, a
// message was marked read) or the mail account was signed in or out, the
// count is read again, and the shell is told when it differs. A Go listener
// on the mail service's "mail:changed" event would not do: when the page
// drops its last listener of an event (the user leaves the mail view),
// Wails v2 removes that event's Go listeners too.
const mailBadgeEvery = 2 * time.Second

// mailCacheDir is the folder the mail service opens the mail cache in.
func mailCacheDir() string {
	paths, err := config.UserPaths()
	if err != nil {
		return ""
	}
	return workspace.MailCacheDir(paths)
}

// dirStamp sums up a folder's entries (name, size, modification time): any
// write to a file in it changes it.
func dirStamp(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "missing"
	}
	var b strings.Builder
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			fmt.Fprintf(&b, "%s %d %d\n", e.Name(), fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// watchMailBadge reads count when dir changed or kick fires (and once at
// the start), and calls changed when the count differs from the last one.
// A failed count is tried again at the next tick.
func watchMailBadge(ctx context.Context, every time.Duration, dir string, kick <-chan struct{}, count func() (int, error), changed func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	last, stamp, recount := -1, "", true
	for {
		if s := dirStamp(dir); recount || s != stamp {
			stamp = s
			if n, err := count(); err != nil {
				stamp = "" // again next time
			} else if n != last {
				last = n
				changed()
			}
		}
		recount = false
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
			recount = true
		}
	}
}

func inboxUnread(m *Mail) (int, error) {
	folders, err := m.Folders()
	if err != nil {
		return 0, err
	}
	for _, f := range folders {
		if strings.EqualFold(f.Name, "INBOX") {
			return f.Unread, nil
		}
	}
	return 0, nil
}

// fetchNextcloudNotifications uses the signed-in files account.
func fetchNextcloudNotifications(ctx context.Context) ([]ncnotify.Notification, error) {
	m, _, err := ws.Accounts()
	if err != nil {
		return nil, err
	}
	f, secret, err := m.Files()
	if err != nil {
		return nil, err
	}
	return ncnotify.Fetch(ctx, m.HTTP, f.ServerURL, f.LoginName, secret)
}

func notificationLoop(ctx context.Context) {
	desktop := wruntime.InitializeNotifications(ctx) == nil && wruntime.IsNotificationAvailable(ctx)
	if !desktop {
		fmt.Fprintln(os.Stderr, "deskport: desktop notifications unavailable")
	}
	var tr ncnotify.Tracker
	t := time.NewTicker(notifyInterval())
	defer t.Stop()
	for {
		pollNotifications(ctx, fetchNextcloudNotifications, &tr, func(n ncnotify.Notification) {
			if desktop {
				if err := wruntime.SendNotification(ctx, desktopNotification(n)); err != nil {
					fmt.Fprintln(os.Stderr, "deskport: desktop notification:", err)
				}
			}
		}, func() { wruntime.EventsEmit(ctx, "deskport:badges") })
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pollNotifications runs one round: count for the badge, announce new ones,
// tell the shell when the count changed.
func pollNotifications(ctx context.Context, fetch func(context.Context) ([]ncnotify.Notification, error), tr *ncnotify.Tracker, announce func(ncnotify.Notification), changed func()) {
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	list, err := fetch(c)
	if err != nil {
		if !signedOutErr(err) {
			return // offline or a server hiccup: keep the last count
		}
		// Signed out, password refused, or no notifications app: no count
		// to show, and the next account starts with a fresh tracker (its
		// first poll only records).
		tr.Reset()
		if ncCount.Swap(0) != 0 {
			changed()
		}
		return
	}
	for _, n := range tr.New(list) {
		announce(n)
	}
	if old := ncCount.Swap(int64(len(list))); old != int64(len(list)) {
		changed()
	}
}

// signedOutErr: errors after which the old count means nothing any more.
func signedOutErr(err error) bool {
	return errors.Is(err, accounts.ErrNoAccount) || errors.Is(err, accounts.ErrSignInAgain) ||
		errors.Is(err, ncnotify.ErrUnauthorized) || errors.Is(err, ncnotify.ErrUnavailable)
}

func desktopNotification(n ncnotify.Notification) wruntime.NotificationOptions {
	title := n.Subject
	if title == "" {
		title = "Nextcloud"
	}
	return wruntime.NotificationOptions{ID: "nc-" + strconv.FormatInt(n.ID, 10), Title: title, Body: n.Message}
}

// localSources: the synced folder and the mail cache, for the launcher and
// the offline mode.
var localSourcesPart = part{
	options: func(o *options.App) {
		for _, b := range o.Bind {
			switch s := b.(type) {
			case *Files:
				SetLocalSource(launcher, func() (LocalItem, bool) {
					if !filesSignedIn() {
						return LocalItem{}, false
					}
					st, err := s.Status()
					if err != nil || !st.Ready {
						return LocalItem{}, false
					}
					return LocalItem{ID: "files", View: "files", State: st.Sync.State, LastSync: st.Sync.LastSync, Detail: st.Folder}, true
				})
			case *Mail:
				SetLocalSource(launcher, func() (LocalItem, bool) {
					if !mailSignedIn() {
						return LocalItem{}, false
					}
					st, err := s.Status()
					if err != nil {
						return LocalItem{}, false
					}
					state := "idle"
					switch {
					case st.Syncing:
						state = "syncing"
					case st.LastError != "":
						state = "error"
					case !st.Online:
						state = "offline"
					}
					return LocalItem{ID: "webmail", View: "mail", State: state, LastSync: st.LastSync}, true
				})
			}
		}
	},
}

func mailSignedIn() bool  { return workspace.MailSignedIn() }
func filesSignedIn() bool { return workspace.FilesSignedIn() }
