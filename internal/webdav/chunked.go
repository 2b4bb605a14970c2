package webdav

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultChunkSize is the chunk size of PutChunked (Nextcloud accepts 5 MB to 5 GB).
const DefaultChunkSize = 10 << 20

const maxChunks = 10000

// ChunkedOptions tune PutChunked.
type ChunkedOptions struct {
	PutOptions
	// ChunkSize in bytes (default DefaultChunkSize; Nextcloud needs at least 5 MB
	// except for the last chunk). It is raised so that no more than 10,000 chunks are needed.
	ChunkSize int64
	// Identity names this version of the local file (e.g. its path, size,
	// mtime and inode). The same Identity, destination, size and chunk size give
	// the same upload id, so a later call resumes an interrupted upload.
	// Empty: a random id (no resume).
	Identity string
	// Progress, when set, is called after each chunk with the bytes on the server so far
	// (never concurrently).
	Progress func(done, total int64)
	// Parallel is the number of chunks sent at once (default 1).
	Parallel int
}

// forEach runs fn for every item with up to n at once; the first error cancels the rest.
func forEach(ctx context.Context, items []int, n int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	errc := make(chan error, n)
	var wg sync.WaitGroup
	for w := 0; w < min(n, len(items)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(ctx, i); err != nil {
					errc <- err
					cancel()
					return
				}
			}
		}()
	}
	var first error
feed:
	for _, i := range items {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	close(errc)
	for err := range errc {
		if first == nil || errors.Is(first, context.Canceled) {
			first = err
		}
	}
	if first == nil {
		first = ctx.Err() // the caller's cancellation (ours happens only after an error)
	}
	return first
}

// UploadID is the upload folder name PutChunked uses for these parameters.
func UploadID(dest string, size, chunkSize int64, identity string) string {
	h := sha256.New()
	fmt.Fprintf(h, "deskport-upload\x00%s\x00%d\x00%d\x00%s", strings.Trim(dest, "/"), size, chunkSize, identity)
	return "deskport-" + hex.EncodeToString(h.Sum(nil))[:32]
}

func chunkSizeFor(size, want int64) int64 {
	if want <= 0 {
		want = DefaultChunkSize
	}
	if need := (size + maxChunks - 1) / maxChunks; need > want {
		want = need
	}
	return want
}

// PutChunked uploads size bytes of r to p with Nextcloud's chunked upload v2:
// the chunks go to an upload folder, then one MOVE assembles them at p. Chunks
// already on the server from an interrupted call with the same Identity are
// not sent again. Conditions (IfMatch, CreateOnly) are checked at the final MOVE.
func (c *Client) PutChunked(ctx context.Context, p string, r io.ReaderAt, size int64, o ChunkedOptions) (PutResult, error) {
	segs, err := splitRel(p)
	if err != nil {
		return PutResult{}, err
	}
	if len(segs) == 0 {
		return PutResult{}, fmt.Errorf("%w: cannot upload to the root folder", ErrInvalidPath)
	}
	if c.uploadURL == "" {
		return PutResult{}, fmt.Errorf("webdav: chunked upload needs a Nextcloud files URL (.../remote.php/dav/files/USER/): %w", ErrNotSupported)
	}
	if size < 0 {
		return PutResult{}, fmt.Errorf("webdav: PutChunked %q needs the size of the file", p)
	}
	cs := chunkSizeFor(size, o.ChunkSize)
	var id string
	if o.Identity != "" {
		id = UploadID(p, size, cs, o.Identity)
	} else {
		var b [16]byte
		rand.Read(b[:])
		id = "deskport-" + hex.EncodeToString(b[:])
	}
	dest := c.files.String() + escapeSegs(segs)
	folder := c.uploadURL + id
	total := strconv.FormatInt(size, 10)
	common := func() http.Header {
		return http.Header{"Destination": {dest}, "OC-Total-Length": {total}}
	}

	have, err := c.uploadedChunks(ctx, folder, id)
	if err != nil {
		return PutResult{}, err
	}
	if have == nil {
		resp, err := c.do(ctx, request{method: "MKCOL", url: folder + "/", path: p, header: common(), retry: true})
		if err != nil {
			return PutResult{}, err
		}
		if resp.StatusCode >= 300 && resp.StatusCode != http.StatusMethodNotAllowed {
			return PutResult{}, statusError(resp, "MKCOL", "upload folder for "+p)
		}
		drain(resp)
		have = map[int]int64{}
	}

	n := int((size + cs - 1) / cs)
	if n == 0 {
		n = 1 // a 0-byte file is one empty chunk
	}
	var res PutResult
	var missing []int
	done := int64(0)
	for i := 1; i <= n; i++ {
		off := int64(i-1) * cs
		ln := min(cs, size-off)
		if got, ok := have[i]; ok && got == ln {
			done += ln
			continue
		}
		missing = append(missing, i)
	}
	var mu sync.Mutex
	sendChunk := func(ctx context.Context, i int) error {
		off := int64(i-1) * cs
		ln := min(cs, size-off)
		sec := io.NewSectionReader(r, off, ln)
		resp, err := c.do(ctx, request{method: "PUT", url: folder + "/" + strconv.Itoa(i), path: p,
			header: common(), retry: true,
			body: func() (io.Reader, int64, error) {
				_, err := sec.Seek(0, io.SeekStart)
				return sec, ln, err
			}})
		if err != nil {
			return err
		}
		if resp.StatusCode >= 300 {
			return statusError(resp, "PUT", fmt.Sprintf("chunk %d of %s", i, p))
		}
		drain(resp)
		mu.Lock()
		defer mu.Unlock()
		res.ChunksSent++
		res.BytesSent += ln
		done += ln
		if o.Progress != nil {
			o.Progress(done, size)
		}
		return nil
	}
	if err := forEach(ctx, missing, max(1, o.Parallel), sendChunk); err != nil {
		return res, err
	}

	h := common()
	if !o.ModTime.IsZero() {
		h.Set("X-OC-Mtime", strconv.FormatInt(o.ModTime.Unix(), 10))
	}
	h.Set("Overwrite", "T")
	if o.CreateOnly {
		h.Set("Overwrite", "F")
	}
	if o.IfMatch != "" {
		// RFC 4918 tagged If header on the destination, as Nextcloud's own client sends it.
		h.Set("If", "<"+dest+"> (["+quoteETag(o.IfMatch)+"])")
	}
	// Not retried: a lost answer to a finished assembly must not turn into a new upload.
	resp, err := c.do(ctx, request{method: "MOVE", url: folder + "/.file", path: p, header: h})
	if err != nil {
		return res, err
	}
	if resp.StatusCode >= 300 {
		err := statusError(resp, "MOVE", p)
		var se *StatusError
		if errors.As(err, &se) && se.Status == http.StatusPreconditionFailed {
			c.AbortChunked(context.WithoutCancel(ctx), id)
		}
		return res, err
	}
	drain(resp)
	w := writeResult(resp)
	res.ETag, res.WeakETag, res.FileID, res.MtimeAccepted = w.ETag, w.WeakETag, w.FileID, w.MtimeAccepted
	return c.completeResult(ctx, p, res)
}

// AbortChunked deletes an unfinished upload folder (they also expire on the server after 24 h).
func (c *Client) AbortChunked(ctx context.Context, uploadID string) error {
	if c.uploadURL == "" || checkName(uploadID) != "" {
		return ErrNotSupported
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := c.do(ctx, request{method: "DELETE", url: c.uploadURL + escapeName(uploadID), path: uploadID, retry: true})
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusNotFound {
		return statusError(resp, "DELETE", "upload "+uploadID)
	}
	drain(resp)
	return nil
}

// uploadedChunks lists the chunks in an upload folder: number → size; nil when the folder does not exist.
func (c *Client) uploadedChunks(ctx context.Context, folder, id string) (map[int]int64, error) {
	resp, err := c.do(ctx, request{method: "PROPFIND", url: folder + "/", path: "upload " + id, retry: true,
		header: http.Header{"Depth": {"1"}, "Content-Type": {"application/xml; charset=utf-8"}},
		body: func() (io.Reader, int64, error) {
			return strings.NewReader(propfindBody), int64(len(propfindBody)), nil
		}})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotFound {
		drain(resp)
		return nil, nil
	}
	if resp.StatusCode != http.StatusMultiStatus {
		return nil, statusError(resp, "PROPFIND", "upload folder "+id)
	}
	defer drain(resp)
	ms, err := parseMultistatus(io.LimitReader(resp.Body, maxListing))
	if err != nil {
		return nil, err
	}
	have := map[int]int64{}
	for _, r := range ms.Responses {
		if len(r.Hrefs) != 1 {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(r.Hrefs[0]))
		if err != nil {
			continue
		}
		segs := pathSegs(u.Path)
		if len(segs) < 2 || segs[len(segs)-2] != id {
			continue // the folder itself, or something unrelated
		}
		num, err := strconv.Atoi(segs[len(segs)-1])
		if err != nil || num < 1 || num > maxChunks {
			continue
		}
		var size int64 = -1
		for _, ps := range r.Propstats {
			if statusCode(ps.Status) == http.StatusOK && ps.Prop.ContentLength != nil {
				size, _ = strconv.ParseInt(strings.TrimSpace(*ps.Prop.ContentLength), 10, 64)
			}
		}
		have[num] = size
	}
	return have, nil
}
