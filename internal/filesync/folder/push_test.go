package folder_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/testpeer"
)

// A folder opened the way the window and the CLI open it listens to the
// server's notify_push by itself: with the default poll (1 min) a file made
// on the server arrives well before any poll could have brought it.
func TestOpenListensToNotifyPush(t *testing.T) {
	s := testpeer.StartNCServer(t, testpeer.NCPush(30*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	f, err := folder.Open(ctx, folder.Config{LocalDir: dir, FilesURL: s.FilesURL, User: s.User, Password: s.Pass,
		StateDir: t.TempDir(), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	passes := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Engine.Run(ctx, filesync.RunOptions{OnPass: func(filesync.Result, error) {
			select {
			case passes <- struct{}{}:
			default:
			}
		}})
	}()
	t.Cleanup(func() { cancel(); <-done; f.Close() })
	<-passes
	if err := s.Push.WaitConnections(1, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the check made on connecting
	if err := s.Upload("pushed.txt", []byte("made in the browser"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "pushed.txt")); err == nil && string(b) == "made in the browser" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("pushed.txt did not arrive within 30 s (the next poll is a minute away)")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
