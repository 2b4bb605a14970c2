package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suite"
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

type appMeta struct {
	app    suite.App
	name   string
	letter string
	color  string
	nameDE string
}

// launcherOrder lists the apps a person opens (not dav or the IdP).
var launcherOrder = []appMeta{
	{suite.Portal, "Portal", "P", "#3b5bdb", "Portal"},
	{suite.Webmail, "Mail", "M", "#c92a2a", "E-Mail"},
	{suite.Files, "Files", "F", "#1971c2", "Dateien"},
	{suite.Office, "Office", "O", "#2b8a3e", "Office"},
	{suite.Chat, "Chat", "C", "#7048e8", "Chat"},
	{suite.Meet, "Video", "V", "#e8590c", "Video"},
	{suite.Projects, "Projects", "J", "#0c8599", "Projekte"},
	{suite.Wiki, "Wiki", "W", "#5c940d", "Wiki"},
}

// Apps lists the launcher's apps for a profile, in launcher order.
func Apps(p suite.Profile) []LauncherApp {
	out := make([]LauncherApp, 0, len(launcherOrder))
	for i, m := range launcherOrder {
		out = append(out, LauncherApp{ID: string(m.app), Name: m.name, NameDE: m.nameDE, Letter: m.letter, Color: m.color, URL: p.AppURL(m.app), Key: i + 1})
	}
	return out
}

// Policy is the navigation policy for a profile (nil profile: shell only).
// extra are origins the administrator allows besides the suite's.
func Policy(p *suite.Profile, extra ...string) *navpolicy.Policy {
	if p == nil {
		return navpolicy.New(extra)
	}
	return navpolicy.New(append(p.Origins(), extra...))
}

// AllowMedia grants camera and microphone only to pages on the meet origin.
func AllowMedia(p *suite.Profile, viewURI string) bool {
	if p == nil {
		return false
	}
	meet, ok := navpolicy.Origin(p.Origin(suite.Meet))
	if !ok {
		return false
	}
	u, err := url.Parse(viewURI)
	if err != nil || u.User != nil {
		return false
	}
	o, ok := navpolicy.Origin(viewURI)
	return ok && o == meet
}

// OfflinePage is the shell page shown instead of an engine error when the
// suite page failed cannot be reached; the shell returns to it later.
func OfflinePage(shell, failed string) string {
	return strings.TrimSuffix(shell, "/") + "/#/home/offline/" + url.PathEscape(failed)
}

// SwitcherScript is the script injected into suite pages: a small bar of
// links (the shell and each app). Links only: it calls nothing in Deskport.
// It runs in an isolated world and only on the suite's origins.
func SwitcherScript(p suite.Profile, shell string) string {
	type link struct {
		Name, NameDE, Letter, Color, URL string
	}
	links := []link{{"Deskport home", "Deskport-Start", "⌂", "#343a40", shell + "#/home"}}
	for _, a := range Apps(p) {
		links = append(links, link{a.Name, a.NameDE, a.Letter, a.Color, a.URL})
	}
	origins := []string{}
	for _, o := range p.Origins() {
		if n, ok := navpolicy.Origin(o); ok {
			origins = append(origins, n)
		}
	}
	lj, _ := json.Marshal(links)
	oj, _ := json.Marshal(origins)
	return strings.NewReplacer("__LINKS__", string(lj), "__ORIGINS__", string(oj)).Replace(switcherJS)
}

const switcherJS = `(function () {
  var links = __LINKS__, origins = __ORIGINS__;
  var de = /^de/i.test(navigator.language || '');
  if (window.top !== window || origins.indexOf(location.origin) < 0) return;
  if (document.getElementById('deskport-switcher')) return;
  var host = document.createElement('div');
  host.id = 'deskport-switcher';
  host.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:2147483647;';
  var root = host.attachShadow({ mode: 'closed' });
  var style = document.createElement('style');
  style.textContent = 'nav{display:flex;gap:4px;padding:4px;background:rgba(255,255,255,.95);border:1px solid #ced4da;border-radius:10px;box-shadow:0 2px 8px rgba(0,0,0,.2);font:600 13px sans-serif}' +
    'a{display:flex;align-items:center;justify-content:center;width:28px;height:28px;border-radius:7px;color:#fff;text-decoration:none}' +
    'a:focus-visible{outline:3px solid #fab005;outline-offset:1px}a[aria-current]{box-shadow:inset 0 0 0 2px #fff,0 0 0 2px #212529}';
  var nav = document.createElement('nav');
  nav.setAttribute('aria-label', de ? 'Deskport: Anwendungen' : 'Deskport: apps');
  links.forEach(function (l) {
    var a = document.createElement('a');
    a.href = l.URL;
    a.textContent = l.Letter;
    a.title = de ? l.NameDE : l.Name;
    a.setAttribute('aria-label', a.title);
    a.style.background = l.Color;
    try { if (new URL(l.URL).origin === location.origin) a.setAttribute('aria-current', 'page'); } catch (e) {}
    nav.appendChild(a);
  });
  root.append(style, nav);
  (document.body || document.documentElement).appendChild(host);
})();`

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
	if !ok || Policy(&p).OriginOf(pageURL) == "" {
		return false
	}
	o, _ := navpolicy.Origin(pageURL)
	return l.reach(o + "/")
}

// Return navigates back to a suite page after being offline.
func (l *Launcher) Return(pageURL string) error {
	p, ok := l.profile()
	if !ok || Policy(&p).OriginOf(pageURL) == "" {
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
