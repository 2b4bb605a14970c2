// Package ncshare creates public share links through Nextcloud's OCS share
// API (POST /ocs/v2.php/apps/files_sharing/api/v1/shares, shareType 3).
package ncshare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/deskport/deskport/internal/accounts/nextcloud"
)

// Options of a new link; empty fields are left to the server's policy.
type Options struct {
	Password   string
	ExpireDate string // YYYY-MM-DD
}

// Share is a created public link.
type Share struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Token       string `json:"token"`
	Permissions int    `json:"permissions"` // 1 = read only
	Expiration  string `json:"expiration"`
}

// Client talks to one Nextcloud server as one user.
type Client struct {
	Server     string // e.g. https://cloud.example.org (no /remote.php/…)
	User, Pass string
	HTTP       *http.Client
}

// ServerOf is the server's base URL from a WebDAV files URL
// (https://h/nc/remote.php/dav/files/alice/ -> https://h/nc).
func ServerOf(filesURL string) (string, error) {
	i := strings.Index(filesURL, "/remote.php/")
	if i < 0 {
		return "", fmt.Errorf("%s is no Nextcloud files URL (no /remote.php/)", filesURL)
	}
	return filesURL[:i], nil
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// ErrRefused is a share the server's policy did not allow.
var ErrRefused = errors.New("the server refused the share link")

// CreateLink makes a public, read-only link to path (relative to the
// user's files, "/"-separated).
func (c *Client) CreateLink(ctx context.Context, path string, o Options) (Share, error) {
	if o.ExpireDate != "" && !dateRE.MatchString(o.ExpireDate) {
		return Share{}, fmt.Errorf("the expiry date %q must look like 2027-01-31", o.ExpireDate)
	}
	form := url.Values{"path": {"/" + strings.Trim(path, "/")}, "shareType": {"3"}, "permissions": {"1"}}
	if o.Password != "" {
		form.Set("password", o.Password)
	}
	if o.ExpireDate != "" {
		form.Set("expireDate", o.ExpireDate)
	}
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimRight(c.Server, "/")+"/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json",
		strings.NewReader(form.Encode()))
	if err != nil {
		return Share{}, err
	}
	req.SetBasicAuth(c.User, c.Pass)
	req.Header.Set("OCS-APIRequest", "true")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Share{}, fmt.Errorf("cannot reach the server to create the link: %w", err)
	}
	defer resp.Body.Close()
	var body nextcloud.OCSEnvelope
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Share{}, err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return Share{}, fmt.Errorf("the server did not accept the saved password for sharing (HTTP 401): sign in again on the Accounts page")
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return Share{}, fmt.Errorf("the server's answer to the share request is no OCS answer (HTTP %d)", resp.StatusCode)
	}
	m := body.OCS.Meta
	if resp.StatusCode != http.StatusOK || m.Status != "ok" {
		msg := m.Message
		if msg == "" {
			msg = fmt.Sprintf("HTTP %d, OCS %d", resp.StatusCode, m.StatusCode)
		}
		return Share{}, fmt.Errorf("%w: %s", ErrRefused, msg)
	}
	var d struct {
		ID          json.Number `json:"id"`
		URL         string      `json:"url"`
		Token       string      `json:"token"`
		Permissions int         `json:"permissions"`
		Expiration  *string     `json:"expiration"`
	}
	if err := json.Unmarshal(body.OCS.Data, &d); err != nil || d.URL == "" {
		return Share{}, fmt.Errorf("the server created no link (its answer has no url)")
	}
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return Share{}, fmt.Errorf("the server sent an unusable link %q", d.URL)
	}
	s := Share{ID: d.ID.String(), URL: d.URL, Token: d.Token, Permissions: d.Permissions}
	if d.Expiration != nil {
		s.Expiration = *d.Expiration
	}
	return s, nil
}

// FilesAppURL is the page of a file or folder in Nextcloud's Files app: by
// file id when known (stable across moves), else by its folder and name.
func FilesAppURL(server, rel, fileID string) string {
	server = strings.TrimRight(server, "/")
	if fileID != "" {
		return server + "/index.php/f/" + url.PathEscape(fileID)
	}
	rel = strings.Trim(rel, "/")
	dir, name := "", rel
	if i := strings.LastIndex(rel, "/"); i >= 0 {
		dir, name = rel[:i], rel[i+1:]
	}
	q := url.Values{"dir": {"/" + dir}}
	if name != "" {
		q.Set("scrollto", name)
	}
	return server + "/index.php/apps/files/?" + q.Encode()
}
