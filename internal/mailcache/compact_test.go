package mailcache

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/deskport/deskport/internal/testpeer"
)

func packPaths(t *testing.T, dir string) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "bodies", "*.pack"))
	return names
}

// Expunged messages' bodies are given back: a mostly dead pack is
// rewritten, the other bodies stay readable and searchable, the old file
// goes; a crash between the copy and the commit loses nothing.
func TestCompactPacks(t *testing.T) {
	d := testpeer.StartDovecot(t)
	pad := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n", 300)
	var uids []imap.UID
	for i := 0; i < 30; i++ {
		uids = append(uids, d.Append("INBOX", testMail(fmt.Sprintf("Bescheid %d", i), fmt.Sprintf("Aktenzeichen AZ%03d\r\n%s", i, pad))))
	}
	dir := t.TempDir()
	c := openCache(t, dir, Policy{BodyDays: -1})
	a := account(d, nil)
	mustSync(t, c, a)
	for _, u := range uids[:24] {
		d.Expunge("INBOX", u)
	}
	if res := mustSync(t, c, a); res.Expunged != 24 {
		t.Fatalf("expunged %d, want 24", res.Expunged)
	}
	old := packPaths(t, dir)
	c.Close()

	oldWaste, oldAge := compactMinWaste, orphanAge
	compactMinWaste, orphanAge = 1, 0
	defer func() { compactMinWaste, orphanAge = oldWaste, oldAge }()

	// crash between copying the bodies and pointing the rows at them
	c = openCache(t, dir, Policy{BodyDays: -1})
	c.crash = func(p string) {
		if p == "compact-copied" {
			panic("crash")
		}
	}
	func() {
		defer func() { recover() }()
		c.CompactPacks(context.Background())
	}()
	c.Close()
	c = openCache(t, dir, Policy{BodyDays: -1})
	checkBodies := func(when string) {
		t.Helper()
		for i := 24; i < 30; i++ {
			r := find(t, c, fmt.Sprintf("AZ%03d", i))
			if len(r) != 1 {
				t.Fatalf("%s: AZ%03d found %d times", when, i, len(r))
			}
			raw, err := c.Raw(context.Background(), r[0].ID)
			if err != nil || !bytes.Contains(raw, []byte(fmt.Sprintf("Aktenzeichen AZ%03d", i))) {
				t.Fatalf("%s: body of AZ%03d: %v", when, i, err)
			}
		}
		if r := find(t, c, `"Aktenzeichen AZ025"`); len(r) != 1 {
			t.Fatalf("%s: phrase search found %d", when, len(r))
		}
	}
	checkBodies("after a crash in the compaction")

	// the old pack and the crashed run's copies (packs no row points at)
	stale := packPaths(t, dir)
	if len(stale) <= len(old) {
		t.Fatalf("%d packs before the compaction: the crashed run's copies are missing", len(stale))
	}
	// A search that began before the compaction's commit (here: a read
	// transaction of another connection, as the CLI beside the app has)
	// still sees the old locations: the old pack stays until it is done.
	oldWait := readerWait
	readerWait = 100 * time.Millisecond
	defer func() { readerWait = oldWait }()
	other, err := sql.Open("sqlite", filepath.Join(dir, "mail.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	reader, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var before bodyLoc
	if err := reader.QueryRow(`SELECT body_pack, body_off, body_len, body_crc FROM messages WHERE subject='Bescheid 25'`).
		Scan(&before.Pack, &before.Off, &before.Len, &before.CRC); err != nil {
		t.Fatal(err)
	}
	res, err := c.CompactPacks(context.Background())
	if err != nil || res.Moved != 6 || res.Packs != 0 || res.Pending != len(stale) {
		t.Fatalf("compaction beside a reader: %+v %v, want 6 bodies moved and %d packs pending", res, err, len(stale))
	}
	if raw, err := readPackAt(dir, before); err != nil || !bytes.Contains(raw, []byte("Aktenzeichen AZ025")) {
		t.Fatalf("the reader's snapshot lost its body: %v", err)
	}
	checkBodies("after a compaction beside a reader")
	reader.Rollback()

	res, err = c.CompactPacks(context.Background())
	if err != nil || res.Moved != 0 || res.Packs != len(stale) || res.Pending != 0 {
		t.Fatalf("compaction: %+v %v, want %d packs removed", res, err, len(stale))
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("pack %s still there (%v)", filepath.Base(p), err)
		}
	}
	if n, w := len(packPaths(t, dir)), len(c.packs.names()); n != w {
		t.Errorf("%d packs left, %d being written", n, w)
	}
	checkBodies("after the compaction")
	if again, _ := c.CompactPacks(context.Background()); again.Moved != 0 {
		t.Errorf("a second compaction moved %d", again.Moved)
	}
	// and the next sync is still a no-change one
	if res := mustSync(t, c, a); res.New != 0 || res.Messages != 6 {
		t.Fatalf("sync after compaction: %+v", res)
	}
}
