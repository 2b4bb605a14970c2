package webdav

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Bulk request limits (like Nextcloud's desktop client: 100 files per request).
const (
	MaxBulkFiles = 100
	MaxBulkBytes = 16 << 20
)

// BulkFile is one small file for BulkUpload.
type BulkFile struct {
	Path    string
	Size    int64
	ModTime time.Time
	// The content: Data when not nil, else what Open returns (read once per attempt).
	Data []byte
	Open func() (io.ReadCloser, error)
	// IfMatch / CreateOnly apply to the single-PUT fallback. Nextcloud's bulk
	// endpoint has no conditions, so files with IfMatch always go by single PUT;
	// CreateOnly files go in bulk (a remote file created in the instant between
	// the listing and this request would be overwritten).
	IfMatch    string
	CreateOnly bool
}

// BulkResult is the outcome for one file.
type BulkResult struct {
	Path string
	PutResult
	Err      error
	Fallback bool // sent by a single PUT (not advertised, rejected by the bulk endpoint, or conditional)
}

// BulkUpload uploads many small files, in requests of up to MaxBulkFiles files
// and MaxBulkBytes, when useBulk is true (Capabilities.CanBulk); files the
// bulk endpoint rejects, and all files when it is unavailable, go by single
// PUT. Parent folders must exist. Results are in the order of files.
func (c *Client) BulkUpload(ctx context.Context, files []BulkFile, useBulk bool) []BulkResult {
	res := make([]BulkResult, len(files))
	var batch []int
	var batchBytes int64
	flush := func() {
		if len(batch) > 0 {
			c.bulkBatch(ctx, files, batch, res)
		}
		batch, batchBytes = batch[:0], 0
	}
	for i, f := range files {
		res[i].Path = f.Path
		if !useBulk || c.bulkURL == "" || f.IfMatch != "" || f.Size > MaxBulkBytes || !bulkSafePath(f.Path) {
			res[i].Fallback = true
			continue
		}
		if len(batch) == MaxBulkFiles || batchBytes+f.Size > MaxBulkBytes {
			flush()
		}
		batch = append(batch, i)
		batchBytes += f.Size
	}
	flush()
	for i, f := range files {
		if !res[i].Fallback || res[i].Err != nil && !errors.Is(res[i].Err, errBulkRejected) {
			continue
		}
		if ctx.Err() != nil {
			res[i].Err = ctx.Err()
			continue
		}
		res[i].Err = nil
		res[i].PutResult, res[i].Err = c.putOpened(ctx, f)
	}
	return res
}

var errBulkRejected = errors.New("rejected by the bulk endpoint")

func bulkSafePath(p string) bool {
	segs, err := splitRel(p)
	return err == nil && len(segs) > 0 && !strings.ContainsAny(p, "\r\n")
}

func (c *Client) putOpened(ctx context.Context, f BulkFile) (PutResult, error) {
	data, err := readAllSized(f)
	if err != nil {
		return PutResult{}, err
	}
	return c.Put(ctx, f.Path, bytes.NewReader(data), int64(len(data)),
		PutOptions{ModTime: f.ModTime, IfMatch: f.IfMatch, CreateOnly: f.CreateOnly})
}

func readAllSized(f BulkFile) ([]byte, error) {
	if f.Data != nil {
		if int64(len(f.Data)) != f.Size {
			return nil, &LocalReadError{Path: f.Path, Err: fmt.Errorf("%d bytes given, size says %d", len(f.Data), f.Size)}
		}
		return f.Data, nil
	}
	if f.Open == nil {
		return nil, &LocalReadError{Path: f.Path, Err: errors.New("no content given")}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &LocalReadError{Path: f.Path, Err: err}
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, f.Size+1))
	if err != nil {
		return nil, &LocalReadError{Path: f.Path, Err: err}
	}
	if int64(len(data)) != f.Size {
		return nil, &LocalReadError{Path: f.Path, Err: fmt.Errorf("size changed while reading (%d bytes, expected %d): the file is being written; sync it later", len(data), f.Size)}
	}
	return data, nil
}

// bulkBatch sends one bulk request; files it could not settle are marked for fallback.
func (c *Client) bulkBatch(ctx context.Context, files []BulkFile, idx []int, res []BulkResult) {
	var b [12]byte
	rand.Read(b[:])
	boundary := "deskport-" + hex.EncodeToString(b[:])
	var body bytes.Buffer
	keys := make(map[string]int, len(idx))
	sent := make([]int, 0, len(idx))
	for _, i := range idx {
		f := files[i]
		data, err := readAllSized(f)
		if err != nil {
			res[i].Err = err
			continue
		}
		sum := md5.Sum(data)
		key := "/" + strings.Trim(f.Path, "/")
		keys[key] = i
		sent = append(sent, i)
		fmt.Fprintf(&body, "--%s\r\nX-File-Path: %s\r\nX-File-MD5: %s\r\n", boundary, key, hex.EncodeToString(sum[:]))
		if !f.ModTime.IsZero() {
			fmt.Fprintf(&body, "X-File-Mtime: %d\r\n", f.ModTime.Unix())
		}
		fmt.Fprintf(&body, "Content-Length: %d\r\n\r\n", len(data))
		body.Write(data)
		body.WriteString("\r\n")
	}
	if len(sent) == 0 {
		return
	}
	fmt.Fprintf(&body, "--%s--\r\n", boundary)
	payload := body.Bytes()
	fallback := func(err error) {
		for _, i := range sent {
			res[i].Fallback, res[i].Err = true, err
		}
	}
	// Retried: the same parts written twice give the same files.
	resp, err := c.do(ctx, request{method: "POST", url: c.bulkURL, path: "bulk upload", retry: true,
		header: http.Header{"Content-Type": {"multipart/related; boundary=" + boundary}},
		body: func() (io.Reader, int64, error) {
			return bytes.NewReader(payload), int64(len(payload)), nil
		}})
	if err != nil {
		if ctx.Err() != nil {
			fallback(ctx.Err())
			for _, i := range sent {
				res[i].Fallback = false
			}
			return
		}
		fallback(fmt.Errorf("%w: %v", errBulkRejected, err))
		return
	}
	if resp.StatusCode != http.StatusOK {
		se := statusError(resp, "POST", "bulk upload")
		switch resp.StatusCode {
		case http.StatusUnauthorized, http.StatusInsufficientStorage:
			for _, i := range sent {
				res[i].Err = se // no point in trying each file
			}
		default:
			fallback(fmt.Errorf("%w: %v", errBulkRejected, se))
		}
		return
	}
	var answer map[string]struct {
		Error       bool   `json:"error"`
		Message     string `json:"message"`
		ETag        string `json:"etag"`
		OCETag      string `json:"OC-ETag"`
		FileID      any    `json:"fileid"`
		OCFileID    any    `json:"OC-FileID"`
		Permissions string `json:"permissions"`
		Mtime       string `json:"X-OC-MTime"`
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, 16<<20))
	err = dec.Decode(&answer)
	drain(resp)
	if err != nil {
		fallback(fmt.Errorf("%w: unreadable answer: %v", errBulkRejected, err))
		return
	}
	for _, i := range sent {
		key := "/" + strings.Trim(files[i].Path, "/")
		a, ok := answer[key]
		if !ok {
			a, ok = answer[strings.TrimPrefix(key, "/")]
		}
		switch {
		case !ok:
			res[i].Fallback, res[i].Err = true, fmt.Errorf("%w: no result for this file", errBulkRejected)
		case a.Error:
			res[i].Fallback, res[i].Err = true, fmt.Errorf("%w: %s", errBulkRejected, a.Message)
		default:
			et := a.OCETag
			if et == "" {
				et = a.ETag
			}
			res[i].ETag, res[i].WeakETag = normalizeETag(et)
			res[i].FileID = fileIDFromOCID(anyString(a.FileID, a.OCFileID))
			res[i].MtimeAccepted = strings.EqualFold(a.Mtime, "accepted")
			res[i].BytesSent = files[i].Size
			if res[i].ETag == "" {
				e, err := c.Stat(ctx, files[i].Path)
				if err != nil {
					res[i].Err = fmt.Errorf("webdav: uploaded %q but could not read back its version: %w", files[i].Path, err)
					continue
				}
				res[i].ETag, res[i].WeakETag, res[i].FileID = e.ETag, e.WeakETag, e.FileID
			}
		}
	}
}

func anyString(vs ...any) string {
	for _, v := range vs {
		switch x := v.(type) {
		case string:
			if x != "" {
				return x
			}
		case float64:
			return strconv.FormatInt(int64(x), 10)
		}
	}
	return ""
}
