//go:build unix

package filesync

// The parts of a no-change pass over 100,000 files (issue 20), measured
// apart: go test ./internal/filesync -run '^$' -bench FullPass100k
// with DESKPORT_BENCH_100K=1 (it builds a 100,000-file tree and journal in a
// temp dir, under /dev/shm when there is one; a few seconds).
// DESKPORT_BENCH_100K_DIR=/some/dir keeps the tree there between runs.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync/ignore"
)

// fullPassTree lays out the benchmark tree of bench/files/gen-tree.py:
// d00..d09/e00..e09/f00..f09/g00..g09 with files spread round-robin over
// the 10,000 leaf folders (names only; every file holds a few bytes).
func fullPassTree(n int) (dirs, files []string) {
	leaves := make([]string, 0, 10000)
	for a := 0; a < 10; a++ {
		da := fmt.Sprintf("d%02d", a)
		dirs = append(dirs, da)
		for b := 0; b < 10; b++ {
			db := fmt.Sprintf("%s/e%02d", da, b)
			dirs = append(dirs, db)
			for c := 0; c < 10; c++ {
				dc := fmt.Sprintf("%s/f%02d", db, c)
				dirs = append(dirs, dc)
				for d := 0; d < 10; d++ {
					dd := fmt.Sprintf("%s/g%02d", dc, d)
					dirs = append(dirs, dd)
					leaves = append(leaves, dd)
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		files = append(files, fmt.Sprintf("%s/file%06d.bin", leaves[i%len(leaves)], i))
	}
	return dirs, files
}

type fullPassFixture struct {
	root    string
	local   *localFS
	journal *Journal
	entries int
}

// newFullPassFixture builds (or finds, in dir) the tree and a journal that
// records it as synced, with server fields shaped like a Nextcloud's.
func newFullPassFixture(tb testing.TB, dir string, n int) *fullPassFixture {
	ctx := context.Background()
	root := filepath.Join(dir, "local")
	done := filepath.Join(dir, fmt.Sprintf("built-%d", n))
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(root)
		os.Remove(filepath.Join(dir, "journal.db"))
		dirs, files := fullPassTree(n)
		for _, d := range dirs {
			if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
				tb.Fatal(err)
			}
		}
		for i, f := range files {
			if err := os.WriteFile(filepath.Join(root, f), []byte(fmt.Sprint(i)), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	l := &localFS{root: root, goos: runtime.GOOS, ignore: mustIgnore(tb)}
	j, err := OpenJournal(ctx, filepath.Join(dir, "journal.db"), root, "http://bench.invalid/dav/")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { j.Close() })
	if _, err := os.Stat(done); err != nil {
		L, _, err := l.scan(n)
		if err != nil {
			tb.Fatal(err)
		}
		err = j.db.Tx(ctx, func(tx *sql.Tx) error {
			st, err := tx.Prepare(`INSERT INTO entries(path, is_dir, lsize, lmtime, linode, etag, fileid, perms, rsize, rmtime) VALUES(?,?,?,?,?,?,?,?,?,?)`)
			if err != nil {
				return err
			}
			defer st.Close()
			id := 7000000
			for p, e := range L {
				id++
				perms := "RGDNVW"
				if e.IsDir {
					perms = "RGDNVCK"
				}
				if _, err := st.Exec(p, e.IsDir, e.Size, e.Mtime, int64(e.Inode), fmt.Sprintf("%016x", uint64(id)*0x9e3779b97f4a7c15),
					fmt.Sprint(id), perms, e.Size, e.Mtime/1e9); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	jr, err := j.Load(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return &fullPassFixture{root: root, local: l, journal: j, entries: len(jr)}
}

func mustIgnore(tb testing.TB) *ignore.Matcher {
	m, err := ignore.New(ignore.Defaults)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func fullPassDir(tb testing.TB) string {
	if d := os.Getenv("DESKPORT_BENCH_100K_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
		return d
	}
	parent := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		parent = "/dev/shm"
	}
	d, err := os.MkdirTemp(parent, "deskport-fullpass-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// noChangeRemote is what walkRemote makes of an unchanged root: the
// journal's server side.
func noChangeRemote(J map[string]JournalEntry) map[string]RemoteEntry {
	R := make(map[string]RemoteEntry, len(J))
	for p, j := range J {
		R[p] = journalRemote(j)
	}
	return R
}

// cpuMeter reports the process's CPU time (user+sys, all threads: the
// garbage collector's too) per iteration: wall time on this shared machine
// says little.
type cpuMeter struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU(b *testing.B) *cpuMeter {
	b.ReportAllocs()
	b.ResetTimer()
	return &cpuMeter{processCPU()}
}

func (m *cpuMeter) stop(b *testing.B) {
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-m.start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func BenchmarkFullPass100k(b *testing.B) {
	if os.Getenv("DESKPORT_BENCH_100K") == "" {
		b.Skip("set DESKPORT_BENCH_100K=1 (builds a 100,000-file tree)")
	}
	// Cancellable, as the engine's is (the driver does more per row then).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fx := newFullPassFixture(b, fullPassDir(b), 100000)
	b.Logf("%d journal entries in %s", fx.entries, fx.root)
	caps := Capabilities{PropagatedETags: true, FileIDs: true}

	b.Run("load", func(b *testing.B) {
		m := startCPU(b)
		defer m.stop(b)
		for i := 0; i < b.N; i++ {
			if _, err := fx.journal.Load(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		m := startCPU(b)
		defer m.stop(b)
		for i := 0; i < b.N; i++ {
			L, _, err := fx.local.scan(fx.entries)
			if err != nil || len(L) != fx.entries {
				b.Fatalf("scan: %d entries, %v", len(L), err)
			}
		}
	})
	b.Run("ignore", func(b *testing.B) {
		J, _ := fx.journal.Load(ctx)
		ign := fx.local.ignore
		m := startCPU(b)
		defer m.stop(b)
		for i := 0; i < b.N; i++ {
			for p := range J {
				if ign.Match(p) {
					b.Fatal(p)
				}
			}
		}
	})
	b.Run("reconcile", func(b *testing.B) {
		J, _ := fx.journal.Load(ctx)
		L, skippedL, _ := fx.local.scan(len(J))
		R := noChangeRemote(J)
		m := startCPU(b)
		defer m.stop(b)
		for i := 0; i < b.N; i++ {
			// A no-change plan changes none of its maps.
			pl := reconcile(L, R, J, caps, skippedL, map[string]string{})
			if len(pl.actions) != 0 {
				b.Fatalf("no-change pass plans %d actions, first %v %s", len(pl.actions), pl.actions[0].op, pl.actions[0].path)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		m := startCPU(b)
		defer m.stop(b)
		for i := 0; i < b.N; i++ {
			J, err := fx.journal.Load(ctx)
			if err != nil {
				b.Fatal(err)
			}
			L, skippedL, err := fx.local.scan(len(J))
			if err != nil {
				b.Fatal(err)
			}
			for p := range J {
				fx.local.ignore.Match(p)
			}
			R := noChangeRemote(J)
			if pl := reconcile(L, R, J, caps, skippedL, map[string]string{}); len(pl.actions) != 0 {
				b.Fatalf("no-change pass plans %d actions", len(pl.actions))
			}
		}
	})
}
