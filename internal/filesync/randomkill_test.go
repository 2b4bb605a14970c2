//go:build !windows

package filesync_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync/ignore"
	"github.com/deskport/deskport/internal/webdav"

	_ "modernc.org/sqlite"
)

// TestRandomKill runs many rounds of a real two-way sync (the engine in a
// child process, against the Nextcloud-compatible server) and kills it with
// SIGKILL at a random moment of each round, while the user changes the local
// side and another client the server between the rounds. A model of every
// version written (with the version each write was based on) then says what
// both trees must hold after a final run: every version a side wrote last is
// at its path or, for a true conflict, in a conflict copy; a change made on
// one side only never becomes a conflict; a delete never comes back.
//
// The short, seeded version runs in go test; bench/files/randomkill.sh runs
// the long one (RANDOMKILL_ROUNDS, RANDOMKILL_SEED, RANDOMKILL_FILES).
func TestRandomKill(t *testing.T) {
	rounds := envInt("RANDOMKILL_ROUNDS", 15)
	seed := int64(envInt("RANDOMKILL_SEED", 1))
	files := envInt("RANDOMKILL_FILES", 150)
	p := startPeer(t, "nextcloud")
	h := newDAVHarness(t, p)
	rk := &randomKill{h: h, files: files, renames: os.Getenv("RANDOMKILL_RENAMES") == "1", ambiguous: map[string]bool{}, rnd: rand.New(rand.NewSource(seed)), m: newVersionModel()}
	t.Logf("seed %d, %d rounds, %d local + %d server files to start", seed, rounds, files, files/4)

	for i := 0; i < files; i++ {
		rk.create(true, fmt.Sprintf("d%d/l%d.txt", i%12, i))
	}
	for i := 0; i < files/4; i++ {
		rk.create(false, fmt.Sprintf("srv%d/r%d.txt", i%5, i))
	}
	start := time.Now()
	if killed, out := h.childKilledAfter(0); killed {
		t.Fatalf("the first run was killed: %s", out)
	}
	rk.avg = time.Since(start)

	for rk.round = 1; rk.round <= rounds; rk.round++ {
		rk.changeBothSides()
		delay := time.Duration(rk.rnd.Int63n(int64(rk.avg)*12/10 + 1))
		t0 := time.Now()
		killed, out := h.childKilledAfter(delay)
		if os.Getenv("DESKPORT_FILESYNC_TRACE") != "" {
			t.Logf("round %d killed=%v after %v:\n%s", rk.round, killed, delay, out)
		}
		if killed {
			rk.kills++
		} else {
			rk.avg = (rk.avg*3 + time.Since(t0)) / 4
			if strings.Contains(out, "errors") && !strings.Contains(out, " 0 errors") {
				t.Logf("round %d: %s", rk.round, strings.TrimSpace(out))
			}
		}
	}
	for i := 0; i < 2; i++ {
		killed, out := h.childKilledAfter(0)
		if killed {
			t.Fatalf("the final run was killed: %s", out)
		}
		if !strings.Contains(out, " 0 errors") {
			t.Logf("final run %d: %s", i+1, strings.TrimSpace(out))
		}
	}
	rep := rk.check()
	t.Logf("seed %d: %d rounds, %d kills, %d versions written, %d deletes; %d real conflicts (%d copies), "+
		"%d spurious conflict copies, %d older versions at the path, %d lost, %d resurrected deletes, %d unknown contents, %d tree differences; "+
		"%d ambiguous (our unrecorded upload changed on the server, both kept)",
		seed, rounds, rk.kills, rk.writes, rk.deletes, rep.realConflicts, rep.copies, len(rep.spurious), len(rep.older), len(rep.lost),
		len(rep.resurrected), len(rk.unknown)+len(rep.unknown), len(rep.differ), len(rep.ambiguous))
	fmt.Printf("RANDOMKILL seed=%d rounds=%d kills=%d writes=%d deletes=%d real_conflicts=%d copies=%d spurious=%d older=%d lost=%d resurrected=%d unknown=%d differ=%d ambiguous=%d\n",
		seed, rounds, rk.kills, rk.writes, rk.deletes, rep.realConflicts, rep.copies, len(rep.spurious), len(rep.older), len(rep.lost),
		len(rep.resurrected), len(rk.unknown)+len(rep.unknown), len(rep.differ), len(rep.ambiguous))
	for _, s := range rep.ambiguous {
		t.Logf("ambiguous, both kept: %s", s)
	}
	for _, l := range []struct {
		what string
		list []string
	}{{"WARN spurious conflict", rep.spurious}, {"WARN older version at the path", rep.older}, {"FAIL lost", rep.lost},
		{"WARN resurrected delete", rep.resurrected}, {"FAIL unknown content", append(rk.unknown, rep.unknown...)}, {"FAIL trees differ", rep.differ}} {
		for _, s := range l.list {
			t.Errorf("%s: %s", l.what, s)
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// childKilledAfter runs one sync in a child process and sends it SIGKILL
// after d (0: never).
func (h *davHarness) childKilledAfter(d time.Duration) (killed bool, out string) {
	h.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FILESYNC_CHILD=1", "CRASH_AT=0", "LOCAL="+h.dir,
		"URL="+h.p.url, "USER_="+h.p.user, "PASS_="+h.p.pass, "STATE="+h.state)
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	if d > 0 {
		tm := time.AfterFunc(d, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer tm.Stop()
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return true, buf.String()
	}
	if err != nil {
		h.t.Fatalf("child sync failed: %v\n%s", err, buf.String())
	}
	return false, buf.String()
}

type randomKill struct {
	h       *davHarness
	rnd     *rand.Rand
	m       *versionModel
	round   int
	renames bool
	files   int
	avg     time.Duration
	kills   int
	writes  int
	deletes int
	fresh   int
	unknown []string
	// ambiguous marks (path, version) where the other client changed or
	// deleted our upload that had reached the server while the kill came
	// before the client recorded it. No client can tell that from a change
	// made while the upload never arrived (a real conflict, or an edit
	// that must win over a delete); the engine keeps both. Counted apart.
	ambiguous map[string]bool
}

func (rk *randomKill) content(p, side string) string {
	rk.writes++
	n := rk.rnd.Intn(3000)
	if rk.rnd.Intn(40) == 0 {
		n = 100<<10 + rk.rnd.Intn(200<<10)
	}
	return fmt.Sprintf("%s|%s|round %d|write %d|%s", p, side, rk.round, rk.writes, strings.Repeat("x", n))
}

// read returns what a side shows at p now, "" when absent.
func (rk *randomKill) read(local bool, p string) (string, bool) {
	root := rk.h.p.root
	if local {
		root = rk.h.dir
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
	if err != nil {
		return "", false
	}
	return string(b), true
}

func (rk *randomKill) put(local bool, p, c string) {
	h := rk.h
	if local {
		full := filepath.Join(h.dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	h.remoteWrite(p, c)
}

func (rk *randomKill) remove(local bool, p string) {
	if local {
		if err := os.Remove(filepath.Join(rk.h.dir, filepath.FromSlash(p))); err != nil {
			rk.h.t.Fatal(err)
		}
		return
	}
	if err := rk.h.other.Delete(context.Background(), p, webdav.DeleteOptions{}); err != nil {
		rk.h.t.Fatal(err)
	}
}

func side(local bool) string {
	if local {
		return "local"
	}
	return "server"
}

// create writes a new file at a path never used before.
func (rk *randomKill) create(local bool, p string) {
	c := rk.content(p, side(local))
	rk.put(local, p, c)
	rk.m.write(p, c, "")
}

// edit replaces what one side shows at p, based on what it shows.
func (rk *randomKill) edit(local bool, p string) bool {
	cur, ok := rk.read(local, p)
	if !ok {
		return false
	}
	if !rk.m.known(p, cur) {
		rk.unknown = append(rk.unknown, fmt.Sprintf("round %d: %s on the %s side holds %.60q, never written there", rk.round, p, side(local), cur))
		return false
	}
	if !local {
		rk.noteUnrecordedUpload(p, cur)
	}
	c := rk.content(p, side(local))
	rk.put(local, p, c)
	rk.m.write(p, c, cur)
	return true
}

func (rk *randomKill) del(local bool, p string) bool {
	cur, ok := rk.read(local, p)
	if !ok {
		return false
	}
	if !rk.m.known(p, cur) {
		rk.unknown = append(rk.unknown, fmt.Sprintf("round %d: %s on the %s side holds %.60q, never written there", rk.round, p, side(local), cur))
		return false
	}
	if !local {
		rk.noteUnrecordedUpload(p, cur)
	}
	rk.remove(local, p)
	rk.deletes++
	rk.m.write(p, fmt.Sprintf("\x00deleted %d", rk.deletes), cur)
	return true
}

// noteUnrecordedUpload: is what the server holds at p an upload of ours
// still pending in the journal (stored, but the kill came before it was
// recorded)?
func (rk *randomKill) noteUnrecordedUpload(p, cur string) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(rk.h.state, "journal.db")+"?mode=ro")
	if err != nil {
		rk.h.t.Fatal(err)
	}
	defer db.Close()
	var hash string
	err = db.QueryRow(`SELECT hash FROM pending WHERE path = ? AND op = 'upload'`, p).Scan(&hash)
	if err == sql.ErrNoRows || err != nil && strings.Contains(err.Error(), "no such table") {
		return
	}
	if err != nil {
		rk.h.t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(cur))
	if hash == hex.EncodeToString(sum[:]) {
		rk.ambiguous[p+"\x00"+cur] = true
	}
}

// rename moves a file to a new name on one side: to the model, a delete
// of the version it held and a new file with it.
func (rk *randomKill) rename(local bool, p string) bool {
	cur, ok := rk.read(local, p)
	if !ok || !rk.m.known(p, cur) {
		return false
	}
	if !local {
		rk.noteUnrecordedUpload(p, cur)
	}
	rk.fresh++
	to := fmt.Sprintf("mv/%s-%d.txt", strings.NewReplacer("/", "-", ".txt", "").Replace(p), rk.fresh)
	if local {
		full := filepath.Join(rk.h.dir, filepath.FromSlash(to))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.Rename(filepath.Join(rk.h.dir, filepath.FromSlash(p)), full); err != nil {
			rk.h.t.Fatal(err)
		}
	} else {
		ctx := context.Background()
		if err := rk.h.other.MkdirAll(ctx, "mv"); err != nil {
			rk.h.t.Fatal(err)
		}
		if err := rk.h.other.Move(ctx, p, to, webdav.MoveOptions{}); err != nil {
			rk.h.t.Fatal(err)
		}
	}
	rk.deletes++
	rk.m.write(p, fmt.Sprintf("\x00moved %d", rk.deletes), cur)
	rk.m.write(to, cur, "")
	return true
}

func (rk *randomKill) pick() string {
	ps := rk.m.order
	return ps[rk.rnd.Intn(len(ps))]
}

// changeBothSides is one round of the user's and the other client's work.
func (rk *randomKill) changeBothSides() {
	for i := 0; i < max(12, rk.files/25); i++ {
		rk.edit(true, rk.pick())
	}
	for i := 0; i < max(6, rk.files/50); i++ {
		rk.edit(false, rk.pick())
	}
	for i := 0; i < 3; i++ {
		rk.del(true, rk.pick())
		rk.del(false, rk.pick())
	}
	for i := 0; i < 4; i++ {
		rk.fresh++
		rk.create(true, fmt.Sprintf("n%d/l-%d.txt", rk.round%7, rk.fresh))
		rk.fresh++
		rk.create(false, fmt.Sprintf("n%d/r-%d.txt", rk.round%5, rk.fresh))
	}
	if rk.renames {
		for i := 0; i < 2; i++ {
			rk.rename(true, rk.pick())
			rk.rename(false, rk.pick())
		}
	}
	// real conflicts: the same new name on both sides, and one file both edit
	rk.fresh++
	both := fmt.Sprintf("both/c-%d.txt", rk.fresh)
	rk.create(true, both)
	rk.create(false, both)
	for i := 0; i < 10; i++ {
		p := rk.pick()
		l, lok := rk.read(true, p)
		r, rok := rk.read(false, p)
		if lok && rok && l == r {
			rk.edit(true, p)
			rk.edit(false, p)
			break
		}
	}
}

// versionModel records, per path, every version written and the version
// it was based on; deletes are versions too.
type versionModel struct {
	paths map[string]map[string][]string // path -> version -> parents
	order []string
}

func newVersionModel() *versionModel {
	return &versionModel{paths: map[string]map[string][]string{}}
}

func isTomb(v string) bool { return strings.HasPrefix(v, "\x00") }

func (m *versionModel) write(p, v, parent string) {
	vs := m.paths[p]
	if vs == nil {
		vs = map[string][]string{}
		m.paths[p] = vs
		m.order = append(m.order, p)
	}
	if parent == "" {
		vs[v] = nil
	} else {
		vs[v] = []string{parent}
	}
}

func (m *versionModel) known(p, v string) bool { _, ok := m.paths[p][v]; return ok }

// ancestors of v (not v itself).
func (m *versionModel) ancestors(p, v string) map[string]bool {
	out := map[string]bool{}
	stack := append([]string(nil), m.paths[p][v]...)
	for len(stack) > 0 {
		a := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !out[a] {
			out[a] = true
			stack = append(stack, m.paths[p][a]...)
		}
	}
	return out
}

type killReport struct {
	realConflicts, copies                                          int
	spurious, older, lost, resurrected, unknown, differ, ambiguous []string
}

func short(v string) string {
	if i := strings.Index(v, "|x"); i >= 0 {
		return v[:i]
	}
	return v
}

// check compares both final trees with the model.
func (rk *randomKill) check() killReport {
	var rep killReport
	local, server := localFiles(nil, rk.h.dir), serverFiles(rk.h.p.root)
	for p := range local {
		if strings.HasPrefix(path.Base(p), ignore.TempPrefix) {
			delete(local, p) // a download a kill cut short; never synced
		}
	}
	for p, c := range local {
		if s, ok := server[p]; !ok {
			rep.differ = append(rep.differ, p+" only here")
		} else if s != c {
			rep.differ = append(rep.differ, p+" differs")
		}
	}
	for p := range server {
		if _, ok := local[p]; !ok {
			rep.differ = append(rep.differ, p+" only on the server")
		}
	}
	copies := map[string][]string{} // original path -> copy contents
	for p, c := range local {
		base := path.Base(p)
		i := strings.Index(base, " (conflicted copy ")
		if i < 0 {
			if rk.m.paths[p] == nil {
				rep.unknown = append(rep.unknown, p+": a file nobody wrote")
			}
			continue
		}
		j := strings.LastIndex(base, ")")
		orig := path.Join(path.Dir(p), base[:i]+base[j+1:])
		copies[orig] = append(copies[orig], c)
	}
	for _, p := range rk.m.order {
		vs := rk.m.paths[p]
		superseded := map[string]bool{}
		for v := range vs {
			for a := range rk.m.ancestors(p, v) {
				superseded[a] = true
			}
		}
		var heads []string
		for v := range vs {
			if !superseded[v] && !isTomb(v) {
				heads = append(heads, v)
			}
		}
		sort.Strings(heads)
		cur, at := local[p]
		if at {
			if _, ok := vs[cur]; !ok {
				rep.unknown = append(rep.unknown, fmt.Sprintf("%s holds %.60q", p, cur))
			} else if len(heads) == 0 && rk.ambiguous[p+"\x00"+cur] {
				rep.ambiguous = append(rep.ambiguous, fmt.Sprintf("%s: our unrecorded upload %q, deleted on the server, is back", p, short(cur)))
			} else if len(heads) == 0 {
				rep.resurrected = append(rep.resurrected, fmt.Sprintf("%s: deleted, back as %q", p, short(cur)))
			} else if superseded[cur] {
				rep.older = append(rep.older, fmt.Sprintf("%s holds %q, replaced by %q", p, short(cur), short(heads[0])))
			}
		}
		for _, hv := range heads {
			found := at && cur == hv
			for _, c := range copies[p] {
				found = found || c == hv
			}
			if !found {
				rep.lost = append(rep.lost, fmt.Sprintf("%s: %q is nowhere", p, short(hv)))
			}
		}
		if len(copies[p]) > 0 && len(heads) > 1 {
			rep.realConflicts++
		}
		for _, c := range copies[p] {
			rep.copies++
			if _, ok := vs[c]; !ok {
				rep.unknown = append(rep.unknown, fmt.Sprintf("a conflict copy of %s holds %.60q", p, c))
				continue
			}
			// A copy is right only for a version written beside another
			// one, neither based on the other.
			anc := rk.m.ancestors(p, c)
			concurrent := false
			for w := range vs {
				if w != c && !isTomb(w) && !anc[w] && !rk.m.ancestors(p, w)[c] {
					concurrent = true
				}
			}
			if !concurrent && rk.ambiguous[p+"\x00"+c] {
				rep.ambiguous = append(rep.ambiguous, fmt.Sprintf("%s: our unrecorded upload %q, changed on the server, kept as a copy", p, short(c)))
			} else if !concurrent {
				rep.spurious = append(rep.spurious, fmt.Sprintf("%s: a copy of %q, which only one side changed", p, short(c)))
			}
		}
	}
	sort.Strings(rep.differ)
	return rep
}
