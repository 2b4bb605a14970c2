package filesync_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
)

// A scoped pass told every local path that changed (as the watcher tells
// Run) must do what a full pass does: two folders get the same random
// changes on both sides, one synced by scoped passes, the other by full
// ones; after each round both have the same files here and on the server,
// and a full pass over the scoped one finds nothing left to do.
func TestScopedPassesDoWhatFullPassesDo(t *testing.T) {
	seeds, rounds := 6, 25
	if testing.Short() || runtime.GOOS == "windows" {
		seeds, rounds = 1, 12 // under Wine a round is 40 times slower
	}
	// Both folders must name conflicted copies alike: one clock, a second
	// further each round (two conflicts of one file in one second wait for
	// the next second).
	var tick int
	clock := func() time.Time { return time.Date(2026, 12, 7, 8, 0, tick, 0, time.UTC) }
	for seed := int64(1); seed <= int64(seeds); seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			fixed := func(o *filesync.Options) { o.Now = clock; o.MaxDeletes = 1000; o.MaxDeleteShare = 1 }
			sc, full := newHarness(t, true, fixed), newHarness(t, true, fixed)
			rng := rand.New(rand.NewSource(seed))
			m := &mirror{rng: rng, hs: []*harness{sc, full}}
			for i := 0; i < 24; i++ {
				m.localWrite(fmt.Sprintf("d%d/s%d/f%02d.txt", i%4, i%3, i))
			}
			for _, h := range m.hs {
				h.sync()
				h.sync()
			}
			for round := 0; round < rounds; round++ {
				tick++
				m.changed = nil
				for n := 1 + rng.Intn(4); n > 0; n-- {
					m.randomChange()
				}
				if _, err := filesync.SyncScoped(context.Background(), sc.eng, m.changed); err != nil {
					t.Fatalf("round %d: scoped sync: %v", round, err)
				}
				if _, err := full.eng.Sync(context.Background()); err != nil {
					t.Fatalf("round %d: full sync: %v", round, err)
				}
				ls, lf := localFiles(t, sc.dir), localFiles(t, full.dir)
				rs, rf := sc.rem.Files(), full.rem.Files()
				if !sameFiles(ls, lf) || !sameFiles(rs, rf) {
					t.Fatalf("round %d (changes %v): scoped and full passes differ:\nscoped local  %s\nfull   local  %s\nscoped server %s\nfull   server %s",
						round, m.log, keys(ls), keys(lf), keys(rs), keys(rf))
				}
				// What is left for a full pass must be the same too (a few
				// races of moves on the server take the full engine two Syncs).
				rsc, err := sc.eng.Sync(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				rfull, err := full.eng.Sync(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if work(rsc) != work(rfull) {
					t.Fatalf("round %d (changes %v): a full pass after the scoped one did %v, after the full one %v", round, m.log, rsc, rfull)
				}
				sc.assertEqual()
				m.log = nil
			}
		})
	}
}

func work(r filesync.Result) string {
	return fmt.Sprint(r.Downloaded, r.Uploaded, r.DeletedLocal, r.DeletedRemote, r.Moved, r.Conflicts)
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for p, c := range a {
		if b[p] != c {
			return false
		}
	}
	return true
}

// mirror makes the same change in several harnesses and remembers the
// local paths it touched (what a watcher would report).
type mirror struct {
	rng     *rand.Rand
	hs      []*harness
	n       int
	changed []string
	log     []string
}

func (m *mirror) note(op string, paths ...string) {
	m.log = append(m.log, op+" "+strings.Join(paths, " "))
}

func (m *mirror) localWrite(p string) {
	m.n++
	c := fmt.Sprintf("%s v%d", p, m.n)
	for _, h := range m.hs {
		h.write(p, c)
	}
	m.changed = append(m.changed, p)
	m.note("write-here", p)
}

// pick returns a random existing path of the first harness (files or
// folders, on the given side), "" when there is none.
func (m *mirror) pick(local, dirs bool) string {
	var all []string
	if local {
		filepath.Walk(m.hs[0].dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && p != m.hs[0].dir && fi.IsDir() == dirs {
				rel, _ := filepath.Rel(m.hs[0].dir, p)
				all = append(all, filepath.ToSlash(rel))
			}
			return nil
		})
	} else {
		for p := range m.hs[0].rem.Files() {
			if dirs {
				if d := path.Dir(p); d != "." {
					all = append(all, d)
				}
			} else {
				all = append(all, p)
			}
		}
	}
	if len(all) == 0 {
		return ""
	}
	sort.Strings(all)
	return all[m.rng.Intn(len(all))]
}

func (m *mirror) randomChange() {
	switch m.rng.Intn(11) {
	case 0, 1: // edit or create a file here
		p := m.pick(true, false)
		if p == "" || m.rng.Intn(3) == 0 {
			p = fmt.Sprintf("d%d/n%d.txt", m.rng.Intn(5), m.rng.Intn(1000))
		}
		m.localWrite(p)
	case 2: // delete a file here
		if p := m.pick(true, false); p != "" {
			for _, h := range m.hs {
				os.Remove(filepath.Join(h.dir, p))
			}
			m.changed = append(m.changed, p)
			m.note("delete-here", p)
		}
	case 3: // rename a file or a folder here
		if p := m.pick(true, m.rng.Intn(2) == 0); p != "" {
			q := fmt.Sprintf("d%d/r%d", m.rng.Intn(5), m.rng.Intn(1000))
			if !strings.Contains(path.Base(p), ".") {
				q += "-dir"
			} else {
				q += ".txt"
			}
			for _, h := range m.hs {
				os.MkdirAll(filepath.Join(h.dir, path.Dir(q)), 0o755)
				os.Rename(filepath.Join(h.dir, p), filepath.Join(h.dir, q))
			}
			m.changed = append(m.changed, p, q, path.Dir(q))
			m.note("rename-here", p, q)
		}
	case 4: // delete a folder here
		if p := m.pick(true, true); p != "" {
			for _, h := range m.hs {
				os.RemoveAll(filepath.Join(h.dir, p))
			}
			m.changed = append(m.changed, p)
			m.note("rmdir-here", p)
		}
	case 5, 6: // edit or create a file on the server
		p := m.pick(false, false)
		if p == "" || m.rng.Intn(3) == 0 {
			p = fmt.Sprintf("d%d/s%d/srv%d.txt", m.rng.Intn(5), m.rng.Intn(3), m.rng.Intn(1000))
		}
		m.n++
		for _, h := range m.hs {
			h.rem.Write(p, fmt.Sprintf("%s server v%d", p, m.n))
		}
		m.note("write-there", p)
	case 7: // delete a file or a folder on the server
		if p := m.pick(false, m.rng.Intn(3) == 0); p != "" {
			for _, h := range m.hs {
				h.rem.Remove(p)
			}
			m.note("delete-there", p)
		}
	case 8: // rename on the server
		if p := m.pick(false, m.rng.Intn(2) == 0); p != "" {
			q := fmt.Sprintf("d%d/sr%d", m.rng.Intn(5), m.rng.Intn(1000))
			if strings.Contains(path.Base(p), ".") {
				q += ".txt"
			}
			for _, h := range m.hs {
				h.rem.Mkdirs(path.Dir(q))
				h.rem.Rename(p, q)
			}
			m.note("rename-there", p, q)
		}
	case 9: // the same file edited on both sides
		if p := m.pick(true, false); p != "" {
			m.localWrite(p)
			m.n++
			for _, h := range m.hs {
				h.rem.Write(p, fmt.Sprintf("%s server v%d", p, m.n))
			}
			m.note("write-there", p)
		}
	case 10: // a new folder here with files in it
		d := fmt.Sprintf("d%d/new%d", m.rng.Intn(5), m.rng.Intn(1000))
		for i := 0; i < 3; i++ {
			m.localWrite(fmt.Sprintf("%s/x%d/f%d.txt", d, i%2, i))
		}
	}
}

// Found by the test above: the server moved a file out of a folder and
// then the folder; the folder was moved here first, the file's move then
// found nothing at its old path, and the journal kept the file in the
// moved folder, where the server has none — a copy here the sync never
// looked at again.
func TestServerMovesAFileOutOfAFolderThatMovesToo(t *testing.T) {
	for _, fileFirst := range []bool{true, false} {
		h := newHarness(t, true)
		h.write("a/keep.txt", "keep")
		h.write("a/moving.txt", "moving")
		h.sync()
		h.sync()
		if fileFirst {
			h.rem.Rename("a/moving.txt", "moved.txt")
			h.rem.Mkdirs("z")
			h.rem.Rename("a", "z/b")
		} else {
			h.rem.Mkdirs("z")
			h.rem.Rename("a", "z/b")
			h.rem.Rename("z/b/moving.txt", "moved.txt")
		}
		res := h.sync()
		if res.Errors != 0 || res.Downloaded != 0 {
			t.Errorf("file moved first %v: %v (want two moves, nothing downloaded)", fileFirst, res)
		}
		got := h.assertEqual()
		if got["moved.txt"] != "moving" || got["z/b/keep.txt"] != "keep" || len(got) != 2 {
			t.Fatalf("file moved first %v: %v", fileFirst, got)
		}
	}
}
