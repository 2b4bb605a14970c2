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
func (e *Engine) walkRemote(ctx context.Context, caps Capabilities, jr map[string]JournalEntry, rootETag string, root <-chan listResult, excluded func(string) bool) (*remoteTree, error) {
	t := &remoteTree{entries: make(map[string]RemoteEntry, len(jr)), skipped: map[string]string{}, fresh: map[string]bool{"": true}}
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
		for p, j := range jr {
			if !excluded(p) {
				t.entries[p] = journalRemote(j)
			}
		}
		t.fresh = map[string]bool{}
		return t, nil
	}
	kidsOf := map[string][]string{}
	if caps.PropagatedETags {
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
			if j, ok := jr[k.Path]; caps.PropagatedETags && ok && j.IsDir && j.ETag != "" && j.ETag == k.ETag {
				copyTree(k.Path)
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
