//go:build unix

package filesync_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/davremote"
	"github.com/deskport/deskport/internal/webdav"
)

// swapOnList is the real WebDAV remote, except that when the engine lists
// the server (after it scanned the local folder, before it uploads) it
// runs swap: the moment a local attacker wins the race.
type swapOnList struct {
	*davremote.Remote
	swap func()
}

func (s *swapOnList) List(ctx context.Context, dir string) (filesync.Listing, error) {
	if s.swap != nil {
		s.swap()
		s.swap = nil
	}
	return s.Remote.List(ctx, dir)
}

// A file in the sync folder is replaced by a symlink to a secret file
// outside it, after the scan saw a regular file and before the upload opens
// it. The decoy has the secret's size and modification time, so nothing
// but the link itself gives it away. The secret must never reach the server
// (single PUT at the root, bulk upload in a new folder), in that pass or the
// next.
func TestUploadDoesNotFollowASymlinkSwappedIn(t *testing.T) {
	for _, name := range []string{"nextcloud", "apache"} {
		t.Run(name, func(t *testing.T) {
			p := startPeer(t, name)
			secret := []byte("-----BEGIN PRIVATE KEY----- only for this user's eyes 7f3a9c -----END PRIVATE KEY-----\n")
			secretPath := filepath.Join(t.TempDir(), "id_secret")
			if err := os.WriteFile(secretPath, secret, 0o600); err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(secretPath)
			dir, state := t.TempDir(), t.TempDir()
			os.Mkdir(filepath.Join(dir, "new"), 0o755)
			victims := []string{"report.txt", filepath.Join("new", "notes.txt")}
			for _, v := range victims {
				decoy := filepath.Join(dir, v)
				if err := os.WriteFile(decoy, bytes.Repeat([]byte("x"), len(secret)), 0o644); err != nil {
					t.Fatal(err)
				}
				os.Chtimes(decoy, st.ModTime(), st.ModTime())
			}
			os.WriteFile(filepath.Join(dir, "plain.txt"), []byte("an ordinary file"), 0o644)

			pass := func(swap func()) (filesync.Result, error) {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				j, err := filesync.OpenJournal(ctx, filepath.Join(state, "journal.db"), dir, p.url)
				if err != nil {
					t.Fatal(err)
				}
				defer j.Close()
				cl, err := webdav.New(webdav.Options{FilesURL: p.url, User: p.user, Password: p.pass})
				if err != nil {
					t.Fatal(err)
				}
				e, err := filesync.New(filesync.Options{LocalDir: dir, Remote: &swapOnList{Remote: davremote.New(cl), swap: swap}, Journal: j, Logf: t.Logf})
				if err != nil {
					t.Fatal(err)
				}
				return e.Sync(ctx)
			}
			swapped := 0
			res, err := pass(func() {
				for _, v := range victims {
					link := filepath.Join(dir, v+".link")
					if err := os.Symlink(secretPath, link); err != nil {
						t.Fatal(err)
					}
					if err := os.Rename(link, filepath.Join(dir, v)); err != nil { // atomic, as an attacker does it
						t.Fatal(err)
					}
					swapped++
				}
			})
			t.Logf("pass with the swap: %s, %v", res, err)
			if swapped != len(victims) {
				t.Fatalf("swapped %d of %d files", swapped, len(victims))
			}
			res, err = pass(nil)
			t.Logf("next pass: %s, %v", res, err)

			leaked := 0
			filepath.WalkDir(p.root, func(path string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					if b, _ := os.ReadFile(path); bytes.Contains(b, secret[:40]) {
						t.Errorf("the secret reached the server as %s", path)
						leaked++
					}
				}
				return nil
			})
			if b, err := os.ReadFile(filepath.Join(p.root, "plain.txt")); err != nil || string(b) != "an ordinary file" {
				t.Errorf("the rest was not synced: plain.txt %q %v", b, err)
			}
			if b, _ := os.ReadFile(secretPath); !bytes.Equal(b, secret) {
				t.Error("the secret file itself was changed")
			}
		})
	}
}
