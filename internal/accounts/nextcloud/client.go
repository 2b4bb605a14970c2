// Package nextcloud talks to a Nextcloud server's account endpoints:
// status.php, capabilities, the current user, Login Flow v2 and app-password
// revocation. It never logs or stores credentials; callers keep them in the
// keyring.
package nextcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/suite"
)

var (
	// ErrNotNextcloud: the server answers, but status.php is missing or not Nextcloud's.
	ErrNotNextcloud = errors.New("not a Nextcloud server")
	// ErrUnauthorized: the server refused the login name and (app) password (HTTP 401).
	ErrUnauthorized = errors.New("the server refused the credentials")
)

// ClockSkewLimit is how far the server's clock may be from ours before
// sign-in warns: certificates, tokens and sync conflict detection suffer.
const ClockSkewLimit = 5 * time.Minute

// Client is one Nextcloud server.
type Client struct {
	BaseURL   string       // e.g. https://files.example.org, without a trailing slash
	HTTP      *http.Client // the shared client (proxy, admin CA); nil means http.DefaultClient
	UserAgent string       // Nextcloud names a Login Flow app password after it
	Now       func() time.Time
}

// New returns a client for baseURL (a trailing slash is dropped).
func New(baseURL string, client *http.Client) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: client, UserAgent: "Deskport", Now: time.Now}
}

func (c *Client) httpc() *http.Client {
	if c.HTTP == nil {
		return http.DefaultClient
	}
	return c.HTTP
}

func (c *Client) host() string {
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return c.BaseURL
}

type basicAuth struct{ user, pass string }

// do sends a request and reads at most 4 MiB of the answer.
func (c *Client) do(ctx context.Context, method, u string, body io.Reader, auth *basicAuth, hdr map[string]string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, nil, fmt.Errorf("nextcloud: bad server address %q: %v", c.BaseURL, err)
	}
	req.Header.Set("User-Agent", c.UserAgent)
	req.Header.Set("Accept", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if auth != nil {
		req.SetBasicAuth(auth.user, auth.pass)
	}
	resp, err := c.httpc().Do(req)
	if err != nil {
		return nil, nil, suite.WrapNetError(req.URL.Host, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, nil, suite.WrapNetError(req.URL.Host, err)
	}
	return resp, data, nil
}

// Status reads /status.php and how far the server's clock is ahead of ours
// (negative: behind), from its Date header (0 when it sent none).
func (c *Client) Status(ctx context.Context) (suite.NextcloudStatus, time.Duration, error) {
	resp, body, err := c.do(ctx, http.MethodGet, c.BaseURL+"/status.php", nil, nil, nil)
	if err != nil {
		return suite.NextcloudStatus{}, 0, err
	}
	skew := c.skew(resp)
	if resp.StatusCode != http.StatusOK {
		return suite.NextcloudStatus{}, skew, fmt.Errorf("%w: %s has no status.php (HTTP %d); check the files address (usually https://files.<your domain>)", ErrNotNextcloud, c.host(), resp.StatusCode)
	}
	s, err := suite.ParseNextcloudStatus(body)
	if err != nil {
		return s, skew, fmt.Errorf("%w: %s answers, but its status.php is not Nextcloud's; check the files address", ErrNotNextcloud, c.host())
	}
	if !s.Installed {
		return s, skew, fmt.Errorf("%w: the Nextcloud at %s is not set up yet; tell your administrator", ErrNotNextcloud, c.host())
	}
	if s.Maintenance {
		return s, skew, fmt.Errorf("the Nextcloud at %s is in maintenance mode; try again later", c.host())
	}
	return s, skew, nil
}

func (c *Client) skew(resp *http.Response) time.Duration {
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return 0
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	return d.Sub(now()).Truncate(time.Second)
}

// SkewWarning says what to do about a clock difference, or "" when it is small.
func SkewWarning(skew time.Duration) string {
	if skew < ClockSkewLimit && skew > -ClockSkewLimit {
		return ""
	}
	dir := "behind"
	if skew < 0 {
		dir, skew = "ahead of", -skew
	}
	return fmt.Sprintf("this computer's clock is %s %s the server's; set the date and time correctly (automatic time), or sign-in and sync may fail", skew.Round(time.Minute), dir)
}

// OCSEnvelope is the JSON wrapper of every OCS answer (?format=json):
// meta says whether the call worked, data holds the result.
type OCSEnvelope struct {
	OCS struct {
		Meta struct {
			Status     string `json:"status"`
			StatusCode int    `json:"statuscode"`
			Message    string `json:"message"`
		} `json:"meta"`
		Data json.RawMessage `json:"data"`
	} `json:"ocs"`
}

// ocs calls an OCS endpoint (path like "/ocs/v1.php/cloud/user") and returns its data.
func (c *Client) ocs(ctx context.Context, method, path string, auth *basicAuth) (json.RawMessage, error) {
	resp, body, err := c.do(ctx, method, c.BaseURL+path+"?format=json", nil, auth, map[string]string{"OCS-APIRequest": "true"})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return nil, ErrUnauthorized
	}
	var env OCSEnvelope
	if err := json.Unmarshal(body, &env); err != nil || env.OCS.Meta.Status == "" {
		return nil, fmt.Errorf("%w: %s%s did not answer like Nextcloud (HTTP %d)", ErrNotNextcloud, c.host(), path, resp.StatusCode)
	}
	if env.OCS.Meta.StatusCode == 997 {
		return nil, ErrUnauthorized
	}
	if resp.StatusCode != http.StatusOK || (env.OCS.Meta.StatusCode != 100 && env.OCS.Meta.StatusCode != 200) {
		return nil, fmt.Errorf("nextcloud: %s%s failed: %d %s", c.host(), path, env.OCS.Meta.StatusCode, env.OCS.Meta.Message)
	}
	return env.OCS.Data, nil
}

// User is the signed-in account. ID is what WebDAV paths use; under single
// sign-on it can differ from the login name.
type User struct {
	ID          string `json:"id"`
	DisplayName string `json:"display-name"`
	Email       string `json:"email"`
}

// User asks /ocs/v1.php/cloud/user who login/password belong to.
func (c *Client) User(ctx context.Context, login, password string) (User, error) {
	data, err := c.ocs(ctx, http.MethodGet, "/ocs/v1.php/cloud/user", &basicAuth{login, password})
	if err != nil {
		return User{}, err
	}
	var u struct {
		User
		Email *string `json:"email"`
	}
	if err := json.Unmarshal(data, &u); err != nil || u.ID == "" {
		return User{}, fmt.Errorf("%w: %s returned no user id", ErrNotNextcloud, c.host())
	}
	if u.Email != nil {
		u.User.Email = *u.Email
	}
	return u.User, nil
}

// Capabilities is the part of /ocs/v2.php/cloud/capabilities Deskport reads;
// Raw keeps all of it for the sync engine.
type Capabilities struct {
	Version    string          `json:"version"`
	WebDAVRoot string          `json:"webdavRoot"`
	Chunking   string          `json:"chunking,omitempty"`
	BulkUpload string          `json:"bulkUpload,omitempty"`
	Raw        json.RawMessage `json:"-"`
}

// Capabilities reads the server's capabilities (auth is optional; pass ""
// for an anonymous request).
func (c *Client) Capabilities(ctx context.Context, login, password string) (Capabilities, error) {
	var auth *basicAuth
	if login != "" {
		auth = &basicAuth{login, password}
	}
	data, err := c.ocs(ctx, http.MethodGet, "/ocs/v2.php/cloud/capabilities", auth)
	if err != nil {
		return Capabilities{}, err
	}
	var v struct {
		Version struct {
			String string `json:"string"`
		} `json:"version"`
		Capabilities struct {
			Core struct {
				WebDAVRoot string `json:"webdav-root"`
			} `json:"core"`
			DAV struct {
				Chunking   string `json:"chunking"`
				BulkUpload string `json:"bulkupload"`
			} `json:"dav"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return Capabilities{}, fmt.Errorf("%w: unreadable capabilities from %s", ErrNotNextcloud, c.host())
	}
	return Capabilities{Version: v.Version.String, WebDAVRoot: v.Capabilities.Core.WebDAVRoot,
		Chunking: v.Capabilities.DAV.Chunking, BulkUpload: v.Capabilities.DAV.BulkUpload, Raw: data}, nil
}

// ErrAlreadyAppPassword: GetAppPassword was given an app password.
var ErrAlreadyAppPassword = errors.New("the password is already an app password")

// GetAppPassword trades the account password for a new app password
// (/ocs/v2.php/core/getapppassword), so that only a revocable password is
// kept. It returns ErrAlreadyAppPassword when given an app password.
func (c *Client) GetAppPassword(ctx context.Context, login, password string) (string, error) {
	resp, body, err := c.do(ctx, http.MethodGet, c.BaseURL+"/ocs/v2.php/core/getapppassword?format=json", nil,
		&basicAuth{login, password}, map[string]string{"OCS-APIRequest": "true"})
	if err != nil {
		return "", err
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return "", ErrUnauthorized
	case http.StatusForbidden:
		return "", ErrAlreadyAppPassword
	default:
		return "", fmt.Errorf("nextcloud: %s cannot issue app passwords (HTTP %d)", c.host(), resp.StatusCode)
	}
	var env OCSEnvelope
	var data struct {
		AppPassword string `json:"apppassword"`
	}
	if json.Unmarshal(body, &env) != nil || json.Unmarshal(env.OCS.Data, &data) != nil || data.AppPassword == "" {
		return "", fmt.Errorf("%w: %s returned no app password", ErrNotNextcloud, c.host())
	}
	return data.AppPassword, nil
}

// RevokeAppPassword deletes the app password on the server (it cannot be
// used again). The account's real password cannot be revoked this way.
func (c *Client) RevokeAppPassword(ctx context.Context, login, appPassword string) error {
	_, err := c.ocs(ctx, http.MethodDelete, "/ocs/v2.php/core/apppassword", &basicAuth{login, appPassword})
	return err
}
