package filesync

// reconcile against the version before the single journal pass, on random
// trees: local and server edits, deletions, new paths, moves of files and
// folders on either side, type clashes, skipped paths.

import (
	"fmt"
	"math/rand"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

type reconcileCase struct {
	L        map[string]LocalEntry
	R        map[string]RemoteEntry
	J        map[string]JournalEntry
	caps     Capabilities
	skippedL map[string]string
	skippedR map[string]string
}

func (c reconcileCase) clone() reconcileCase {
	d := reconcileCase{L: map[string]LocalEntry{}, R: map[string]RemoteEntry{}, J: map[string]JournalEntry{},
		caps: c.caps, skippedL: map[string]string{}, skippedR: map[string]string{}}
	for k, v := range c.L {
		d.L[k] = v
	}
	for k, v := range c.R {
		d.R[k] = v
	}
	for k, v := range c.J {
		d.J[k] = v
	}
	for k, v := range c.skippedL {
		d.skippedL[k] = v
	}
	for k, v := range c.skippedR {
		d.skippedR[k] = v
	}
	return d
}

// randomReconcileCase makes a synced tree and changes it on both sides.
// File ids and inodes are unique in the journal (with duplicates both
// versions pick a move source by map order).
func randomReconcileCase(rnd *rand.Rand) reconcileCase {
	c := reconcileCase{L: map[string]LocalEntry{}, R: map[string]RemoteEntry{}, J: map[string]JournalEntry{},
		caps: Capabilities{PropagatedETags: rnd.Intn(3) > 0, FileIDs: rnd.Intn(4) > 0}, skippedL: map[string]string{}, skippedR: map[string]string{}}
	next := 1000
	id := func() int { next++; return next }
	names := []string{"a", "b", "c", "d", "e"}
	var dirs []string
	var add func(dir string, depth int)
	add = func(dir string, depth int) {
		for _, n := range names[:1+rnd.Intn(len(names))] {
			p := n
			if dir != "" {
				p = dir + "/" + n
			}
			isDir := depth < 3 && rnd.Intn(3) == 0
			if isDir {
				dirs = append(dirs, p)
			}
			k := id()
			j := JournalEntry{Path: p, IsDir: isDir, LMtime: int64(k) * 1e9, LInode: uint64(k), ETag: fmt.Sprintf("e%d", k),
				FileID: fmt.Sprint(k), Perms: "RGDNVW", RMtime: int64(k)}
			if !isDir {
				j.LSize, j.RSize = int64(k%97), int64(k%97)
			}
			if rnd.Intn(10) == 0 {
				j.FileID = ""
			}
			if rnd.Intn(10) == 0 {
				j.LInode = 0
			}
			c.J[p] = j
			if isDir {
				add(p, depth+1)
			}
		}
	}
	add("", 0)
	for p, j := range c.J {
		if rnd.Intn(12) == 0 {
			delete(c.J, p) // synced but forgotten (a lost journal batch)
			continue
		}
		c.L[p] = j.local()
		c.R[p] = journalRemote(j)
	}
	if rnd.Intn(4) == 0 {
		return c // nothing changed
	}
	all := func() []string {
		var ps []string
		for p := range c.J {
			ps = append(ps, p)
		}
		sort.Strings(ps)
		return ps
	}()
	pick := func() string { return all[rnd.Intn(len(all))] }
	newName := func() string {
		d := ""
		if len(dirs) > 0 && rnd.Intn(3) > 0 {
			d = dirs[rnd.Intn(len(dirs))] + "/"
		}
		return d + fmt.Sprintf("n%d", rnd.Intn(6))
	}
	moveL := func(from, to string) {
		for p, l := range c.L {
			if underOrSame(p, from) {
				delete(c.L, p)
				l.Path = to + strings.TrimPrefix(p, from)
				c.L[l.Path] = l
			}
		}
	}
	moveR := func(from, to string) {
		for p, r := range c.R {
			if underOrSame(p, from) {
				delete(c.R, p)
				r.Path = to + strings.TrimPrefix(p, from)
				if rnd.Intn(2) == 0 {
					r.ETag += "m"
				}
				c.R[r.Path] = r
			}
		}
	}
	for n := rnd.Intn(8); n >= 0 && len(all) > 0; n-- {
		p := pick()
		switch rnd.Intn(16) {
		case 0: // edited here
			if l, ok := c.L[p]; ok && !l.IsDir {
				l.Size++
				l.Mtime += 7
				c.L[p] = l
			}
		case 1: // edited there
			if r, ok := c.R[p]; ok {
				r.ETag += "x"
				if !r.IsDir {
					r.Size++
				}
				c.R[p] = r
			}
		case 2: // deleted here (with what it holds)
			for q := range c.L {
				if underOrSame(q, p) {
					delete(c.L, q)
				}
			}
		case 3: // deleted there
			for q := range c.R {
				if underOrSame(q, p) {
					delete(c.R, q)
				}
			}
		case 4: // new here
			q := newName()
			k := id()
			c.L[q] = LocalEntry{Path: q, Size: int64(k % 13), Mtime: int64(k) * 1e9, Inode: uint64(k), IsDir: rnd.Intn(4) == 0}
		case 5: // new there, sometimes with the id of a file deleted before
			q := newName()
			k := id()
			r := RemoteEntry{Path: q, Size: int64(k % 13), ETag: fmt.Sprintf("e%d", k), FileID: fmt.Sprint(k), ModTime: time.Unix(int64(k), 0), IsDir: rnd.Intn(4) == 0}
			if rnd.Intn(3) == 0 {
				r.FileID = c.J[p].FileID
			}
			c.R[q] = r
		case 6: // moved here
			if q := newName(); !underOrSame(q, p) {
				moveL(p, q)
			}
		case 7: // moved there
			if q := newName(); !underOrSame(q, p) {
				moveR(p, q)
			}
		case 8: // moved and edited here
			if q := newName(); !underOrSame(q, p) {
				moveL(p, q)
				if l, ok := c.L[q]; ok && !l.IsDir {
					l.Size += 3
					c.L[q] = l
				}
			}
		case 9: // a file became a folder here, or a folder a file
			if l, ok := c.L[p]; ok {
				for q := range c.L {
					if underOrSame(q, p) {
						delete(c.L, q)
					}
				}
				c.L[p] = LocalEntry{Path: p, IsDir: !l.IsDir, Inode: uint64(id())}
			}
		case 10: // the same on the server
			if r, ok := c.R[p]; ok {
				for q := range c.R {
					if underOrSame(q, p) {
						delete(c.R, q)
					}
				}
				c.R[p] = RemoteEntry{Path: p, IsDir: !r.IsDir, ETag: "t", FileID: fmt.Sprint(id())}
			}
		case 11: // a new inode, same contents (a copy replaced it)
			if l, ok := c.L[p]; ok {
				l.Inode = uint64(id())
				c.L[p] = l
			}
		case 12: // a new file id there
			if r, ok := c.R[p]; ok {
				r.FileID = fmt.Sprint(id())
				c.R[p] = r
			}
		case 13: // skipped here (a link, an unreadable folder, an ignored name)
			c.skippedL[p] = "skipped"
			if rnd.Intn(2) == 0 {
				delete(c.L, p)
			}
		case 14: // skipped there
			c.skippedR[path.Join(p, "?bad")] = "bad name"
			if rnd.Intn(2) == 0 {
				c.skippedR[p] = "cannot list"
				for q := range c.R {
					if underOrSame(q, p) && q != p {
						delete(c.R, q)
					}
				}
			}
		case 15: // moved on both sides
			if q := newName(); !underOrSame(q, p) {
				moveL(p, q)
				moveR(p, newName())
			}
		}
	}
	return c
}

func TestReconcileMatchesOracle(t *testing.T) {
	seed := time.Now().UnixNano()
	rnd := rand.New(rand.NewSource(seed))
	n := 3000
	if testing.Short() {
		n = 500
	}
	ops := map[opKind]int{}
	for i := 0; i < n; i++ {
		c := randomReconcileCase(rnd)
		want, got := c.clone(), c.clone()
		pw := reconcileOracle(want.L, want.R, want.J, want.caps, want.skippedL, want.skippedR)
		pg := reconcile(got.L, got.R, got.J, got.caps, got.skippedL, got.skippedR)
		canonicalDeleteOrder(pw)
		canonicalDeleteOrder(pg)
		if !reflect.DeepEqual(pw, pg) || !reflect.DeepEqual(want, got) {
			t.Fatalf("seed %d case %d: reconcile differs from the oracle\nwant %s\ngot  %s", seed, i, planString(pw), planString(pg))
		}
		for _, a := range pg.actions {
			ops[a.op]++
		}
	}
	// The cases must reach every kind of decision, or they prove little.
	for op := range opNames {
		if ops[opKind(op)] == 0 {
			t.Errorf("no random case planned %v (seed %d): %v", opKind(op), seed, ops)
		}
	}
}

// canonicalDeleteOrder sorts folder deletions of the same depth by path:
// the plan orders them deepest first and otherwise as the maps gave them,
// which both versions leave to chance.
func canonicalDeleteOrder(pl plan) {
	for i := 0; i < len(pl.actions); {
		a := pl.actions[i]
		k := i + 1
		for k < len(pl.actions) && pl.actions[k].op == a.op && depth(pl.actions[k].path) == depth(a.path) {
			k++
		}
		if a.op == opDeleteRemoteDir || a.op == opDeleteLocalDir {
			run := pl.actions[i:k]
			sort.Slice(run, func(x, y int) bool { return run[x].path < run[y].path })
		}
		i = k
	}
}

func planString(pl plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tracked %d, deletes %d/%d:", pl.trackedFiles, pl.localDeletes, pl.remoteDeletes)
	for _, a := range pl.actions {
		fmt.Fprintf(&b, " %v %s", a.op, a.path)
		if a.to != "" {
			fmt.Fprintf(&b, "->%s", a.to)
		}
	}
	return b.String()
}

// reconcileOracle is reconcile as it was before the single journal pass
// (commit ef4c00c), kept verbatim as the oracle of TestReconcileMatchesOracle.
func reconcileOracle(L map[string]LocalEntry, R map[string]RemoteEntry, J map[string]JournalEntry,
	caps Capabilities, skippedLocal, skippedRemote map[string]string) plan {
	var pl plan
	for _, j := range J {
		if !j.IsDir {
			pl.trackedFiles++
		}
	}

	// Moves on the server, found by file id.
	// Only paths new on one side can be the target of a move; a no-change
	// pass has none, so it builds no index and sorts nothing.
	var ps, rNew []string
	for p, r := range R {
		j, ok := J[p]
		if !ok {
			rNew = append(rNew, p)
		}
		if caps.FileIDs && r.FileID != "" && (!ok || j.FileID != r.FileID) {
			ps = append(ps, p)
		}
	}
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

	// Moves here, found by inode.
	var lps, lNew []string
	for p, l := range L {
		if _, ok := J[p]; !ok {
			lNew = append(lNew, p)
			if l.Inode != 0 {
				lps = append(lps, p)
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

	// Every path once: those in the journal, then those new on one side
	// (each map looked up as few times as possible: at 100,000 paths the
	// lookups were most of a no-change pass's reconcile).
	if len(pl.actions) > 0 { // moves renamed keys
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
	}
	var acts []action
	decide := func(p string, l LocalEntry, lOK bool, r RemoteEntry, rOK bool, j JournalEntry, jOK bool) {
		if _, skip := skippedRemote[p]; skip && !rOK {
			return // not synced (hostile name, ignored): leave both sides alone
		}
		if _, skip := skippedLocal[p]; skip && !lOK {
			return
		}
		// Below a local folder the scan could not enter (a link, no
		// permission) nothing is known, so nothing is deleted there.
		if !lOK && underSkipped(p, skippedLocal) || !rOK && underSkipped(p, skippedRemote) {
			return
		}
		lCh, rCh := lOK, rOK
		if jOK {
			lCh = !lOK || l.IsDir != j.IsDir || !sameLocal(l, j.local())
			rCh = !rOK || r.IsDir != j.IsDir || (!r.IsDir && r.ETag != j.ETag)
		}
		a := action{path: p, op: -1}
		switch {
		case lOK && rOK && l.IsDir != r.IsDir:
			a.op = opTypeClash
		case !lCh && !rCh:
			if jOK && lOK && rOK && (r.ETag != j.ETag || l.Inode != j.LInode || r.FileID != j.FileID) {
				a.op = opRecord
			}
		case lCh && !rCh:
			switch {
			case lOK && l.IsDir && rOK:
				a.op = opRecord
			case lOK && l.IsDir:
				a.op = opMkdirRemote
			case lOK:
				a.op = opUpload
				if rOK {
					a.ifMatch = r.ETag
				} else {
					a.ifNoneMatch = true
				}
			case rOK && r.IsDir:
				a.op = opDeleteRemoteDir
			case rOK:
				a.op = opDeleteRemote
				a.ifMatch = r.ETag
			default:
				a.op = opForget
			}
		case !lCh && rCh:
			switch {
			case rOK && r.IsDir && lOK:
				a.op = opRecord
			case rOK && r.IsDir:
				a.op = opMkdirLocal
			case rOK:
				a.op = opDownload
			case lOK && l.IsDir:
				a.op = opDeleteLocalDir
			case lOK:
				a.op = opDeleteLocal
			default:
				a.op = opForget
			}
		default: // changed on both sides
			switch {
			case !lOK && !rOK:
				a.op = opForget
			case lOK && !rOK && l.IsDir:
				a.op = opMkdirRemote
			case lOK && !rOK:
				a.op, a.ifNoneMatch = opUpload, true // deleted there, edited here: restore
			case !lOK && r.IsDir:
				a.op = opMkdirLocal
			case !lOK:
				a.op = opDownload // deleted here, edited there: restore
			case l.IsDir:
				a.op = opRecord
			default:
				a.op = opConflict
			}
		}
		if a.op >= 0 {
			a.l, a.r, a.j = ptrL(l, lOK), ptrR(r, rOK), ptrJ(j, jOK)
			acts = append(acts, a)
		}
	}
	for p, j := range J {
		l, lOK := L[p]
		r, rOK := R[p]
		decide(p, l, lOK, r, rOK, j, true)
	}
	for _, p := range lNew {
		r, rOK := R[p]
		decide(p, L[p], true, r, rOK, JournalEntry{}, false)
	}
	for _, p := range rNew {
		if _, inL := L[p]; !inL {
			decide(p, LocalEntry{}, false, R[p], true, JournalEntry{}, false)
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
			return false // in the order found, as reconcile does
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
