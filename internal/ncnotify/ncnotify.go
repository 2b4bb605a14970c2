// Package ncnotify reads a Nextcloud user's notifications from the OCS API
// (/ocs/v2.php/apps/notifications/api/v2/notifications) for the launcher's
// badge and desktop notifications: data from the server, not page scraping.
package ncnotify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Notification is one entry as Nextcloud reports it.
type Notification struct {
	ID       int64  `json:"notification_id"`
	App      string `json:"app"`
	Subject  string `json:"subject"`
	Message  string `json:"message"`
	Link     string `json:"link"`
	Datetime string `json:"datetime"`
}

// ErrUnauthorized means the saved app password was refused (sign in again).
var ErrUnauthorized = errors.New("ncnotify: the server refused the saved password")

// ErrUnavailable means the notifications app is not installed or disabled.
var ErrUnavailable = errors.New("ncnotify: the server has no notifications app")

// Path is the OCS endpoint below the server URL.
const Path = "/ocs/v2.php/apps/notifications/api/v2/notifications?format=json"

// Fetch lists the user's current notifications, newest first.
func Fetch(ctx context.Context, client *http.Client, serverURL, login, secret string) ([]Notification, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(serverURL, "/")+Path, nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(login, secret)
	req.Header.Set("OCS-APIRequest", "true")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return nil, ErrUnauthorized
	case http.StatusNotFound:
		return nil, ErrUnavailable
	case http.StatusNoContent:
		return nil, nil // the app answers 204 when it has nothing to show for this user
	default:
		return nil, fmt.Errorf("ncnotify: server answered %s", resp.Status)
	}
	var body struct {
		OCS struct {
			Data []Notification `json:"data"`
		} `json:"ocs"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&body); err != nil {
		return nil, fmt.Errorf("ncnotify: unreadable answer: %v", err)
	}
	sort.SliceStable(body.OCS.Data, func(i, j int) bool { return body.OCS.Data[i].ID > body.OCS.Data[j].ID })
	return body.OCS.Data, nil
}

// Tracker remembers which notifications were already announced, so each is
// shown on the desktop once. The first poll only records (no burst of old
// notifications at start-up).
type Tracker struct {
	mu     sync.Mutex
	primed bool
	seen   map[int64]bool
}

// New returns the notifications not seen in earlier calls.
func (t *Tracker) New(list []Notification) []Notification {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == nil {
		t.seen = map[int64]bool{}
	}
	var out []Notification
	now := map[int64]bool{}
	for _, n := range list {
		now[n.ID] = true
		if !t.seen[n.ID] && t.primed {
			out = append(out, n)
		}
	}
	t.seen = now // dismissed ones are forgotten
	t.primed = true
	return out
}

// Reset forgets everything (after a sign-out): the next call only records.
func (t *Tracker) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.primed, t.seen = false, nil
}
