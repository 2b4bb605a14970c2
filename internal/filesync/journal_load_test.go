package filesync

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Load reads rows from the driver itself; it must give what a plain SELECT
// through database/sql gives, for every value a journal can hold: entries
// written by put (the engine's only writer), odd names, inodes above 2^63,
// negative mtimes, and values stored with another type than the column's.
func TestLoadMatchesPlainSelect(t *testing.T) {
	ctx := context.Background()
	seed := time.Now().UnixNano()
	rnd := rand.New(rand.NewSource(seed))
	j, err := OpenJournal(ctx, filepath.Join(t.TempDir(), "j.db"), t.TempDir(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	names := []string{"a", "ü b", "日本", "x'y\"z", "new\nline", "123", "0x10", "1e3", " ", "tab\t", "%", "\\"}
	perms := []string{"RGDNVW", "RGDNVCK", "", "S", "RD"}
	for i := 0; i < 3000; i++ {
		e := JournalEntry{
			Path:   fmt.Sprintf("%s/%d/%s", names[rnd.Intn(len(names))], i, names[rnd.Intn(len(names))]),
			IsDir:  rnd.Intn(5) == 0,
			LSize:  rnd.Int63n(1 << uint(rnd.Intn(63))),
			LMtime: rnd.Int63() - rnd.Int63(),
			LInode: rnd.Uint64(),
			ETag:   []string{"", "abc", "12345", "1.5", fmt.Sprintf("%016x", rnd.Uint64())}[rnd.Intn(5)],
			FileID: []string{"", "00042", fmt.Sprint(rnd.Int63()), "oc1a2b"}[rnd.Intn(4)],
			Perms:  perms[rnd.Intn(len(perms))],
			RSize:  rnd.Int63n(1 << 40),
			RMtime: rnd.Int63n(math.MaxInt32) - 1<<20,
		}
		if i%500 == 0 {
			e.LInode = math.MaxUint64
		}
		j.put(e)
	}
	if err := j.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// Another writer (an older version, a hand edit) may have stored a
	// number where text is declared and text where a number is: SQLite's
	// column affinities turn both back; the loads must agree either way.
	if _, err := j.db.ExecContext(ctx, `INSERT INTO entries(path, is_dir, lsize, lmtime, linode, etag, fileid, perms, rsize, rmtime)
		VALUES(12345, '0', '77', ' 5', '42', 678, 9.5, 1, '9', '-3')`); err != nil {
		t.Fatal(err)
	}
	got, err := j.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]JournalEntry{}
	if err := j.loadPortable(ctx, want); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3001 || !reflect.DeepEqual(got, want) {
		for p, w := range want {
			if got[p] != w {
				t.Errorf("%q: Load %+v, plain SELECT %+v", p, got[p], w)
			}
		}
		t.Fatalf("seed %d: Load gave %d entries, the plain SELECT %d", seed, len(got), len(want))
	}

	// A value neither can turn into the Go type is an error naming the path.
	if _, err := j.db.ExecContext(ctx, `INSERT INTO entries VALUES('bad', 0, 'twelve', 0, 0, '', '', '', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Load(ctx); err == nil || !strings.Contains(err.Error(), `"bad"`) {
		t.Errorf("a journal with text in lsize: Load said %v", err)
	}
	if err := j.loadPortable(ctx, map[string]JournalEntry{}); err == nil {
		t.Errorf("a journal with text in lsize: the plain SELECT said nothing")
	}

	// A cancelled context stops a load.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := j.Load(cctx); err == nil {
		t.Error("Load with a cancelled context succeeded")
	}
}
