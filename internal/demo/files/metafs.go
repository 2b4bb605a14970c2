package files

import (
	"context"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/webdav"
)

// metaFS is an in-memory file tree (webdav's MemFS) with what Nextcloud adds
// to it: a stable file id per file and folder, and ETags that change on
// every write below a folder, up to the root. The sync engine relies on
// both: a folder whose ETag did not change is not listed again, and a file
// id tells a move from a delete and a create.
type metaFS struct {
	inner webdav.FileSystem
	mu    sync.Mutex
	meta  map[string]*meta // by cleaned path ("/" is the root)
	next  int64            // last id or version handed out
}

type meta struct {
	id      int64
	version int64
	mtime   time.Time // from X-OC-Mtime; zero: the file system's own
}

func newMetaFS() *metaFS {
	return &metaFS{inner: webdav.NewMemFS(), meta: map[string]*meta{}}
}

func clean(name string) string { return path.Clean("/" + name) }

// entry returns name's metadata, giving it an id on first sight. Callers hold mu.
func (m *metaFS) entry(name string) *meta {
	e := m.meta[name]
	if e == nil {
		m.next++
		e = &meta{id: m.next, version: m.next}
		m.meta[name] = e
	}
	return e
}

// changed gives name and every folder above it a new ETag.
func (m *metaFS) changed(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for p := name; ; p = path.Dir(p) {
		m.next++
		m.entry(p).version = m.next
		if p == "/" {
			return
		}
	}
}

func (m *metaFS) etag(name string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entry(clean(name))
	return fmt.Sprintf(`"%06x%06x"`, e.id, e.version)
}

func (m *metaFS) fileID(name string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.entry(clean(name)).id
}

func (m *metaFS) setMtime(name string, t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entry(clean(name)).mtime = t
}

// forget drops name and everything below it.
func (m *metaFS) forget(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for p := range m.meta {
		if p == name || strings.HasPrefix(p, name+"/") {
			delete(m.meta, p)
		}
	}
}

// move carries ids, ETags and times from old to new (a moved file keeps its id).
func (m *metaFS) move(oldName, newName string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for p := range m.meta {
		if p == newName || strings.HasPrefix(p, newName+"/") {
			delete(m.meta, p)
		}
	}
	for p, e := range m.meta {
		if p == oldName || strings.HasPrefix(p, oldName+"/") {
			delete(m.meta, p)
			m.meta[newName+strings.TrimPrefix(p, oldName)] = e
		}
	}
}

func (m *metaFS) Mkdir(ctx context.Context, name string, perm os.FileMode) error {
	if err := m.inner.Mkdir(ctx, name, perm); err != nil {
		return err
	}
	m.changed(clean(name))
	return nil
}

func (m *metaFS) OpenFile(ctx context.Context, name string, flag int, perm os.FileMode) (webdav.File, error) {
	f, err := m.inner.OpenFile(ctx, name, flag, perm)
	if err != nil {
		return nil, err
	}
	writes := flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC|os.O_APPEND) != 0
	return &metaFile{File: f, fs: m, name: clean(name), writes: writes}, nil
}

func (m *metaFS) RemoveAll(ctx context.Context, name string) error {
	if err := m.inner.RemoveAll(ctx, name); err != nil {
		return err
	}
	n := clean(name)
	m.forget(n)
	if n != "/" {
		m.changed(path.Dir(n))
	}
	return nil
}

func (m *metaFS) Rename(ctx context.Context, oldName, newName string) error {
	if err := m.inner.Rename(ctx, oldName, newName); err != nil {
		return err
	}
	o, n := clean(oldName), clean(newName)
	m.move(o, n)
	m.changed(path.Dir(o))
	m.changed(n)
	return nil
}

func (m *metaFS) Stat(ctx context.Context, name string) (os.FileInfo, error) {
	fi, err := m.inner.Stat(ctx, name)
	if err != nil {
		return nil, err
	}
	return m.info(clean(name), fi), nil
}

func (m *metaFS) info(name string, fi os.FileInfo) os.FileInfo {
	m.mu.Lock()
	e := m.entry(name)
	mt := e.mtime
	m.mu.Unlock()
	return &metaInfo{FileInfo: fi, fs: m, name: name, mtime: mt}
}

// metaInfo is a FileInfo with the ETag and modification time of metaFS.
type metaInfo struct {
	os.FileInfo
	fs    *metaFS
	name  string
	mtime time.Time
}

func (i *metaInfo) ModTime() time.Time {
	if !i.mtime.IsZero() {
		return i.mtime
	}
	return i.FileInfo.ModTime()
}

func (i *metaInfo) ETag(context.Context) (string, error) { return i.fs.etag(i.name), nil }

// metaFile reports the Nextcloud properties and tells metaFS when a write ends.
type metaFile struct {
	webdav.File
	fs     *metaFS
	name   string
	writes bool
	closed bool
}

func (f *metaFile) Close() error {
	err := f.File.Close()
	if f.writes && !f.closed {
		f.fs.changed(f.name)
	}
	f.closed = true
	return err
}

func (f *metaFile) Stat() (os.FileInfo, error) {
	fi, err := f.File.Stat()
	if err != nil {
		return nil, err
	}
	return f.fs.info(f.name, fi), nil
}

func (f *metaFile) Readdir(count int) ([]fs.FileInfo, error) {
	list, err := f.File.Readdir(count)
	for i, fi := range list {
		list[i] = f.fs.info(path.Join(f.name, fi.Name()), fi)
	}
	return list, err
}

const ocNS = "http://owncloud.org/ns"

// DeadProps are the Nextcloud properties, and getetag for folders too
// (webdav only gives files one).
func (f *metaFile) DeadProps() (map[xml.Name]webdav.Property, error) {
	fi, err := f.File.Stat()
	if err != nil {
		return nil, err
	}
	id := f.fs.fileID(f.name)
	perms := "RGDNVW"
	if fi.IsDir() {
		perms = "RGDNVCK"
	}
	props := map[xml.Name]webdav.Property{}
	add := func(space, local, value string) {
		var b strings.Builder
		xml.EscapeText(&b, []byte(value))
		n := xml.Name{Space: space, Local: local}
		props[n] = webdav.Property{XMLName: n, InnerXML: []byte(b.String())}
	}
	add("DAV:", "getetag", f.fs.etag(f.name))
	add(ocNS, "fileid", fmt.Sprint(id))
	add(ocNS, "id", fmt.Sprintf("%08docdemo", id))
	add(ocNS, "permissions", perms)
	return props, nil
}

// Patch refuses property changes: the engine does not make any, and the
// properties above are the server's.
func (f *metaFile) Patch(patches []webdav.Proppatch) ([]webdav.Propstat, error) {
	st := webdav.Propstat{Status: 403}
	for _, p := range patches {
		for _, prop := range p.Props {
			st.Props = append(st.Props, webdav.Property{XMLName: prop.XMLName})
		}
	}
	return []webdav.Propstat{st}, nil
}
