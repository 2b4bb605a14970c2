// Package remoteimg loads the remote images of a mail once the user allowed
// them, and hands them to the sanitizer as data: URLs: the reader frame then
// never talks to the network itself (its CSP forbids it), no cookies are
// sent, and only real images of bounded size come back.
package remoteimg

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Fetcher loads images for one message. Not for reuse across messages: it
// counts what it loaded.
type Fetcher struct {
	Client    *http.Client // no cookie jar; the shared netx client fits
	MaxBytes  int64        // per image (default 5 MiB)
	MaxImages int          // per message (default 50)
	Timeout   time.Duration
	// AllowPrivate lets images come from loopback and private networks
	// (tests only): a mail must not make Deskport probe the office LAN.
	AllowPrivate bool
	Resolver     *net.Resolver

	mu     sync.Mutex
	loaded int
	cache  map[string]string
}

var allowedTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true, "image/x-icon": true, "image/vnd.microsoft.icon": true, "image/avif": true}

// Fetch returns the image at u as a data: URL, or "" when it cannot or may
// not be loaded (the sanitizer then keeps the placeholder).
func (f *Fetcher) Fetch(u string) string {
	f.mu.Lock()
	if f.cache == nil {
		f.cache = map[string]string{}
	}
	if d, ok := f.cache[u]; ok {
		f.mu.Unlock()
		return d
	}
	max := f.MaxImages
	if max == 0 {
		max = 50
	}
	if f.loaded >= max {
		f.mu.Unlock()
		return ""
	}
	f.loaded++
	f.mu.Unlock()
	d, _ := f.fetch(u)
	f.mu.Lock()
	f.cache[u] = d
	f.mu.Unlock()
	return d
}

func (f *Fetcher) fetch(raw string) (string, error) {
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
	if !f.AllowPrivate {
		if err := f.checkPublic(ctx, u.Hostname()); err != nil {
			return "", err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "image/*")
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	// No redirects to somewhere the check above did not see.
	c := *client
	c.Jar = nil
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
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

// checkPublic refuses hosts that resolve to loopback, private, link-local or
// unspecified addresses. (A DNS answer that changes between this check and
// the dial could still slip through; the request is a bare image GET.)
func (f *Fetcher) checkPublic(ctx context.Context, host string) error {
	r := f.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupIPAddr(ctx, host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !Public(ip.IP) {
			return fmt.Errorf("remoteimg: %s resolves to %s, a local address", host, ip.IP)
		}
	}
	return nil
}

// Public reports whether ip is a globally routable address.
func Public(ip net.IP) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast())
}
