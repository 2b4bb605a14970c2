//go:build windows

package app

import (
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/deskport/deskport/internal/config"
)

// Before wails.Run (option hooks run first): a sign-out in the last run
// asked for the WebView2 profile to go.
var webSessionPart = part{
	options: func(*options.App) {
		paths, err := config.UserPaths()
		if err != nil {
			return
		}
		if _, err := applyWebSessionReset(paths.Data, webviewUserDataPath(paths.Data)); err != nil {
			fmt.Fprintln(os.Stderr, "deskport:", err)
		}
	},
}

// clearWebSession cannot reach WebView2's cookies from Wails v2: the session
// is deleted at the next start.
func clearWebSession() error {
	paths, err := config.UserPaths()
	if err != nil {
		return err
	}
	return markWebSessionReset(paths.Data)
}
