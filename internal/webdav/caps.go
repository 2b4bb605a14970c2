package webdav

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Capabilities is what the server says it can do.
type Capabilities struct {
	Nextcloud   bool   // /status.php answered like a Nextcloud (or ownCloud) server
	ProductName string // e.g. "Nextcloud"
	Version     string // e.g. "25.0.3.2"
	Maintenance bool   // the server is in maintenance mode: retry later
	// Chunking is dav.chunking ("1.0": chunked upload to /remote.php/dav/uploads/).
	Chunking string
	// BulkUpload is dav.bulkupload ("1.0": POST /remote.php/dav/bulk).
	BulkUpload string
}

// CanChunk reports whether PutChunked can be used.
func (c Capabilities) CanChunk() bool { return c.Nextcloud && c.Chunking != "" }

// CanBulk reports whether BulkUpload sends real bulk requests.
func (c Capabilities) CanBulk() bool { return c.Nextcloud && c.BulkUpload != "" }

// Capabilities asks /status.php and the OCS capabilities. A generic WebDAV
// server (no status.php) gives Capabilities{} and no error.
func (c *Client) Capabilities(ctx context.Context) (Capabilities, error) {
	var caps Capabilities
	var st struct {
		Installed   bool   `json:"installed"`
		Maintenance bool   `json:"maintenance"`
		Version     string `json:"version"`
		ProductName string `json:"productname"`
	}
	code, err := c.getJSON(ctx, c.serverURL+"/status.php", nil, &st)
	if err != nil {
		return caps, err
	}
	if code != http.StatusOK || !st.Installed || st.Version == "" {
		return caps, nil // not a Nextcloud: a plain WebDAV server
	}
	caps.Nextcloud, caps.Version, caps.ProductName, caps.Maintenance = true, st.Version, st.ProductName, st.Maintenance
	var ocs struct {
		OCS struct {
			Data struct {
				Capabilities struct {
					Dav struct {
						Chunking   json.RawMessage `json:"chunking"`
						BulkUpload json.RawMessage `json:"bulkupload"`
					} `json:"dav"`
				} `json:"capabilities"`
			} `json:"data"`
		} `json:"ocs"`
	}
	code, err = c.getJSON(ctx, c.serverURL+"/ocs/v2.php/cloud/capabilities?format=json",
		http.Header{"OCS-APIRequest": {"true"}}, &ocs)
	if err != nil {
		return caps, err
	}
	switch {
	case code == http.StatusUnauthorized:
		return caps, &StatusError{Method: "GET", Path: "/ocs/v2.php/cloud/capabilities", Status: code, Kind: ErrUnauthorized}
	case code != http.StatusOK:
		return caps, &StatusError{Method: "GET", Path: "/ocs/v2.php/cloud/capabilities", Status: code, Kind: kindOf(code)}
	}
	caps.Chunking = jsonScalar(ocs.OCS.Data.Capabilities.Dav.Chunking)
	caps.BulkUpload = jsonScalar(ocs.OCS.Data.Capabilities.Dav.BulkUpload)
	return caps, nil
}

// jsonScalar renders "1.0" or 1.0 as 1.0; null/absent as "".
func jsonScalar(m json.RawMessage) string {
	s := strings.TrimSpace(string(m))
	if s == "" || s == "null" || s == "false" {
		return ""
	}
	var str string
	if json.Unmarshal(m, &str) == nil {
		return str
	}
	return s
}

// getJSON GETs u and decodes a 200 JSON answer into v; other statuses are returned, not errors.
func (c *Client) getJSON(ctx context.Context, u string, h http.Header, v any) (int, error) {
	if h == nil {
		h = http.Header{}
	}
	h.Set("Accept", "application/json")
	resp, err := c.do(ctx, request{method: "GET", url: u, path: u, header: h, retry: true})
	if err != nil {
		return 0, err
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, &NetError{Method: "GET", URL: u, Err: err}
	}
	if err := json.Unmarshal(b, v); err != nil {
		if strings.HasSuffix(strings.SplitN(u, "?", 2)[0], "/status.php") {
			return http.StatusNotFound, nil // some other web page: not a Nextcloud
		}
		return 0, fmt.Errorf("webdav: %s did not answer with JSON: %w", u, err)
	}
	return resp.StatusCode, nil
}
