package app

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/workspace"
)

// filesService is the Files view's service, on the signed-in files
// account's synced folder.
func filesService() *Files {
	s := NewFiles(ws.OpenFilesFolder, desktopFileManager{goos: runtime.GOOS})
	s.Nav = windowNav{}
	s.Poll = workspace.FilesPoll()
	s.ShareLinksOff = func() bool {
		cfg, err := workspace.LoadSettings()
		return err != nil || cfg.Effective.NoShareLinks // an unreadable defaults file must not lift the admin's switch
	}
	s.OnUnauthorized = func() {
		if m, _, err := ws.Accounts(); err == nil {
			m.ReportUnauthorized(accounts.FilesKind)
		}
	}
	return s
}

// desktopFileManager opens files with the desktop's default apps.
type desktopFileManager struct{ goos string }

// fileManagerCommand is the command that opens (or reveals) path on goos.
func fileManagerCommand(goos, path string, reveal bool) []string {
	switch goos {
	case "windows":
		if reveal {
			return []string{"explorer.exe", "/select," + path}
		}
		return []string{"rundll32.exe", "url.dll,FileProtocolHandler", path}
	case "darwin":
		if reveal {
			return []string{"open", "-R", path}
		}
		return []string{"open", path}
	default:
		if reveal {
			path = filepath.Dir(path)
		}
		return []string{"xdg-open", path}
	}
}

func (d desktopFileManager) run(path string, reveal bool) error {
	c := fileManagerCommand(d.goos, path, reveal)
	cmd := exec.Command(c[0], c[1:]...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot open %s: %w", path, err)
	}
	go cmd.Wait()
	return nil
}

func (d desktopFileManager) Open(path string) error   { return d.run(path, false) }
func (d desktopFileManager) Reveal(path string) error { return d.run(path, true) }
