package suite

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Status is the outcome of one discovery check.
type Status string

const (
	Found       Status = "found"       // the service is there and looks right
	Answers     Status = "answers"     // the host answers HTTP (no deeper check exists)
	NotFound    Status = "missing"     // the host answers, but not with this service
	Unreachable Status = "unreachable" // DNS, refused, timeout
	TLSError    Status = "tls"         // the certificate is not trusted
)

// Check is one discovery result.
type Check struct {
	App    App    `json:"app"`
	URL    string `json:"url"`
	Status Status `json:"status"`
	Reason string `json:"reason"`           // for people: what was found or what to do
	Detail string `json:"detail,omitempty"` // e.g. "Nextcloud 25.0.3", the Matrix homeserver
}

// OK reports whether the service can be used.
func (c Check) OK() bool { return c.Status == Found || c.Status == Answers }

// Report is the result of Discover, one check per app, in Apps order.
type Report struct {
	Profile Profile `json:"profile"`
	Checks  []Check `json:"checks"`
}

// Get returns the check for app.
func (r Report) Get(app App) (Check, bool) {
	for _, c := range r.Checks {
		if c.App == app {
			return c, true
		}
	}
	return Check{}, false
}

// CheckTimeout bounds each check of Discover.
var CheckTimeout = 10 * time.Second

// Discover checks, in parallel, what the suite has: Nextcloud's status.php on
// files, the IdP's openid-configuration, the Matrix well-known on the bare
// domain (for chat), and whether every other host answers at all. Redirects
// are not followed (a portal redirecting to the IdP counts as answering).
func Discover(ctx context.Context, client *http.Client, p Profile) Report {
	if client == nil {
		client = http.DefaultClient
	}
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	checks := make([]Check, len(Apps))
	var wg sync.WaitGroup
	for i, app := range Apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, CheckTimeout)
			defer cancel()
			switch app {
			case Files:
				checks[i] = checkNextcloud(cctx, client, p)
			case ID:
				checks[i] = checkIdP(cctx, client, p)
			case Chat:
				checks[i] = checkMatrix(cctx, &noRedirect, client, p)
			default:
				checks[i] = checkAnswers(cctx, &noRedirect, app, p.AppURL(app))
			}
		}()
	}
	wg.Wait()
	return Report{Profile: p, Checks: checks}
}

// get fetches url; on a transport error it fills the check and returns nil.
func get(ctx context.Context, client *http.Client, c *Check) (*http.Response, []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		c.Status, c.Reason = Unreachable, err.Error()
		return nil, nil
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		prob, why := Explain(req.URL.Host, err)
		c.Status, c.Reason = Unreachable, why
		if prob == ProblemTLS {
			c.Status = TLSError
		}
		return nil, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, body
}

// NextcloudStatus is the part of /status.php Deskport reads.
type NextcloudStatus struct {
	Installed     bool   `json:"installed"`
	Maintenance   bool   `json:"maintenance"`
	Version       string `json:"version"`
	VersionString string `json:"versionstring"`
	ProductName   string `json:"productname"`
}

// ParseNextcloudStatus reads a status.php body; it fails when the body is
// not a Nextcloud's.
func ParseNextcloudStatus(body []byte) (NextcloudStatus, error) {
	var s NextcloudStatus
	if err := json.Unmarshal(body, &s); err != nil || s.Version == "" {
		return s, fmt.Errorf("the answer is not a Nextcloud status")
	}
	return s, nil
}

func checkNextcloud(ctx context.Context, client *http.Client, p Profile) Check {
	c := Check{App: Files, URL: p.Origin(Files) + "/status.php"}
	resp, body := get(ctx, client, &c)
	if resp == nil {
		return c
	}
	host := p.Host(Files)
	if resp.StatusCode != http.StatusOK {
		c.Status, c.Reason = NotFound, fmt.Sprintf("%s answers, but has no Nextcloud (status.php: HTTP %d); check the files host", host, resp.StatusCode)
		return c
	}
	s, err := ParseNextcloudStatus(body)
	if err != nil {
		c.Status, c.Reason = NotFound, fmt.Sprintf("%s answers, but is not a Nextcloud (status.php is not Nextcloud's); check the files host", host)
		return c
	}
	name := s.ProductName
	if name == "" {
		name = "Nextcloud"
	}
	c.Detail = strings.TrimSpace(name + " " + s.VersionString)
	switch {
	case !s.Installed:
		c.Status, c.Reason = NotFound, fmt.Sprintf("%s is not set up yet; tell your administrator", c.Detail)
	case s.Maintenance:
		c.Status, c.Reason = Found, fmt.Sprintf("%s is in maintenance mode; try again later", c.Detail)
	default:
		c.Status, c.Reason = Found, fmt.Sprintf("%s at %s", c.Detail, host)
	}
	return c
}

func checkIdP(ctx context.Context, client *http.Client, p Profile) Check {
	c := Check{App: ID, URL: p.OpenIDConfigURL()}
	resp, body := get(ctx, client, &c)
	if resp == nil {
		c.Reason = "the sign-in service (IdP) is unreachable: " + c.Reason
		return c
	}
	if resp.StatusCode != http.StatusOK {
		c.Status, c.Reason = NotFound, fmt.Sprintf("%s answers, but has no realm %q (HTTP %d); check the IdP host and realm", p.Host(ID), p.RealmName(), resp.StatusCode)
		return c
	}
	var cfg struct {
		Issuer                string `json:"issuer"`
		AuthorizationEndpoint string `json:"authorization_endpoint"`
		TokenEndpoint         string `json:"token_endpoint"`
	}
	if err := json.Unmarshal(body, &cfg); err != nil || cfg.Issuer == "" || cfg.AuthorizationEndpoint == "" {
		c.Status, c.Reason = NotFound, fmt.Sprintf("%s answers, but not with an OpenID configuration", p.Host(ID))
		return c
	}
	c.Detail = cfg.Issuer
	if strings.TrimSuffix(cfg.Issuer, "/") != p.IssuerURL() {
		// Keycloak behind a proxy with a wrong hostname setting: sign-in
		// would redirect to an address the window does not allow.
		c.Status, c.Reason = NotFound, fmt.Sprintf("the IdP names itself %s instead of %s; tell your administrator (Keycloak hostname setting)", cfg.Issuer, p.IssuerURL())
		return c
	}
	c.Status, c.Reason = Found, fmt.Sprintf("sign-in service (realm %s) at %s", p.RealmName(), p.Host(ID))
	return c
}

// checkMatrix reads the Matrix client well-known from the bare domain (the
// bare domain may redirect to the portal, so this check follows redirects)
// and falls back to whether chat.<domain> answers.
func checkMatrix(ctx context.Context, noRedirect, client *http.Client, p Profile) Check {
	c := Check{App: Chat, URL: p.Origin(Bare) + "/.well-known/matrix/client"}
	resp, body := get(ctx, client, &c)
	if resp != nil && resp.StatusCode == http.StatusOK {
		var wk struct {
			Homeserver struct {
				BaseURL string `json:"base_url"`
			} `json:"m.homeserver"`
		}
		if json.Unmarshal(body, &wk) == nil && wk.Homeserver.BaseURL != "" {
			c.Status, c.Detail = Found, wk.Homeserver.BaseURL
			c.Reason = "chat homeserver " + wk.Homeserver.BaseURL
			return c
		}
	}
	wkWhy := c.Reason
	if resp != nil {
		wkWhy = fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	a := checkAnswers(ctx, noRedirect, Chat, p.AppURL(Chat))
	if a.OK() {
		a.Reason = fmt.Sprintf("%s; no Matrix well-known on %s (%s)", a.Reason, p.Host(Bare), wkWhy)
	}
	return a
}

func checkAnswers(ctx context.Context, client *http.Client, app App, url string) Check {
	c := Check{App: app, URL: url}
	resp, _ := get(ctx, client, &c)
	if resp == nil {
		return c
	}
	host := resp.Request.URL.Host
	if resp.StatusCode >= 500 {
		c.Status, c.Reason = NotFound, fmt.Sprintf("%s answers with a server error (HTTP %d)", host, resp.StatusCode)
		return c
	}
	if resp.StatusCode == http.StatusNotFound {
		c.Status, c.Reason = NotFound, fmt.Sprintf("%s answers, but has nothing at / (HTTP 404)", host)
		return c
	}
	c.Status, c.Reason = Answers, fmt.Sprintf("%s answers (HTTP %d)", host, resp.StatusCode)
	return c
}
