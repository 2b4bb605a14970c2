// Package notifypush is a client for Nextcloud's notify_push ("Client
// Push"): a WebSocket on which the server says "notify_file" when a file of
// the user changed, so that a sync client need not ask every minute.
//
// The endpoint is read from the OCS capabilities
// (notify_push.endpoints.websocket). The protocol: open the socket, send the
// user name and then the (app) password as two text frames, expect the text
// "authenticated" (or "err: ..."), then receive "notify_file",
// "notify_activity", "notify_notification" (and "notify_file_id [...]" for
// clients that opted in). The server pings every 30 s; a connection silent
// for much longer is taken for dead. Delivery is best effort (the server
// debounces and may drop messages), so callers still check on their own,
// rarely, and always once after a reconnect.
package notifypush

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Config says where and as whom to listen.
type Config struct {
	// ServerURL is the Nextcloud root, e.g. https://cloud.example.org (or
	// with a path prefix), without a trailing slash.
	ServerURL      string
	User, Password string
	// HTTPClient does the discovery and the WebSocket handshake; nil means
	// one with Go's defaults (TLS verified). Its redirects are not followed:
	// a push endpoint that redirects is refused rather than handed the password.
	HTTPClient *http.Client
	Logf       func(format string, args ...any)
	// MinBackoff and MaxBackoff bound the wait between reconnects
	// (default 2 s and 5 min, doubled per failure, with jitter so that a
	// restarted push server is not hit by every client at once).
	MinBackoff, MaxBackoff time.Duration
	// Quiet is how long the socket may carry nothing (notify_push pings
	// every 30 s) before the client pings, and after as long again without
	// an answer gives it up (default 60 s).
	Quiet time.Duration
}

// ErrNotOffered: the server has no notify_push (not installed, or not a
// Nextcloud). The caller polls.
var ErrNotOffered = errors.New("the server offers no push notifications (Nextcloud's notify_push app); checking for changes every minute instead")

// ErrInsecure: the server announced its push endpoint without TLS although
// the server itself uses TLS; the password is not sent there.
var ErrInsecure = errors.New("the server announces its push service without TLS (ws://) while it uses https itself; Deskport does not send the password over it and checks for changes every minute instead (the administrator should announce a wss:// address)")

// ErrRefused: the push server did not accept the login.
var ErrRefused = errors.New("the push server refused the login")

// Client keeps one push connection.
type Client struct {
	cfg Config
	hc  *http.Client
}

// New prepares a client; nothing is contacted until Listen.
func New(cfg Config) *Client {
	cfg.ServerURL = strings.TrimRight(cfg.ServerURL, "/")
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 2 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.Quiet <= 0 {
		cfg.Quiet = time.Minute
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		*hc = *cfg.HTTPClient
	}
	hc.Timeout = 0 // the dial has its own deadline; the socket lives for hours
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{cfg: cfg, hc: hc}
}

// ServerURLOf returns the Nextcloud root of a files URL like
// https://host/prefix/remote.php/dav/files/USER/, or "" when the URL is not
// a Nextcloud one (no /remote.php/).
func ServerURLOf(filesURL string) string {
	u, err := url.Parse(filesURL)
	if err != nil || u.Host == "" {
		return ""
	}
	p := u.EscapedPath()
	i := strings.Index(p, "/remote.php/")
	if i < 0 {
		return ""
	}
	return u.Scheme + "://" + u.Host + p[:i]
}

// Discover reads the WebSocket endpoint from the server's capabilities.
func (c *Client) Discover(ctx context.Context) (string, error) {
	u := c.cfg.ServerURL + "/ocs/v2.php/cloud/capabilities?format=json"
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return "", err
	}
	req.SetBasicAuth(c.cfg.User, c.cfg.Password)
	req.Header.Set("OCS-APIRequest", "true")
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return "", ErrNotOffered
	case resp.StatusCode == http.StatusUnauthorized:
		return "", fmt.Errorf("capabilities: %w (HTTP 401; sign in again)", ErrRefused)
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("capabilities: HTTP %d", resp.StatusCode)
	}
	var caps struct {
		OCS struct {
			Data struct {
				Capabilities struct {
					NotifyPush struct {
						Endpoints struct {
							WebSocket string `json:"websocket"`
						} `json:"endpoints"`
					} `json:"notify_push"`
				} `json:"capabilities"`
			} `json:"data"`
		} `json:"ocs"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&caps); err != nil {
		return "", ErrNotOffered // not an OCS answer: not a Nextcloud
	}
	ws := caps.OCS.Data.Capabilities.NotifyPush.Endpoints.WebSocket
	if ws == "" {
		return "", ErrNotOffered
	}
	return c.checkEndpoint(ws)
}

func (c *Client) checkEndpoint(ws string) (string, error) {
	e, err := url.Parse(ws)
	if err != nil || e.Host == "" || (e.Scheme != "ws" && e.Scheme != "wss") || e.User != nil {
		return "", fmt.Errorf("%w (the announced push address is not a ws:// or wss:// URL)", ErrNotOffered)
	}
	if e.Scheme == "ws" && strings.HasPrefix(c.cfg.ServerURL, "https:") {
		return "", ErrInsecure
	}
	return e.String(), nil
}

// Listen keeps a push connection until ctx ends: up(true) once it is
// authenticated, up(false) when it drops (then it reconnects with backoff),
// changed() for every "notify_file". It returns ctx's error, or
// ErrNotOffered / ErrInsecure when there is nothing to listen to (the
// caller then polls). up and changed are called from Listen's goroutine.
func (c *Client) Listen(ctx context.Context, up func(bool), changed func()) error {
	endpoint := ""
	failures := 0
	lostAt := time.Time{}
	for {
		var err error
		if endpoint == "" {
			endpoint, err = c.Discover(ctx)
			if errors.Is(err, ErrNotOffered) || errors.Is(err, ErrInsecure) {
				return err
			}
		}
		authed := false
		if err == nil {
			var began time.Time
			authed, began, err = c.session(ctx, endpoint, up, changed)
			if authed {
				up(false)
				if time.Since(began) > time.Minute {
					failures = 0 // it was up for a good while: a fresh outage
				}
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if authed || lostAt.IsZero() {
			lostAt = time.Now()
			c.cfg.Logf("push: %v; polling the server until it is back", c.redact(err))
		}
		if errors.Is(err, ErrRefused) {
			failures += 3 // wrong password: do not hammer the server with it
		}
		failures++
		if failures%5 == 0 {
			endpoint = "" // the address may have moved: read the capabilities again
		}
		wait := c.backoff(failures)
		if authed {
			// A socket that was up usually drops because the push server
			// restarted, for every client at once: spread the reconnects
			// (each costs the server a login check) over up to a minute;
			// polling covers the gap.
			wait = c.cfg.MinBackoff + rand.N(min(30*c.cfg.MinBackoff, c.cfg.MaxBackoff))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// backoff is MinBackoff·2^(n-1), at most MaxBackoff, drawn from its upper half.
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.MinBackoff
	for i := 1; i < n && d < c.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.cfg.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// redact keeps the password out of a message (an error may quote a frame).
func (c *Client) redact(err error) string {
	if err == nil {
		return "disconnected"
	}
	s := err.Error()
	if c.cfg.Password != "" {
		s = strings.ReplaceAll(s, c.cfg.Password, "***")
	}
	return s
}

// session dials, authenticates and reads until the connection ends.
func (c *Client) session(ctx context.Context, endpoint string, up func(bool), changed func()) (authed bool, began time.Time, err error) {
	var mu sync.Mutex
	last := time.Now()
	heard := func() {
		mu.Lock()
		last = time.Now()
		mu.Unlock()
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(dctx, endpoint, &websocket.DialOptions{
		HTTPClient:     c.hc,
		OnPingReceived: func(context.Context, []byte) bool { heard(); return true },
		OnPongReceived: func(context.Context, []byte) { heard() },
	})
	if err != nil {
		if resp != nil && resp.StatusCode >= 300 && resp.StatusCode < 400 {
			return false, began, fmt.Errorf("the push address %s redirects (HTTP %d); not followed", endpoint, resp.StatusCode)
		}
		return false, began, fmt.Errorf("cannot connect to the push service: %w", err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(64 << 10)
	for _, frame := range []string{c.cfg.User, c.cfg.Password} {
		if err := conn.Write(dctx, websocket.MessageText, []byte(frame)); err != nil {
			return false, began, fmt.Errorf("push login: %w", err)
		}
	}
	_, msg, err := conn.Read(dctx)
	if err != nil {
		return false, began, fmt.Errorf("push login: no answer: %w", err)
	}
	if reply := string(msg); reply != "authenticated" {
		if len(reply) > 200 {
			reply = reply[:200]
		}
		return false, began, fmt.Errorf("%w: %q", ErrRefused, reply)
	}
	cancel()
	began = time.Now()
	heard()
	up(true)
	c.cfg.Logf("push: connected to %s; no polling while it is up", endpoint)

	// Watchdog: a connection that went silent (a NAT dropped it, the
	// server hangs) is pinged, then closed.
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		t := time.NewTimer(c.cfg.Quiet)
		defer t.Stop()
		for {
			select {
			case <-rctx.Done():
				return
			case <-t.C:
			}
			mu.Lock()
			idle := time.Since(last)
			mu.Unlock()
			if idle < c.cfg.Quiet {
				t.Reset(c.cfg.Quiet - idle)
				continue
			}
			pctx, pcancel := context.WithTimeout(rctx, c.cfg.Quiet)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil {
				conn.CloseNow()
				return
			}
			t.Reset(c.cfg.Quiet)
		}
	}()
	for {
		typ, msg, err := conn.Read(rctx)
		if err != nil {
			if ctx.Err() != nil {
				return true, began, ctx.Err()
			}
			return true, began, fmt.Errorf("push connection lost: %w", err)
		}
		heard()
		if typ == websocket.MessageText {
			if s := string(msg); s == "notify_file" || strings.HasPrefix(s, "notify_file ") || strings.HasPrefix(s, "notify_file_id") {
				changed()
			}
		}
	}
}
