package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/deskport/deskport/app"
	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/netx"
)

func init() {
	registerService(func() interface{} {
		s := app.NewFiles(openFilesFolder, desktopFileManager{goos: runtime.GOOS})
		s.Nav = windowNav{}
		s.ShareLinksOff = func() bool {
			cfg, err := loadSettings()
			return err != nil || cfg.Effective.NoShareLinks // an unreadable defaults file must not lift the admin's switch
		}
		s.OnUnauthorized = func() {
			if m, _, err := accountsManager(); err == nil {
				m.ReportUnauthorized(accounts.FilesKind)
			}
		}
		return s
	})
}

// filesDir is the synced folder: DESKPORT_FILES_DIR, DESKPORT_HOME/Files
// (tests, portable installs), or ~/Deskport.
func filesDir() (string, error) {
	if d := os.Getenv("DESKPORT_FILES_DIR"); d != "" {
		return d, nil
	}
	if h := os.Getenv(config.HomeEnv); h != "" {
		return filepath.Join(h, "Files"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Deskport"), nil
}

// filesDAVURL is the WebDAV files folder of a Nextcloud user.
func filesDAVURL(serverURL, userID string) string {
	return strings.TrimRight(serverURL, "/") + "/remote.php/dav/files/" + url.PathEscape(userID) + "/"
}

// openFilesFolder opens the signed-in files account's folder. The folder is
// created only on first use (no journal yet): later, a missing folder is a
// missing drive, never "everything was deleted".
type filesAccount struct{ url, user, password string }

// signedInFiles is the files account stored by deskport login / the app.
func signedInFiles() (filesAccount, error) {
	m, _, err := accountsManager()
	if err != nil {
		return filesAccount{}, err
	}
	acc, pw, err := m.Files()
	if err != nil {
		return filesAccount{}, fmt.Errorf("%w (sign in on the Accounts page or with deskport login)", err)
	}
	return filesAccount{url: filesDAVURL(acc.ServerURL, acc.UserID), user: acc.UserID, password: pw}, nil
}

func openFilesFolder(ctx context.Context) (*folder.Folder, error) {
	acc, err := signedInFiles()
	if err != nil {
		return nil, err
	}
	dir, err := filesDir()
	if err != nil {
		return nil, err
	}
	u := acc.url
	state, err := folder.DefaultStateDir(dir, u)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(state, "journal.db")); os.IsNotExist(err) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	return folder.Open(ctx, folder.Config{LocalDir: dir, FilesURL: u, User: acc.user, Password: acc.password, StateDir: state, HTTPClient: netx.Client()})
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
