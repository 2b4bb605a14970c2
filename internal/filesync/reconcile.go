package filesync

import (
	"path"
	"sort"
	"strings"
	"time"
)

type opKind int

const (
	opMoveLocal       opKind = iota // the server moved it: rename locally
	opMoveRemote                    // moved locally: MOVE on the server
	opTypeClash                     // file on one side, folder on the other: set the local one aside
	opMkdirLocal                    //
	opMkdirRemote                   //
	opDeleteLocal                   // deleted on the server, unchanged here
	opDownload                      //
	opConflict                      // changed on both sides: compare, keep both if they differ
	opUpload                        //
	opDeleteRemote                  // deleted here, unchanged on the server
	opDeleteRemoteDir               //
	opDeleteLocalDir                //
	opRecord                        // both sides agree: write the journal
	opForget                        // gone on both sides
)

var opNames = [...]string{"move-local", "move-remote", "type-clash", "mkdir-local", "mkdir-remote", "delete-local", "download", "conflict", "upload", "delete-remote", "delete-remote-dir", "delete-local-dir", "record", "forget"}

func (o opKind) String() string { return opNames[o] }

type action struct {
	op          opKind
	path, to    string
	l           *LocalEntry
	r           *RemoteEntry
	j           *JournalEntry
	ifMatch     string
	ifNoneMatch bool
	files       int // files a folder delete removes
}

type plan struct {
	actions       []action
	localDeletes  int // files
	remoteDeletes int
	trackedFiles  int
}

func depth(p string) int { return strings.Count(p, "/") }

func byDepth(m []string) {
	sort.Slice(m, func(a, b int) bool {
		da, db := depth(m[a]), depth(m[b])
		if da != db {
			return da < db
		}
		return m[a] < m[b]
	})
}

func moveKeys[T any](m map[string]T, from, to string, fix func(p string, v T) T) {
	for p, v := range m {
		if underOrSame(p, from) {
			np := to + strings.TrimPrefix(p, from)
			delete(m, p)
			m[np] = fix(np, v)
		}
	}
}

func fixJ(p string, j JournalEntry) JournalEntry { j.Path = p; return j }
func fixL(p string, l LocalEntry) LocalEntry     { l.Path = p; return l }
func fixR(p string, r RemoteEntry) RemoteEntry   { r.Path = p; return r }

// reconcile compares local now, remote now and the journal, and returns
// what to do. It mutates its maps (detected moves are applied to them).
//
// A pass looks every journal path up here and there once, and decides it
// at once; the local and server maps are walked again only when they hold
// paths the journal does not (at 100,000 paths the map lookups were most of
// a no-change pass's reconcile, and such a pass has none).
func reconcile(L map[string]LocalEntry, R map[string]RemoteEntry, J map[string]JournalEntry,
	caps Capabilities, skippedLocal, skippedRemote map[string]string) plan {
	var pl plan
	var acts []action
	decide := func(p string, l *LocalEntry, lOK bool, r *RemoteEntry, rOK bool, j *JournalEntry, jOK bool) {
		if !rOK {
			if _, skip := skippedRemote[p]; skip {
				return // not synced (hostile name, ignored): leave both sides alone
			}
		}
		if !lOK {
			if _, skip := skippedLocal[p]; skip {
				return
			}
		}
		// Below a local folder the scan could not enter (a link, no
		// permission) nothing is known, so nothing is deleted there.
		if !lOK && underSkipped(p, skippedLocal) || !rOK && underSkipped(p, skippedRemote) {
			return
		}
		lCh, rCh := lOK, rOK
		if jOK {
			lCh = !lOK || l.IsDir != j.IsDir || !sameLocal(*l, j.local())
			rCh = !rOK || r.IsDir != j.IsDir || (!r.IsDir && r.ETag != j.ETag)
		}
		op := opKind(-1)
		var ifMatch string
		var ifNoneMatch bool
		switch {
		case lOK && rOK && l.IsDir != r.IsDir:
			op = opTypeClash
		case !lCh && !rCh:
			if jOK && lOK && rOK && (r.ETag != j.ETag || l.Inode != j.LInode || r.FileID != j.FileID) {
				op = opRecord
			}
		case lCh && !rCh:
			switch {
			case lOK && l.IsDir && rOK:
				op = opRecord
			case lOK && l.IsDir:
				op = opMkdirRemote
			case lOK:
				op = opUpload
				if rOK {
					ifMatch = r.ETag
				} else {
					ifNoneMatch = true
				}
			case rOK && r.IsDir:
				op = opDeleteRemoteDir
			case rOK:
				op = opDeleteRemote
				ifMatch = r.ETag
			default:
				op = opForget
			}
		case !lCh && rCh:
			switch {
			case rOK && r.IsDir && lOK:
				op = opRecord
			case rOK && r.IsDir:
				op = opMkdirLocal
			case rOK:
				op = opDownload
			case lOK && l.IsDir:
				op = opDeleteLocalDir
			case lOK:
				op = opDeleteLocal
			default:
				op = opForget
			}
		default: // changed on both sides
			switch {
			case !lOK && !rOK:
				op = opForget
			case lOK && !rOK && l.IsDir:
				op = opMkdirRemote
			case lOK && !rOK:
				op, ifNoneMatch = opUpload, true // deleted there, edited here: restore
			case !lOK && r.IsDir:
				op = opMkdirLocal
			case !lOK:
				op = opDownload // deleted here, edited there: restore
			case l.IsDir:
				op = opRecord
			default:
				op = opConflict
			}
		}
		if op >= 0 {
			acts = append(acts, action{op: op, path: p, ifMatch: ifMatch, ifNoneMatch: ifNoneMatch,
				l: ptrL(*l, lOK), r: ptrR(*r, rOK), j: ptrJ(*j, jOK)})
		}
	}
	decideJournal := func(p string, j *JournalEntry) (lOK, rOK bool, r RemoteEntry) {
		l, lOK := L[p]
		r, rOK = R[p]
		decide(p, &l, lOK, &r, rOK, j, true)
		return lOK, rOK, r
	}

	// Server paths whose file id is not the journal's there: the only
	// possible targets of a move on the server.
	var ps []string
	lHits, rHits := 0, 0
	for p, j := range J {
		if !j.IsDir {
			pl.trackedFiles++
		}
		lOK, rOK, r := decideJournal(p, &j)
		if lOK {
			lHits++
		}
		if rOK {
			rHits++
			if caps.FileIDs && r.FileID != "" && j.FileID != r.FileID {
				ps = append(ps, p)
			}
		}
	}
	var rNew, lNew []string
	if rHits < len(R) {
		for p, r := range R {
			if _, ok := J[p]; !ok {
				rNew = append(rNew, p)
				if caps.FileIDs && r.FileID != "" {
					ps = append(ps, p)
				}
			}
		}
	}

	// Moves on the server, found by file id.
	if len(ps) > 0 {
		byID := map[string]string{}
		for p, j := range J {
			if j.FileID != "" {
				byID[j.FileID] = p
			}
		}
		byDepth(ps)
		for _, p := range ps {
			r, ok := R[p]
			if !ok || r.FileID == "" {
				continue
			}
			if j, ok := J[p]; ok && j.FileID == r.FileID {
				continue
			}
			q, ok := byID[r.FileID]
			if !ok || q == p || underOrSame(p, q) || underOrSame(q, p) {
				continue
			}
			if rq, ok := R[q]; ok && rq.FileID == r.FileID {
				continue
			}
			jq := J[q]
			lq, ok := L[q]
			if !ok || jq.IsDir != r.IsDir || !sameLocal(lq, jq.local()) {
				continue
			}
			if _, ok := L[p]; ok {
				continue
			}
			if _, ok := J[p]; ok {
				continue
			}
			// A file id alone is no proof: servers that use inode numbers
			// give a new file the id of one deleted before. A move keeps
			// size and mtime; a file moved and changed is then taken as
			// deleted and new, which downloads the same bytes.
			if !r.IsDir && (jq.RSize != r.Size || jq.RMtime != r.ModTime.Unix()) {
				continue
			}
			mv := action{op: opMoveLocal, path: q, to: p}
			moveKeys(J, q, p, fixJ)
			moveKeys(L, q, p, fixL)
			for id, at := range byID {
				if underOrSame(at, q) {
					byID[id] = p + strings.TrimPrefix(at, q)
				}
			}
			// The server gives a moved file a new ETag; same size and
			// mtime means same content, so no download follows.
			if j := J[p]; !r.IsDir {
				j.ETag = r.ETag
				J[p] = j
				mv.r = ptrR(r, true)
			}
			pl.actions = append(pl.actions, mv)
		}
	}

	// Moves here, found by inode (after those on the server, which may
	// have renamed local keys).
	var lps []string
	if lHits < len(L) || len(pl.actions) > 0 {
		for p, l := range L {
			if _, ok := J[p]; !ok {
				lNew = append(lNew, p)
				if l.Inode != 0 {
					lps = append(lps, p)
				}
			}
		}
	}
	byIno := map[uint64]string{}
	if len(lps) > 0 {
		for p, j := range J {
			if j.LInode != 0 {
				byIno[j.LInode] = p
			}
		}
	}
	byDepth(lps)
	for _, p := range lps {
		l, ok := L[p]
		if !ok || l.Inode == 0 {
			continue
		}
		if _, ok := J[p]; ok {
			continue
		}
		q, ok := byIno[l.Inode]
		if !ok || q == p || underOrSame(p, q) || underOrSame(q, p) {
			continue
		}
		jq := J[q]
		if jq.IsDir != l.IsDir || (!l.IsDir && !sameLocal(l, jq.local())) {
			continue
		}
		if _, ok := L[q]; ok {
			continue
		}
		rq, ok := R[q]
		if !ok || rq.IsDir != l.IsDir || (!l.IsDir && rq.ETag != jq.ETag) {
			continue
		}
		if _, ok := R[p]; ok {
			continue
		}
		a := action{op: opMoveRemote, path: q, to: p}
		if !l.IsDir {
			a.ifMatch = rq.ETag
		}
		pl.actions = append(pl.actions, a)
		moveKeys(J, q, p, fixJ)
		moveKeys(R, q, p, fixR)
		for ino, at := range byIno {
			if underOrSame(at, q) {
				byIno[ino] = p + strings.TrimPrefix(at, q)
			}
		}
	}

	// Moves renamed keys: the journal's paths are decided again, and the
	// new ones found again.
	if len(pl.actions) > 0 {
		acts = acts[:0]
		lNew, rNew = lNew[:0], rNew[:0]
		for p := range L {
			if _, ok := J[p]; !ok {
				lNew = append(lNew, p)
			}
		}
		for p := range R {
			if _, ok := J[p]; !ok {
				rNew = append(rNew, p)
			}
		}
		for p, j := range J {
			decideJournal(p, &j)
		}
	}
	var noJ JournalEntry
	for _, p := range lNew {
		l := L[p]
		r, rOK := R[p]
		decide(p, &l, true, &r, rOK, &noJ, false)
	}
	for _, p := range rNew {
		if _, inL := L[p]; !inL {
			var l LocalEntry
			r := R[p]
			decide(p, &l, false, &r, true, &noJ, false)
		}
	}

	// Folders: a folder deleted on one side stays (and is recreated) when
	// anything below it must exist on that side.
	needLocal, needRemote := map[string]bool{}, map[string]bool{}
	keepLocal, keepRemote := map[string]bool{}, map[string]bool{}
	mark := func(m map[string]bool, p string) {
		for d := path.Dir(p); d != "." && !m[d]; d = path.Dir(d) {
			m[d] = true
		}
	}
	for _, a := range acts {
		switch a.op {
		case opUpload, opMkdirRemote:
			mark(needRemote, a.path)
		case opDownload, opMkdirLocal, opConflict, opTypeClash:
			mark(needLocal, a.path)
		}
	}
	for _, a := range pl.actions { // moves
		mark(needRemote, a.to)
		mark(needLocal, a.to)
	}
	for p := range skippedRemote {
		mark(keepRemote, p)
	}
	for p := range skippedLocal {
		mark(keepLocal, p)
	}
	var out []action
	for _, a := range acts {
		switch a.op {
		case opDeleteRemoteDir:
			if needLocal[a.path] {
				a.op = opMkdirLocal
			} else if keepRemote[a.path] || needRemote[a.path] {
				continue
			}
		case opDeleteLocalDir:
			if needRemote[a.path] {
				a.op = opMkdirRemote
			} else if keepLocal[a.path] || needLocal[a.path] {
				continue
			}
		}
		out = append(out, a)
	}

	// With propagated ETags one conditional DELETE removes a whole folder:
	// its ETag changes if anything below it changed since the listing.
	if caps.PropagatedETags {
		dirDel := map[string]bool{}
		for _, a := range out {
			if a.op == opDeleteRemoteDir && a.r != nil {
				dirDel[a.path] = true
			}
		}
		covered := func(p string) bool {
			for d := path.Dir(p); d != "."; d = path.Dir(d) {
				if dirDel[d] {
					return true
				}
			}
			return false
		}
		counts := map[string]int{}
		kept := out[:0]
		for _, a := range out {
			if (a.op == opDeleteRemote || a.op == opDeleteRemoteDir) && covered(a.path) {
				if a.op == opDeleteRemote {
					for d := path.Dir(a.path); d != "."; d = path.Dir(d) {
						counts[d]++
					}
				}
				continue
			}
			kept = append(kept, a)
		}
		out = kept
		for i := range out {
			if out[i].op == opDeleteRemoteDir {
				out[i].ifMatch = out[i].r.ETag
				out[i].files = counts[out[i].path]
			}
		}
	}
	for _, a := range out {
		switch a.op {
		case opDeleteLocal:
			pl.localDeletes++
		case opDeleteRemote:
			pl.remoteDeletes++
		case opDeleteRemoteDir:
			pl.remoteDeletes += a.files
		}
	}
	pl.actions = append(pl.actions, out...)
	sort.SliceStable(pl.actions, func(a, b int) bool {
		x, y := pl.actions[a], pl.actions[b]
		if x.op != y.op {
			return x.op < y.op
		}
		if x.op == opMoveLocal || x.op == opMoveRemote {
			// In the order found: each move found was applied to the maps
			// before the next was looked for (a file moved out of a folder
			// that moved too has the path it has at that point).
			return false
		}
		if x.op == opDeleteRemoteDir || x.op == opDeleteLocalDir {
			return depth(x.path) > depth(y.path) // deepest first
		}
		if dx, dy := depth(x.path), depth(y.path); dx != dy {
			return dx < dy
		}
		return x.path < y.path
	})
	return pl
}

func ptrL(v LocalEntry, ok bool) *LocalEntry {
	if !ok {
		return nil
	}
	return &v
}
func ptrR(v RemoteEntry, ok bool) *RemoteEntry {
	if !ok {
		return nil
	}
	return &v
}
func ptrJ(v JournalEntry, ok bool) *JournalEntry {
	if !ok {
		return nil
	}
	return &v
}

func unixTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

func underSkipped(p string, skipped map[string]string) bool {
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if _, ok := skipped[d]; ok {
			return true
		}
	}
	return false
}
