package workspace

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/netx"
)

// FilesDir is the synced folder: DESKPORT_FILES_DIR, DESKPORT_HOME/Files
// (tests, portable installs), or ~/Deskport.
func FilesDir() (string, error) {
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

// FilesDAVURL is the WebDAV files folder of a Nextcloud user.
func FilesDAVURL(serverURL, userID string) string {
	return strings.TrimRight(serverURL, "/") + "/remote.php/dav/files/" + url.PathEscape(userID) + "/"
}

// FilesAccount is the signed-in files account as the sync engine needs it.
type FilesAccount struct{ URL, User, Password string }

// SignedInFiles is the files account stored by 'deskport login' or the window.
func (w *Workspace) SignedInFiles() (FilesAccount, error) {
	m, _, err := w.Accounts()
	if err != nil {
		return FilesAccount{}, err
	}
	acc, pw, err := m.Files()
	if err != nil {
		return FilesAccount{}, fmt.Errorf("%w (sign in on the Accounts page or with deskport login)", err)
	}
	return FilesAccount{URL: FilesDAVURL(acc.ServerURL, acc.UserID), User: acc.UserID, Password: pw}, nil
}

// OpenFilesFolder opens the signed-in files account's synced folder. The
// folder is created only on first use (no journal yet): later, a missing
// folder is a missing drive, never "everything was deleted".
func (w *Workspace) OpenFilesFolder(ctx context.Context) (*folder.Folder, error) {
	acc, err := w.SignedInFiles()
	if err != nil {
		return nil, err
	}
	dir, err := FilesDir()
	if err != nil {
		return nil, err
	}
	state, err := folder.DefaultStateDir(dir, acc.URL)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(state, "journal.db")); os.IsNotExist(err) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	return folder.Open(ctx, folder.Config{LocalDir: dir, FilesURL: acc.URL, User: acc.User, Password: acc.Password, StateDir: state, HTTPClient: netx.Client()})
}

// FilesPoll is how often file sync asks the server for changes while no
// push channel is up: the settings' filesPollSeconds, or 0 (the engine's
// default of a minute) when unset or unreadable.
func FilesPoll() time.Duration {
	cfg, err := LoadSettings()
	if err != nil {
		return 0
	}
	return time.Duration(cfg.Effective.FilesPollSeconds) * time.Second
}
