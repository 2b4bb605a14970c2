package main

import (
	"strconv"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/options"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// The application menu: Ctrl+1…9 open the suite's apps, Ctrl+0 and
// Ctrl+Shift+H go back to the shell, Ctrl+Q quits.
func init() {
	optionHooks = append(optionHooks, func(o *options.App) { o.Menu = appMenu() })
}

func appMenu() *menu.Menu {
	m := menu.NewMenu()
	d := m.AddSubmenu("Deskport")
	d.AddText("Home", keys.Combo("h", keys.CmdOrCtrlKey, keys.ShiftKey), func(*menu.CallbackData) { launcher.Home() })
	d.AddSeparator()
	d.AddText("Quit", keys.CmdOrCtrl("q"), func(*menu.CallbackData) {
		if navCtx != nil {
			wruntime.Quit(navCtx)
		}
	})
	a := m.AddSubmenu("Apps")
	a.AddText("Deskport home", keys.CmdOrCtrl("0"), func(*menu.CallbackData) { launcher.Home() })
	for _, app := range launcher.Apps() {
		if app.Key < 1 || app.Key > 9 {
			continue
		}
		id := app.ID
		a.AddText(app.Name, keys.CmdOrCtrl(strconv.Itoa(app.Key)), func(*menu.CallbackData) { launcher.Open(id) })
	}
	return m
}
