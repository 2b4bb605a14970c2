package filesync

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/deskport/deskport/internal/filesync/names"
)

// remoteTree is the server side as seen by one pass.
type remoteTree struct {
	root    RemoteEntry
	entries map[string]RemoteEntry
	skipped map[string]string // path -> why it is not synced
	fresh   map[string]bool   // folders listed in this pass (not taken from the journal)
	lists   int
}

func journalRemote(j JournalEntry) RemoteEntry {
	return RemoteEntry{Path: j.Path, IsDir: j.IsDir, Size: j.RSize, ETag: j.ETag, FileID: j.FileID, Perms: j.Perms, ModTime: unixTime(j.RMtime)}
}

// walkRemote lists the server tree. With propagated ETags it descends only
// into folders whose ETag differs from the journal; an unchanged root costs
// one PROPFIND. Without them every folder is listed.
// root delivers the root listing (PROPFIND Depth 1 of the synced folder).
//
// A scoped pass (sw set) has no whole journal: the walk reads the journal
// entries of each folder it lists (sw.kids) and copies nothing from the
// journal into the tree; scopedRemote fills in what the pass looks at.
func (e *Engine) walkRemote(ctx context.Context, caps Capabilities, jr map[string]JournalEntry, rootETag string, root <-chan listResult, excluded func(string) bool, sw *scopeWalk) (*remoteTree, error) {
	t := &remoteTree{entries: make(map[string]RemoteEntry, len(jr)), skipped: map[string]string{}, fresh: map[string]bool{"": true}}
	lookup := func(p string) (JournalEntry, bool) { j, ok := jr[p]; return j, ok }
	if sw != nil {
		lookup = func(p string) (JournalEntry, bool) { j, ok := sw.kids[p]; return j, ok }
	}
	rl := <-root
	ls, err := rl.ls, rl.err
	t.lists++
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("the server folder does not exist (%w): check the files URL", err)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot list the server folder: %w", err)
	}
	self, kids := ls.Self, ls.Children
	for i, pr := range ls.Problems {
		t.skipped[fmt.Sprintf("?%d", i)] = pr
	}
	t.root = self
	if caps.PropagatedETags && rootETag != "" && NormETag(self.ETag) == rootETag {
		t.fresh = map[string]bool{}
		if sw != nil {
			return t, nil
		}
		for p, j := range jr {
			if !excluded(p) {
				t.entries[p] = journalRemote(j)
			}
		}
		t.fresh = map[string]bool{}
		return t, nil
	}
	kidsOf := map[string][]string{}
	if caps.PropagatedETags && sw == nil {
		for p := range jr {
			d := path.Dir(p)
			if d == "." {
				d = ""
			}
			kidsOf[d] = append(kidsOf[d], p)
		}
	}
	var copyTree func(dir string)
	copyTree = func(dir string) {
		for _, p := range kidsOf[dir] {
			t.entries[p] = journalRemote(jr[p])
			if jr[p].IsDir {
				copyTree(p)
			}
		}
	}

	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	var visit func(dir string, kids []RemoteEntry)
	visit = func(dir string, kids []RemoteEntry) {
		if sw != nil && !sw.read(ctx, dir) {
			return
		}
		for _, k := range kids {
			k.ETag = NormETag(k.ETag)
			parent := path.Dir(k.Path)
			if parent == "." {
				parent = ""
			}
			if parent != dir {
				t.skipped[path.Join(dir, "?"+path.Base(k.Path))] = fmt.Sprintf("the server listed %q inside %q; ignored", k.Path, dir)
				continue
			}
			if err := names.CheckComponent(path.Base(k.Path), e.goos); err != nil || strings.Contains(k.Path, "\x00") {
				if err == nil {
					err = fmt.Errorf("NUL in name")
				}
				t.skipped[k.Path] = err.Error()
				continue
			}
			if excluded(k.Path) {
				t.skipped[k.Path] = "ignored"
				continue
			}
			t.entries[k.Path] = k
			if !k.IsDir {
				continue
			}
			if j, ok := lookup(k.Path); caps.PropagatedETags && ok && j.IsDir && j.ETag != "" && j.ETag == k.ETag {
				if sw == nil {
					copyTree(k.Path)
				}
				continue
			}
			t.fresh[k.Path] = true
			wg.Add(1)
			go func(d string) {
				defer wg.Done()
				sem <- struct{}{}
				ls, err := e.remote.List(ctx, d)
				<-sem
				mu.Lock()
				t.lists++
				for i, pr := range ls.Problems {
					t.skipped[fmt.Sprintf("%s/?%d", d, i)] = pr
				}
				sub := ls.Children
				if err != nil {
					if isFatal(err) || isTemporary(err) {
						if firstErr == nil {
							firstErr = fmt.Errorf("cannot list %s on the server: %w", d, err)
						}
					} else {
						// One unreadable folder (403, broken entry) is a
						// per-folder error; nothing below it is touched.
						t.skipped[d] = fmt.Sprintf("cannot list this server folder: %v", err)
						delete(t.entries, d)
					}
					mu.Unlock()
					return
				}
				visit(d, sub)
				mu.Unlock()
			}(k.Path)
		}
	}
	mu.Lock()
	visit("", kids)
	mu.Unlock()
	wg.Wait()
	if sw != nil && sw.err != nil && firstErr == nil {
		firstErr = fmt.Errorf("cannot read the sync journal: %w", sw.err)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if e.caseInsensitive {
		all := make([]string, 0, len(t.entries))
		for p := range t.entries {
			all = append(all, p)
		}
		sort.Strings(all)
		for loser, winner := range names.CaseClashes(all) {
			t.skipped[loser] = fmt.Sprintf("differs from %s only in upper/lower case, which this computer cannot tell apart; rename one on the server", winner)
			for p := range t.entries {
				if underOrSame(p, loser) {
					delete(t.entries, p)
				}
			}
		}
	}
	return t, nil
}

// scopeWalk holds the journal entries of the folders a scoped walk listed.
type scopeWalk struct {
	j    *Journal
	dirs []string                // the folders listed, in order
	kids map[string]JournalEntry // the journal's entries in them
	err  error
}

// read loads dir's journal entries; false stops the walk there (the error
// is reported when the walk ends). Called with the walk's lock held.
func (sw *scopeWalk) read(ctx context.Context, dir string) bool {
	if sw.err != nil {
		return false
	}
	kids, err := sw.j.journalChildren(ctx, dir)
	if err != nil {
		sw.err = err
		return false
	}
	sw.dirs = append(sw.dirs, dir)
	for _, k := range kids {
		sw.kids[k.Path] = k
	}
	return true
}

// changes is the server side's part of a scope: every listed folder
// (its ETag is recorded) and, in each, every entry that differs from the
// journal; what is new or gone there counts with everything below it.
func (sw *scopeWalk) changes(t *remoteTree) *scope {
	s := newScope()
	for _, d := range sw.dirs {
		s.addExact(d)
	}
	differs := func(p string) {
		r, rOK := t.entries[p]
		j, jOK := sw.kids[p]
		switch {
		case rOK != jOK || r.IsDir != j.IsDir:
			s.addDeep(p)
		case r.ETag != j.ETag || r.FileID != j.FileID:
			s.addExact(p)
		}
	}
	listed := map[string]bool{}
	for _, d := range sw.dirs {
		listed[d] = true
	}
	for p := range t.entries {
		differs(p)
	}
	for p := range sw.kids {
		if _, ok := t.entries[p]; !ok {
			parent := path.Dir(p)
			if parent == "." {
				parent = ""
			}
			if listed[parent] {
				differs(p)
			}
		}
	}
	return s
}
