package nextcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrFlowExpired: nobody finished signing in on the login page in time.
var ErrFlowExpired = errors.New("the sign-in page was not completed in time; start signing in again")

// FlowLifetime is how long Nextcloud keeps a Login Flow v2 open.
const FlowLifetime = 20 * time.Minute

// Flow is a started Login Flow v2: show LoginURL to the user, then Poll.
type Flow struct {
	LoginURL     string `json:"login"`
	PollEndpoint string `json:"-"`
	pollToken    string
	Started      time.Time `json:"started"`
}

// Grant is what a finished flow yields: the app password belongs in the keyring.
type Grant struct {
	Server      string
	LoginName   string
	AppPassword string
}

// StartLoginFlow begins Login Flow v2 (POST /index.php/login/v2). The app
// password will be named after c.UserAgent in the user's security settings.
func (c *Client) StartLoginFlow(ctx context.Context) (*Flow, error) {
	resp, body, err := c.do(ctx, http.MethodPost, c.BaseURL+"/index.php/login/v2", nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s does not offer Login Flow v2 (HTTP %d); check the files address", ErrNotNextcloud, c.host(), resp.StatusCode)
	}
	var v struct {
		Poll struct {
			Token    string `json:"token"`
			Endpoint string `json:"endpoint"`
		} `json:"poll"`
		Login string `json:"login"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.Poll.Token == "" || v.Poll.Endpoint == "" || v.Login == "" {
		return nil, fmt.Errorf("%w: %s answered the sign-in request with something else", ErrNotNextcloud, c.host())
	}
	// The poll token is sent to the poll endpoint and the login page is
	// shown in the suite window: both must be this server.
	for _, u := range []string{v.Poll.Endpoint, v.Login} {
		if err := c.sameServer(u); err != nil {
			return nil, err
		}
	}
	return &Flow{LoginURL: v.Login, PollEndpoint: v.Poll.Endpoint, pollToken: v.Poll.Token, Started: time.Now()}, nil
}

func (c *Client) sameServer(raw string) error {
	u, err := url.Parse(raw)
	base, berr := url.Parse(c.BaseURL)
	if err != nil || berr != nil || !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
		return fmt.Errorf("nextcloud: the server at %s sent a sign-in address on another server (%s); tell your administrator to check Nextcloud's overwrite.cli.url / overwritehost settings", c.host(), raw)
	}
	return nil
}

// PollOptions tune Poll. The zero value polls after 1 s, backing off to 5 s.
type PollOptions struct {
	First, Max time.Duration
	// Progress, when set, is called after every unanswered poll with the
	// attempt number and the last transport error (nil when the server
	// simply said "not yet").
	Progress func(attempt int, lastErr error)
}

// Poll waits for the user to finish the login page. It returns ctx's error
// when canceled and ErrFlowExpired after FlowLifetime. Transport errors are
// retried (the network may blink while the user signs in).
func (c *Client) Poll(ctx context.Context, f *Flow, opt PollOptions) (Grant, error) {
	if opt.First <= 0 {
		opt.First = time.Second
	}
	if opt.Max < opt.First {
		opt.Max = 5 * time.Second
		if opt.Max < opt.First {
			opt.Max = opt.First
		}
	}
	deadline := f.Started.Add(FlowLifetime)
	wait := opt.First
	for attempt := 1; ; attempt++ {
		g, done, err := c.pollOnce(ctx, f)
		if done {
			return g, err
		}
		if ctx.Err() != nil {
			return Grant{}, ctx.Err()
		}
		if opt.Progress != nil {
			opt.Progress(attempt, err)
		}
		if time.Now().Add(wait).After(deadline) {
			return Grant{}, ErrFlowExpired
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return Grant{}, ctx.Err()
		case <-t.C:
		}
		wait = min(wait*3/2, opt.Max)
	}
}

// pollOnce reports done=true with a grant or a final error.
func (c *Client) pollOnce(ctx context.Context, f *Flow) (Grant, bool, error) {
	form := url.Values{"token": {f.pollToken}}.Encode()
	resp, body, err := c.do(ctx, http.MethodPost, f.PollEndpoint, strings.NewReader(form), nil,
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if err != nil {
		return Grant{}, false, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return Grant{}, false, nil
	default:
		return Grant{}, false, fmt.Errorf("nextcloud: polling the sign-in answered HTTP %d", resp.StatusCode)
	}
	var g struct {
		Server      string `json:"server"`
		LoginName   string `json:"loginName"`
		AppPassword string `json:"appPassword"`
	}
	if err := json.Unmarshal(body, &g); err != nil || g.LoginName == "" || g.AppPassword == "" {
		return Grant{}, true, fmt.Errorf("%w: the sign-in finished with an unreadable answer from %s", ErrNotNextcloud, c.host())
	}
	return Grant{Server: g.Server, LoginName: g.LoginName, AppPassword: g.AppPassword}, true, nil
}
