package filesync

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"
)

// RemoteEntry is one file or folder on the server. Path is relative to the
// synced remote folder, slash-separated, without leading slash ("" = root).
type RemoteEntry struct {
	Path    string
	IsDir   bool
	Size    int64
	ModTime time.Time
	ETag    string // normalized by NormETag
	FileID  string // "" when the server has none (generic WebDAV)
	Perms   string // Nextcloud oc:permissions, "" when unknown
}

// Capabilities says what the server offers beyond plain WebDAV.
type Capabilities struct {
	PropagatedETags bool // a folder's ETag changes when anything below it changes
	FileIDs         bool // stable ids across moves
	SetsMtime       bool // honours X-OC-Mtime
	BulkUpload      bool
	Chunking        bool
}

// Remote is the server side of a sync. Every write takes a precondition so
// that a change made on the server meanwhile is never overwritten:
// ifMatch "" + ifNoneMatch=false means unconditional (only for new folders).
type Remote interface {
	Capabilities(ctx context.Context) (Capabilities, error)
	// List returns the folder itself and its direct children (PROPFIND Depth 1).
	List(ctx context.Context, dir string) (Listing, error)
	Stat(ctx context.Context, p string) (RemoteEntry, error)
	// Get writes the file's content to w and returns the entry as served.
	Get(ctx context.Context, p string, w io.Writer) (RemoteEntry, error)
	// Put stores a file; ifMatch is the ETag it must still have, or
	// ifNoneMatch requires that nothing exists at p yet.
	Put(ctx context.Context, p string, r io.Reader, size int64, mtime time.Time, ifMatch string, ifNoneMatch bool) (RemoteEntry, error)
	// Mkdir creates a folder; an existing folder gives ErrExists.
	Mkdir(ctx context.Context, p string) (RemoteEntry, error)
	Move(ctx context.Context, from, to string, ifMatch string) error
	Delete(ctx context.Context, p string, ifMatch string) error
}

// Listing is a folder and its direct children. Problems describe entries
// the server sent that could not be used (unsafe or unparsable names).
type Listing struct {
	Self     RemoteEntry
	Children []RemoteEntry
	Problems []string
}

// RangeGetter is implemented by remotes that can resume a download: it
// writes the file from offset on, and fails with ErrPrecondition when the
// file is no longer the version etag names.
type RangeGetter interface {
	GetFrom(ctx context.Context, p string, offset int64, etag string, w io.Writer) (RemoteEntry, error)
}

// BulkFile is one small file in a bulk upload.
type BulkFile struct {
	Path  string
	Data  []byte
	Mtime time.Time
}

// BulkUploader is implemented by remotes that can send many small files in
// one request. Results are per file, in the order given; a bulk upload is
// only used for files that are new on the server (no overwrite).
type BulkUploader interface {
	PutBulk(ctx context.Context, files []BulkFile) ([]RemoteEntry, []error)
}

// Errors a Remote returns (wrapped) so the engine can decide.
var (
	ErrNotFound     = errors.New("not found on the server")
	ErrPrecondition = errors.New("changed on the server meanwhile")
	ErrUnauthorized = errors.New("the server refused the login; check the user name and app password")
	ErrNoSpace      = errors.New("the server has no space left; free space or ask the administrator for more quota")
	// ErrStalled: the transfer made no progress for the stall timeout and was
	// given up; the pass goes on, and the next pass tries the file again.
	ErrStalled = errors.New("no progress, given up; it is tried again at the next sync")
	// ErrExists from Mkdir: the folder was already there (not an error for
	// the sync, but it was not created by this pass).
	ErrExists = errors.New("already exists on the server")
)

// NormETag strips quotes and the weak marker: Apache hands out W/"x" for a
// file written within the last second and "x" later for the same content.
func NormETag(e string) string {
	e = strings.TrimPrefix(strings.TrimSpace(e), "W/")
	return strings.Trim(e, `"`)
}
