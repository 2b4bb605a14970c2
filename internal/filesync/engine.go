package filesync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/filesync/ignore"
)

// Options configure an Engine. LocalDir, Remote and Journal are required.
type Options struct {
	LocalDir string
	Remote   Remote
	Journal  *Journal
	Ignore   *ignore.Matcher // nil: the defaults
	// Exclude lists server folders not synced (selective sync), e.g. "Photos".
	Exclude  []string
	Parallel int // transfers at once; default 6
	// The mass-delete guard: a pass that would delete more than MaxDeletes
	// files, or more than MaxDeleteShare of the tracked files (when at least
	// 10), on either side is not carried out until ConfirmDeletes is set.
	MaxDeletes     int     // default 50
	MaxDeleteShare float64 // default 0.25
	ConfirmDeletes bool
	// BulkMax is the largest file sent by bulk upload (default 1 MiB).
	BulkMax int64
	// Limit caps transfer bandwidth in bytes/s (0: none).
	Limit    int64
	Progress func(Progress)
	Logf     func(format string, args ...any)
	// GOOS and CaseInsensitive default to this system's rules; tests
	// override them to exercise Windows behaviour on Linux.
	GOOS            string
	CaseInsensitive *bool
	Now             func() time.Time
	// Push, when set, lets Run wait for the server's change notifications
	// instead of polling (notify_push; folder.Open sets it for Nextcloud).
	Push Notifier
}

// Engine syncs one local folder with one server folder.
type Engine struct {
	opt             Options
	remote          Remote
	journal         *Journal
	local           *localFS
	goos            string
	caseInsensitive bool
	limiter         *limiter
	now             func() time.Time

	mu      sync.Mutex
	status  Status
	confirm bool
	paused  bool
	resume  chan struct{}
	kick    chan struct{}
	// fullWalk makes the next pass list every server folder.
	fullWalk    bool
	nextFilters *filters
	live        live // what the running pass plans and does (tree states)
	watch       watchState
	// acted is the scope of what the last pass did (its actions' paths):
	// the pass after it, which confirms the server's new ETags, looks there.
	acted *scope
}

// MassDeleteError stops a pass that would delete many files.
type MassDeleteError struct {
	Local, Remote, Tracked int
}

func (e *MassDeleteError) Error() string {
	return fmt.Sprintf("this sync would delete %d local and %d server files of %d; nothing was changed. "+
		"If that is what you want, confirm (deskport files sync --confirm-deletes, or Confirm in the app); "+
		"if not, check that the folder and the server are the right ones", e.Local, e.Remote, e.Tracked)
}

// ErrDiskFull stops a pass when the local disk is full.
var ErrDiskFull = errors.New("the local disk is full")

// New prepares an engine; nothing is touched until Sync.
func New(opt Options) (*Engine, error) {
	if opt.LocalDir == "" || opt.Remote == nil || opt.Journal == nil {
		return nil, errors.New("filesync: LocalDir, Remote and Journal are required")
	}
	root, err := filepath.Abs(opt.LocalDir)
	if err != nil {
		return nil, err
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 6
	}
	if opt.MaxDeletes <= 0 {
		opt.MaxDeletes = 50
	}
	if opt.MaxDeleteShare <= 0 {
		opt.MaxDeleteShare = 0.25
	}
	if opt.BulkMax <= 0 {
		opt.BulkMax = 1 << 20
	}
	if opt.Ignore == nil {
		opt.Ignore, _ = ignore.New(ignore.Defaults)
	}
	if opt.GOOS == "" {
		opt.GOOS = runtime.GOOS
	}
	ci := opt.GOOS == "windows" || opt.GOOS == "darwin"
	if opt.CaseInsensitive != nil {
		ci = *opt.CaseInsensitive
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	e := &Engine{opt: opt, remote: opt.Remote, journal: opt.Journal, goos: opt.GOOS, caseInsensitive: ci,
		now: opt.Now, confirm: opt.ConfirmDeletes, resume: make(chan struct{})}
	e.local = &localFS{root: filepath.Clean(root), goos: opt.GOOS, ignore: opt.Ignore}
	e.limiter = newLimiter(opt.Limit)
	e.status.State = "idle"
	return e, nil
}

func (e *Engine) excluded(p string) bool {
	if e.opt.Ignore.Match(p) {
		return true
	}
	for _, x := range e.opt.Exclude {
		if underOrSame(p, x) {
			return true
		}
	}
	return false
}

// ConfirmDeletes lets the next pass carry out deletions the guard held back.
func (e *Engine) ConfirmDeletes() {
	e.mu.Lock()
	e.confirm = true
	e.mu.Unlock()
	e.SyncNow()
}

// Journal is the engine's journal (conflicts, errors).
func (e *Engine) Journal() *Journal { return e.journal }

// LocalDir is the synced folder's absolute path.
func (e *Engine) LocalDir() string { return e.local.root }

// SetFilters replaces the ignore list and the deselected server folders
// from the next pass on (which then walks the whole server once).
func (e *Engine) SetFilters(ign *ignore.Matcher, exclude []string) {
	e.mu.Lock()
	e.nextFilters = &filters{ign, exclude}
	e.mu.Unlock()
	e.SyncNow()
}

type filters struct {
	ign     *ignore.Matcher
	exclude []string
}

// SetProgress replaces the progress callback (the app sets it after opening).
func (e *Engine) SetProgress(f func(Progress)) {
	e.mu.Lock()
	e.opt.Progress = f
	e.mu.Unlock()
}

// SetLimit changes the bandwidth limit (bytes/s, 0 = none).
func (e *Engine) SetLimit(bps int64) { e.limiter.set(bps) }

// Result sums up a Sync.
type Result struct {
	Passes        int
	Downloaded    int
	Uploaded      int
	DeletedLocal  int
	DeletedRemote int
	Moved         int
	Conflicts     int
	Errors        int
	BytesDown     int64
	BytesUp       int64
	Lists         int // folder listings (PROPFIND) made
	// Scoped is set when every pass looked only at what the watcher, the
	// pass before and the server's ETags said changed; Scanned counts the
	// local entries the passes looked at (every file in a full pass).
	Scoped  bool
	Scanned int
}

func (r Result) String() string {
	return fmt.Sprintf("%d downloaded, %d uploaded, %d deleted here, %d deleted on the server, %d moved, %d conflicts, %d errors (%s down, %s up, %d passes)",
		r.Downloaded, r.Uploaded, r.DeletedLocal, r.DeletedRemote, r.Moved, r.Conflicts, r.Errors, human(r.BytesDown), human(r.BytesUp), r.Passes)
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Sync runs passes until both sides agree (at most 4): the passes after the
// first confirm the server's new ETags, so the next run costs one request.
// The first pass looks at everything.
func (e *Engine) Sync(ctx context.Context) (Result, error) { return e.syncScoped(ctx, nil) }

// syncScoped is Sync whose first pass looks only at sc (nil: everything).
// The passes after it look at what the pass before did, what the watcher
// reported meanwhile (everything when the watcher may have missed events)
// and what the server's ETags say changed.
func (e *Engine) syncScoped(ctx context.Context, sc *scope) (Result, error) {
	var total Result
	for i := 0; i < 4; i++ {
		res, more, err := e.pass(ctx, sc)
		total.add(res)
		total.Passes++
		if err != nil {
			e.watch.giveBack(sc)
		}
		if err != nil || !more {
			return total, err
		}
		sc = e.acted
		if e.watch.running() {
			if w := e.watch.take(false); w != nil {
				sc.merge(w)
			} else {
				sc = nil
			}
		}
	}
	return total, nil
}

func (r *Result) add(o Result) {
	r.Downloaded += o.Downloaded
	r.Uploaded += o.Uploaded
	r.DeletedLocal += o.DeletedLocal
	r.DeletedRemote += o.DeletedRemote
	r.Moved += o.Moved
	r.Conflicts += o.Conflicts
	r.Errors = o.Errors // the last pass's errors are what remains
	r.BytesDown += o.BytesDown
	r.BytesUp += o.BytesUp
	r.Lists += o.Lists
	r.Scoped = o.Scoped && (r.Passes == 0 || r.Scoped)
	r.Scanned += o.Scanned
}

// pass is one scan + walk + reconcile + execute. more reports whether
// another pass is worthwhile (something changed that must be confirmed).
//
// sc, when set, limits the pass to a scope (see scope.go); nil is a full
// pass. The pass turns itself into a full one when the filters changed, the
// server has no propagated ETags or the scope grew large.
func (e *Engine) pass(ctx context.Context, sc *scope) (res Result, more bool, err error) {
	e.mu.Lock()
	if f := e.nextFilters; f != nil {
		e.opt.Ignore, e.opt.Exclude, e.local.ignore = f.ign, f.exclude, f.ign
		e.nextFilters = nil
	}
	e.mu.Unlock()
	e.setState("scanning", nil)
	e.live.scanning()
	e.acted = newScope()
	defer func() {
		if ferr := e.journal.Flush(context.Background()); err == nil && ferr != nil {
			err = fmt.Errorf("cannot write the sync journal: %w", ferr)
		}
		st := "idle"
		if err != nil {
			st = "error"
			var md *MassDeleteError
			if errors.As(err, &md) {
				st = "waiting-confirm"
			}
		} else {
			e.live.passDone()
		}
		e.setState(st, err)
	}()
	// The server's answers (capabilities, the root listing) are awaited
	// while the journal loads and the local tree is scanned: a pass with
	// nothing to do then costs the longest of them, not their sum.
	capsC, rootC := e.prefetch(ctx)
	if err := e.recoverDownloads(ctx); err != nil {
		return res, false, fmt.Errorf("cannot read the sync journal: %w", err)
	}
	rootETag, err := e.journal.Meta(ctx, "root_etag")
	if err != nil {
		return res, false, err
	}
	// A changed ignore list or selective sync, or the periodic safety pass,
	// walks the whole server tree instead of trusting folder ETags.
	filter := e.opt.Ignore.Key() + "\x02" + strings.Join(e.opt.Exclude, "\x00")
	oldFilter, _ := e.journal.Meta(ctx, "filter")
	e.mu.Lock()
	full := e.fullWalk || oldFilter != filter
	e.fullWalk = false
	e.mu.Unlock()
	if full {
		sc = nil
	}
	var L map[string]LocalEntry
	var skippedL map[string]string
	var jr map[string]JournalEntry
	var sw *scopeWalk
	if sc == nil {
		jr, err = e.journal.Load(ctx)
		if err != nil {
			return res, false, fmt.Errorf("cannot read the sync journal: %w", err)
		}
		if full {
			rootETag = ""
			for p, j := range jr {
				if j.IsDir {
					j.ETag = ""
					jr[p] = j
				}
			}
		}
		L, skippedL, err = e.local.scan(len(jr))
		if err != nil {
			return res, false, err
		}
	} else {
		sw = &scopeWalk{j: e.journal, kids: map[string]JournalEntry{}}
		unsettled, err := e.journal.unsettledPaths(ctx)
		if err != nil {
			return res, false, fmt.Errorf("cannot read the sync journal: %w", err)
		}
		for _, p := range unsettled {
			sc.addExact(p)
		}
	}
	cr := <-capsC
	if cr.err != nil {
		return res, false, cr.err
	}
	caps := cr.caps
	if sw != nil && !caps.PropagatedETags {
		// Without propagated ETags every server folder is listed anyway.
		return e.pass(ctx, nil)
	}
	// excluded is a pure function of the path, and most paths of a pass
	// are journal paths: each of those is matched once.
	exJ := map[string]bool{}
	for p := range jr {
		if e.excluded(p) {
			exJ[p] = true
		}
	}
	excl := func(p string) bool {
		if _, ok := jr[p]; ok {
			return exJ[p]
		}
		return e.excluded(p)
	}
	tree, err := e.walkRemote(ctx, caps, jr, rootETag, rootC, excl, sw)
	if err != nil {
		return res, false, err
	}
	res.Lists = tree.lists
	if sw != nil {
		// The scope is now known on both sides: read, scan and fill in
		// only its paths.
		sc.merge(sw.changes(tree))
		sc.close()
		if sc.size() > maxScopePaths {
			return e.pass(ctx, nil)
		}
		if jr, err = e.journal.loadScope(ctx, sc); err != nil {
			return res, false, fmt.Errorf("cannot read the sync journal: %w", err)
		}
		for p := range jr {
			if e.excluded(p) {
				exJ[p] = true
			}
		}
		if L, skippedL, err = e.local.scanScope(sc); err != nil {
			return res, false, err
		}
		tree.entries = scopedRemote(tree, jr, sc)
	}
	scanned := len(L)
	// The journal map itself becomes the plan's J (reconcile may change
	// it): a copy is 30 MB at 100,000 files.
	J := jr
	// Ignored and deselected paths are left alone on both sides; the
	// folders holding them are never removed.
	// (The scan left out what the ignore list matches.)
	if len(e.opt.Exclude) > 0 {
		for p := range L {
			if excl(p) {
				delete(L, p)
				skippedL[p] = "ignored"
			}
		}
	}
	for p := range exJ {
		delete(J, p)
	}
	for p := range tree.entries {
		if excl(p) {
			delete(tree.entries, p)
			tree.skipped[p] = "ignored"
		}
	}
	if err := e.recoverUploads(ctx, caps, tree.entries, J); err != nil {
		return res, false, err
	}
	pl := reconcile(L, tree.entries, J, caps, skippedL, tree.skipped)
	if sw != nil {
		// The guard weighs deletions against every tracked file, not the scope's.
		if pl.trackedFiles, err = e.journal.trackedFiles(ctx); err != nil {
			return res, false, fmt.Errorf("cannot read the sync journal: %w", err)
		}
	}

	e.mu.Lock()
	confirmed := e.confirm
	e.mu.Unlock()
	if !confirmed && e.tooManyDeletes(pl) {
		return res, false, &MassDeleteError{Local: pl.localDeletes, Remote: pl.remoteDeletes, Tracked: pl.trackedFiles}
	}
	e.acted = newScope()
	for _, a := range pl.actions {
		e.acted.addDeep(a.path)
		e.acted.addDeep(a.to)
	}
	x := newExecutor(e, caps, tree, pl)
	res, err = x.run(ctx)
	res.Scoped, res.Scanned, res.Lists = sw != nil, scanned, tree.lists
	if err == nil && full {
		e.journal.queue(func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO meta(key, value) VALUES('filter', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, filter)
			return err
		})
	}
	if pl.localDeletes+pl.remoteDeletes > 0 && err == nil {
		e.mu.Lock()
		e.confirm = e.opt.ConfirmDeletes
		e.mu.Unlock()
	}
	// Skips are found again by every full pass (their folders are always
	// listed); a scoped one keeps those outside its scope.
	if sw == nil {
		e.journal.queue(func(tx *sql.Tx) error {
			_, err := tx.Exec(`DELETE FROM errors WHERE op IN ('skip', 'skip-local')`)
			return err
		})
	}
	for p, why := range tree.skipped {
		if why != "ignored" {
			e.journal.setError(p, "skip", errors.New(why))
			res.Errors++
		}
	}
	for p, why := range skippedL {
		if why != "ignored" {
			e.journal.setError(p, "skip-local", errors.New(why))
			res.Errors++
		}
	}
	return res, x.needsAnotherPass(), err
}

type capsResult struct {
	caps Capabilities
	err  error
}

type listResult struct {
	ls  Listing
	err error
}

// prefetch asks for the capabilities and the root listing at once, in the
// background; both channels get exactly one value.
func (e *Engine) prefetch(ctx context.Context) (<-chan capsResult, <-chan listResult) {
	capsC, rootC := make(chan capsResult, 1), make(chan listResult, 1)
	go func() {
		caps, err := e.remote.Capabilities(ctx)
		capsC <- capsResult{caps, err}
	}()
	go func() {
		ls, err := e.remote.List(ctx, "")
		rootC <- listResult{ls, err}
	}()
	return capsC, rootC
}

func (e *Engine) tooManyDeletes(pl plan) bool {
	for _, n := range []int{pl.localDeletes, pl.remoteDeletes} {
		if n > e.opt.MaxDeletes {
			return true
		}
		if pl.trackedFiles >= 10 && float64(n) > e.opt.MaxDeleteShare*float64(pl.trackedFiles) {
			return true
		}
		if n >= 2 && n == pl.trackedFiles {
			return true
		}
	}
	return false
}
