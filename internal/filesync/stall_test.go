package filesync_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/testpeer"
	"github.com/deskport/deskport/internal/webdav"
)

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// A download that stops after 1 KiB of 1 MiB and an upload the server stops
// reading: each is given up after the stall time, the rest of the pass is
// done, nothing partial appears at the file's name, the pass ends with the
// two files as errors, and the next pass (the server well again) syncs them.
func TestStalledTransfersAbortTheFileNotThePass(t *testing.T) {
	for _, name := range []string{"nextcloud", "apache"} {
		t.Run(name, func(t *testing.T) {
			p := startPeer(t, name)
			s := testpeer.StartStallServer(t, p.url)
			down := randomBytes(t, 1<<20)
			up := randomBytes(t, 1<<20+1) // above the bulk upload's limit: one PUT
			other := p.client(t)
			ctx := context.Background()
			for name, data := range map[string][]byte{"stall-down.bin": down, "fine-down.txt": []byte("arrives")} {
				if _, err := other.Put(ctx, name, bytes.NewReader(data), int64(len(data)), webdav.PutOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			dir, state := t.TempDir(), t.TempDir()
			os.WriteFile(filepath.Join(dir, "stall-up.bin"), up, 0o644)
			os.WriteFile(filepath.Join(dir, "fine-up.txt"), []byte("leaves"), 0o644)

			const stall = 2 * time.Second
			pass := func() (filesync.Result, error, time.Duration, []filesync.FileError) {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				j, err := filesync.OpenJournal(ctx, filepath.Join(state, "journal.db"), dir, p.url)
				if err != nil {
					t.Fatal(err)
				}
				defer j.Close()
				cl, err := webdav.New(webdav.Options{FilesURL: s.Through(p.url), User: p.user, Password: p.pass, StallTimeout: stall})
				if err != nil {
					t.Fatal(err)
				}
				e, err := filesync.New(filesync.Options{LocalDir: dir, Remote: davremote.New(cl), Journal: j, Logf: t.Logf})
				if err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				res, err := e.Sync(ctx)
				took := time.Since(start)
				errs, _ := j.Errors(context.Background())
				return res, err, took, errs
			}

			res, err, took, errs := pass()
			t.Logf("stalled pass: %s in %s; errors %+v", res, took.Round(time.Millisecond), errs)
			if s.Stalled() < 2 {
				t.Fatalf("the server stalled %d requests; the test did not stall both transfers", s.Stalled())
			}
			// given up at the first stall: each file tried once per pass
			if s.Stalled() != 2*res.Passes {
				t.Errorf("the server saw %d stalled requests in %d passes: a stalled transfer was retried within its pass", s.Stalled(), res.Passes)
			}
			// one stall time per file (they run in parallel), some slack for the 2 cores
			if took > 4*stall+10*time.Second {
				t.Errorf("the pass took %s with a stall time of %s: a stall was waited out more than once", took, stall)
			}
			if err != nil {
				t.Errorf("the pass failed as a whole: %v", err)
			}
			if res.Errors != 2 {
				t.Errorf("%d per-file errors, want 2 (the stalled download and upload)", res.Errors)
			}
			failed := map[string]string{}
			for _, e := range errs {
				failed[e.Path] = e.Message
			}
			for _, f := range []string{"stall-down.bin", "stall-up.bin"} {
				if !strings.Contains(failed[f], "stalled") {
					t.Errorf("error of %s: %q, want it to say the transfer stalled", f, failed[f])
				}
			}
			if b, err := os.ReadFile(filepath.Join(dir, "fine-down.txt")); err != nil || string(b) != "arrives" {
				t.Errorf("the rest of the pass: fine-down.txt %q %v", b, err)
			}
			if b, err := os.ReadFile(filepath.Join(p.root, "fine-up.txt")); err != nil || string(b) != "leaves" {
				t.Errorf("the rest of the pass: fine-up.txt on the server %q %v", b, err)
			}
			if _, err := os.Lstat(filepath.Join(dir, "stall-down.bin")); err == nil {
				t.Error("a partial stall-down.bin sits at its final name")
			}
			if b, err := os.ReadFile(filepath.Join(p.root, "stall-up.bin")); err == nil && !bytes.Equal(b, up) {
				t.Errorf("a partial stall-up.bin (%d bytes) sits at its final name on the server", len(b))
			}

			s.Stalling.Store(false)
			res, err, _, errs = pass()
			if err != nil || res.Errors != 0 || len(errs) != 0 {
				t.Fatalf("next pass: %s, %v, %+v", res, err, errs)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "stall-down.bin")); !bytes.Equal(b, down) {
				t.Errorf("stall-down.bin after the next pass: %d bytes, not the server's", len(b))
			}
			if b, _ := os.ReadFile(filepath.Join(p.root, "stall-up.bin")); !bytes.Equal(b, up) {
				t.Errorf("stall-up.bin on the server after the next pass: %d bytes, not the local file", len(b))
			}
		})
	}
}
