package filesync

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/deskport/deskport/internal/filesync/ignore"
	"github.com/deskport/deskport/internal/filesync/names"
)

// LocalEntry is a file or folder in the local tree. Mtime is in nanoseconds.
type LocalEntry struct {
	Path  string
	IsDir bool
	Size  int64
	Mtime int64
	Inode uint64
}

func localEntry(abs, rel string, fi fs.FileInfo) LocalEntry {
	e := LocalEntry{Path: rel, IsDir: fi.IsDir(), Mtime: fi.ModTime().UnixNano(), Inode: inodeOf(abs, fi)}
	if !e.IsDir {
		e.Size = fi.Size()
	}
	return e
}

// sameLocal reports whether a file is still what was recorded (dirs: still a dir).
func sameLocal(a, b LocalEntry) bool {
	if a.IsDir || b.IsDir {
		return a.IsDir == b.IsDir
	}
	return a.Size == b.Size && a.Mtime == b.Mtime
}

// localFS is the only code that touches the local tree. Every path passes
// through abs, which refuses names invalid on this OS, anything that leaves
// the root and any symlink on the way, so a hostile server name can never
// make the engine write outside the sync root.
type localFS struct {
	root   string
	goos   string
	ignore *ignore.Matcher
	// fault, when set (tests), may turn a write into an error such as ENOSPC.
	fault func(op, rel string) error
}

var errOutsideRoot = errors.New("path leaves the sync folder")

func (l *localFS) abs(rel string) (string, error) {
	if err := names.CheckPath(rel, l.goos); err != nil {
		return "", err
	}
	p := filepath.Join(l.root, filepath.FromSlash(rel))
	if !strings.HasPrefix(p, l.root+string(filepath.Separator)) {
		return "", fmt.Errorf("%q: %w", rel, errOutsideRoot)
	}
	// No symlink may sit between the root and the target.
	dir := path.Dir(rel)
	cur := l.root
	if dir != "." {
		for _, c := range strings.Split(dir, "/") {
			cur = filepath.Join(cur, c)
			fi, err := os.Lstat(cur)
			if err != nil {
				if os.IsNotExist(err) {
					break
				}
				return "", err
			}
			if fi.Mode()&fs.ModeSymlink != 0 || !fi.IsDir() {
				return "", fmt.Errorf("%q: %s is a link or a file, not a folder; the sync will not write through it", rel, cur)
			}
		}
	}
	return p, nil
}

// scan walks the local tree. Symlinks, ignored and invalid names are skipped
// (reported in skipped, so folders holding them are never removed).
// sizeHint is how many entries to expect (the journal's).
func (l *localFS) scan(sizeHint int) (map[string]LocalEntry, map[string]string, error) {
	out := make(map[string]LocalEntry, sizeHint)
	skipped := map[string]string{}
	fi, err := os.Stat(l.root)
	if err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("the local folder %s is missing or not a folder (is the drive mounted?); nothing was synced: %v", l.root, err)
	}
	if err := l.walk(out, skipped); err != nil {
		return nil, nil, err
	}
	return out, skipped, nil
}

// admit decides on one entry of the walk: name in the folder dirAbs, rel
// its path in the tree, e what lstat said (statErr when it failed). It
// records the entry in out or skipped and reports whether a folder is to
// be walked into. The walk asks only below folders admitted.
func (l *localFS) admit(out map[string]LocalEntry, skipped map[string]string, dirAbs, rel, name string, e LocalEntry, mode fs.FileMode, statErr error) bool {
	if strings.HasPrefix(name, ignore.TempPrefix) && !mode.IsDir() {
		// A download cut short by a crash; scans run while no transfer
		// does. Partial large downloads are kept a day for resuming.
		if statErr != nil || !strings.HasPrefix(name, partialPrefix) || time.Since(time.Unix(0, e.Mtime)) > 24*time.Hour {
			os.Remove(filepath.Join(dirAbs, name))
		}
		return false
	}
	if l.ignore.MatchEntry(rel, name) {
		skipped[rel] = "ignored"
		return false
	}
	if statErr != nil {
		skipped[rel] = statErr.Error()
		return false
	}
	if mode&fs.ModeSymlink != 0 || !(mode.IsRegular() || mode.IsDir()) {
		skipped[rel] = "not a regular file or folder (links are not synced)"
		return false
	}
	if err := names.CheckComponent(name, l.goos); err != nil {
		skipped[rel] = err.Error()
		return false
	}
	out[rel] = e
	return e.IsDir
}

func (l *localFS) stat(rel string) (LocalEntry, bool, error) {
	p, err := l.abs(rel)
	if err != nil {
		return LocalEntry{}, false, err
	}
	fi, err := os.Lstat(p)
	if os.IsNotExist(err) {
		return LocalEntry{}, false, nil
	}
	if err != nil {
		return LocalEntry{}, false, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return LocalEntry{}, false, fmt.Errorf("%s is a link; links are not synced", rel)
	}
	return localEntry(p, rel, fi), true, nil
}

func tempName() string {
	var b [8]byte
	rand.Read(b[:])
	return ignore.TempPrefix + hex.EncodeToString(b[:])
}

// partialPrefix names resumable downloads: the same path and version give
// the same name, so a later attempt finds what arrived before a cut.
const partialPrefix = ignore.TempPrefix + "part-"

// ResumeAbove is the size from which downloads are resumable.
const ResumeAbove = 8 << 20

func partialName(rel, etag string) string {
	h := sha256.Sum256([]byte(rel + "\x00" + etag))
	return partialPrefix + hex.EncodeToString(h[:12])
}

// openPartial opens (or creates) the resumable temp file of rel at version
// etag and returns it positioned at its end.
func (l *localFS) openPartial(rel, etag string) (*tempFile, int64, error) {
	p, err := l.abs(rel)
	if err != nil {
		return nil, 0, err
	}
	if err := l.check("create", rel); err != nil {
		return nil, 0, err
	}
	tp := filepath.Join(filepath.Dir(p), partialName(rel, etag))
	f, err := os.OpenFile(tp, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, err
	}
	off, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return &tempFile{f: f, path: tp, l: l, rel: rel}, off, nil
}

// keep closes a partial download without removing it.
func (t *tempFile) keep() { t.f.Close() }

// tempFile is a download in progress, in the target's folder.
type tempFile struct {
	f    *os.File
	path string
	l    *localFS
	rel  string
}

func (l *localFS) createTemp(rel string) (*tempFile, error) {
	p, err := l.abs(rel)
	if err != nil {
		return nil, err
	}
	if err := l.check("create", rel); err != nil {
		return nil, err
	}
	tp := filepath.Join(filepath.Dir(p), tempName())
	f, err := os.OpenFile(tp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &tempFile{f: f, path: tp, l: l, rel: rel}, nil
}

func (t *tempFile) Write(b []byte) (int, error) {
	if err := t.l.check("write", t.rel); err != nil {
		return 0, err
	}
	return t.f.Write(b)
}

// finish fsyncs and closes the temp file and sets its mtime.
func (t *tempFile) finish(mtime time.Time) error {
	if err := t.f.Sync(); err != nil {
		t.f.Close()
		return err
	}
	if err := t.f.Close(); err != nil {
		return err
	}
	if !mtime.IsZero() {
		return os.Chtimes(t.path, mtime, mtime)
	}
	return nil
}

func (t *tempFile) discard() { t.f.Close(); os.Remove(t.path) }

// sameContent compares the temp file with the local file rel byte by byte.
func (t *tempFile) sameContent(rel string) (bool, error) {
	p, err := t.l.abs(rel)
	if err != nil {
		return false, err
	}
	a, err := os.Open(t.path)
	if err != nil {
		return false, err
	}
	defer a.Close()
	b, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer b.Close()
	return equalReaders(a, b)
}

func equalReaders(a, b io.Reader) (bool, error) {
	ba, bb := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, ea := io.ReadFull(a, ba)
		nb, eb := io.ReadFull(b, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false, nil
		}
		if ea == io.EOF || ea == io.ErrUnexpectedEOF {
			return eb == io.EOF || eb == io.ErrUnexpectedEOF, nil
		}
		if ea != nil {
			return false, ea
		}
		if eb != nil {
			return false, eb
		}
	}
}

// install renames the finished temp file onto rel. It refuses (and keeps
// the temp file away) when rel is not in the expected state: absent when
// expect is nil, else unchanged since expect was taken.
func (t *tempFile) install(expect *LocalEntry) (LocalEntry, error) {
	cur, ok, err := t.l.stat(t.rel)
	if err != nil {
		t.discard()
		return LocalEntry{}, err
	}
	if (expect == nil && ok) || (expect != nil && (!ok || !sameLocal(cur, *expect))) {
		t.discard()
		return LocalEntry{}, errLocalChanged
	}
	p, _ := t.l.abs(t.rel)
	if err := os.Rename(t.path, p); err != nil {
		t.discard()
		return LocalEntry{}, err
	}
	hit("download-renamed")
	e, _, err := t.l.stat(t.rel)
	return e, err
}

var errLocalChanged = errors.New("the local file changed while syncing; it will be synced on the next pass")

func (l *localFS) check(op, rel string) error {
	if l.fault != nil {
		return l.fault(op, rel)
	}
	return nil
}

func (l *localFS) mkdir(rel string) (LocalEntry, error) {
	p, err := l.abs(rel)
	if err != nil {
		return LocalEntry{}, err
	}
	if err := os.Mkdir(p, 0o755); err != nil && !os.IsExist(err) {
		return LocalEntry{}, err
	}
	e, ok, err := l.stat(rel)
	if err == nil && (!ok || !e.IsDir) {
		err = fmt.Errorf("%s exists and is not a folder", rel)
	}
	return e, err
}

// errTargetExists: rename found something at its target.
var errTargetExists = errors.New("the target exists")

// rename moves from to to, never over an existing file.
func (l *localFS) rename(from, to string) error {
	pf, err := l.abs(from)
	if err != nil {
		return err
	}
	pt, err := l.abs(to)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(pt); err == nil {
		// A case-only rename on a case-insensitive disk finds itself here.
		if !strings.EqualFold(from, to) {
			return fmt.Errorf("cannot move %s to %s: %w", from, to, errTargetExists)
		}
		tmp := filepath.Join(filepath.Dir(pf), tempName())
		if err := os.Rename(pf, tmp); err != nil {
			return err
		}
		pf = tmp
	}
	return os.Rename(pf, pt)
}

// removeFile deletes rel only if it is still as expected.
func (l *localFS) removeFile(rel string, expect LocalEntry) error {
	cur, ok, err := l.stat(rel)
	if err != nil || !ok {
		return err
	}
	if !sameLocal(cur, expect) {
		return errLocalChanged
	}
	p, _ := l.abs(rel)
	return os.Remove(p)
}

// removeDir deletes an empty folder; a folder that is not empty stays.
func (l *localFS) removeDir(rel string) (bool, error) {
	p, err := l.abs(rel)
	if err != nil {
		return false, err
	}
	err = os.Remove(p)
	if err == nil || os.IsNotExist(err) {
		return true, nil
	}
	if errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST) {
		return false, nil
	}
	return false, err
}

// errIsLink: a link took the place of a file after the scan. Reported as a
// local change, so the next pass (which skips links) sees it.
var errIsLink = fmt.Errorf("it became a link (links are not synced, and never followed): %w", errLocalChanged)

// open opens a file to upload; abs refuses links on the way, openNoFollow
// one at the file's own name, so the data read is the file's, never what a
// link swapped in meanwhile points to.
func (l *localFS) open(rel string) (*os.File, LocalEntry, error) {
	p, err := l.abs(rel)
	if err != nil {
		return nil, LocalEntry{}, err
	}
	f, err := openNoFollow(p)
	if err != nil {
		return nil, LocalEntry{}, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is no longer a regular file: %w", rel, errLocalChanged)
	}
	if err != nil {
		f.Close()
		return nil, LocalEntry{}, err
	}
	return f, localEntry(p, rel, fi), nil
}

func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
