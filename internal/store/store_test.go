package store

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

var testSchema = []Migration{
	{Version: 1, SQL: `CREATE TABLE items (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, payload TEXT NOT NULL)`},
	{Version: 2, SQL: `CREATE INDEX items_batch ON items(batch)`},
}

func TestMigrationsAreVersionedAndIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := Open(ctx, path, "test", testSchema[:1], nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Version(ctx, "test"); v != 1 {
		t.Fatalf("version = %d, want 1", v)
	}
	db.Close()
	db, err = Open(ctx, path, "test", testSchema, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Version(ctx, "test"); v != 2 {
		t.Fatalf("version = %d, want 2", v)
	}
	var mode string
	db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal_mode = %q, want wal", mode)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := Open(ctx, path, "test", testSchema, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path, "test", testSchema[:1], nil)
	if err == nil || !strings.Contains(err.Error(), "update Deskport") {
		t.Fatalf("err = %v, want a refusal telling to update", err)
	}
}

func TestBadMigrationLeavesOldVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	bad := append(append([]Migration{}, testSchema...), Migration{Version: 3, SQL: `CREATE TABLE x (; nonsense`})
	if _, err := Open(ctx, path, "test", bad, nil); err == nil {
		t.Fatal("broken migration accepted")
	}
	db, err := Open(ctx, path, "test", testSchema, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Version(ctx, "test"); v != 2 {
		t.Fatalf("version = %d after failed migration, want 2", v)
	}
}

// The child writes batches of 200 rows, each batch in one transaction, and
// says "inside" while a transaction is open; the parent kills it with
// SIGKILL right then and checks that every batch is whole or absent.
func TestKillDuringWriteTransaction(t *testing.T) {
	if os.Getenv("STORE_CHILD_DB") != "" {
		childWriter(os.Getenv("STORE_CHILD_DB"))
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	for round := 0; round < 5; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringWriteTransaction$")
		cmd.Env = append(os.Environ(), "STORE_CHILD_DB="+path)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		seen := 0
		for sc.Scan() {
			if sc.Text() == "inside" {
				seen++
				if seen == 3+round*2 {
					cmd.Process.Signal(syscall.SIGKILL)
					break
				}
			}
		}
		cmd.Wait()
		if seen == 0 {
			t.Fatal("child never opened a transaction")
		}
		db, err := Open(context.Background(), path, "test", testSchema, nil)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		rows, err := db.Query(`SELECT batch, count(*) FROM items GROUP BY batch`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var b, c int
			rows.Scan(&b, &c)
			if c != 200 {
				t.Fatalf("round %d: batch %d has %d rows, want all 200 or none", round, b, c)
			}
			n++
		}
		rows.Close()
		db.Close()
		if n == 0 {
			t.Fatalf("round %d: no committed batch survived", round)
		}
	}
}

func childWriter(path string) {
	ctx := context.Background()
	db, err := Open(ctx, path, "test", testSchema, &Options{Synchronous: "FULL"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var start int
	db.QueryRow(`SELECT coalesce(max(batch), 0) FROM items`).Scan(&start)
	for b := start + 1; ; b++ {
		db.Tx(ctx, func(tx *sql.Tx) error {
			for i := 0; i < 200; i++ {
				if i == 100 {
					fmt.Println("inside")
				}
				if _, err := tx.Exec(`INSERT INTO items(batch, payload) VALUES(?, ?)`, b, strings.Repeat("x", 500)); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

func TestDamagedFileIsReportedNotUsed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bad.db")
	db, err := Open(ctx, path, "test", testSchema, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000; i++ {
		db.Exec(`INSERT INTO items(batch, payload) VALUES(1, ?)`, strings.Repeat("p", 200))
	}
	db.Close()
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	f.WriteAt([]byte(strings.Repeat("\xff", 4096)), 3*4096)
	f.Close()
	_, err = Open(ctx, path, "test", testSchema, &Options{Check: CheckAlways})
	if err == nil || !strings.Contains(err.Error(), "move the file aside") {
		t.Fatalf("damaged file: err = %v, want a failed integrity check saying what to do", err)
	}
}
