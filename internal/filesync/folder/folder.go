// Package folder wires one synced folder together: WebDAV client, journal,
// ignore list and engine, with the state kept under Deskport's data folder.
package folder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/filesync/ignore"
	"github.com/deskport/deskport/internal/filesync/names"
	"github.com/deskport/deskport/internal/notifypush"
	"github.com/deskport/deskport/internal/webdav"
)

// Config names one folder pair and how to reach the server.
type Config struct {
	LocalDir string
	FilesURL string // e.g. https://cloud.example.org/remote.php/dav/files/alice/
	User     string
	Password string
	// StateDir holds journal.db and ignore.txt (default: DefaultStateDir).
	StateDir       string
	Exclude        []string
	Parallel       int
	LimitBytes     int64
	ConfirmDeletes bool
	HTTPClient     *http.Client // nil: webdav's default (TLS verified)
	Logf           func(string, ...any)
	Progress       func(filesync.Progress)

	// StallTimeout: a transfer with no progress for this long is given up
	// until the next pass (0: webdav.DefaultStallTimeout).
	StallTimeout time.Duration
}

// Folder is an open sync folder.
type Folder struct {
	Engine  *filesync.Engine
	Journal *filesync.Journal
	Client  *webdav.Client
	Config  Config
	lock    *os.File
	given   []string // excluded by the caller (--exclude), not from exclude.txt
}

// DefaultStateDir is <data>/files/<hash of the pair>.
func DefaultStateDir(localDir, filesURL string) (string, error) {
	p, err := config.UserPaths()
	if err != nil {
		return "", err
	}
	abs, _ := filepath.Abs(localDir)
	h := sha256.Sum256([]byte(abs + "\x00" + filesURL))
	return filepath.Join(p.Data, "files", hex.EncodeToString(h[:8])), nil
}

// Open checks the config and opens journal and engine; nothing is synced yet.
func Open(ctx context.Context, c Config) (*Folder, error) {
	if c.LocalDir == "" || c.FilesURL == "" || c.User == "" {
		return nil, fmt.Errorf("a local folder, the server's files URL and a user are needed")
	}
	abs, err := filepath.Abs(c.LocalDir)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("the local folder %s does not exist: create it first (Deskport does not create it, so that a missing drive is never taken for an empty folder)", abs)
	}
	c.LocalDir = abs
	c.FilesURL = strings.TrimRight(c.FilesURL, "/") + "/"
	if c.StateDir == "" {
		if c.StateDir, err = DefaultStateDir(abs, c.FilesURL); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(c.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the state folder %s: %w", c.StateDir, err)
	}
	lock, err := os.OpenFile(filepath.Join(c.StateDir, "lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		return nil, fmt.Errorf("another Deskport is already syncing %s (state in %s); stop it first", abs, c.StateDir)
	}
	ok := false
	defer func() {
		if !ok {
			lock.Close()
		}
	}()
	cl, err := webdav.New(webdav.Options{FilesURL: c.FilesURL, User: c.User, Password: c.Password, HTTPClient: c.HTTPClient, StallTimeout: c.StallTimeout})
	if err != nil {
		return nil, err
	}
	ign, err := ignore.Load(filepath.Join(c.StateDir, "ignore.txt"), false)
	if err != nil {
		return nil, err
	}
	deselected, err := readLines(filepath.Join(c.StateDir, "exclude.txt"))
	if err != nil {
		return nil, err
	}
	given := c.Exclude
	c.Exclude = append(append([]string(nil), given...), deselected...)
	j, err := filesync.OpenJournal(ctx, filepath.Join(c.StateDir, "journal.db"), abs, c.FilesURL)
	if err != nil {
		return nil, err
	}
	e, err := filesync.New(filesync.Options{LocalDir: abs, Remote: davremote.New(cl), Journal: j, Ignore: ign,
		Exclude: c.Exclude, Parallel: c.Parallel, Limit: c.LimitBytes, ConfirmDeletes: c.ConfirmDeletes,
		Logf: c.Logf, Progress: c.Progress, Push: pushFor(c)})
	if err != nil {
		j.Close()
		return nil, err
	}
	ok = true
	return &Folder{Engine: e, Journal: j, Client: cl, Config: c, lock: lock, given: given}, nil
}

// Close flushes and closes the journal and lets another process sync the folder.
func (f *Folder) Close() error {
	err := f.Journal.Close()
	if f.lock != nil {
		f.lock.Close()
	}
	return err
}

// pushFor is Nextcloud's notify_push for a Nextcloud files URL (Run then
// polls only while it is down, or when the server has none), nil otherwise.
func pushFor(c Config) filesync.Notifier {
	root := notifypush.ServerURLOf(c.FilesURL)
	if root == "" {
		return nil
	}
	logf := c.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return notifypush.New(notifypush.Config{ServerURL: root, User: c.User, Password: c.Password,
		HTTPClient: c.HTTPClient, Logf: logf})
}

// OpenJournal opens only the journal of a state folder (for status).
func OpenJournal(ctx context.Context, stateDir string) (*filesync.Journal, error) {
	p := filepath.Join(stateDir, "journal.db")
	if _, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("no sync state in %s: run deskport files sync first", stateDir)
	}
	return filesync.OpenJournal(ctx, p, "", "")
}

func readLines(p string) ([]string, error) {
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", p, err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}

// Lists are the user's extra ignore patterns (the defaults always apply)
// and the server folders not synced.
type Lists struct {
	Ignore   []string `json:"ignore"`
	Excluded []string `json:"excluded"`
}

// Lists reads the folder's lists.
func (f *Folder) Lists() (Lists, error) {
	ig, err := readLines(filepath.Join(f.Config.StateDir, "ignore.txt"))
	if err != nil {
		return Lists{}, err
	}
	ex, err := readLines(filepath.Join(f.Config.StateDir, "exclude.txt"))
	return Lists{Ignore: ig, Excluded: ex}, err
}

// SetLists checks and saves the lists and applies them from the next pass.
func (f *Folder) SetLists(l Lists) error {
	ign, err := ignore.New(append(append([]string(nil), ignore.Defaults...), l.Ignore...))
	if err != nil {
		return err
	}
	for i, x := range l.Excluded {
		x = strings.Trim(strings.TrimSpace(x), "/")
		if err := names.CheckPath(x, "linux"); err != nil {
			return fmt.Errorf("excluded folder %q: %w", x, err)
		}
		l.Excluded[i] = x
	}
	for name, lines := range map[string][]string{"ignore.txt": l.Ignore, "exclude.txt": l.Excluded} {
		data := strings.Join(lines, "\n")
		if data != "" {
			data += "\n"
		}
		if err := config.WriteFileAtomic(filepath.Join(f.Config.StateDir, name), []byte(data), 0o600); err != nil {
			return err
		}
	}
	f.Engine.SetFilters(ign, append(append([]string(nil), f.given...), l.Excluded...))
	return nil
}
