package mailcache

import (
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Raw messages live in pack files (bodies/<name>.pack): each session that
// fetches appends to a pack of its own, and a row records pack, offset,
// length and CRC. One file per message would cost a file creation each
// (slower than the network on this kind of disk), and blobs in SQLite are
// written twice (WAL, then checkpoint).
//
// A crash between the append and the commit leaves unused bytes in a pack,
// never a row pointing at bytes that are not there: the write happens
// first, and a read whose CRC does not match counts as not cached (the body
// is fetched again). Deleted messages leave holes, which compact.go gives back.

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type bodyLoc struct {
	Pack      string
	Off, Len  int64
	CRC       uint32
	Available bool
}

// packWriter appends messages to pack files through a few lanes, each with
// a file of its own: the parse workers' writes (a quarter of a first sync's
// CPU time, all under one lock before) copy into the page cache side by side
// instead of one after another.
type packWriter struct {
	dir   string
	lanes chan *packLane
	all   []*packLane
}

type packLane struct {
	f    *os.File
	name string
	off  int64
}

// packLanes: as many as cores are worth using for the copies.
const packLanes = 2

func newPackWriter(dir string) *packWriter {
	w := &packWriter{dir: dir, lanes: make(chan *packLane, packLanes)}
	for i := 0; i < packLanes; i++ {
		l := &packLane{}
		w.all = append(w.all, l)
		w.lanes <- l
	}
	return w
}

// maxPack starts a new pack file after this many bytes.
const maxPack = 1 << 30

func (w *packWriter) append(raw []byte) (bodyLoc, error) {
	crc := crc32.Checksum(raw, crcTable)
	l := <-w.lanes
	defer func() { w.lanes <- l }()
	if l.f == nil || l.off >= maxPack {
		if l.f != nil {
			l.f.Close()
		}
		if err := os.MkdirAll(w.dir, 0o700); err != nil {
			return bodyLoc{}, err
		}
		name := newPackName()
		f, err := os.OpenFile(filepath.Join(w.dir, name+".pack"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return bodyLoc{}, fmt.Errorf("mail cache: cannot create %s: %w (check permissions and free space)", w.dir, err)
		}
		l.f, l.name, l.off = f, name, 0
	}
	n, err := l.f.WriteAt(raw, l.off)
	if err != nil {
		return bodyLoc{}, fmt.Errorf("mail cache: cannot store a message in %s: %w (check free space)", w.dir, err)
	}
	loc := bodyLoc{Pack: l.name, Off: l.off, Len: int64(n), CRC: crc, Available: true}
	l.off += int64(n)
	return loc, nil
}

// names are the packs being appended to now.
func (w *packWriter) names() map[string]bool {
	taken := make([]*packLane, 0, len(w.all))
	names := map[string]bool{}
	for range w.all {
		l := <-w.lanes
		if l.f != nil {
			names[l.name] = true
		}
		taken = append(taken, l)
	}
	for _, l := range taken {
		w.lanes <- l
	}
	return names
}

// close waits for writes in progress and closes the lanes' files.
func (w *packWriter) close() {
	taken := make([]*packLane, 0, len(w.all))
	for range w.all {
		l := <-w.lanes
		if l.f != nil {
			l.f.Close()
			l.f = nil
		}
		taken = append(taken, l)
	}
	for _, l := range taken {
		w.lanes <- l
	}
}

var errBodyDamaged = errors.New("mail cache: stored message is damaged")

func (c *Cache) readPack(loc bodyLoc) ([]byte, error) { return readPackAt(c.dir, loc) }

func readPackAt(dir string, loc bodyLoc) ([]byte, error) {
	if !validPackName(loc.Pack) || loc.Len < 0 || loc.Len > 1<<31 {
		return nil, errBodyDamaged
	}
	f, err := openPacks.get(filepath.Join(dir, "bodies", loc.Pack+".pack"))
	if err != nil {
		return nil, errBodyDamaged
	}
	buf := make([]byte, loc.Len)
	if _, err := f.ReadAt(buf, loc.Off); err != nil || crc32.Checksum(buf, crcTable) != loc.CRC {
		return nil, errBodyDamaged
	}
	return buf, nil
}

// openPacks keeps the last few pack files open for reading: a phrase
// search reads thousands of messages from a handful of packs. Packs only
// grow, so an open file sees what is appended later.
var openPacks = &packFiles{files: map[string]*os.File{}}

type packFiles struct {
	mu    sync.Mutex
	files map[string]*os.File
	order []string
}

func (p *packFiles) get(path string) (*os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f, ok := p.files[path]; ok {
		return f, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if len(p.order) >= 8 {
		old := p.order[0]
		p.order = p.order[1:]
		// a reader may still use it: closing it would fail that read, so
		// leave it to the garbage collector's finalizer
		delete(p.files, old)
	}
	p.files[path] = f
	p.order = append(p.order, path)
	return f, nil
}

// forgetFile closes one pack (before it is deleted); a read in progress on
// it fails and is retried by Raw.
func (p *packFiles) forgetFile(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f, ok := p.files[path]; ok {
		f.Close()
		delete(p.files, path)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == path })
	}
}

// forget drops the open files of one cache folder (closing the cache, or
// before its files are deleted).
func (p *packFiles) forget(dir string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	prefix := filepath.Join(dir, "bodies") + string(filepath.Separator)
	keep := p.order[:0]
	for _, path := range p.order {
		if strings.HasPrefix(path, prefix) {
			p.files[path].Close()
			delete(p.files, path)
			continue
		}
		keep = append(keep, path)
	}
	p.order = keep
}

func newPackName() string {
	var b [8]byte
	if _, err := randRead(b[:]); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%x", b)
}

func validPackName(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
