package webdav

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Credentials returns the user and password for a request; it is called for
// every request, so a changed app password is picked up without a new Client.
type Credentials func(ctx context.Context) (user, password string, err error)

// Options configure a Client.
type Options struct {
	// HTTPClient does the requests; nil means a client with keep-alive sized for
	// parallel transfers and default (verified) TLS.
	HTTPClient *http.Client
	// FilesURL is the collection holding the user's files, e.g.
	// https://cloud.example.org/remote.php/dav/files/alice/ (Nextcloud) or any WebDAV folder URL.
	FilesURL string
	// User and Password for Basic auth, unless Credentials is set.
	User, Password string
	Credentials    Credentials
	UserAgent      string
	// MaxRetries for idempotent requests on 5xx and network errors (default 3; -1 = none).
	MaxRetries int
	// RetryBase is the first backoff delay, doubled each retry (default 300ms).
	RetryBase time.Duration
	// StallTimeout aborts a transfer when no body bytes move for this long
	// while sending or receiving (default DefaultStallTimeout; -1 = never);
	// the request then fails with ErrStalled and is not retried. After a PUT
	// body the answer must begin within it too (a server that stopped
	// reading leaves the last bytes in the socket buffers, so the body looks
	// sent); other answers (e.g. while it assembles chunks) may take longer.
	StallTimeout time.Duration
}

// DefaultStallTimeout is how long a transfer may make no progress.
const DefaultStallTimeout = time.Minute

// Client talks to one WebDAV files collection.
type Client struct {
	hc        *http.Client
	files     *url.URL // ends with "/"
	baseSegs  []string // decoded path names of files
	serverURL string   // Nextcloud root (scheme://host[/prefix]) without trailing slash
	uploadURL string   // .../remote.php/dav/uploads/<user>/ or "" when unknown
	bulkURL   string
	user      string
	pass      string
	creds     Credentials
	ua        string
	retries   int
	retryBase time.Duration
	stall     time.Duration
	requests  atomic.Int64
	up, down  atomic.Pointer[Limiter]
}

// New checks the options and returns a Client. It does not contact the server.
func New(o Options) (*Client, error) {
	u, err := url.Parse(o.FilesURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webdav: files URL %q is not an http(s) URL: give the full address, e.g. https://cloud.example.org/remote.php/dav/files/USER/", o.FilesURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("webdav: files URL must not contain credentials: pass them as user and password")
	}
	u.RawQuery, u.Fragment = "", ""
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	c := &Client{hc: o.HTTPClient, files: u, user: o.User, pass: o.Password, creds: o.Credentials,
		ua: o.UserAgent, retries: o.MaxRetries, retryBase: o.RetryBase}
	if c.hc == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 32
		c.hc = &http.Client{Transport: t}
	} else {
		hc := *c.hc
		c.hc = &hc
	}
	// Redirects are handled in do: following them blindly would turn a PROPFIND
	// into a GET and could send the credentials to another host.
	c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.ua == "" {
		c.ua = "Deskport"
	}
	if c.retries == 0 {
		c.retries = 3
	} else if c.retries < 0 {
		c.retries = 0
	}
	if c.retryBase <= 0 {
		c.retryBase = 300 * time.Millisecond
	}
	switch {
	case o.StallTimeout == 0:
		c.stall = DefaultStallTimeout
	case o.StallTimeout > 0:
		c.stall = o.StallTimeout
	}
	for _, s := range pathSegs(u.Path) {
		c.baseSegs = append(c.baseSegs, s)
	}
	// Nextcloud layout: <root>/remote.php/dav/files/<user>/ or <root>/remote.php/webdav/
	root := u.Scheme + "://" + u.Host
	p := u.EscapedPath()
	if i := strings.Index(p, "/remote.php/"); i >= 0 {
		c.serverURL = root + p[:i]
		davUser := ""
		if rest, ok := strings.CutPrefix(p[i:], "/remote.php/dav/files/"); ok {
			davUser = strings.Trim(rest, "/")
		} else if o.User != "" {
			davUser = escapeName(o.User)
		}
		if davUser != "" && !strings.Contains(davUser, "/") {
			c.uploadURL = c.serverURL + "/remote.php/dav/uploads/" + davUser + "/"
		}
		c.bulkURL = c.serverURL + "/remote.php/dav/bulk"
	} else {
		c.serverURL = root + strings.TrimSuffix(p, "/")
	}
	return c, nil
}

// FilesURL is the files collection URL (ends with "/").
func (c *Client) FilesURL() string { return c.files.String() }

// URL is the escaped URL of a path relative to the files root.
func (c *Client) URL(p string) (string, error) {
	segs, err := splitRel(p)
	if err != nil {
		return "", err
	}
	return c.files.String() + escapeSegs(segs), nil
}

// Requests is the number of HTTP requests sent so far (retries included).
func (c *Client) Requests() int64 { return c.requests.Load() }

// SetUploadLimiter limits the bytes/s of request bodies (nil: no limit).
func (c *Client) SetUploadLimiter(l *Limiter) { c.up.Store(l) }

// SetDownloadLimiter limits the bytes/s of downloads (nil: no limit).
func (c *Client) SetDownloadLimiter(l *Limiter) { c.down.Store(l) }

// request describes one logical request; do may send it several times.
type request struct {
	method string
	url    string
	path   string // for errors
	header http.Header
	// body returns a fresh body for each attempt (nil: no body).
	body func() (io.Reader, int64, error)
	// retry: safe to resend after a 5xx or a network error.
	retry bool
}

// do sends r and returns the response for any HTTP status; the caller closes it.
func (c *Client) do(ctx context.Context, r request) (*http.Response, error) {
	var lastErr error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			d := c.retryBase << (attempt - 1)
			if ra, ok := lastErr.(*retryAfter); ok && ra.d > d {
				d = ra.d
			}
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
		}
		resp, err := c.send(ctx, r)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			var lre *LocalReadError
			if errors.Is(err, ErrStalled) {
				return nil, err // a hung server would hang each attempt as long
			}
			if attempt < c.retries && (r.retry || notSent(err)) && !errors.As(err, &lre) {
				lastErr = err
				continue
			}
			return nil, err
		}
		if isRedirect(resp.StatusCode) {
			loc := resp.Header.Get("Location")
			drain(resp)
			if slashed, ok := slashRedirect(r.url, loc); ok {
				// mod_dir's "add a slash" redirect for a folder: resend to the folder URL
				r.url = slashed
				attempt--
				continue
			}
			return nil, &StatusError{Method: r.method, Path: r.path, Status: resp.StatusCode,
				Message: "the server redirected to " + redact(loc) + ": check the server address (use the final address)"}
		}
		if r.retry && attempt < c.retries && retryable(resp.StatusCode) {
			lastErr = &retryAfter{d: parseRetryAfter(resp.Header.Get("Retry-After"))}
			drain(resp)
			continue
		}
		return resp, nil
	}
}

type retryAfter struct{ d time.Duration }

func (r *retryAfter) Error() string { return "retry after " + r.d.String() }

func parseRetryAfter(v string) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return min(time.Duration(n)*time.Second, 30*time.Second)
	}
	return 0
}

func isRedirect(status int) bool {
	return status == http.StatusMovedPermanently || status == http.StatusFound ||
		status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect
}

// slashRedirect accepts only a redirect to the same URL with a trailing slash.
func slashRedirect(from, loc string) (string, bool) {
	if strings.HasSuffix(from, "/") || loc == "" {
		return "", false
	}
	base, err := url.Parse(from)
	if err != nil {
		return "", false
	}
	to, err := base.Parse(loc)
	if err != nil {
		return "", false
	}
	if to.Scheme != base.Scheme || to.Host != base.Host || to.EscapedPath() != base.EscapedPath()+"/" {
		return "", false
	}
	return from + "/", true
}

func retryable(status int) bool {
	return status == http.StatusInternalServerError || status == http.StatusBadGateway ||
		status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout ||
		status == http.StatusTooManyRequests
}

// notSent reports errors where the server cannot have seen the request.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) send(parent context.Context, r request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(parent)
	wd := &watchdog{d: c.stall, cancel: cancel}
	resp, err := c.sendWatched(ctx, parent, r, wd)
	if err != nil {
		cancel()
		wd.stop()
		if wd.fired.Load() && parent.Err() == nil {
			return nil, &NetError{Method: r.method, URL: redact(r.url), Err: errStalled(c.stall)}
		}
		return nil, err
	}
	wd.kick() // the body is expected now
	resp.Body = &watchedBody{rc: resp.Body, wd: wd, cancel: cancel, stall: c.stall}
	return resp, nil
}

func errStalled(d time.Duration) error {
	return fmt.Errorf("%w: no data moved for %s", ErrStalled, d)
}

func (c *Client) sendWatched(ctx, parent context.Context, r request, wd *watchdog) (*http.Response, error) {
	var body io.Reader
	var size int64
	var tracked *trackingReader
	if r.body != nil {
		b, n, err := r.body()
		if err != nil {
			return nil, err
		}
		body, size = b, n
		if l := c.up.Load(); l != nil && body != nil {
			body = l.Reader(ctx, body)
		}
		if body != nil {
			tracked = &trackingReader{r: body, wd: wd, left: size, answerLimited: r.method == http.MethodPut}
			body = tracked
			wd.kick()
		}
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, fmt.Errorf("webdav %s %q: %w", r.method, r.path, err)
	}
	if r.body != nil {
		req.ContentLength = size
		if size == 0 {
			req.Body = http.NoBody
		}
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.ua)
	user, pass := c.user, c.pass
	if c.creds != nil {
		if user, pass, err = c.creds(ctx); err != nil {
			return nil, fmt.Errorf("webdav: credentials: %w", err)
		}
	}
	if user != "" || pass != "" {
		req.SetBasicAuth(user, pass)
	}
	c.requests.Add(1)
	resp, err := c.hc.Do(req)
	if err != nil {
		if parent.Err() != nil {
			return nil, parent.Err()
		}
		if lerr := tracked.failedOrNil(); lerr != nil {
			return nil, &LocalReadError{Path: r.path, Err: lerr}
		}
		return nil, &NetError{Method: r.method, URL: redact(r.url), Err: unwrapURLError(err)}
	}
	return resp, nil
}

// trackingReader remembers a failure of the local data source, so that it is
// not mistaken for (and retried as) a network error.
type trackingReader struct {
	r             io.Reader
	wd            *watchdog
	left          int64
	answerLimited bool // the answer must begin within the stall time after the body
	mu            sync.Mutex
	err           error
}

func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.left -= int64(n)
	if (err == nil && t.left > 0) || t.answerLimited {
		t.wd.kick()
	} else {
		t.wd.stop() // body sent: the server may now take its time to answer
	}
	if err != nil && err != io.EOF {
		t.mu.Lock()
		if t.err == nil {
			t.err = err
		}
		t.mu.Unlock()
	}
	return n, err
}

func (t *trackingReader) failedOrNil() error {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// watchdog cancels a request when its body stops moving.
type watchdog struct {
	d      time.Duration // 0: never
	cancel context.CancelFunc
	mu     sync.Mutex
	t      *time.Timer
	fired  atomic.Bool
}

func (w *watchdog) kick() {
	if w.d <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.t == nil {
		w.t = time.AfterFunc(w.d, func() { w.fired.Store(true); w.cancel() })
	} else {
		w.t.Reset(w.d)
	}
}

func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.t != nil {
		w.t.Stop()
	}
}

// watchedBody keeps the watchdog fed while the answer streams in and releases
// the request's context when closed.
type watchedBody struct {
	rc     io.ReadCloser
	wd     *watchdog
	cancel context.CancelFunc
	stall  time.Duration
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err == nil {
		b.wd.kick()
	} else {
		b.wd.stop()
		if err != io.EOF && b.wd.fired.Load() {
			err = errStalled(b.stall)
		}
	}
	return n, err
}

func (b *watchedBody) Close() error {
	b.wd.stop()
	err := b.rc.Close()
	b.cancel()
	return err
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		u.User = nil
		return u.String()
	}
	return s
}

// drain reads a little of the body so the connection can be reused, then closes it.
func drain(resp *http.Response) {
	io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
}

// statusError builds the error for a failed response and closes its body.
func statusError(resp *http.Response, method, path string) error {
	msg := ""
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
	drain(resp)
	msg = serverMessage(b)
	return &StatusError{Method: method, Path: path, Status: resp.StatusCode, Message: msg, Kind: kindOf(resp.StatusCode)}
}

// serverMessage extracts Sabre's <s:message> (or a short plain-text body).
func serverMessage(b []byte) string {
	s := string(b)
	if i := strings.Index(s, ":message>"); i >= 0 {
		s = s[i+len(":message>"):]
		if j := strings.Index(s, "</"); j >= 0 {
			return strings.TrimSpace(s[:j])
		}
	}
	s = strings.TrimSpace(s)
	if len(s) > 200 || strings.ContainsAny(s, "<{") {
		return ""
	}
	return s
}
