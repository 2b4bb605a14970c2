package filesync

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// A scoped pass looks only at the paths that can have changed: on this side
// those the file watcher reported since the last pass (and what the last
// pass did or failed at), on the server those below the folders whose ETag
// moved. At 100,000 files a full pass reads every journal row, stats every
// file and compares three maps of every path (about 2 s of CPU); a scoped
// pass after one saved file touches a handful. The full pass stays the
// safety net: at the start of Run, after a watcher error, every hour, and
// whenever the scope is large.

// scope is what a scoped pass looks at: each deep path with everything
// below it, each exact path alone. Paths are relative, with slashes.
type scope struct {
	deep  map[string]bool
	exact map[string]bool
}

// maxScopePaths is the size above which a full pass is cheaper than the
// per-path queries and stats of a scoped one.
const maxScopePaths = 2000

func newScope() *scope { return &scope{deep: map[string]bool{}, exact: map[string]bool{}} }

func (s *scope) addDeep(p string) {
	if p != "" && p != "." {
		s.deep[p] = true
	}
}

func (s *scope) addExact(p string) {
	if p != "" && p != "." {
		s.exact[p] = true
	}
}

func (s *scope) merge(o *scope) {
	if o == nil {
		return
	}
	for p := range o.deep {
		s.deep[p] = true
	}
	for p := range o.exact {
		s.exact[p] = true
	}
}

func (s *scope) size() int { return len(s.deep) + len(s.exact) }

// covered reports whether p is one of the deep paths or below one.
func (s *scope) covered(p string) bool {
	for q := p; q != "."; q = path.Dir(q) {
		if s.deep[q] {
			return true
		}
	}
	return false
}

// has reports whether a scoped pass looks at p.
func (s *scope) has(p string) bool { return s.exact[p] || s.covered(p) }

// close adds every folder above a scope path (as an exact path, so the
// pass knows the folder an upload or a download goes into) and drops what
// a deep path already holds.
func (s *scope) close() {
	for p := range s.deep {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			s.exact[d] = true
		}
	}
	for p := range s.exact {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			s.exact[d] = true
		}
	}
	for p := range s.deep {
		if d := path.Dir(p); d != "." && s.covered(d) {
			delete(s.deep, p)
		}
	}
	for p := range s.exact {
		if s.covered(p) {
			delete(s.exact, p)
		}
	}
}

// sorted lists the deep paths, then the exact ones, each sorted.
func (s *scope) sorted() (deep, exact []string) {
	for p := range s.deep {
		deep = append(deep, p)
	}
	for p := range s.exact {
		exact = append(exact, p)
	}
	sort.Strings(deep)
	sort.Strings(exact)
	return deep, exact
}

// scanScope is scan for the paths of a scope: every deep path is walked,
// every exact path is lstat'ed. A path that cannot be read is skipped (so
// nothing below it is deleted), as in the full scan.
func (l *localFS) scanScope(s *scope) (map[string]LocalEntry, map[string]string, error) {
	out := map[string]LocalEntry{}
	skipped := map[string]string{}
	fi, err := os.Stat(l.root)
	if err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("the local folder %s is missing or not a folder (is the drive mounted?); nothing was synced: %v", l.root, err)
	}
	deep, exact := s.sorted()
	for _, p := range exact {
		l.scanPath(p, false, out, skipped)
	}
	for _, p := range deep {
		l.scanPath(p, true, out, skipped)
	}
	return out, skipped, nil
}

// scanPath admits p (and, when deep, everything below it) as the full scan
// would: nothing below an ignored, unreadable or linked folder.
func (l *localFS) scanPath(p string, deep bool, out map[string]LocalEntry, skipped map[string]string) {
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if l.ignore.Match(d) {
			skipped[d] = "ignored"
			return
		}
	}
	abs, err := l.abs(p)
	if err != nil {
		skipped[p] = err.Error()
		return
	}
	fi, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return
	}
	var e LocalEntry
	var mode fs.FileMode
	if err == nil {
		e, mode = localEntry(abs, p, fi), fi.Mode()
	}
	if !l.admit(out, skipped, abs, p, path.Base(p), e, mode, err) || !deep {
		return
	}
	filepath.WalkDir(abs, func(q string, d fs.DirEntry, err error) error {
		if q == abs {
			return nil
		}
		rel := p + "/" + filepath.ToSlash(strings.TrimPrefix(q, abs+string(filepath.Separator)))
		if err != nil {
			skipped[rel] = err.Error()
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		var e LocalEntry
		fi, serr := d.Info()
		if serr == nil {
			e = localEntry(q, rel, fi)
		}
		if !l.admit(out, skipped, q, rel, d.Name(), e, d.Type(), serr) && d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
}

// scopedRemote is the server side of a scoped pass, from the walk's fresh
// listings and, below folders whose ETag did not move, the journal.
//
// For a path of the scope: if every folder above it was listed, the
// listing says what is there; otherwise the highest folder above it that
// was not listed is either in its parent's listing with the journal's ETag
// (nothing below it changed: the journal says what is there) or gone.
func scopedRemote(t *remoteTree, J map[string]JournalEntry, s *scope) map[string]RemoteEntry {
	out := map[string]RemoteEntry{}
	consider := func(p string) {
		if _, done := out[p]; done {
			return
		}
		if r, ok := remoteAt(t, J, p); ok {
			out[p] = r
		}
	}
	for p := range J {
		consider(p)
	}
	for p, r := range t.entries {
		if s.has(p) {
			out[p] = r
		}
	}
	for p := range s.exact {
		consider(p)
	}
	for p := range s.deep {
		consider(p)
	}
	return out
}

func remoteAt(t *remoteTree, J map[string]JournalEntry, p string) (RemoteEntry, bool) {
	if r, ok := t.entries[p]; ok {
		return r, true
	}
	// The highest folder above p (or p itself) that was not listed.
	top := p
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if !t.fresh[d] {
			top = d
		}
	}
	parent := path.Dir(top)
	if parent == "." {
		parent = ""
	}
	if t.fresh[parent] {
		// top's parent was listed: top is in t.entries or gone. (p itself
		// was looked up above.)
		if top == p {
			return RemoteEntry{}, false
		}
		r, ok := t.entries[top]
		if !ok || !r.IsDir {
			return RemoteEntry{}, false
		}
		if j, ok := J[top]; !ok || !j.IsDir || j.ETag == "" || j.ETag != r.ETag {
			return RemoteEntry{}, false
		}
	}
	j, ok := J[p]
	if !ok {
		return RemoteEntry{}, false
	}
	return journalRemote(j), true
}

// journalChildren lists a folder's entries in the journal without reading
// the rows below its subfolders: at the first row below a subfolder the
// query starts again after that subfolder's range ("sub/" … "sub0").
func (j *Journal) journalChildren(ctx context.Context, dir string) ([]JournalEntry, error) {
	lo, hi := "", ""
	if dir != "" {
		lo, hi = dir+"/", dir+"0"
	}
	var out []JournalEntry
	for from := lo; ; {
		q, args := `SELECT `+journalColumns+` FROM entries WHERE path >= ? ORDER BY path`, []any{from}
		if hi != "" {
			q, args = `SELECT `+journalColumns+` FROM entries WHERE path >= ? AND path < ? ORDER BY path`, []any{from, hi}
		}
		rows, err := j.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		restart := ""
		for rows.Next() {
			e, err := scanJournalRow(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			rest := e.Path[len(lo):]
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				restart = lo + rest[:i] + "0"
				break
			}
			out = append(out, e)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
		if restart == "" {
			return out, nil
		}
		from = restart
	}
}

// loadScope reads the journal rows a scoped pass looks at.
func (j *Journal) loadScope(ctx context.Context, s *scope) (map[string]JournalEntry, error) {
	out := map[string]JournalEntry{}
	deep, exact := s.sorted()
	for _, p := range exact {
		e, err := j.entry(ctx, p)
		if err != nil {
			return nil, err
		}
		if e != nil {
			out[p] = *e
		}
	}
	for _, p := range deep {
		rows, err := j.db.QueryContext(ctx, `SELECT `+journalColumns+` FROM entries WHERE path = ? OR (path > ? AND path < ?)`, p, p+"/", p+"0")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e, err := scanJournalRow(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[e.Path] = e
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (j *Journal) entry(ctx context.Context, p string) (*JournalEntry, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT `+journalColumns+` FROM entries WHERE path = ?`, p)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	e, err := scanJournalRow(rows)
	if err != nil {
		return nil, err
	}
	return &e, nil
}

const journalColumns = `path, is_dir, lsize, lmtime, linode, etag, fileid, perms, rsize, rmtime`

type rowScanner interface{ Scan(dest ...any) error }

func scanJournalRow(rows rowScanner) (JournalEntry, error) {
	var e JournalEntry
	var ino int64
	err := rows.Scan(&e.Path, &e.IsDir, &e.LSize, &e.LMtime, &ino, &e.ETag, &e.FileID, &e.Perms, &e.RSize, &e.RMtime)
	e.LInode = uint64(ino)
	return e, err
}

// trackedFiles counts the files the journal knows (the mass-delete guard's
// base, which a scoped pass cannot count from its own maps).
func (j *Journal) trackedFiles(ctx context.Context) (int, error) {
	var n int
	err := j.db.QueryRowContext(ctx, `SELECT count(*) FROM entries WHERE is_dir = 0`).Scan(&n)
	return n, err
}

// unsettledPaths are the paths a scoped pass must look at whatever the
// watcher says: transfers a crash may have cut short, and per-file errors
// of earlier passes (to retry them).
func (j *Journal) unsettledPaths(ctx context.Context) ([]string, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT path FROM pending UNION SELECT path FROM errors WHERE op NOT IN ('skip', 'skip-local')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
