package mailcache

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// Parse workers append side by side: every message reads back whole from
// where append said it is, across the lanes' files.
func TestPackLanesKeepEveryMessage(t *testing.T) {
	dir := t.TempDir()
	w := newPackWriter(dir + "/bodies")
	type stored struct {
		raw []byte
		loc bodyLoc
	}
	var mu sync.Mutex
	var all []stored
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				raw := bytes.Repeat([]byte(fmt.Sprintf("g%d-m%d;", g, i)), 1+i%50)
				loc, err := w.append(raw)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				all = append(all, stored{raw, loc})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	w.close()
	packs := map[string]bool{}
	for _, s := range all {
		got, err := readPackAt(dir, s.loc)
		if err != nil || !bytes.Equal(got, s.raw) {
			t.Fatalf("message at %+v: %v", s.loc, err)
		}
		packs[s.loc.Pack] = true
	}
	if len(all) != 1600 || len(packs) < 2 || len(packs) > packLanes {
		t.Errorf("%d messages in %d packs", len(all), len(packs))
	}
	openPacks.forget(dir)
}
