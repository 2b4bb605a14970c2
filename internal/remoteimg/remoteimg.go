// Package remoteimg loads the remote images of a mail once the user allowed
// them, and hands them to the sanitizer as data: URLs: the reader frame then
// never talks to the network itself (its CSP forbids it), no cookies are
// sent, and only real images of bounded size come back.
//
// A mail must not make Deskport reach the user's own networks (the office
// LAN, the router, a cloud metadata service), so every connection is checked
// at the moment it is made: the dialer's Control hook sees the address the
// socket is about to connect to, after DNS, and refuses every address in the
// IANA special-purpose registries (special.go). Checking a name's addresses
// first and dialing afterwards is not enough: the dial resolves again, and a
// DNS server that answers a public address first and 127.0.0.1 next
// (rebinding) would get through.
//
// With a proxy (the admin's or the system's), the connection Deskport makes
// is to the proxy, which the admin chose and which may well sit on a private
// address: that dial is allowed, and only that one (the exact host:port the
// proxy setting names). The proxy then resolves and connects on its own, out
// of Deskport's sight, so the image's host is checked before the request is
// handed over: an IP literal must be public, and a name must resolve here,
// only to public addresses (a name that does not resolve here is refused, as
// before). The proxy could still get another answer from its own DNS; what a
// proxy may reach is the proxy's policy, which only the admin can set.
// Requests the proxy settings exempt (NO_PROXY, loopback) are dialed
// directly, under the Control check.
package remoteimg

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/deskport/deskport/internal/netx"
)

// Fetcher loads images for one message. Not for reuse across messages: it
// counts what it loaded and spends one time budget.
type Fetcher struct {
	// Transport gives the proxy and TLS settings (netx.NewTransport); it is
	// cloned, and its dialer replaced by the checking one. nil: a clone of
	// http.DefaultTransport.
	Transport *http.Transport
	UserAgent string
	MaxBytes  int64 // per image (default 5 MiB)
	MaxImages int   // per message (default 50)
	Timeout   time.Duration
	// Budget bounds the time all images of the message take together,
	// counted from the first Fetch (default 15 s): a mail with fifty
	// stalling images must not hold the reader for minutes.
	Budget time.Duration
	// AllowPrivate lets images come from loopback and private networks
	// (tests only): a mail must not make Deskport probe the office LAN.
	AllowPrivate bool
	// Resolver resolves image hosts, for the dial and for the check before
	// a proxied request (nil: the system's).
	Resolver *net.Resolver

	mu       sync.Mutex
	loaded   int
	cache    map[string]string
	deadline time.Time
	client   *http.Client
	proxy    func(*http.Request) (*url.URL, error)
	proxies  map[string]bool // host:port of the proxies this fetcher may dial unchecked
}

// New returns a fetcher that uses the proxy and CA settings the app
// configured in netx.
func New() (*Fetcher, error) {
	o := netx.Current()
	tr, err := netx.NewTransport(o)
	if err != nil {
		return nil, err
	}
	ua := o.UserAgent
	if ua == "" {
		ua = "Deskport"
	}
	return &Fetcher{Transport: tr, UserAgent: ua}, nil
}

var allowedTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true, "image/x-icon": true, "image/vnd.microsoft.icon": true, "image/avif": true}

// ErrBlockedAddress is wrapped by the errors of images refused because of
// where they are.
var ErrBlockedAddress = errors.New("remoteimg: not a public Internet address")

// ErrBudget is returned for images not loaded because the message's time
// budget was spent.
var ErrBudget = errors.New("remoteimg: the time for this message's images is spent")

// Fetch returns the image at u as a data: URL, or "" when it cannot or may
// not be loaded (the sanitizer then keeps the placeholder).
func (f *Fetcher) Fetch(u string) string {
	d, _ := f.FetchErr(u)
	return d
}

// FetchErr is Fetch with the reason an image was not loaded.
func (f *Fetcher) FetchErr(u string) (string, error) {
	f.mu.Lock()
	f.init()
	if d, ok := f.cache[u]; ok {
		f.mu.Unlock()
		return d, nil
	}
	max := f.MaxImages
	if max == 0 {
		max = 50
	}
	if f.loaded >= max {
		f.mu.Unlock()
		return "", fmt.Errorf("remoteimg: more than %d images in one message", max)
	}
	if f.deadline.IsZero() {
		budget := f.Budget
		if budget == 0 {
			budget = 15 * time.Second
		}
		f.deadline = time.Now().Add(budget)
	}
	deadline := f.deadline
	f.loaded++
	f.mu.Unlock()
	if !time.Now().Before(deadline) {
		return "", ErrBudget
	}
	d, err := f.fetch(u, deadline)
	f.mu.Lock()
	f.cache[u] = d
	f.mu.Unlock()
	return d, err
}

// Close lets go of the connections kept for this message's images.
func (f *Fetcher) Close() {
	f.mu.Lock()
	c := f.client
	f.mu.Unlock()
	if c != nil {
		c.CloseIdleConnections()
	}
}

// init builds the client on first use; f.mu is held.
func (f *Fetcher) init() {
	if f.client != nil {
		return
	}
	f.cache = map[string]string{}
	f.proxies = map[string]bool{}
	var tr *http.Transport
	if f.Transport != nil {
		tr = f.Transport.Clone()
	} else {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	base := tr.Proxy
	f.proxy = func(r *http.Request) (*url.URL, error) {
		if base == nil {
			return nil, nil
		}
		return base(r)
	}
	tr.Proxy = func(r *http.Request) (*url.URL, error) {
		u, err := f.proxy(r)
		if u != nil {
			f.mu.Lock()
			f.proxies[proxyAddr(u)] = true
			f.mu.Unlock()
		}
		return u, err
	}
	tr.DialContext = f.dial
	tr.DialTLSContext = nil
	tr.IdleConnTimeout = 10 * time.Second
	// Image hosts are not the suite: no cookies, and no redirects to
	// somewhere else (the final host would be checked by the dial, but a
	// redirect is also a way to make one image cost several requests).
	f.client = &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// dial connects to addr; unless addr is the proxy, the socket is refused
// before it connects when the address it is about to reach is special.
func (f *Fetcher) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second, Resolver: f.Resolver}
	f.mu.Lock()
	isProxy := f.proxies[addr]
	f.mu.Unlock()
	if !isProxy && !f.AllowPrivate {
		d.Control = controlPublic
	}
	return d.DialContext(ctx, network, addr)
}

// controlPublic runs after DNS, before connect, once for every address the
// dialer tries.
func controlPublic(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read the address %q", ErrBlockedAddress, address)
	}
	if why := Blocked(ap.Addr()); why != "" {
		return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, ap.Addr(), why)
	}
	return nil
}

func (f *Fetcher) fetch(raw string, deadline time.Time) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("remoteimg: %q is not an http(s) image URL", raw)
	}
	timeout := f.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ctx, cancelBudget := context.WithDeadline(ctx, deadline)
	defer cancelBudget()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "image/*")
	if f.UserAgent != "" {
		req.Header.Set("User-Agent", f.UserAgent)
	}
	if err := f.checkRoute(ctx, req); err != nil {
		return "", err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() != nil && time.Now().After(deadline) {
			return "", fmt.Errorf("%w (%s)", ErrBudget, raw)
		}
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("remoteimg: %s answered %s", u.Host, resp.Status)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	ct = strings.ToLower(ct)
	if !allowedTypes[ct] {
		return "", fmt.Errorf("remoteimg: %s is %q, not an image", raw, ct)
	}
	limit := f.MaxBytes
	if limit == 0 {
		limit = 5 << 20
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return "", err
	}
	if int64(len(data)) > limit {
		return "", fmt.Errorf("remoteimg: %s is larger than %d bytes", raw, limit)
	}
	return "data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(data), nil
}

// checkRoute decides what can be checked before the request goes out. A
// direct request needs nothing here: the dial checks the address it
// connects to. A proxied one is resolved by the proxy, so its host is
// checked here as well as can be done from this side.
func (f *Fetcher) checkRoute(ctx context.Context, req *http.Request) error {
	if f.AllowPrivate {
		return nil
	}
	proxyURL, err := f.proxy(req)
	if err != nil {
		return err
	}
	target := targetAddr(req.URL)
	if proxyURL == nil {
		f.mu.Lock()
		isProxy := f.proxies[target]
		f.mu.Unlock()
		if isProxy {
			// The dial exemption is for the proxy's own connections, not
			// for an image that names the proxy.
			return fmt.Errorf("%w: %s is the proxy", ErrBlockedAddress, target)
		}
		return nil
	}
	host := req.URL.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if why := Blocked(a); why != "" {
			return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, a, why)
		}
		return nil
	}
	r := f.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("%w: %s does not resolve here, so where the proxy would go cannot be checked: %v", ErrBlockedAddress, host, err)
	}
	for _, a := range addrs {
		if why := Blocked(a.Unmap()); why != "" {
			return fmt.Errorf("%w: %s resolves to %s, %s", ErrBlockedAddress, host, a, why)
		}
	}
	return nil
}

var defaultPorts = map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}

// proxyAddr is the host:port net/http dials for a proxy URL.
func proxyAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = defaultPorts[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}

func targetAddr(u *url.URL) string { return proxyAddr(u) }
