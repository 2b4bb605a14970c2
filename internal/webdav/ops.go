package webdav

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GetOptions tune a download.
type GetOptions struct {
	// Offset resumes a download: only bytes from Offset on are written to w.
	Offset int64
	// ETag (normalised) of the version being downloaded; with Offset it makes the
	// resume safe (If-Range): when the file changed, Get fails with ErrChangedWhileReading.
	// Without Offset it makes Get fail with ErrPrecondition when the file changed (If-Match).
	ETag string
}

// GetResult describes a finished download.
type GetResult struct {
	ETag     string
	WeakETag bool
	FileID   string // from OC-FileId when the server sends it, else ""
	ModTime  time.Time
	Size     int64 // full size of the file
	Written  int64 // bytes written to w by this call
}

// Get streams a file into w.
func (c *Client) Get(ctx context.Context, p string, w io.Writer, o GetOptions) (GetResult, error) {
	res, err := c.get(ctx, p, w, o)
	// A generic server's weak ETag for a just-written file fails If-Match and
	// If-Range although nothing changed; nothing was written to w yet: wait and retry.
	if o.ETag != "" && res.Written == 0 && (errors.Is(err, ErrPrecondition) || errors.Is(err, ErrChangedWhileReading)) &&
		c.waitStrong(ctx, p, o.ETag) {
		res, err = c.get(ctx, p, w, o)
	}
	return res, err
}

func (c *Client) get(ctx context.Context, p string, w io.Writer, o GetOptions) (GetResult, error) {
	segs, err := splitRel(p)
	if err != nil {
		return GetResult{}, err
	}
	if len(segs) == 0 {
		return GetResult{}, fmt.Errorf("%w: cannot download the root folder", ErrInvalidPath)
	}
	h := http.Header{}
	if o.Offset > 0 {
		h.Set("Range", "bytes="+strconv.FormatInt(o.Offset, 10)+"-")
		if o.ETag != "" {
			h.Set("If-Range", quoteETag(o.ETag))
		}
	} else if o.ETag != "" {
		h.Set("If-Match", quoteETag(o.ETag))
	}
	// Identity encoding: Go would otherwise ask for gzip and hide the real lengths.
	h.Set("Accept-Encoding", "identity")
	resp, err := c.do(ctx, request{method: "GET", url: c.files.String() + escapeSegs(segs), path: p, header: h, retry: true})
	if err != nil {
		return GetResult{}, err
	}
	defer drain(resp)
	var res GetResult
	res.ETag, res.WeakETag = normalizeETag(resp.Header.Get("ETag"))
	if id := resp.Header.Get("OC-FileId"); id != "" {
		res.FileID = fileIDFromOCID(id)
	}
	if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		res.ModTime = t
	}
	skip := int64(0)
	switch {
	case resp.StatusCode == http.StatusPartialContent && o.Offset > 0:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != o.Offset {
			return res, &StatusError{Method: "GET", Path: p, Status: resp.StatusCode,
				Message: "unexpected Content-Range " + resp.Header.Get("Content-Range")}
		}
		res.Size = total
	case resp.StatusCode == http.StatusOK:
		res.Size = resp.ContentLength
		if o.Offset > 0 {
			// The server ignored the range. Only the same version may be resumed.
			if o.ETag == "" || res.WeakETag || res.ETag != o.ETag {
				return res, &StatusError{Method: "GET", Path: p, Status: resp.StatusCode, Kind: ErrChangedWhileReading}
			}
			skip = o.Offset
		}
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && o.Offset > 0:
		return res, &StatusError{Method: "GET", Path: p, Status: resp.StatusCode, Kind: ErrChangedWhileReading}
	default:
		return res, statusError(resp, "GET", p)
	}
	body := io.Reader(resp.Body)
	if l := c.down.Load(); l != nil {
		body = l.Reader(ctx, body)
	}
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, body, skip); err != nil {
			return res, &NetError{Method: "GET", URL: p, Err: err}
		}
	}
	n, err := io.Copy(w, body)
	res.Written = n
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, &NetError{Method: "GET", URL: p, Err: fmt.Errorf("download interrupted after %d bytes (it can be resumed): %w", o.Offset+n, err)}
	}
	if res.Size >= 0 && o.Offset+n != res.Size {
		return res, &NetError{Method: "GET", URL: p, Err: fmt.Errorf("download ended after %d of %d bytes", o.Offset+n, res.Size)}
	}
	return res, nil
}

func parseContentRange(s string) (start, total int64, ok bool) {
	// bytes START-END/TOTAL
	s, found := strings.CutPrefix(strings.TrimSpace(s), "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, tot, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	a, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	total = -1
	var err2 error
	if tot != "*" {
		total, err2 = strconv.ParseInt(tot, 10, 64)
	}
	return start, total, err1 == nil && err2 == nil
}

// PutOptions tune an upload.
type PutOptions struct {
	ModTime time.Time // sent as X-OC-Mtime (Nextcloud keeps it; generic servers ignore it)
	// IfMatch (a normalised strong ETag) makes the upload fail with ErrPrecondition
	// when the remote file is no longer that version.
	IfMatch string
	// CreateOnly makes the upload fail with ErrPrecondition when the file exists (If-None-Match: *).
	CreateOnly  bool
	ContentType string
}

// PutResult describes the stored file after an upload.
type PutResult struct {
	ETag          string
	WeakETag      bool
	FileID        string
	MtimeAccepted bool // the server confirmed X-OC-Mtime
	BytesSent     int64
	ChunksSent    int // chunked uploads: chunks sent by this call (others were already on the server)
}

// Put uploads size bytes from r to p. A body that is an io.Seeker can be
// resent on a retry; others are sent once.
//
// The caller should check afterwards that the local file did not change
// while it was read: the server stores whatever bytes arrived.
func (c *Client) Put(ctx context.Context, p string, r io.Reader, size int64, o PutOptions) (PutResult, error) {
	seeker, _ := r.(io.Seeker)
	var start int64 = -1
	if seeker != nil && o.IfMatch != "" {
		if off, err := seeker.Seek(0, io.SeekCurrent); err == nil {
			start = off
		}
	}
	res, err := c.put(ctx, p, r, size, o)
	if start >= 0 && errors.Is(err, ErrPrecondition) && c.waitStrong(ctx, p, o.IfMatch) {
		if _, serr := seeker.Seek(start, io.SeekStart); serr == nil {
			res, err = c.put(ctx, p, r, size, o)
		}
	}
	return res, err
}

// waitStrong handles generic servers (Apache) that call an ETag weak for a
// second after a write and refuse If-Match against it: it reports true once
// the same ETag has become strong, so the conditional request can be repeated;
// false when the file really changed (or stays weak).
func (c *Client) waitStrong(ctx context.Context, p, etag string) bool {
	for i := 0; i < 15; i++ {
		e, err := c.Stat(ctx, p)
		if err != nil || e.ETag != etag {
			return false
		}
		if !e.WeakETag {
			return i > 0 // strong at once: the 412 was a real refusal
		}
		t := time.NewTimer(200 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
	return false
}

func (c *Client) put(ctx context.Context, p string, r io.Reader, size int64, o PutOptions) (PutResult, error) {
	segs, err := splitRel(p)
	if err != nil {
		return PutResult{}, err
	}
	if len(segs) == 0 {
		return PutResult{}, fmt.Errorf("%w: cannot upload to the root folder", ErrInvalidPath)
	}
	if size < 0 {
		return PutResult{}, fmt.Errorf("webdav: Put %q needs the size of the body", p)
	}
	h := http.Header{}
	setWriteHeaders(h, o)
	seeker, canRetry := r.(io.Seeker)
	var start int64
	if canRetry {
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			canRetry = false
		}
	}
	first := true
	resp, err := c.do(ctx, request{method: "PUT", url: c.files.String() + escapeSegs(segs), path: p, header: h,
		retry: canRetry,
		body: func() (io.Reader, int64, error) {
			if !first {
				if !canRetry {
					return nil, 0, fmt.Errorf("webdav: PUT %q cannot be resent (the data is not seekable)", p)
				}
				if _, err := seeker.Seek(start, io.SeekStart); err != nil {
					return nil, 0, err
				}
			}
			first = false
			return io.LimitReader(r, size), size, nil
		}})
	if err != nil {
		return PutResult{}, err
	}
	if resp.StatusCode >= 300 {
		return PutResult{}, parentMissing(statusError(resp, "PUT", p))
	}
	drain(resp)
	res := writeResult(resp)
	res.BytesSent = size
	return c.completeResult(ctx, p, res)
}

func setWriteHeaders(h http.Header, o PutOptions) {
	if !o.ModTime.IsZero() {
		h.Set("X-OC-Mtime", strconv.FormatInt(o.ModTime.Unix(), 10))
	}
	if o.IfMatch != "" {
		h.Set("If-Match", quoteETag(o.IfMatch))
	}
	if o.CreateOnly {
		h.Set("If-None-Match", "*")
	}
	if o.ContentType != "" {
		h.Set("Content-Type", o.ContentType)
	} else {
		h.Set("Content-Type", "application/octet-stream")
	}
}

func writeResult(resp *http.Response) PutResult {
	var res PutResult
	et := resp.Header.Get("OC-ETag")
	if et == "" {
		et = resp.Header.Get("ETag")
	}
	res.ETag, res.WeakETag = normalizeETag(et)
	if id := resp.Header.Get("OC-FileId"); id != "" {
		res.FileID = fileIDFromOCID(id)
	}
	res.MtimeAccepted = strings.EqualFold(resp.Header.Get("X-OC-MTime"), "accepted")
	return res
}

// completeResult fills in the ETag and file id with a PROPFIND when the write answer lacked them.
func (c *Client) completeResult(ctx context.Context, p string, res PutResult) (PutResult, error) {
	if res.ETag != "" && (res.FileID != "" || c.uploadURL == "") {
		return res, nil
	}
	e, err := c.Stat(ctx, p)
	if err != nil {
		return res, fmt.Errorf("webdav: uploaded %q but could not read back its version: %w", p, err)
	}
	res.ETag, res.WeakETag = e.ETag, e.WeakETag
	if res.FileID == "" {
		res.FileID = e.FileID
	}
	return res, nil
}

// Mkcol creates one folder. An existing path gives ErrExists, a missing parent ErrConflict.
func (c *Client) Mkcol(ctx context.Context, p string) error {
	segs, err := splitRel(p)
	if err != nil {
		return err
	}
	if len(segs) == 0 {
		return &StatusError{Method: "MKCOL", Path: p, Status: http.StatusMethodNotAllowed, Kind: ErrExists}
	}
	resp, err := c.do(ctx, request{method: "MKCOL", url: c.files.String() + escapeSegs(segs), path: p, retry: true})
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return parentMissing(statusError(resp, "MKCOL", p))
	}
	drain(resp)
	return nil
}

// MkdirAll creates a folder and any missing parents; an existing folder is fine,
// an existing file in the way is an ErrExists error.
func (c *Client) MkdirAll(ctx context.Context, p string) error {
	segs, err := splitRel(p)
	if err != nil {
		return err
	}
	if len(segs) == 0 {
		return nil
	}
	err = c.Mkcol(ctx, p)
	if errors.Is(err, ErrConflict) && len(segs) > 1 {
		if err := c.MkdirAll(ctx, strings.Join(segs[:len(segs)-1], "/")); err != nil {
			return err
		}
		err = c.Mkcol(ctx, p)
	}
	if errors.Is(err, ErrExists) {
		e, serr := c.Stat(ctx, p)
		if serr != nil {
			return serr
		}
		if !e.IsDir {
			return &StatusError{Method: "MKCOL", Path: p, Status: http.StatusMethodNotAllowed,
				Message: "a file with this name is in the way", Kind: ErrExists}
		}
		return nil
	}
	return err
}

// MoveOptions tune Move and Copy.
type MoveOptions struct {
	// Overwrite replaces an existing destination; by default an existing
	// destination makes the call fail with ErrExists.
	Overwrite bool
	// IfMatch (a normalised strong ETag) makes the call fail with ErrPrecondition
	// when the source is no longer that version.
	IfMatch string
}

// Move renames or moves a file or folder (Nextcloud keeps its file id).
func (c *Client) Move(ctx context.Context, from, to string, o MoveOptions) error {
	return c.moveCopy(ctx, "MOVE", from, to, o)
}

// Copy copies a file or folder.
func (c *Client) Copy(ctx context.Context, from, to string, o MoveOptions) error {
	return c.moveCopy(ctx, "COPY", from, to, o)
}

func (c *Client) moveCopy(ctx context.Context, method, from, to string, o MoveOptions) error {
	err := c.moveCopyOnce(ctx, method, from, to, o)
	if o.IfMatch != "" && errors.Is(err, ErrPrecondition) && c.waitStrong(ctx, from, o.IfMatch) {
		err = c.moveCopyOnce(ctx, method, from, to, o)
	}
	var se *StatusError
	if o.IfMatch != "" && !o.Overwrite && errors.As(err, &se) && se.Kind == ErrPrecondition {
		// 412 means either "source changed" or "destination exists": tell them apart
		if e, serr := c.Stat(ctx, from); serr == nil && e.ETag == o.IfMatch {
			se.Kind, se.Message = ErrExists, strings.TrimSpace(se.Message+" destination "+to+" exists")
		}
	}
	return err
}

func (c *Client) moveCopyOnce(ctx context.Context, method, from, to string, o MoveOptions) error {
	fs, err := splitRel(from)
	if err != nil {
		return err
	}
	ts, err := splitRel(to)
	if err != nil {
		return err
	}
	if len(fs) == 0 || len(ts) == 0 {
		return fmt.Errorf("%w: cannot %s the root folder", ErrInvalidPath, strings.ToLower(method))
	}
	h := http.Header{"Destination": {c.files.String() + escapeSegs(ts)}, "Overwrite": {"F"}}
	if o.Overwrite {
		h.Set("Overwrite", "T")
	}
	if o.IfMatch != "" {
		h.Set("If-Match", quoteETag(o.IfMatch))
	}
	// Not retried: a lost answer to a done MOVE would turn into a false "not found".
	resp, err := c.do(ctx, request{method: method, url: c.files.String() + escapeSegs(fs), path: from, header: h})
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		err := statusError(resp, method, from).(*StatusError)
		if err.Status == http.StatusPreconditionFailed && o.IfMatch == "" {
			err.Kind, err.Message = ErrExists, strings.TrimSpace(err.Message+" destination "+to+" exists")
		}
		if err.Status == http.StatusMethodNotAllowed {
			err.Kind = ErrForbidden
		}
		return err
	}
	drain(resp)
	return nil
}

// DeleteOptions tune Delete.
type DeleteOptions struct {
	// IfMatch (a normalised strong ETag) makes Delete fail with ErrPrecondition
	// when the remote file changed, so a changed file is never deleted.
	IfMatch string
}

// Delete removes a file or a folder with everything in it.
func (c *Client) Delete(ctx context.Context, p string, o DeleteOptions) error {
	err := c.deleteOnce(ctx, p, o)
	if o.IfMatch != "" && errors.Is(err, ErrPrecondition) && c.waitStrong(ctx, p, o.IfMatch) {
		err = c.deleteOnce(ctx, p, o)
	}
	return err
}

func (c *Client) deleteOnce(ctx context.Context, p string, o DeleteOptions) error {
	segs, err := splitRel(p)
	if err != nil {
		return err
	}
	if len(segs) == 0 {
		return fmt.Errorf("%w: refusing to delete the root folder", ErrInvalidPath)
	}
	h := http.Header{}
	if o.IfMatch != "" {
		h.Set("If-Match", quoteETag(o.IfMatch))
	}
	resp, err := c.do(ctx, request{method: "DELETE", url: c.files.String() + escapeSegs(segs), path: p, header: h, retry: true})
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusMultiStatus {
		drain(resp)
		return &StatusError{Method: "DELETE", Path: p, Status: resp.StatusCode,
			Message: "some items inside could not be deleted", Kind: ErrLocked}
	}
	if resp.StatusCode >= 300 {
		return statusError(resp, "DELETE", p)
	}
	drain(resp)
	return nil
}

// parentMissing maps 404 on PUT/MKCOL (some servers' answer when the parent
// folder is missing) to ErrConflict, like 409.
func parentMissing(err error) error {
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		se.Kind = ErrConflict
	}
	return err
}
