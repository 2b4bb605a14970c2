package filesync

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/deskport/deskport/internal/filesync/ignore"
)

// Run syncs now, then again whenever the local folder changes (events
// coalesced for Settle), every Poll for server changes (one PROPFIND on
// Nextcloud when nothing changed) and at least every Rescan. While
// Options.Push is connected it does not poll: a change it announces (and
// every reconnect) is checked instead. It returns when ctx ends. Pass errors are kept in Status and retried at the next poll.
func (e *Engine) Run(ctx context.Context, o RunOptions) error {
	if o.Poll <= 0 {
		o.Poll = time.Minute
	}
	if o.Settle <= 0 {
		o.Settle = time.Second
	}
	if o.Rescan <= 0 {
		// Each folder's listing, at 100,000 files 11,000 PROPFINDs: what a
		// fleet of idle clients costs the server is mostly this.
		o.Rescan = 24 * time.Hour
	}
	if o.LocalRescan <= 0 {
		o.LocalRescan = 10 * time.Minute
	}
	if o.FullScan <= 0 {
		o.FullScan = time.Hour
	}
	kick := make(chan struct{}, 1)
	e.mu.Lock()
	e.kick = kick
	e.mu.Unlock()
	w, err := fsnotify.NewWatcher()
	if err != nil {
		e.opt.Logf("no file watcher (%v); polling every %s", err, o.Poll)
	} else {
		defer w.Close()
		e.watch.start()
		defer e.watch.stop()
		e.watchTree(w, e.local.root)
	}
	var werrs <-chan error
	changedHere := make(chan struct{}, 1) // something changed here (coalesced)
	if w != nil {
		werrs = w.Errors
		go e.watchEvents(w, changedHere)
	}
	poll := time.NewTicker(o.Poll)
	defer poll.Stop()
	lastPass, lastFull, lastFullScan := time.Time{}, time.Now(), time.Time{}
	pushUp, pushed := e.listenPush(ctx)
	pushing := false
	var settle <-chan time.Time
	due := true
	for {
		if due && !e.isPaused() {
			due = false
			// What the watcher saw is all that changed here, unless it may
			// have missed something or the hourly full scan is due.
			sc := e.watch.take(time.Since(lastFullScan) >= o.FullScan)
			if sc == nil {
				lastFullScan = time.Now()
			}
			res, err := e.syncScoped(ctx, sc)
			lastPass = time.Now()
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				e.opt.Logf("sync: %v", err)
			} else if res.Downloaded+res.Uploaded+res.DeletedLocal+res.DeletedRemote+res.Moved+res.Conflicts > 0 {
				e.opt.Logf("sync: %v", res)
			}
			if o.OnPass != nil {
				o.OnPass(res, err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changedHere:
			if settle == nil {
				settle = time.After(o.Settle)
			}
		case err := <-werrs:
			// Overflow or a watch lost: the next pass rescans everything.
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				e.opt.Logf("watcher overflow: full rescan")
			}
			e.watch.lose()
			due = true
		case <-settle:
			settle = nil
			due = true
		case <-poll.C:
			if !due && !pushing && time.Since(lastPass) >= o.Poll/2 {
				// Between full passes, a poll costs one PROPFIND: a pass runs
				// only when the server's root ETag moved (or every LocalRescan,
				// for changes the watcher may have missed).
				changed, err := e.remoteChanged(ctx)
				due = err != nil || changed || time.Since(lastPass) >= o.LocalRescan
			}
			if time.Since(lastFullScan) >= o.FullScan {
				due = true // also while push is up: for what the watcher may have missed
			}
			if time.Since(lastFull) > o.Rescan {
				lastFull = time.Now()
				e.mu.Lock()
				e.fullWalk = true
				e.mu.Unlock()
				due = true
			}
		case pushing = <-pushUp:
			// Connected again: what changed while it was down is checked once.
			due = due || (pushing && e.serverMoved(ctx))
		case <-pushed:
			due = due || e.serverMoved(ctx)
		case <-kick:
			due = true
		case <-e.resume:
		}
	}
}

// RunOptions tune Run.
type RunOptions struct {
	Poll   time.Duration // server check interval without push (default 1 min)
	Settle time.Duration // wait after the last local change (default 1 s)
	// Rescan is the longest time between full server walks, which list every
	// folder whatever its ETag (for storages that do not propagate ETags;
	// default 24 h).
	Rescan time.Duration
	// LocalRescan is the longest time without a pass (scan of the local
	// folder) when neither the watcher nor the server reports changes (10 min).
	LocalRescan time.Duration
	// FullScan is the longest time between full passes while the watcher
	// reports every change (1 h); between them a pass looks only at what
	// the watcher and the server's ETags say changed.
	FullScan time.Duration
	OnPass   func(Result, error)
}

// watchEvents takes the watcher's events as they come, also while a pass
// runs (which may take minutes): a new folder is watched at once, the path is
// marked for the tree's states (live.localChange), and the loop is told that
// something changed here. It ends when the watcher is closed.
func (e *Engine) watchEvents(w *fsnotify.Watcher, changed chan<- struct{}) {
	for ev := range w.Events {
		if strings.HasPrefix(filepath.Base(ev.Name), ignore.TempPrefix) {
			continue
		}
		if ev.Op&fsnotify.Remove != 0 {
			e.watch.removed(ev.Name)
		}
		if ev.Op&fsnotify.Rename != 0 && e.watch.movedAway(w, ev.Name) {
			// A watched folder moved: the watches below it still report
			// their old paths (fsnotify keeps them), so they are dropped,
			// the new place is watched afresh (its Create event) and the
			// next pass looks at everything.
			e.opt.Logf("watched folder %s moved: full rescan", ev.Name)
		}
		if ev.Op&fsnotify.Create != 0 {
			if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
				e.watchTree(w, ev.Name)
			}
		}
		if rel, err := filepath.Rel(e.local.root, ev.Name); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			rel = filepath.ToSlash(rel)
			e.live.localChange(rel)
			e.watch.changed(rel)
		}
		select {
		case changed <- struct{}{}:
		default:
		}
	}
}

func (e *Engine) watchTree(w *fsnotify.Watcher, dir string) {
	e.mu.Lock() // a pass may swap the filters (watchEvents runs beside it)
	ign := e.opt.Ignore
	e.mu.Unlock()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(e.local.root, p)
		if rel != "." && ign.Match(filepath.ToSlash(rel)) {
			return fs.SkipDir
		}
		if err := w.Add(p); err != nil {
			e.opt.Logf("cannot watch %s: %v (changes there are found by the periodic pass)", p, err)
			e.watch.blind()
		} else {
			e.watch.added(p)
		}
		return nil
	})
}

// remoteChanged asks the server whether anything changed since the last
// complete pass: one PROPFIND on Nextcloud; always true on generic WebDAV.
func (e *Engine) remoteChanged(ctx context.Context) (bool, error) {
	caps, err := e.remote.Capabilities(ctx)
	if err != nil || !caps.PropagatedETags {
		return true, err
	}
	root, err := e.journal.Meta(ctx, "root_etag")
	if err != nil || root == "" {
		return true, err
	}
	ls, err := e.remote.List(ctx, "")
	if err != nil {
		return true, err
	}
	return NormETag(ls.Self.ETag) != root, nil
}

// SyncNow asks a running Run for a pass.
func (e *Engine) SyncNow() {
	e.mu.Lock()
	k := e.kick
	e.mu.Unlock()
	if k != nil {
		select {
		case k <- struct{}{}:
		default:
		}
	}
}

// Pause stops starting new passes (a running one finishes).
func (e *Engine) Pause() {
	e.mu.Lock()
	e.paused = true
	if e.status.State == "idle" {
		e.status.State = "paused"
	}
	e.mu.Unlock()
}

// Resume starts passes again, with one right away.
func (e *Engine) Resume() {
	e.mu.Lock()
	e.paused = false
	if e.status.State == "paused" {
		e.status.State = "idle"
	}
	e.mu.Unlock()
	e.SyncNow()
}

func (e *Engine) isPaused() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.paused
}

// watchState is what the watcher saw since the last pass began.
type watchState struct {
	mu      sync.Mutex
	on      bool            // Run's watcher is up
	lost    bool            // events may have been missed since the last full pass began
	blinded bool            // a folder could not be watched: every pass is a full one
	seen    *scope          // paths changed since the last pass began
	watched map[string]bool // folders watched (absolute paths)
}

func (w *watchState) start() {
	w.mu.Lock()
	w.on, w.lost, w.blinded, w.seen, w.watched = true, true, false, newScope(), map[string]bool{}
	w.mu.Unlock()
}

func (w *watchState) stop() {
	w.mu.Lock()
	w.on = false
	w.mu.Unlock()
}

func (w *watchState) running() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.on
}

func (w *watchState) changed(rel string) {
	w.mu.Lock()
	if w.seen != nil {
		w.seen.addDeep(rel)
	}
	w.mu.Unlock()
}

func (w *watchState) lose() {
	w.mu.Lock()
	w.lost = true
	w.mu.Unlock()
}

func (w *watchState) blind() {
	w.mu.Lock()
	w.blinded = true
	w.mu.Unlock()
}

func (w *watchState) added(abs string) {
	w.mu.Lock()
	if w.watched != nil {
		w.watched[abs] = true
	}
	w.mu.Unlock()
}

// removed forgets a deleted folder's watches (the system dropped them).
func (w *watchState) removed(abs string) {
	w.mu.Lock()
	for p := range w.watched {
		if p == abs || strings.HasPrefix(p, abs+string(filepath.Separator)) {
			delete(w.watched, p)
		}
	}
	w.mu.Unlock()
}

// movedAway handles a folder that left its place: its watches and those
// below it are removed, and the next pass is a full one. It reports
// whether abs was a watched folder.
func (w *watchState) movedAway(fw *fsnotify.Watcher, abs string) bool {
	w.mu.Lock()
	if !w.watched[abs] {
		w.mu.Unlock()
		return false
	}
	var gone []string
	for p := range w.watched {
		if p == abs || strings.HasPrefix(p, abs+string(filepath.Separator)) {
			gone = append(gone, p)
			delete(w.watched, p)
		}
	}
	w.lost = true
	w.mu.Unlock()
	for _, p := range gone {
		fw.Remove(p)
	}
	return true
}

// take starts a pass: it returns the scope of what changed since the last
// one, or nil for a full pass (asked for, no watcher, or events possibly
// missed). Changes from now on are kept for the next pass.
func (w *watchState) take(full bool) *scope {
	w.mu.Lock()
	defer w.mu.Unlock()
	sc := w.seen
	w.seen = newScope()
	if full || !w.on || w.lost || w.blinded || sc == nil || sc.size() > maxScopePaths {
		w.lost = false
		return nil
	}
	return sc
}

// giveBack returns the scope of a pass that failed, to the next pass (nil,
// a full pass that failed, makes the next one full).
func (w *watchState) giveBack(sc *scope) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.on {
		return
	}
	if sc == nil {
		w.lost = true
		return
	}
	if w.seen == nil {
		w.seen = newScope()
	}
	w.seen.merge(sc)
}
