package app

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/suitenav"
)

// LauncherApp is one tile of the launcher.
type LauncherApp struct {
	ID     string `json:"id"`     // suite app name: "files", "webmail", ...
	Name   string `json:"name"`   // English display name (the shell translates by id)
	NameDE string `json:"nameDe"` // German display name
	Letter string `json:"letter"` // icon glyph
	Color  string `json:"color"`  // icon colour
	URL    string `json:"url"`
	Key    int    `json:"key"` // Ctrl+Key opens it (1…9), 0 for none
}

// Apps lists the launcher's apps for a profile, in launcher order.
func Apps(p suite.Profile) []LauncherApp {
	entries := suitenav.Entries(p)
	out := make([]LauncherApp, 0, len(entries))
	for _, e := range entries {
		out = append(out, LauncherApp{ID: string(e.App), Name: e.Name, NameDE: e.NameDE, Letter: e.Letter, Color: e.Color, URL: e.URL, Key: e.Key})
	}
	return out
}

// Navigator loads a URL in the main window.
type Navigator interface{ Navigate(url string) }

// Launcher is the bound service behind the shell's launcher.
type Launcher struct {
	profile func() (suite.Profile, bool)
	nav     Navigator
	shell   string
	client  *http.Client

	mu     sync.Mutex
	badges map[string]func(context.Context) (int, error)
	local  []func() (LocalItem, bool)
}

// LocalItem is what Deskport keeps on this computer for one app (the synced
// folder, the mail cache): the launcher and the offline mode show it.
type LocalItem struct {
	ID       string    `json:"id"`       // the app: "files", "webmail"
	View     string    `json:"view"`     // the shell view that shows it: "files", "mail"
	State    string    `json:"state"`    // e.g. idle, syncing, paused, error, offline
	LastSync time.Time `json:"lastSync"` // zero: never
	Detail   string    `json:"detail"`   // e.g. the synced folder's path
}

// SetLocalSource registers a source of local status (a plain function so
// Wails does not bind it).
func SetLocalSource(l *Launcher, f func() (LocalItem, bool)) {
	l.mu.Lock()
	l.local = append(l.local, f)
	l.mu.Unlock()
}

// Local reports what is available on this computer, even offline.
func (l *Launcher) Local() []LocalItem {
	l.mu.Lock()
	src := append([]func() (LocalItem, bool){}, l.local...)
	l.mu.Unlock()
	out := []LocalItem{}
	for _, f := range src {
		if it, ok := f(); ok {
			out = append(out, it)
		}
	}
	return out
}

// NewLauncher makes the service. profile returns the connected suite (false
// when none is set up); shell is the shell's own address.
func NewLauncher(profile func() (suite.Profile, bool), nav Navigator, shell string, client *http.Client) *Launcher {
	if client == nil {
		client = &http.Client{}
	}
	return &Launcher{profile: profile, nav: nav, shell: shell, client: client, badges: map[string]func(context.Context) (int, error){}}
}

// SetLauncherClient sets the HTTP client for reachability checks (the shared
// one with the admin's proxy and CA bundle). A plain function, not bound.
func SetLauncherClient(l *Launcher, c *http.Client) {
	if c == nil {
		return
	}
	l.mu.Lock()
	l.client = c
	l.mu.Unlock()
}

// SetBadgeSource registers where an app's badge count comes from (mail
// cache unread count, Nextcloud notifications...). A plain function, not a
// method, so Wails does not bind it.
func SetBadgeSource(l *Launcher, app string, count func(context.Context) (int, error)) {
	l.mu.Lock()
	l.badges[app] = count
	l.mu.Unlock()
}

// Connected reports whether a suite is set up.
func (l *Launcher) Connected() bool {
	_, ok := l.profile()
	return ok
}

// Apps lists the launcher tiles (none when no suite is set up).
func (l *Launcher) Apps() []LauncherApp {
	p, ok := l.profile()
	if !ok {
		return []LauncherApp{}
	}
	return Apps(p)
}

// Open shows an app in the main window.
func (l *Launcher) Open(id string) error {
	for _, a := range l.Apps() {
		if a.ID == id {
			l.nav.Navigate(a.URL)
			return nil
		}
	}
	return errors.New("no such app: " + id)
}

// Home shows the shell.
func (l *Launcher) Home() { l.nav.Navigate(l.shell + "#/home") }

// Status checks every app and reports "online" or "offline" by id.
func (l *Launcher) Status() map[string]string {
	apps := l.Apps()
	out := make(map[string]string, len(apps))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, a := range apps {
		wg.Add(1)
		go func(a LauncherApp) {
			defer wg.Done()
			s := "offline"
			if l.reach(a.URL) {
				s = "online"
			}
			mu.Lock()
			out[a.ID] = s
			mu.Unlock()
		}(a)
	}
	wg.Wait()
	return out
}

// Badges returns the counts the registered sources report, by app id.
func (l *Launcher) Badges() map[string]int {
	l.mu.Lock()
	src := make(map[string]func(context.Context) (int, error), len(l.badges))
	for k, v := range l.badges {
		src[k] = v
	}
	l.mu.Unlock()
	out := map[string]int{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for id, f := range src {
		if n, err := f(ctx); err == nil && n > 0 {
			out[id] = n
		}
	}
	return out
}

// Reachable reports whether the suite page at pageURL answers again (the
// offline view polls it). Only the suite's own origins are probed.
func (l *Launcher) Reachable(pageURL string) bool {
	p, ok := l.profile()
	if !ok || suitenav.Policy(&p).OriginOf(pageURL) == "" {
		return false
	}
	o, _ := navpolicy.Origin(pageURL)
	return l.reach(o + "/")
}

// Return navigates back to a suite page after being offline.
func (l *Launcher) Return(pageURL string) error {
	p, ok := l.profile()
	if !ok || suitenav.Policy(&p).OriginOf(pageURL) == "" {
		return errors.New("not a page of the suite")
	}
	l.nav.Navigate(pageURL)
	return nil
}

func (l *Launcher) reach(u string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false
	}
	l.mu.Lock()
	c := l.client
	l.mu.Unlock()
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return true
}
