package filesync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"sync"
	"syscall"
	"time"

	"github.com/deskport/deskport/internal/filesync/names"
)

// ErrTemporary marks failures worth retrying (network, 5xx); remotes wrap it.
var ErrTemporary = errors.New("temporary network or server failure")

type executor struct {
	e    *Engine
	caps Capabilities
	tree *remoteTree
	pl   plan
	prog *progress

	mu            sync.Mutex
	res           Result
	fatal         error
	failed        map[string]bool // paths whose action failed
	blocked       []string        // prefixes under a failed move
	dirty         map[string]bool // folders whose server ETag must not be recorded
	createdRemote map[string]bool
	madeRemote    map[string]RemoteEntry // folders made for a move, before their own step
	dirs          []action               // folder actions to record at the end
	changed       bool                   // anything done that a further pass should confirm
	cancel        context.CancelFunc
}

func newExecutor(e *Engine, caps Capabilities, tree *remoteTree, pl plan) *executor {
	x := &executor{e: e, caps: caps, tree: tree, pl: pl, failed: map[string]bool{}, dirty: map[string]bool{}, createdRemote: map[string]bool{}, madeRemote: map[string]RemoteEntry{}}
	x.prog = &progress{e: e, start: time.Now()}
	for _, a := range pl.actions {
		switch a.op {
		case opDownload, opConflict:
			x.prog.filesTotal++
			x.prog.bytesTotal += a.r.Size
		case opUpload:
			x.prog.filesTotal++
			x.prog.bytesTotal += a.l.Size
		}
	}
	for p, why := range tree.skipped {
		if why != "ignored" {
			x.markDirty(p)
		}
	}
	return x
}

func (x *executor) needsAnotherPass() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.changed && x.fatal == nil
}

func (x *executor) markDirty(p string) {
	for d := path.Dir(p); ; d = path.Dir(d) {
		if d == "." {
			x.dirty[""] = true
			return
		}
		x.dirty[d] = true
	}
}

func isFatal(err error) bool {
	return errors.Is(err, ErrDiskFull) || errors.Is(err, ErrNoSpace) || errors.Is(err, ErrUnauthorized) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func isTemporary(err error) bool {
	var errno syscall.Errno
	if errors.As(err, &errno) { // an Errno is a net.Error too, but ENOSPC is no network trouble
		return errno == syscall.ECONNRESET || errno == syscall.ECONNREFUSED || errno == syscall.EPIPE || errno == syscall.ETIMEDOUT
	}
	var oe *net.OpError
	return errors.Is(err, ErrTemporary) || errors.As(err, &oe) || errors.Is(err, io.ErrUnexpectedEOF)
}

// fail records a per-file error, or stops the pass for errors that would
// fail every file the same way.
func (x *executor) fail(a action, err error) {
	if isNoSpace(err) {
		err = fmt.Errorf("%w: no room for %s in %s; free some space and sync again", ErrDiskFull, a.path, x.e.local.root)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.failed[a.path] = true
	x.markDirty(a.path)
	if a.to != "" {
		x.failed[a.to] = true
		x.markDirty(a.to)
	}
	if isFatal(err) {
		if x.fatal == nil {
			x.fatal = err
			x.cancel()
		}
		return
	}
	if errors.Is(err, ErrPrecondition) || errors.Is(err, errLocalChanged) {
		x.changed = true // the next pass sees the new state
		x.e.opt.Logf("%s %s: %v", a.op, a.path, err)
		return
	}
	if a.op == opMoveLocal || a.op == opMoveRemote {
		x.blocked = append(x.blocked, a.path, a.to)
	}
	x.res.Errors++
	x.e.opt.Logf("%s %s: %v", a.op, a.path, err)
	x.e.journal.setError(a.path, a.op.String(), err)
}

func (x *executor) isBlocked(p string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, b := range x.blocked {
		if underOrSame(p, b) {
			return true
		}
	}
	return false
}

// retry runs fn up to three times while it fails temporarily.
func retry(ctx context.Context, fn func() error) error {
	var err error
	for i, wait := range []time.Duration{0, 500 * time.Millisecond, 2 * time.Second} {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		}
		if err = fn(); err == nil || !isTemporary(err) {
			return err
		}
	}
	return err
}

func (x *executor) run(ctx context.Context) (Result, error) {
	ctx, x.cancel = context.WithCancel(ctx)
	defer x.cancel()
	acts := x.pl.actions
	x.e.live.planned(acts)
	defer x.e.live.planned(nil)
	if len(acts) > 0 {
		x.e.setState("syncing", nil)
	}
	for i := 0; i < len(acts); {
		j := i
		for j < len(acts) && acts[j].op == acts[i].op {
			j++
		}
		group := acts[i:j]
		switch acts[i].op {
		case opDownload, opConflict, opUpload, opDeleteRemote, opDeleteLocal:
			x.parallel(ctx, group)
		case opMkdirRemote, opMkdirLocal:
			// parents before children: one depth level at a time, in parallel
			for a := 0; a < len(group); {
				b := a
				for b < len(group) && depth(group[b].path) == depth(group[a].path) {
					b++
				}
				x.parallel(ctx, group[a:b])
				a = b
			}
		default:
			for _, a := range group {
				if ctx.Err() != nil {
					break
				}
				x.do(ctx, a)
			}
		}
		if x.fatal != nil {
			break
		}
		i = j
	}
	x.prog.report(true)
	if x.fatal == nil {
		x.recordDirs()
	}
	return x.res, x.fatal
}

func (x *executor) parallel(ctx context.Context, group []action) {
	jobs := make(chan func(), 64)
	var wg sync.WaitGroup
	for i := 0; i < x.e.opt.Parallel; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j()
			}
		}()
	}
	var bulk []action
	var bulkBytes int64
	flush := func() {
		if len(bulk) > 0 {
			b := bulk
			jobs <- func() { x.uploadBulk(ctx, b) }
			bulk, bulkBytes = nil, 0
		}
	}
	_, canBulk := x.e.remote.(BulkUploader)
	canBulk = canBulk && x.caps.BulkUpload
	for _, a := range group {
		if ctx.Err() != nil {
			break
		}
		if canBulk && a.op == opUpload && a.ifNoneMatch && a.l.Size <= x.e.opt.BulkMax && x.parentCreated(a.path) {
			bulk = append(bulk, a)
			bulkBytes += a.l.Size
			if len(bulk) >= 100 || bulkBytes >= 8<<20 {
				flush()
			}
			continue
		}
		a := a
		jobs <- func() { x.do(ctx, a) }
	}
	flush()
	close(jobs)
	wg.Wait()
}

// parentCreated: bulk upload cannot say "only if new", so it is used only
// in folders this pass created on the server.
func (x *executor) parentCreated(p string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	d := path.Dir(p)
	return d != "." && x.createdRemote[d]
}

func (x *executor) do(ctx context.Context, a action) {
	if ctx.Err() != nil {
		return
	}
	if x.isBlocked(a.path) {
		x.fail(a, fmt.Errorf("waits for a move that failed"))
		return
	}
	x.e.stepStarted(a)
	j := x.e.journal
	var err error
	if traceOn {
		fmt.Fprintf(os.Stderr, "TRACE %s %s %s\n", a.op, a.path, a.to)
	}
	switch a.op {
	case opMoveLocal:
		err = x.localParents(a.to)
		if err == nil {
			err = x.e.local.rename(a.path, a.to)
		}
		if err == nil {
			hit("moved-local")
			j.moveTree(a.path, a.to)
			if a.r != nil && !a.r.IsDir {
				if l, ok, _ := x.e.local.stat(a.to); ok {
					j.put(entryOf(l, *a.r))
				}
			}
			j.Flush(ctx) // unrecorded, the next run would take a move made on both sides for two new files
			x.count(func(r *Result) { r.Moved++ })
			if x.tree.entries[a.to].IsDir {
				x.dirAction(action{op: opRecord, path: a.to, r: ptrR(x.tree.entries[a.to], true)})
			}
		}
	case opMoveRemote:
		err = x.remoteParents(ctx, a.to)
		if err == nil {
			err = retry(ctx, func() error { return x.e.remote.Move(ctx, a.path, a.to, a.ifMatch) })
		}
		if err == nil {
			hit("moved-remote")
			x.setChanged()
			j.moveTree(a.path, a.to)
			l, ok, _ := x.e.local.stat(a.to)
			if ok && !l.IsDir {
				if r, serr := x.e.remote.Stat(ctx, a.to); serr == nil {
					r.ETag = NormETag(r.ETag)
					j.put(entryOf(l, r))
				}
			}
			if ok && l.IsDir {
				x.dirAction(action{op: opMkdirRemote, path: a.to})
			}
			j.Flush(ctx) // unrecorded, the next run would take a move made on both sides for two new files
			x.count(func(r *Result) { r.Moved++ })
		}
	case opTypeClash:
		var c string
		c, err = x.setAside(a.path, x.e.now())
		if err == nil {
			j.forgetTree(a.path)
			j.addConflict(Conflict{Copy: c, Original: a.path, At: x.e.now()})
			x.madeHere(c)
			x.setChanged()
			x.count(func(r *Result) { r.Conflicts++ })
		}
	case opMkdirLocal:
		_, err = x.e.local.mkdir(a.path)
		if err == nil {
			x.dirAction(a)
		}
	case opMkdirRemote:
		x.mu.Lock()
		r, made := x.madeRemote[a.path]
		x.mu.Unlock()
		if !made {
			err = retry(ctx, func() error { var e error; r, e = x.e.remote.Mkdir(ctx, a.path); return e })
		}
		existed := errors.Is(err, ErrExists)
		if made {
			x.mu.Lock()
			existed = !x.createdRemote[a.path]
			x.mu.Unlock()
		}
		if existed {
			err = nil
		}
		if err == nil {
			x.mu.Lock()
			// Bulk upload cannot refuse to overwrite: only into folders
			// this pass really created.
			x.createdRemote[a.path] = !existed
			x.changed = true
			x.mu.Unlock()
			a.r = &r
			x.dirAction(a)
		}
	case opDeleteLocal:
		err = x.e.local.removeFile(a.path, *a.l)
		if err == nil {
			hit("deleted-local")
			j.forget(a.path)
			x.count(func(r *Result) { r.DeletedLocal++ })
		}
	case opDownload, opConflict:
		err = retry(ctx, func() error { return x.download(ctx, a) })
	case opUpload:
		err = retry(ctx, func() error { return x.upload(ctx, a) })
	case opDeleteRemote:
		err = retry(ctx, func() error { return x.e.remote.Delete(ctx, a.path, a.ifMatch) })
		if errors.Is(err, ErrNotFound) {
			err = nil
		}
		if err == nil {
			hit("deleted-remote")
			j.forget(a.path)
			x.setChanged()
			x.count(func(r *Result) { r.DeletedRemote++ })
		}
	case opDeleteRemoteDir:
		err = x.deleteRemoteDir(ctx, a)
	case opDeleteLocalDir:
		var gone bool
		gone, err = x.e.local.removeDir(a.path)
		if err == nil && gone {
			j.forgetTree(a.path)
		}
	case opRecord:
		if (a.l != nil && a.l.IsDir) || (a.r != nil && a.r.IsDir) {
			x.dirAction(a)
		} else {
			j.put(entryOf(*a.l, *a.r))
		}
	case opForget:
		j.forget(a.path)
	}
	x.e.stepDone(a, err)
	if err != nil {
		x.fail(a, err)
	}
}

func (x *executor) count(f func(*Result)) {
	x.mu.Lock()
	f(&x.res)
	x.mu.Unlock()
}

// madeHere notes a local path the pass created beside its plan (a
// conflicted copy), for the confirming pass's scope.
func (x *executor) madeHere(p string) {
	x.mu.Lock()
	x.e.acted.addDeep(p)
	x.mu.Unlock()
}

func (x *executor) setChanged() {
	x.mu.Lock()
	x.changed = true
	x.mu.Unlock()
}

// remoteParents creates the server folders above to that are new here (the
// plan's folder creations come after the moves): a folder moved into a new
// folder is one MKCOL and one MOVE, not a refused MOVE and another pass.
func (x *executor) remoteParents(ctx context.Context, to string) error {
	var missing []string
	for d := path.Dir(to); d != "."; d = path.Dir(d) {
		x.mu.Lock()
		_, done := x.createdRemote[d]
		x.mu.Unlock()
		if _, ok := x.tree.entries[d]; ok || done {
			break
		}
		missing = append(missing, d)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		d := missing[i]
		var r RemoteEntry
		err := retry(ctx, func() error { var e error; r, e = x.e.remote.Mkdir(ctx, d); return e })
		existed := errors.Is(err, ErrExists)
		if err != nil && !existed {
			return err
		}
		x.mu.Lock()
		x.createdRemote[d] = !existed
		x.madeRemote[d] = r
		x.changed = true
		x.mu.Unlock()
	}
	return nil
}

// localParents is remoteParents for a move the server made.
func (x *executor) localParents(to string) error {
	var missing []string
	for d := path.Dir(to); d != "."; d = path.Dir(d) {
		if _, ok, err := x.e.local.stat(d); err != nil || ok {
			break
		}
		missing = append(missing, d)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if _, err := x.e.local.mkdir(missing[i]); err != nil {
			return err
		}
	}
	return nil
}

func (x *executor) dirAction(a action) {
	x.mu.Lock()
	x.dirs = append(x.dirs, a)
	x.mu.Unlock()
}

func entryOf(l LocalEntry, r RemoteEntry) JournalEntry {
	return JournalEntry{Path: l.Path, IsDir: l.IsDir, LSize: l.Size, LMtime: l.Mtime, LInode: l.Inode,
		ETag: NormETag(r.ETag), FileID: r.FileID, Perms: r.Perms, RSize: r.Size, RMtime: r.ModTime.Unix()}
}

// recordDirs writes the folders last: a folder's server ETag is kept only
// when everything below it synced, so an unchanged ETag next time really
// means "nothing to do below".
func (x *executor) recordDirs() {
	for _, a := range x.dirs {
		l, ok, err := x.e.local.stat(a.path)
		if err != nil || !ok || !l.IsDir {
			continue
		}
		var r RemoteEntry
		if a.r != nil {
			r = *a.r
		}
		if cur, ok := x.tree.entries[a.path]; ok && a.op != opMkdirRemote {
			r = cur
		}
		je := entryOf(l, r)
		if x.dirty[a.path] || a.op == opMkdirRemote || a.op == opMoveRemote || x.createdRemote[a.path] {
			je.ETag = ""
		}
		x.e.journal.put(je)
	}
	root := ""
	if !x.dirty[""] && !x.changed {
		root = NormETag(x.tree.root.ETag)
	}
	x.e.journal.queue(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO meta(key, value) VALUES('root_etag', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, root)
		return err
	})
}

func (x *executor) deleteRemoteDir(ctx context.Context, a action) error {
	if !x.caps.PropagatedETags {
		// Without propagated ETags only an empty folder is deleted; its
		// files were deleted one by one, each with its own precondition.
		ls, err := x.e.remote.List(ctx, a.path)
		if errors.Is(err, ErrNotFound) {
			x.e.journal.forgetTree(a.path)
			return nil
		}
		if err != nil {
			return err
		}
		if len(ls.Children) > 0 {
			x.setChanged()
			return nil
		}
		a.ifMatch = ""
	} else {
		// Servers built on SabreDAV refuse If-Match on folders, so the
		// folder's propagated ETag is checked just before the DELETE: if
		// anything below changed since the listing, it differs.
		st, err := x.e.remote.Stat(ctx, a.path)
		if errors.Is(err, ErrNotFound) {
			x.e.journal.forgetTree(a.path)
			return nil
		}
		if err != nil {
			return err
		}
		if NormETag(st.ETag) != a.ifMatch {
			return fmt.Errorf("%s: %w", a.path, ErrPrecondition)
		}
		a.ifMatch = ""
	}
	err := retry(ctx, func() error { return x.e.remote.Delete(ctx, a.path, a.ifMatch) })
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	if err == nil {
		hit("deleted-remote-dir")
		x.e.journal.forgetTree(a.path)
		x.setChanged()
		x.count(func(r *Result) { r.DeletedRemote += a.files })
	}
	return err
}

// traceOn (DESKPORT_FILESYNC_TRACE=1) prints every action as it starts, to
// stderr: the kill tests show it per run to explain a failed round.
var traceOn = os.Getenv("DESKPORT_FILESYNC_TRACE") != ""

// setAside moves the local version at rel to a conflict copy: the name of
// this second, or that name with a number when it is taken (a second
// conflict on the same file within one second: a pass after a kill, or two
// quick passes), so that the conflict never waits for the clock.
func (x *executor) setAside(rel string, at time.Time) (string, error) {
	var c string
	var err error
	for n := 1; n <= 99; n++ {
		c = names.ConflictNameN(rel, at, n)
		if err = x.e.local.rename(rel, c); !errors.Is(err, errTargetExists) {
			break
		}
	}
	return c, err
}
