package filesync

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// live is what the running pass is about to do and is doing, for the
// tree's states ("waiting to upload", "transferring"). The executor feeds
// it through one call per step (planned, started, finished).
type live struct {
	mu      sync.Mutex
	pending map[string]opKind // planned, not finished
	running map[string]bool
	bytes   map[string]*fileProgress // running transfers, for the tree's percentage
	sizes   map[string]int64         // planned downloads' sizes (not on disk yet)
	// changedHere are local paths the watcher saw change that no scan has
	// seen yet (a pass may be busy for minutes): their folders are not
	// "synced" meanwhile. scanAt is when the running pass began its scan.
	changedHere map[string]time.Time
	scanAt      time.Time
}

// localChange records a local path (relative, slashes) the watcher saw change.
func (l *live) localChange(p string) {
	l.mu.Lock()
	if l.changedHere == nil {
		l.changedHere = map[string]time.Time{}
	}
	l.changedHere[p] = time.Now()
	l.mu.Unlock()
}

// passDone forgets the changes the finished pass's scan has seen: they are
// synced now, or the journal says what is left.
func (l *live) passDone() {
	l.mu.Lock()
	for p, at := range l.changedHere {
		if at.Before(l.scanAt) {
			delete(l.changedHere, p)
		}
	}
	l.mu.Unlock()
}

// scanning marks the start of a pass's local scan.
func (l *live) scanning() {
	l.mu.Lock()
	l.scanAt = time.Now()
	l.mu.Unlock()
}

// fileProgress counts the bytes of one running transfer.
type fileProgress struct {
	done  atomic.Int64
	total int64
}

// add is safe on nil (a transfer the tree does not follow).
func (f *fileProgress) add(n int64) {
	if f != nil {
		f.done.Add(n)
	}
}

// transfer starts counting p's bytes: total to move, done already there
// (a resumed download).
func (l *live) transfer(p string, total, done int64) *fileProgress {
	f := &fileProgress{total: total}
	f.done.Store(done)
	l.mu.Lock()
	if l.bytes == nil {
		l.bytes = map[string]*fileProgress{}
	}
	l.bytes[p] = f
	l.mu.Unlock()
	return f
}

// withProgress adds the bytes moved so far to a transferring file.
func (l *live) withProgress(te TreeEntry) TreeEntry {
	if te.State != StateTransferring || te.IsDir {
		return te
	}
	l.mu.Lock()
	f := l.bytes[te.Path]
	l.mu.Unlock()
	if f != nil && f.total > 0 {
		te.Done, te.Total = min(max(f.done.Load(), 0), f.total), f.total
	}
	return te
}

func (l *live) planned(acts []action) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending, l.running, l.bytes = map[string]opKind{}, map[string]bool{}, map[string]*fileProgress{}
	l.sizes = map[string]int64{}
	for _, a := range acts {
		if a.op == opRecord || a.op == opForget {
			continue
		}
		l.pending[a.path] = a.op
		if a.r != nil && !a.r.IsDir {
			l.sizes[a.path] = a.r.Size
		}
		if a.to != "" {
			l.pending[a.to] = a.op
		}
	}
}

func (l *live) started(a action) {
	l.mu.Lock()
	if l.running != nil {
		l.running[a.path] = true
	}
	l.mu.Unlock()
}

func (l *live) done(a action) {
	l.mu.Lock()
	delete(l.pending, a.path)
	delete(l.pending, a.to)
	delete(l.running, a.path)
	delete(l.bytes, a.path)
	delete(l.sizes, a.path)
	l.mu.Unlock()
}

// state says what the pass does with p: "transferring", "upload",
// "download" or "" (nothing).
func (l *live) state(p string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running[p] {
		return StateTransferring
	}
	op, ok := l.pending[p]
	if !ok {
		return ""
	}
	return direction(op)
}

// under reports the pending paths below dir (for a folder's state).
func (l *live) under(dir string) (up, down, running bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for p, op := range l.pending {
		if p != dir && underOrSame(p, dir) {
			if l.running[p] {
				running = true
			}
			if direction(op) == StateUpload {
				up = true
			} else {
				down = true
			}
		}
	}
	for p := range l.changedHere {
		if p != dir && underOrSame(p, dir) {
			up = true
		}
	}
	return
}

func direction(op opKind) string {
	switch op {
	case opMoveLocal, opMkdirLocal, opDeleteLocal, opDownload, opConflict, opDeleteLocalDir, opTypeClash:
		return StateDownload
	}
	return StateUpload
}

// stepStarted and stepDone are the executor's hooks (one line each there).
func (e *Engine) stepStarted(a action) { e.live.started(a) }

func (e *Engine) stepDone(a action, err error) {
	e.live.done(a)
	if err == nil {
		e.journal.noteActivity(context.Background(), a, e.now())
	}
}
