// Package memremote is an in-memory filesync.Remote for unit tests: a tree
// with propagated ETags and file ids (like Nextcloud) or without (like a
// plain WebDAV server), preconditions enforced, and failure injection.
package memremote

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	fs "github.com/deskport/deskport/internal/filesync"
)

type node struct {
	dir   bool
	data  []byte
	mtime time.Time
	etag  string
	id    string
}

// Remote is the fake server.
type Remote struct {
	mu    sync.Mutex
	nodes map[string]*node // "" is the root
	seq   int
	caps  fs.Capabilities
	Calls map[string]int
	// Fail, when set, may fail an operation ("PUT", "GET", …) on a path.
	Fail func(op, p string) error
	// Before, when set, runs before an operation, outside the lock: a test
	// can change the server "meanwhile" there.
	Before func(op, p string)
}

func (r *Remote) before(op, p string) {
	if r.Before != nil {
		r.Before(op, p)
	}
}

// New returns an empty server; nextcloud selects propagated ETags, ids and bulk.
func New(nextcloud bool) *Remote {
	r := &Remote{nodes: map[string]*node{}, Calls: map[string]int{}}
	if nextcloud {
		r.caps = fs.Capabilities{PropagatedETags: true, FileIDs: true, SetsMtime: true, BulkUpload: true}
	}
	r.nodes[""] = &node{dir: true}
	r.touch("")
	return r
}

func (r *Remote) newETag() string { r.seq++; return fmt.Sprintf("e%d", r.seq) }

// touch gives p and (with propagation) its ancestors new ETags.
func (r *Remote) touch(p string) {
	for {
		if n, ok := r.nodes[p]; ok {
			n.etag = r.newETag()
			if n.id == "" {
				n.id = fmt.Sprintf("id%d", r.seq)
			}
		}
		if p == "" || !r.caps.PropagatedETags {
			return
		}
		p = parent(p)
	}
}

func parent(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}

func (r *Remote) entry(p string, n *node) fs.RemoteEntry {
	e := fs.RemoteEntry{Path: p, IsDir: n.dir, Size: int64(len(n.data)), ModTime: n.mtime, ETag: n.etag}
	if r.caps.FileIDs {
		e.FileID = n.id
	}
	return e
}

func (r *Remote) call(op, p string) error {
	r.Calls[op]++
	if r.Fail != nil {
		return r.Fail(op, p)
	}
	return nil
}

func (r *Remote) Capabilities(ctx context.Context) (fs.Capabilities, error) { return r.caps, nil }

func (r *Remote) List(ctx context.Context, dir string) (fs.Listing, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.call("PROPFIND", dir); err != nil {
		return fs.Listing{}, err
	}
	n, ok := r.nodes[dir]
	if !ok || !n.dir {
		return fs.Listing{}, fmt.Errorf("%s: %w", dir, fs.ErrNotFound)
	}
	l := fs.Listing{Self: r.entry(dir, n)}
	for p, c := range r.nodes {
		if p != "" && parent(p) == dir {
			l.Children = append(l.Children, r.entry(p, c))
		}
	}
	sort.Slice(l.Children, func(i, j int) bool { return l.Children[i].Path < l.Children[j].Path })
	return l, nil
}

func (r *Remote) Stat(ctx context.Context, p string) (fs.RemoteEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.call("STAT", p); err != nil {
		return fs.RemoteEntry{}, err
	}
	n, ok := r.nodes[p]
	if !ok {
		return fs.RemoteEntry{}, fmt.Errorf("%s: %w", p, fs.ErrNotFound)
	}
	return r.entry(p, n), nil
}

func (r *Remote) Get(ctx context.Context, p string, w io.Writer) (fs.RemoteEntry, error) {
	r.mu.Lock()
	if err := r.call("GET", p); err != nil {
		r.mu.Unlock()
		return fs.RemoteEntry{}, err
	}
	n, ok := r.nodes[p]
	if !ok || n.dir {
		r.mu.Unlock()
		return fs.RemoteEntry{}, fmt.Errorf("%s: %w", p, fs.ErrNotFound)
	}
	e := r.entry(p, n)
	data := n.data
	r.mu.Unlock()
	_, err := w.Write(data)
	return e, err
}

func (r *Remote) Put(ctx context.Context, p string, body io.Reader, size int64, mtime time.Time, ifMatch string, ifNoneMatch bool) (fs.RemoteEntry, error) {
	r.before("PUT", p)
	data, err := io.ReadAll(body)
	if err != nil {
		return fs.RemoteEntry{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.call("PUT", p); err != nil {
		return fs.RemoteEntry{}, err
	}
	return r.putLocked(p, data, mtime, ifMatch, ifNoneMatch)
}

func (r *Remote) putLocked(p string, data []byte, mtime time.Time, ifMatch string, ifNoneMatch bool) (fs.RemoteEntry, error) {
	n, ok := r.nodes[p]
	if ifNoneMatch && ok || ifMatch != "" && (!ok || n.etag != ifMatch) {
		return fs.RemoteEntry{}, fmt.Errorf("PUT %s: %w", p, fs.ErrPrecondition)
	}
	if pn, ok := r.nodes[parent(p)]; !ok || !pn.dir {
		return fs.RemoteEntry{}, fmt.Errorf("PUT %s: parent missing", p)
	}
	if ok && n.dir {
		return fs.RemoteEntry{}, fmt.Errorf("PUT %s: is a folder", p)
	}
	if !ok {
		n = &node{}
		r.nodes[p] = n
	}
	n.data = append([]byte(nil), data...)
	if r.caps.SetsMtime && !mtime.IsZero() {
		n.mtime = mtime.Truncate(time.Second)
	} else {
		n.mtime = time.Now().Truncate(time.Second)
	}
	r.touch(p)
	return r.entry(p, n), nil
}

func (r *Remote) PutBulk(ctx context.Context, files []fs.BulkFile) ([]fs.RemoteEntry, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Calls["BULK"]++
	out := make([]fs.RemoteEntry, len(files))
	errs := make([]error, len(files))
	for i, f := range files {
		out[i], errs[i] = r.putLocked(f.Path, f.Data, f.Mtime, "", false)
	}
	return out, errs
}

func (r *Remote) Mkdir(ctx context.Context, p string) (fs.RemoteEntry, error) {
	r.before("MKCOL", p)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.call("MKCOL", p); err != nil {
		return fs.RemoteEntry{}, err
	}
	if n, ok := r.nodes[p]; ok {
		if n.dir {
			return r.entry(p, n), fs.ErrExists
		}
		return fs.RemoteEntry{}, fmt.Errorf("MKCOL %s: a file exists", p)
	}
	if pn, ok := r.nodes[parent(p)]; !ok || !pn.dir {
		return fs.RemoteEntry{}, fmt.Errorf("MKCOL %s: parent missing", p)
	}
	r.nodes[p] = &node{dir: true, mtime: time.Now().Truncate(time.Second)}
	r.touch(p)
	return r.entry(p, r.nodes[p]), nil
}

func (r *Remote) Move(ctx context.Context, from, to, ifMatch string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.call("MOVE", from); err != nil {
		return err
	}
	return r.moveLocked(from, to, ifMatch)
}

func (r *Remote) moveLocked(from, to, ifMatch string) error {
	n, ok := r.nodes[from]
	if !ok {
		return fmt.Errorf("MOVE %s: %w", from, fs.ErrNotFound)
	}
	if ifMatch != "" && n.etag != ifMatch {
		return fmt.Errorf("MOVE %s: %w", from, fs.ErrPrecondition)
	}
	if _, ok := r.nodes[to]; ok {
		return fmt.Errorf("MOVE %s: destination exists", to)
	}
	for p, c := range r.nodes {
		if p == from || strings.HasPrefix(p, from+"/") {
			delete(r.nodes, p)
			r.nodes[to+strings.TrimPrefix(p, from)] = c
		}
	}
	r.touch(parent(from))
	r.touch(to)
	return nil
}

func (r *Remote) Delete(ctx context.Context, p, ifMatch string) error {
	r.before("DELETE", p)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.call("DELETE", p); err != nil {
		return err
	}
	n, ok := r.nodes[p]
	if !ok {
		return fmt.Errorf("DELETE %s: %w", p, fs.ErrNotFound)
	}
	if ifMatch != "" && n.etag != ifMatch {
		return fmt.Errorf("DELETE %s: %w", p, fs.ErrPrecondition)
	}
	for q := range r.nodes {
		if q == p || strings.HasPrefix(q, p+"/") {
			delete(r.nodes, q)
		}
	}
	r.touch(parent(p))
	return nil
}

// Test helpers: change the server "out of band", as another client would.

// Write creates or replaces a file (creating folders above it).
func (r *Remote) Write(p, data string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mkdirAll(parent(p))
	n, ok := r.nodes[p]
	if !ok {
		n = &node{}
		r.nodes[p] = n
	}
	n.data = []byte(data)
	n.mtime = time.Now().Truncate(time.Second)
	r.touch(p)
}

func (r *Remote) mkdirAll(p string) {
	if p == "" {
		return
	}
	r.mkdirAll(parent(p))
	if _, ok := r.nodes[p]; !ok {
		r.nodes[p] = &node{dir: true, mtime: time.Now()}
		r.touch(p)
	}
}

// Mkdirs creates a folder and its parents.
func (r *Remote) Mkdirs(p string) { r.mu.Lock(); r.mkdirAll(p); r.mu.Unlock() }

// Remove deletes a file or folder.
func (r *Remote) Remove(p string) { r.Delete(context.Background(), p, "") }

// Rename moves a file or folder.
func (r *Remote) Rename(from, to string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.moveLocked(from, to, "")
}

// Read returns a file's content.
func (r *Remote) Read(p string) ([]byte, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, ok := r.nodes[p]
	if !ok || n.dir {
		return nil, false
	}
	return bytes.Clone(n.data), true
}

// Files maps every file path to its content.
func (r *Remote) Files() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for p, n := range r.nodes {
		if !n.dir {
			out[p] = string(n.data)
		}
	}
	return out
}

// CallCounts copies the call counters (safe while an engine runs).
func (r *Remote) CallCounts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.Calls))
	for k, v := range r.Calls {
		out[k] = v
	}
	return out
}

// ResetCalls zeroes the call counters.
func (r *Remote) ResetCalls() { r.mu.Lock(); r.Calls = map[string]int{}; r.mu.Unlock() }
