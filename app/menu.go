package app

import (
	"os"
	"strconv"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/options"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// The application menu: Ctrl+1…9 open the suite's apps, Ctrl+0 and
// Ctrl+Shift+H go back to the shell, Ctrl+Q quits.
var menuPart = part{options: func(o *options.App) { o.Menu = appMenu() }}

// menuText is the menu's wording in the UI language.
func menuText(german bool) map[string]string {
	if german {
		return map[string]string{"home": "Startseite", "quit": "Beenden", "apps": "Anwendungen", "shell": "Deskport-Start",
			"go": "Gehe", "back": "Zurück", "forward": "Vorwärts", "reload": "Neu laden"}
	}
	return map[string]string{"home": "Home", "quit": "Quit", "apps": "Apps", "shell": "Deskport home",
		"go": "Go", "back": "Back", "forward": "Forward", "reload": "Reload"}
}

// germanUI follows the locale environment (LC_ALL, LC_MESSAGES, LANG), as
// the web view's navigator.language does on Linux.
func germanUI(getenv func(string) string) bool {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return strings.HasPrefix(strings.ToLower(v), "de")
		}
	}
	return false
}

func appMenu() *menu.Menu {
	tx := menuText(germanUI(os.Getenv))
	german := germanUI(os.Getenv)
	m := menu.NewMenu()
	d := m.AddSubmenu("Deskport")
	d.AddText(tx["home"], keys.Combo("h", keys.CmdOrCtrlKey, keys.ShiftKey), func(*menu.CallbackData) { launcher.Home() })
	d.AddSeparator()
	d.AddText(tx["quit"], keys.CmdOrCtrl("q"), func(*menu.CallbackData) {
		if navCtx != nil {
			wruntime.Quit(navCtx)
		}
	})
	g := m.AddSubmenu(tx["go"])
	g.AddText(tx["back"], keys.OptionOrAlt("left"), func(*menu.CallbackData) { history(-1) })
	g.AddText(tx["forward"], keys.OptionOrAlt("right"), func(*menu.CallbackData) { history(1) })
	g.AddText(tx["reload"], keys.Key("f5"), func(*menu.CallbackData) { history(0) })
	a := m.AddSubmenu(tx["apps"])
	a.AddText(tx["shell"], keys.CmdOrCtrl("0"), func(*menu.CallbackData) { launcher.Home() })
	for _, entry := range launcher.Apps() {
		if entry.Key < 1 || entry.Key > 9 {
			continue
		}
		id, name := entry.ID, entry.Name
		if german {
			name = entry.NameDE
		}
		a.AddText(name, keys.CmdOrCtrl(strconv.Itoa(entry.Key)), func(*menu.CallbackData) { launcher.Open(id) })
	}
	return m
}
