package webdav

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Entry is one file or folder on the server.
type Entry struct {
	Path        string // relative to the files root, "/"-separated, byte-exact names; "" = the root
	Name        string // last name of Path
	IsDir       bool
	Size        int64 // file size; for folders Nextcloud's oc:size (total below) or 0
	ModTime     time.Time
	ETag        string // without quotes and W/ prefix; "" when the server gave none
	WeakETag    bool   // the server marked it weak (W/): usable to detect change, not for If-Match
	FileID      string // Nextcloud's oc:fileid (stable across moves); "" on generic servers
	Permissions string // Nextcloud's oc:permissions (e.g. "RGDNVW"); "" on generic servers
	ContentType string
}

// Listing is a folder and its direct children.
type Listing struct {
	Self    Entry
	Entries []Entry
	// Errors are entries that were skipped because the server sent something
	// unusable or unsafe for them (see EntryError); the others are valid.
	Errors []*EntryError
}

const propfindBody = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop>
<d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/><d:getcontenttype/>
<oc:fileid/><oc:id/><oc:permissions/><oc:size/>
</d:prop></d:propfind>`

// maxListing bounds a PROPFIND answer so a hostile server cannot exhaust memory.
const maxListing = 512 << 20

// Stat returns one entry.
func (c *Client) Stat(ctx context.Context, p string) (Entry, error) {
	segs, err := splitRel(p)
	if err != nil {
		return Entry{}, err
	}
	ms, err := c.propfind(ctx, segs, "0")
	if err != nil {
		return Entry{}, err
	}
	for _, r := range ms.Responses {
		e, rsegs, perr := c.entryOf(r)
		if perr != nil {
			continue
		}
		if sameSegs(rsegs, segs) {
			return e, nil
		}
	}
	return Entry{}, &StatusError{Method: "PROPFIND", Path: p, Status: http.StatusMultiStatus,
		Message: "no entry for the requested path in the answer", Kind: ErrBadHref}
}

// List returns a folder and its direct children (PROPFIND Depth 1).
func (c *Client) List(ctx context.Context, dir string) (*Listing, error) {
	segs, err := splitRel(dir)
	if err != nil {
		return nil, err
	}
	ms, err := c.propfind(ctx, segs, "1")
	if err != nil {
		return nil, err
	}
	l := &Listing{}
	gotSelf := false
	seen := map[string]bool{}
	for _, r := range ms.Responses {
		e, rsegs, perr := c.entryOf(r)
		if perr != nil {
			l.Errors = append(l.Errors, perr)
			continue
		}
		switch {
		case sameSegs(rsegs, segs):
			if gotSelf {
				l.Errors = append(l.Errors, &EntryError{Href: firstHref(r), Reason: "the folder itself appears twice"})
				continue
			}
			l.Self, gotSelf = e, true
		case len(rsegs) == len(segs)+1 && sameSegs(rsegs[:len(segs)], segs):
			if seen[e.Name] {
				l.Errors = append(l.Errors, &EntryError{Href: firstHref(r), Reason: "duplicate entry"})
				continue
			}
			seen[e.Name] = true
			l.Entries = append(l.Entries, e)
		default:
			l.Errors = append(l.Errors, &EntryError{Href: firstHref(r), Reason: "outside the requested folder"})
		}
	}
	if !gotSelf {
		return nil, &StatusError{Method: "PROPFIND", Path: dir, Status: http.StatusMultiStatus,
			Message: "the answer does not describe the requested folder", Kind: ErrBadHref}
	}
	if !l.Self.IsDir {
		return nil, &StatusError{Method: "PROPFIND", Path: dir, Status: http.StatusMultiStatus,
			Message: "not a folder", Kind: ErrConflict}
	}
	return l, nil
}

func firstHref(r xmlResponse) string {
	if len(r.Hrefs) > 0 {
		return r.Hrefs[0]
	}
	return ""
}

func (c *Client) propfind(ctx context.Context, segs []string, depth string) (*xmlMultistatus, error) {
	p := strings.Join(segs, "/")
	u := c.files.String() + escapeSegs(segs)
	if depth != "0" && len(segs) > 0 {
		u += "/" // a folder: saves generic servers' add-a-slash redirect
	}
	resp, err := c.do(ctx, request{method: "PROPFIND", url: u, path: p, retry: true,
		header: http.Header{"Depth": {depth}, "Content-Type": {"application/xml; charset=utf-8"}},
		body: func() (io.Reader, int64, error) {
			return strings.NewReader(propfindBody), int64(len(propfindBody)), nil
		}})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusMultiStatus {
		if resp.StatusCode >= 300 {
			return nil, statusError(resp, "PROPFIND", p)
		}
		drain(resp)
		return nil, &StatusError{Method: "PROPFIND", Path: p, Status: resp.StatusCode,
			Message: "expected a 207 multistatus answer: is this a WebDAV server?"}
	}
	defer drain(resp)
	return parseMultistatus(io.LimitReader(resp.Body, maxListing))
}

type xmlMultistatus struct {
	Responses []xmlResponse `xml:"DAV: response"`
}

type xmlResponse struct {
	Hrefs     []string      `xml:"DAV: href"`
	Status    string        `xml:"DAV: status"`
	Propstats []xmlPropstat `xml:"DAV: propstat"`
}

type xmlPropstat struct {
	Status string  `xml:"DAV: status"`
	Prop   xmlProp `xml:"DAV: prop"`
}

type xmlProp struct {
	ResourceType *struct {
		Collection *struct{} `xml:"DAV: collection"`
	} `xml:"DAV: resourcetype"`
	ContentLength *string `xml:"DAV: getcontentlength"`
	LastModified  *string `xml:"DAV: getlastmodified"`
	ETag          *string `xml:"DAV: getetag"`
	ContentType   *string `xml:"DAV: getcontenttype"`
	FileID        *string `xml:"http://owncloud.org/ns fileid"`
	OCID          *string `xml:"http://owncloud.org/ns id"`
	Permissions   *string `xml:"http://owncloud.org/ns permissions"`
	OCSize        *string `xml:"http://owncloud.org/ns size"`
}

func parseMultistatus(r io.Reader) (*xmlMultistatus, error) {
	var ms xmlMultistatus
	d := xml.NewDecoder(r)
	d.Strict = true
	if err := d.Decode(&ms); err != nil {
		return nil, fmt.Errorf("webdav: the server's PROPFIND answer is not valid multistatus XML: %w", err)
	}
	return &ms, nil
}

// statusCode parses "HTTP/1.1 200 OK".
func statusCode(s string) int {
	f := strings.Fields(s)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// entryOf validates one response and builds its entry.
func (c *Client) entryOf(r xmlResponse) (Entry, []string, *EntryError) {
	if len(r.Hrefs) != 1 {
		return Entry{}, nil, &EntryError{Href: strings.Join(r.Hrefs, " "), Reason: "expected exactly one href"}
	}
	href := r.Hrefs[0]
	segs, err := c.hrefSegs(href)
	if err != nil {
		return Entry{}, nil, err.(*EntryError)
	}
	if r.Status != "" && statusCode(r.Status) != http.StatusOK {
		return Entry{}, nil, &EntryError{Href: href, Reason: "status " + r.Status}
	}
	var p xmlProp
	for _, ps := range r.Propstats {
		if statusCode(ps.Status) != http.StatusOK {
			continue
		}
		mergeProp(&p, ps.Prop)
	}
	e := Entry{Path: strings.Join(segs, "/")}
	if len(segs) > 0 {
		e.Name = segs[len(segs)-1]
	}
	e.IsDir = p.ResourceType != nil && p.ResourceType.Collection != nil
	bad := func(reason string) (Entry, []string, *EntryError) {
		return Entry{}, nil, &EntryError{Href: href, Reason: reason}
	}
	sizeStr := p.ContentLength
	if e.IsDir || sizeStr == nil {
		if p.OCSize != nil {
			sizeStr = p.OCSize
		}
	}
	if sizeStr != nil && strings.TrimSpace(*sizeStr) != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(*sizeStr), 10, 64)
		if err != nil || n < 0 {
			return bad("bad size " + strconv.Quote(*sizeStr))
		}
		e.Size = n
	}
	if p.LastModified != nil && strings.TrimSpace(*p.LastModified) != "" {
		t, err := http.ParseTime(strings.TrimSpace(*p.LastModified))
		if err != nil {
			return bad("bad modification time " + strconv.Quote(*p.LastModified))
		}
		e.ModTime = t
	}
	if p.ETag != nil {
		e.ETag, e.WeakETag = normalizeETag(*p.ETag)
	}
	if p.FileID != nil {
		e.FileID = strings.TrimSpace(*p.FileID)
	} else if p.OCID != nil {
		e.FileID = fileIDFromOCID(*p.OCID)
	}
	if p.Permissions != nil {
		e.Permissions = strings.TrimSpace(*p.Permissions)
	}
	if p.ContentType != nil {
		e.ContentType = strings.TrimSpace(*p.ContentType)
	}
	return e, segs, nil
}

func mergeProp(dst *xmlProp, src xmlProp) {
	if src.ResourceType != nil {
		dst.ResourceType = src.ResourceType
	}
	for _, f := range []struct{ d, s **string }{
		{&dst.ContentLength, &src.ContentLength}, {&dst.LastModified, &src.LastModified},
		{&dst.ETag, &src.ETag}, {&dst.ContentType, &src.ContentType}, {&dst.FileID, &src.FileID},
		{&dst.OCID, &src.OCID}, {&dst.Permissions, &src.Permissions}, {&dst.OCSize, &src.OCSize},
	} {
		if *f.s != nil {
			*f.d = *f.s
		}
	}
}

// normalizeETag strips the W/ prefix and the quotes.
func normalizeETag(s string) (etag string, weak bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "W/") || strings.HasPrefix(s, "w/") {
		weak, s = true, s[2:]
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return s, weak
}

// quoteETag is the header form of a normalised (strong) ETag.
func quoteETag(etag string) string { return `"` + etag + `"` }

// fileIDFromOCID turns Nextcloud's oc:id / OC-FileId ("00000123ocinstance")
// into the numeric oc:fileid ("123").
func fileIDFromOCID(s string) string {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return s
	}
	d := strings.TrimLeft(s[:i], "0")
	if d == "" {
		d = "0"
	}
	return d
}

// Permission checks from Nextcloud's oc:permissions letters. Generic servers
// report none; then everything is assumed allowed and the server's answer decides.
func (e Entry) has(letters string) bool {
	return e.Permissions == "" || strings.ContainsAny(e.Permissions, letters)
}

// CanWrite: a file's content may be changed (W); in a folder, files may be created (C).
func (e Entry) CanWrite() bool {
	if e.IsDir {
		return e.has("C")
	}
	return e.has("W")
}

// CanMkdir: sub-folders may be created in this folder (K).
func (e Entry) CanMkdir() bool { return e.IsDir && e.has("K") }

// CanDelete: the entry may be deleted (D).
func (e Entry) CanDelete() bool { return e.has("D") }

// CanRename: the entry may be renamed or moved (N, V).
func (e Entry) CanRename() bool { return e.has("NV") }

// Shared reports a share (S) or a mount (M), where moves out of it may be refused.
func (e Entry) Shared() bool { return strings.ContainsAny(e.Permissions, "SM") }
