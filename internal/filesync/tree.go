package filesync

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/deskport/deskport/internal/filesync/ignore"
)

// States of a tree entry.
const (
	StateSynced       = "synced"
	StateUpload       = "upload"   // waiting to upload (new or changed here, or deleted here)
	StateDownload     = "download" // waiting to download
	StateTransferring = "transferring"
	StateConflict     = "conflict"
	StateError        = "error"
	StateExcluded     = "excluded"
)

// TreeEntry is one file or folder of the synced folder with its state.
type TreeEntry struct {
	Name  string `json:"name"`
	Path  string `json:"path"` // relative, with /
	IsDir bool   `json:"isDir"`
	Size  int64  `json:"size"`
	Mtime int64  `json:"mtime"` // unix seconds
	State string `json:"state"`
	// Reason is the error of an entry in state error.
	Reason string `json:"reason"`
	// Done of Total bytes moved, for a file in state transferring (else 0).
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
}

// Children lists one folder of the synced folder ("" = the top), folders
// first, each entry with its state from the journal and the running pass.
// Only this folder is read, so a tree opened folder by folder stays fast
// however many files there are below.
func (e *Engine) Children(ctx context.Context, dir string) ([]TreeEntry, error) {
	dir = strings.Trim(dir, "/")
	abs, err := e.local.abs(dir)
	if dir == "" {
		abs, err = e.local.root, nil
	}
	if err != nil {
		return nil, err
	}
	des, err := os.ReadDir(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %w", abs, err)
	}
	e.mu.Lock()
	ign, exclude := e.opt.Ignore, e.opt.Exclude
	e.mu.Unlock()
	isExcluded := func(p string) bool {
		if ign.Match(p) {
			return true
		}
		for _, x := range exclude {
			if underOrSame(p, x) {
				return true
			}
		}
		return false
	}
	marks, err := e.journal.marks(ctx, dir)
	if err != nil {
		return nil, err
	}
	var lookup syncedLookup
	if dir != "" && len(des) > 64 {
		if lookup, err = e.journal.folderLookup(ctx, dir); err != nil {
			return nil, err
		}
	} else {
		stmt, err := e.journal.db.PrepareContext(ctx, `SELECT lsize, lmtime FROM entries WHERE path = ?`)
		if err != nil {
			return nil, err
		}
		defer stmt.Close()
		lookup = stmtLookup(stmt)
	}
	seen := map[string]bool{}
	out := make([]TreeEntry, 0, len(des))
	for _, d := range des {
		if d.Type()&os.ModeSymlink != 0 || strings.HasPrefix(d.Name(), ignore.TempPrefix) {
			continue // the engine's own files (a download being written) are not the user's
		}
		p := path.Join(dir, d.Name())
		fi, err := d.Info()
		if err != nil {
			continue // gone meanwhile
		}
		te := TreeEntry{Name: d.Name(), Path: p, IsDir: d.IsDir(), Mtime: fi.ModTime().Unix()}
		if !te.IsDir {
			te.Size = fi.Size()
		}
		seen[p] = true
		switch {
		case isExcluded(p):
			te.State = StateExcluded
		default:
			te.State, te.Reason = e.stateOf(lookup, marks, te, localEntry(filepath.Join(abs, d.Name()), p, fi))
		}
		out = append(out, e.live.withProgress(te))
	}
	// Files the running pass is about to download are not here yet.
	e.live.mu.Lock()
	for p, op := range e.live.pending {
		if path.Dir(p) == dirOrDot(dir) && !seen[p] && direction(op) == StateDownload && op != opDeleteLocal && op != opDeleteLocalDir {
			te := TreeEntry{Name: path.Base(p), Path: p, State: StateDownload, Size: e.live.sizes[p]}
			if e.live.running[p] {
				te.State = StateTransferring
			}
			out = append(out, te)
		}
	}
	e.live.mu.Unlock()
	for i := range out {
		if out[i].State == StateTransferring && !seen[out[i].Path] {
			out[i] = e.live.withProgress(out[i])
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].IsDir != out[b].IsDir {
			return out[a].IsDir
		}
		return strings.ToLower(out[a].Name) < strings.ToLower(out[b].Name)
	})
	return out, nil
}

func dirOrDot(d string) string {
	if d == "" {
		return "."
	}
	return d
}

// treeMarks are the conflicts and errors at or below one folder.
type treeMarks struct {
	conflict map[string]bool
	errs     map[string]string
}

func (j *Journal) marks(ctx context.Context, dir string) (treeMarks, error) {
	m := treeMarks{conflict: map[string]bool{}, errs: map[string]string{}}
	cs, err := j.Conflicts(ctx)
	if err != nil {
		return m, err
	}
	for _, c := range cs {
		m.conflict[c.Copy], m.conflict[c.Original] = true, true
	}
	es, err := j.Errors(ctx)
	if err != nil {
		return m, err
	}
	for _, x := range es {
		m.errs[x.Path] = x.Message
	}
	return m, nil
}

// synced looks up a path's journal entry: its local size and mtime.
type syncedLookup func(p string) (size, mtime int64, ok bool, err error)

func stmtLookup(stmt *sql.Stmt) syncedLookup {
	return func(p string) (int64, int64, bool, error) {
		var size, mtime int64
		err := stmt.QueryRow(p).Scan(&size, &mtime)
		if err == sql.ErrNoRows {
			return 0, 0, false, nil
		}
		return size, mtime, err == nil, err
	}
}

// folderLookup reads the journal entries below dir in one range query
// (one query instead of one per file in a large folder).
func (j *Journal) folderLookup(ctx context.Context, dir string) (syncedLookup, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT path, lsize, lmtime FROM entries WHERE path > ? AND path < ?`, dir+"/", dir+"0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type sm struct{ size, mtime int64 }
	m := map[string]sm{}
	for rows.Next() {
		var p string
		var x sm
		if err := rows.Scan(&p, &x.size, &x.mtime); err != nil {
			return nil, err
		}
		if !strings.Contains(p[len(dir)+1:], "/") {
			m[p] = x
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return func(p string) (int64, int64, bool, error) { x, ok := m[p]; return x.size, x.mtime, ok, nil }, nil
}

func (e *Engine) stateOf(lookup syncedLookup, m treeMarks, te TreeEntry, l LocalEntry) (string, string) {
	if msg, ok := m.errs[te.Path]; ok {
		return StateError, msg
	}
	if m.conflict[te.Path] {
		return StateConflict, ""
	}
	if s := e.live.state(te.Path); s != "" {
		return s, ""
	}
	if te.IsDir {
		for p, msg := range m.errs {
			if underOrSame(p, te.Path) {
				return StateError, msg
			}
		}
		for p := range m.conflict {
			if underOrSame(p, te.Path) {
				return StateConflict, ""
			}
		}
		up, down, running := e.live.under(te.Path)
		switch {
		case running:
			return StateTransferring, ""
		case up:
			return StateUpload, ""
		case down:
			return StateDownload, ""
		}
	}
	size, mtime, ok, err := lookup(te.Path)
	if err != nil {
		return StateError, err.Error()
	}
	if !ok {
		return StateUpload, "" // new here
	}
	if !te.IsDir && !sameLocal(l, JournalEntry{Path: te.Path, LSize: size, LMtime: mtime}.local()) {
		return StateUpload, ""
	}
	return StateSynced, ""
}

// Find lists up to limit synced entries whose path contains q (any case),
// with their states; it reads the journal, so files added here since the
// last sync are found once they are synced.
func (e *Engine) Find(ctx context.Context, q string, limit int) ([]TreeEntry, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return []TreeEntry{}, nil
	}
	if limit <= 0 {
		limit = 200
	}
	rows, err := e.journal.db.QueryContext(ctx, `SELECT path FROM entries WHERE instr(lower(path), ?) > 0 ORDER BY path LIMIT ?`, q, limit*4)
	if err != nil {
		return nil, err
	}
	var paths []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, err
		}
		// the name must match, not only a folder above it
		if strings.Contains(strings.ToLower(path.Base(p)), q) && len(paths) < limit {
			paths = append(paths, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	marks, err := e.journal.marks(ctx, "")
	if err != nil {
		return nil, err
	}
	stmt, err := e.journal.db.PrepareContext(ctx, `SELECT lsize, lmtime FROM entries WHERE path = ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	out := make([]TreeEntry, 0, len(paths))
	for _, p := range paths {
		l, ok, err := e.local.stat(p)
		if err != nil || !ok {
			continue
		}
		te := TreeEntry{Name: path.Base(p), Path: p, IsDir: l.IsDir, Mtime: l.Mtime / 1e9}
		if !l.IsDir {
			te.Size = l.Size
		}
		te.State, te.Reason = e.stateOf(stmtLookup(stmt), marks, te, l)
		out = append(out, e.live.withProgress(te))
	}
	return out, nil
}

// LocalChanges lists files at or below dir that differ from the journal
// (new or edited here, not uploaded yet): up to limit paths and the count.
// They are what deselecting dir would leave unsynced.
func (e *Engine) LocalChanges(ctx context.Context, dir string, limit int) ([]string, int, error) {
	dir = strings.Trim(dir, "/")
	root, err := e.local.abs(dir)
	if err != nil {
		return nil, 0, err
	}
	stmt, err := e.journal.db.PrepareContext(ctx, `SELECT lsize, lmtime FROM entries WHERE path = ?`)
	if err != nil {
		return nil, 0, err
	}
	defer stmt.Close()
	e.mu.Lock()
	ign := e.opt.Ignore
	e.mu.Unlock()
	var out []string
	n := 0
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, rerr := filepath.Rel(e.local.root, p)
		if rerr != nil {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if ign.Match(rel) {
			return nil
		}
		fi, ierr := d.Info()
		if ierr != nil {
			return nil
		}
		var size, mtime int64
		qerr := stmt.QueryRow(rel).Scan(&size, &mtime)
		if qerr != nil && qerr != sql.ErrNoRows {
			return qerr
		}
		if qerr == sql.ErrNoRows || fi.Size() != size || fi.ModTime().UnixNano() != mtime {
			n++
			if len(out) < limit {
				out = append(out, rel)
			}
		}
		return nil
	})
	return out, n, err
}

// FileIDOf is the server's file id of a synced path ("" when not known).
func (j *Journal) FileIDOf(ctx context.Context, p string) (string, error) {
	var id string
	err := j.db.QueryRowContext(ctx, `SELECT fileid FROM entries WHERE path = ?`, strings.Trim(p, "/")).Scan(&id)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return id, err
}
