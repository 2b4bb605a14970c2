//go:build windows

package doctor

import (
	"fmt"

	"golang.org/x/sys/windows"

	"github.com/deskport/deskport/internal/config"
	"golang.org/x/sys/windows/registry"
)

const webView2Client = `SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}`

// FindWebKit looks for the WebView2 runtime, machine-wide or per user.
func FindWebKit() (string, error) {
	for _, k := range []struct {
		root registry.Key
		path string
	}{
		{registry.LOCAL_MACHINE, `SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}`},
		{registry.LOCAL_MACHINE, webView2Client},
		{registry.CURRENT_USER, webView2Client},
	} {
		key, err := registry.OpenKey(k.root, k.path, registry.QUERY_VALUE)
		if err != nil {
			continue
		}
		v, _, err := key.GetStringValue("pv")
		key.Close()
		if ok, ver := WebView2Installed(v); err == nil && ok {
			return windowGuard("WebView2 " + ver)
		}
	}
	return "", fmt.Errorf("the Microsoft Edge WebView2 Runtime is not installed")
}

// windowGuard adds what the window recorded at its last start about its
// WebView2 hooks; a failed installation fails the check (the window then
// shows no suite page; a live check is `deskport doctor --window`).
func windowGuard(engine string) (string, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return engine, nil
	}
	d, err := WindowGuardState(paths.Data)
	if err != nil {
		return "", fmt.Errorf("%s; %w", engine, err)
	}
	return engine + "; " + d, nil
}

func freeBytes(dir string) (uint64, bool) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, false
	}
	var free uint64
	if windows.GetDiskFreeSpaceEx(p, &free, nil, nil) != nil {
		return 0, false
	}
	return free, true
}
