// Package davremote adapts internal/webdav's client to filesync.Remote:
// Nextcloud features (propagated ETags, file ids, X-OC-Mtime, bulk and
// chunked upload) when the server has them, plain WebDAV otherwise.
package davremote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	fs "github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/webdav"
)

// ChunkAbove is the size from which files go by chunked upload (resumable).
const ChunkAbove = 16 << 20

// Remote is a filesync.Remote over a webdav.Client.
type Remote struct {
	c    *webdav.Client
	once sync.Once
	caps webdav.Capabilities
	err  error
}

// New wraps c.
func New(c *webdav.Client) *Remote { return &Remote{c: c} }

// Client is the wrapped client (request counter, limiters).
func (r *Remote) Client() *webdav.Client { return r.c }

func (r *Remote) Capabilities(ctx context.Context) (fs.Capabilities, error) {
	r.once.Do(func() { r.caps, r.err = r.c.Capabilities(ctx) })
	if r.err != nil {
		err := r.err
		r.once = sync.Once{}
		return fs.Capabilities{}, wrap(err)
	}
	nc := r.caps.Nextcloud
	return fs.Capabilities{PropagatedETags: nc, FileIDs: nc, SetsMtime: nc, BulkUpload: r.caps.CanBulk(), Chunking: r.caps.CanChunk()}, nil
}

func entry(e webdav.Entry) fs.RemoteEntry {
	return fs.RemoteEntry{Path: e.Path, IsDir: e.IsDir, Size: e.Size, ModTime: e.ModTime, ETag: e.ETag, FileID: e.FileID, Perms: e.Permissions}
}

// wrap maps webdav's errors onto the ones the engine decides on.
func wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, webdav.ErrNotFound):
		return fmt.Errorf("%w (%v)", fs.ErrNotFound, err)
	case errors.Is(err, webdav.ErrPrecondition), errors.Is(err, webdav.ErrExists), errors.Is(err, webdav.ErrChangedWhileReading):
		return fmt.Errorf("%w (%v)", fs.ErrPrecondition, err)
	case errors.Is(err, webdav.ErrUnauthorized):
		return fmt.Errorf("%w (%v)", fs.ErrUnauthorized, err)
	case errors.Is(err, webdav.ErrInsufficientStorage):
		return fmt.Errorf("%w (%v)", fs.ErrNoSpace, err)
	case errors.Is(err, webdav.ErrStalled): // not temporary: retried next pass, not now
		return fmt.Errorf("%w (%v)", fs.ErrStalled, err)
	case errors.Is(err, webdav.ErrServer), errors.Is(err, webdav.ErrLocked):
		return fmt.Errorf("%w: %v", fs.ErrTemporary, err)
	}
	var ne *webdav.NetError
	if errors.As(err, &ne) {
		return fmt.Errorf("%w: %v", fs.ErrTemporary, err)
	}
	return err
}

func (r *Remote) List(ctx context.Context, dir string) (fs.Listing, error) {
	l, err := r.c.List(ctx, dir)
	if err != nil {
		return fs.Listing{}, wrap(err)
	}
	out := fs.Listing{Self: entry(l.Self)}
	for _, e := range l.Entries {
		out.Children = append(out.Children, entry(e))
	}
	for _, e := range l.Errors {
		out.Problems = append(out.Problems, e.Error())
	}
	return out, nil
}

func (r *Remote) Stat(ctx context.Context, p string) (fs.RemoteEntry, error) {
	e, err := r.c.Stat(ctx, p)
	return entry(e), wrap(err)
}

func (r *Remote) Get(ctx context.Context, p string, w io.Writer) (fs.RemoteEntry, error) {
	g, err := r.c.Get(ctx, p, w, webdav.GetOptions{})
	if err != nil {
		return fs.RemoteEntry{}, wrap(err)
	}
	return fs.RemoteEntry{Path: p, Size: g.Size, ModTime: g.ModTime, ETag: g.ETag}, nil
}

func (r *Remote) GetFrom(ctx context.Context, p string, offset int64, etag string, w io.Writer) (fs.RemoteEntry, error) {
	g, err := r.c.Get(ctx, p, w, webdav.GetOptions{Offset: offset, ETag: etag})
	if err != nil {
		return fs.RemoteEntry{}, wrap(err)
	}
	return fs.RemoteEntry{Path: p, Size: g.Size, ModTime: g.ModTime, ETag: g.ETag}, nil
}

func (r *Remote) Put(ctx context.Context, p string, body io.Reader, size int64, mtime time.Time, ifMatch string, ifNoneMatch bool) (fs.RemoteEntry, error) {
	po := webdav.PutOptions{ModTime: mtime, IfMatch: ifMatch, CreateOnly: ifNoneMatch}
	var res webdav.PutResult
	var err error
	if ra, ok := body.(io.ReaderAt); ok && size > ChunkAbove && r.caps.CanChunk() {
		res, err = r.c.PutChunked(ctx, p, ra, size, webdav.ChunkedOptions{PutOptions: po, Parallel: 1,
			Identity: fmt.Sprintf("%s\x00%d\x00%d", p, size, mtime.UnixNano())})
	} else {
		res, err = r.c.Put(ctx, p, body, size, po)
	}
	if err != nil {
		return fs.RemoteEntry{}, wrap(err)
	}
	e := fs.RemoteEntry{Path: p, Size: size, ETag: res.ETag, FileID: res.FileID}
	if res.WeakETag {
		e.ETag = "" // the engine re-reads it
	}
	if r.caps.Nextcloud {
		e.ModTime = mtime
	}
	return e, nil
}

func (r *Remote) PutBulk(ctx context.Context, files []fs.BulkFile) ([]fs.RemoteEntry, []error) {
	in := make([]webdav.BulkFile, len(files))
	for i, f := range files {
		data := f.Data
		in[i] = webdav.BulkFile{Path: f.Path, Size: int64(len(data)), ModTime: f.Mtime, CreateOnly: true,
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
	}
	res := r.c.BulkUpload(ctx, in, r.caps.CanBulk())
	out := make([]fs.RemoteEntry, len(files))
	errs := make([]error, len(files))
	for i, b := range res {
		if b.Err != nil {
			errs[i] = wrap(b.Err)
			continue
		}
		out[i] = fs.RemoteEntry{Path: b.Path, Size: int64(len(files[i].Data)), ETag: b.ETag, FileID: b.FileID, ModTime: files[i].Mtime}
		if b.WeakETag {
			out[i].ETag = ""
		}
	}
	return out, errs
}

func (r *Remote) Mkdir(ctx context.Context, p string) (fs.RemoteEntry, error) {
	err := r.c.Mkcol(ctx, p)
	if errors.Is(err, webdav.ErrExists) {
		e, serr := r.c.Stat(ctx, p)
		if serr == nil && e.IsDir {
			return entry(e), fs.ErrExists
		}
	}
	if err != nil {
		return fs.RemoteEntry{}, wrap(err)
	}
	return fs.RemoteEntry{Path: p, IsDir: true}, nil
}

func (r *Remote) Move(ctx context.Context, from, to, ifMatch string) error {
	return wrap(r.c.Move(ctx, from, to, webdav.MoveOptions{IfMatch: ifMatch}))
}

func (r *Remote) Delete(ctx context.Context, p, ifMatch string) error {
	return wrap(r.c.Delete(ctx, p, webdav.DeleteOptions{IfMatch: ifMatch}))
}
