// Package suitenav is what the window derives from the connected suite: the
// origins its pages may be shown from (the navigation policy), which page
// may use camera and microphone, the app switcher injected into suite pages,
// the launcher's order of apps, and the address of the offline view. Plain
// functions of a suite.Profile, shared by the window (app/), the WebView2
// page guard (internal/webguard) and their tests.
package suitenav

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/deskport/deskport/internal/navpolicy"
	"github.com/deskport/deskport/internal/suite"
)

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

// An Entry is one of the suite's apps as the launcher, the menu and the
// switcher show it.
type Entry struct {
	App                              suite.App
	Name, NameDE, Letter, Color, URL string
	Key                              int // Ctrl+Key opens it (1…9)
}

// Entries lists the apps a person opens, in launcher order.
func Entries(p suite.Profile) []Entry {
	out := make([]Entry, 0, len(launcherOrder))
	for i, m := range launcherOrder {
		out = append(out, Entry{App: m.app, Name: m.name, NameDE: m.nameDE, Letter: m.letter, Color: m.color, URL: p.AppURL(m.app), Key: i + 1})
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
	for _, a := range Entries(p) {
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
