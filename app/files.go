package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/filesync/names"
	"github.com/deskport/deskport/internal/ncshare"
)

// FileManager shows files in the desktop's apps.
type FileManager interface {
	Open(path string) error   // open with the default app
	Reveal(path string) error // show in the file manager
}

// Files is the service behind the files view (frontend/src/views/files.ts).
//
// Events it emits:
//   - "files:status" (FilesStatus): after every pass and while transferring.
type Files struct {
	open func(ctx context.Context) (*folder.Folder, error)
	fm   FileManager
	rt   Runtime

	mu      sync.Mutex
	f       *folder.Folder
	openErr error
	ctx     context.Context
	drop    FilesDrop
	// OnUnauthorized is called when the server refuses the saved password
	// (the accounts view then asks to sign in again).
	OnUnauthorized func()
	lastEmit       time.Time
	emitDue        bool // a progress emit waits for its 500 ms
	// ShareLinksOff reports whether the administrator turned share links off.
	ShareLinksOff func() bool
	// Nav shows a page of the suite in Deskport's window.
	Nav Navigator
	// Poll is how often to ask the server for changes without push (0: the engine's default).
	Poll time.Duration
}

// FilesDrop is the progress of copying dropped files in.
type FilesDrop struct {
	Active bool   `json:"active"`
	Done   int64  `json:"done"`
	Total  int64  `json:"total"`
	Error  string `json:"error"`
}

// FilesStatus is everything the view shows.
type FilesStatus struct {
	Folder    string               `json:"folder"`
	Server    string               `json:"server"`
	Ready     bool                 `json:"ready"` // false: no account or folder yet (see Problem)
	Problem   string               `json:"problem"`
	Sync      filesync.Status      `json:"sync"`
	Files     int                  `json:"files"`
	Bytes     int64                `json:"bytes"`
	Conflicts []filesync.Conflict  `json:"conflicts"`
	Errors    []filesync.FileError `json:"errors"`
	Drop      FilesDrop            `json:"drop"`
}

// NewFiles makes the service; open opens the signed-in account's folder.
func NewFiles(open func(ctx context.Context) (*folder.Folder, error), fm FileManager) *Files {
	return &Files{open: open, fm: fm, rt: noRuntime{}, ctx: context.Background()}
}

// Startup gets Wails' context, starts syncing and accepts dropped files.
func (s *Files) Startup(ctx context.Context) {
	s.rt = NewWailsRuntime(ctx)
	s.ctx = ctx
	// Dropped files are handled by the frontend (frontend/src/views/filedrop.ts),
	// which knows the folder row under the pointer and calls DropFiles.
	go s.run(ctx)
}

func (s *Files) folder() (*folder.Folder, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		return s.f, nil
	}
	f, err := s.open(s.ctx)
	if err != nil {
		s.openErr = err
		return nil, err
	}
	s.f, s.openErr = f, nil
	f.Engine.SetProgress(func(filesync.Progress) { s.progressed() })
	return f, nil
}

// progressed emits the status at most every 500 ms; progress within those
// 500 ms is emitted when they are up, also when no more comes (a stall).
func (s *Files) progressed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if wait := 500*time.Millisecond - time.Since(s.lastEmit); wait > 0 {
		if !s.emitDue {
			s.emitDue = true
			time.AfterFunc(wait, func() {
				s.mu.Lock()
				s.emitDue, s.lastEmit = false, time.Now()
				s.mu.Unlock()
				s.emit()
			})
		}
		return
	}
	s.lastEmit = time.Now()
	go s.emit()
}

func (s *Files) run(ctx context.Context) {
	for ctx.Err() == nil {
		f, err := s.folder()
		if err != nil {
			s.emit()
			select {
			case <-ctx.Done():
				return
			case <-time.After(30 * time.Second): // not signed in yet
			}
			continue
		}
		f.Engine.Run(ctx, filesync.RunOptions{Poll: s.Poll, OnPass: func(_ filesync.Result, err error) {
			if errors.Is(err, filesync.ErrUnauthorized) && s.OnUnauthorized != nil {
				s.OnUnauthorized()
			}
			s.emit()
		}})
	}
}

func (s *Files) emit() {
	st, _ := s.Status()
	s.rt.Emit("files:status", st)
}

// Status returns the folder's state, conflicts and errors.
func (s *Files) Status() (FilesStatus, error) {
	var st FilesStatus
	s.folder() // an error is shown as Problem
	s.mu.Lock()
	f, oerr, drop := s.f, s.openErr, s.drop
	s.mu.Unlock()
	st.Drop = drop
	if f == nil {
		if oerr != nil {
			st.Problem = oerr.Error()
		} else {
			st.Problem = "starting"
		}
		return st, nil
	}
	ctx := context.Background()
	st.Ready, st.Folder, st.Server = true, f.Config.LocalDir, f.Config.FilesURL
	st.Sync = f.Engine.Status()
	var err error
	if st.Files, _, st.Bytes, err = f.Journal.Summary(ctx); err != nil {
		return st, err
	}
	if st.Conflicts, err = f.Journal.Conflicts(ctx); err != nil {
		return st, err
	}
	st.Errors, err = f.Journal.Errors(ctx)
	return st, err
}

func (s *Files) withFolder(fn func(f *folder.Folder) error) error {
	f, err := s.folder()
	if err != nil {
		return err
	}
	err = fn(f)
	s.emit()
	return err
}

// Pause stops syncing until Resume.
func (s *Files) Pause() error {
	return s.withFolder(func(f *folder.Folder) error { f.Engine.Pause(); return nil })
}

// Resume syncs again, starting now.
func (s *Files) Resume() error {
	return s.withFolder(func(f *folder.Folder) error { f.Engine.Resume(); return nil })
}

// SyncNow starts a pass.
func (s *Files) SyncNow() error {
	return s.withFolder(func(f *folder.Folder) error { f.Engine.SyncNow(); return nil })
}

// ConfirmDeletes lets the deletions the guard stopped go ahead.
func (s *Files) ConfirmDeletes() error {
	return s.withFolder(func(f *folder.Folder) error { f.Engine.ConfirmDeletes(); return nil })
}

// abs turns a path relative to the folder into an absolute one inside it.
func abs(f *folder.Folder, rel string) (string, error) {
	if err := names.CheckPath(rel, runtime.GOOS); err != nil {
		return "", err
	}
	return filepath.Join(f.Config.LocalDir, filepath.FromSlash(rel)), nil
}

func (s *Files) conflict(f *folder.Folder, copyPath string) (filesync.Conflict, error) {
	cs, err := f.Journal.Conflicts(context.Background())
	if err != nil {
		return filesync.Conflict{}, err
	}
	for _, c := range cs {
		if c.Copy == copyPath {
			return c, nil
		}
	}
	return filesync.Conflict{}, fmt.Errorf("no conflict %q (already resolved?)", copyPath)
}

// KeepMine puts the local edit (the conflict copy) back under the original
// name; the next pass uploads it over the server's version, which stays in
// the server's version history.
func (s *Files) KeepMine(copyPath string) error {
	return s.withFolder(func(f *folder.Folder) error {
		c, err := s.conflict(f, copyPath)
		if err != nil {
			return err
		}
		from, err := abs(f, c.Copy)
		if err != nil {
			return err
		}
		to, err := abs(f, c.Original)
		if err != nil {
			return err
		}
		// Only replace the server's version if it was not edited here since.
		if same, err := f.Journal.Unchanged(context.Background(), f.Config.LocalDir, c.Original); err != nil {
			return err
		} else if !same {
			return fmt.Errorf("%s changed since the conflict (or is not synced yet); open both files and merge them by hand, then use Keep both", c.Original)
		}
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("cannot put your version back: %w", err)
		}
		f.Engine.SyncNow()
		return f.Journal.ResolveConflict(context.Background(), c.Copy)
	})
}

// KeepTheirs removes the conflict copy (the server's version stays).
func (s *Files) KeepTheirs(copyPath string) error {
	return s.withFolder(func(f *folder.Folder) error {
		c, err := s.conflict(f, copyPath)
		if err != nil {
			return err
		}
		p, err := abs(f, c.Copy)
		if err != nil {
			return err
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		f.Engine.SyncNow()
		return f.Journal.ResolveConflict(context.Background(), c.Copy)
	})
}

// KeepBoth keeps both files and forgets the conflict.
func (s *Files) KeepBoth(copyPath string) error {
	return s.withFolder(func(f *folder.Folder) error {
		return f.Journal.ResolveConflict(context.Background(), copyPath)
	})
}

// Open opens a file of the folder ("" = the folder) with its default app.
func (s *Files) Open(rel string) error {
	return s.withFolder(func(f *folder.Folder) error {
		if rel == "" {
			return s.fm.Open(f.Config.LocalDir)
		}
		p, err := abs(f, rel)
		if err != nil {
			return err
		}
		return s.fm.Open(p)
	})
}

// Reveal shows a file of the folder in the file manager.
func (s *Files) Reveal(rel string) error {
	return s.withFolder(func(f *folder.Folder) error {
		p, err := abs(f, rel)
		if err != nil {
			return err
		}
		return s.fm.Reveal(p)
	})
}

// DropFiles copies files and folders into the folder (sub = a folder in
// it, "" = the top) and syncs them; progress is in Status().Drop.
func (s *Files) DropFiles(sub string, paths []string) ([]string, error) {
	f, err := s.folder()
	if err != nil {
		return nil, err
	}
	s.setDrop(FilesDrop{Active: true})
	last := time.Time{}
	out, err := folder.CopyIn(f.Config.LocalDir, sub, paths, runtime.GOOS, func(done, total int64) {
		if time.Since(last) > 200*time.Millisecond {
			last = time.Now()
			s.setDrop(FilesDrop{Active: true, Done: done, Total: total})
		}
	})
	d := FilesDrop{}
	if err != nil {
		d.Error = err.Error()
	}
	s.setDrop(d)
	f.Engine.SyncNow()
	return out, err
}

func (s *Files) setDrop(d FilesDrop) {
	s.mu.Lock()
	s.drop = d
	s.mu.Unlock()
	s.emit()
}

// Lists returns the user's ignore patterns and the server folders not synced.
func (s *Files) Lists() (folder.Lists, error) {
	f, err := s.folder()
	if err != nil {
		return folder.Lists{}, err
	}
	return f.Lists()
}

// SetLists saves them; the next pass applies them (nothing is deleted on
// either side when a folder is deselected).
func (s *Files) SetLists(l folder.Lists) error {
	return s.withFolder(func(f *folder.Folder) error { return f.SetLists(l) })
}

// SetLimit caps the transfer rate in KiB/s (0 = no limit).
func (s *Files) SetLimit(kibPerSecond int) error {
	return s.withFolder(func(f *folder.Folder) error { f.Engine.SetLimit(int64(kibPerSecond) * 1024); return nil })
}

// Children lists one folder of the synced folder ("" = the top) with each
// entry's state, for the tree (loaded folder by folder as it is opened).
func (s *Files) Children(dir string) ([]filesync.TreeEntry, error) {
	f, err := s.folder()
	if err != nil {
		return nil, err
	}
	return f.Engine.Children(context.Background(), dir)
}

// Find lists synced files and folders whose name contains q.
func (s *Files) Find(q string) ([]filesync.TreeEntry, error) {
	f, err := s.folder()
	if err != nil {
		return nil, err
	}
	return f.Engine.Find(context.Background(), q, 200)
}

// Activity lists the last changes, newest first.
func (s *Files) Activity() ([]filesync.Activity, error) {
	f, err := s.folder()
	if err != nil {
		return nil, err
	}
	return f.Journal.Activity(context.Background(), 300)
}

// ServerFolders lists the folders in one server folder, with sizes and
// whether they are synced (for choosing folders).
func (s *Files) ServerFolders(dir string) ([]folder.ServerFolder, error) {
	f, err := s.folder()
	if err != nil {
		return nil, err
	}
	return f.ServerFolders(context.Background(), dir)
}

// SetFolderSynced ticks or unticks a server folder; unticking one with
// local changes returns them and changes nothing unless confirmed.
func (s *Files) SetFolderSynced(path string, synced, confirmed bool) (folder.FolderChange, error) {
	var ch folder.FolderChange
	err := s.withFolder(func(f *folder.Folder) error {
		var err error
		ch, err = f.SetSynced(context.Background(), path, synced, confirmed)
		return err
	})
	return ch, err
}

// CanShare reports whether "Copy share link" is offered.
func (s *Files) CanShare() bool { return s.ShareLinksOff == nil || !s.ShareLinksOff() }

// ShareLink creates a public, read-only link to a synced file or folder
// (password and expiry optional, "YYYY-MM-DD"), as the server's policy allows.
func (s *Files) ShareLink(rel, password, expireDate string) (ncshare.Share, error) {
	if !s.CanShare() {
		return ncshare.Share{}, errors.New("share links are turned off by your administrator")
	}
	f, err := s.folder()
	if err != nil {
		return ncshare.Share{}, err
	}
	if err := names.CheckPath(rel, "linux"); err != nil {
		return ncshare.Share{}, err
	}
	server, err := ncshare.ServerOf(f.Config.FilesURL)
	if err != nil {
		return ncshare.Share{}, err
	}
	c := &ncshare.Client{Server: server, User: f.Config.User, Pass: f.Config.Password, HTTP: f.Config.HTTPClient}
	return c.CreateLink(context.Background(), rel, ncshare.Options{Password: password, ExpireDate: expireDate})
}

// OpenInSuite shows a synced file's page in the suite's Files app, in
// Deskport's window.
func (s *Files) OpenInSuite(rel string) error {
	f, err := s.folder()
	if err != nil {
		return err
	}
	if err := names.CheckPath(rel, "linux"); err != nil {
		return err
	}
	server, err := ncshare.ServerOf(f.Config.FilesURL)
	if err != nil {
		return err
	}
	id, err := f.Journal.FileIDOf(context.Background(), rel)
	if err != nil {
		return err
	}
	if s.Nav == nil {
		return errors.New("no window to show the suite in")
	}
	s.Nav.Navigate(ncshare.FilesAppURL(server, rel, id))
	return nil
}
