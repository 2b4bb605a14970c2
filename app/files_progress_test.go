package app

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/filesync/folder"
)

type emitCounter struct {
	noRuntime
	mu sync.Mutex
	n  int
}

func (c *emitCounter) Emit(event string, _ ...interface{}) {
	if event == "files:status" {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
}
func (c *emitCounter) count() int { c.mu.Lock(); defer c.mu.Unlock(); return c.n }

// Progress reaches the view at most every 500 ms, and the last of a burst
// is not lost: a transfer that stalls right after it still shows it.
func TestFilesProgressEmitsTheLastOfABurst(t *testing.T) {
	s := NewFiles(func(context.Context) (*folder.Folder, error) { return nil, errors.New("no folder in this test") }, nil)
	c := &emitCounter{}
	s.rt = c
	for i := 0; i < 20; i++ { // a burst within 500 ms, then nothing
		s.progressed()
		time.Sleep(5 * time.Millisecond)
	}
	deadline := time.Now().Add(2 * time.Second)
	for c.count() < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(700 * time.Millisecond)
	if n := c.count(); n != 2 {
		t.Fatalf("%d status events for a burst of progress, want 2 (the first at once, the rest once after 500 ms)", n)
	}
}
