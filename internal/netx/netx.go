// Package netx builds the one HTTP transport every Go-side client of Deskport
// uses: the system proxy (environment on Linux, the system setting on
// Windows) or the admin's proxy, system CAs plus the admin's CA bundle, TLS
// verified always, sane timeouts and a User-Agent.
package netx

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Options come from the merged config (admin defaults and user settings).
type Options struct {
	Proxy     string // "http://proxy:3128"; empty = the system's
	CABundle  string // path of a PEM file with extra CA certificates
	UserAgent string // "Deskport/0.1.0"
}

// TLSConfig returns a verifying TLS config with the system roots plus the
// admin's bundle. IMAP and SMTP use it too.
func TLSConfig(o Options) (*tls.Config, error) {
	if o.CABundle == "" {
		// nil RootCAs: the system's roots, loaded at the first handshake (on
		// Windows and macOS the platform verifier), not at every start: reading
		// ~150 certificates up front cost ~30 ms of CPU per command.
		return &tls.Config{MinVersion: tls.VersionTLS12}, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if o.CABundle != "" {
		pem, err := os.ReadFile(o.CABundle)
		if err != nil {
			return nil, fmt.Errorf("netx: the CA bundle %s set by your administrator cannot be read: %w", o.CABundle, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("netx: the CA bundle %s holds no PEM certificate: ask your administrator to fix caBundle", o.CABundle)
		}
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

// ProxyFunc picks the proxy: the configured one (with the environment's
// NO_PROXY still honoured), else the system's.
func ProxyFunc(o Options) (func(*http.Request) (*url.URL, error), error) {
	cfg := systemProxy()
	if o.Proxy != "" {
		u, err := url.Parse(o.Proxy)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5") {
			return nil, fmt.Errorf("netx: proxy %q is not a URL like http://proxy.example.org:3128: correct the \"proxy\" setting", o.Proxy)
		}
		cfg.HTTPProxy, cfg.HTTPSProxy = o.Proxy, o.Proxy
	}
	pf := cfg.ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return pf(r.URL) }, nil
}

// NewTransport builds a transport from o.
func NewTransport(o Options) (*http.Transport, error) {
	tc, err := TLSConfig(o)
	if err != nil {
		return nil, err
	}
	proxy, err := ProxyFunc(o)
	if err != nil {
		return nil, err
	}
	d := &net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 proxy,
		DialContext:           d.DialContext,
		TLSClientConfig:       tc,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   16,
		ForceAttemptHTTP2:     true,
	}, nil
}

type uaTransport struct {
	next http.RoundTripper
	ua   string
}

func (t uaTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", t.ua)
	}
	return t.next.RoundTrip(r)
}

// NewClient builds an *http.Client from o. It has no overall timeout (large
// transfers); callers bound requests with their context.
func NewClient(o Options) (*http.Client, error) {
	tr, err := NewTransport(o)
	if err != nil {
		return nil, err
	}
	ua := o.UserAgent
	if ua == "" {
		ua = "Deskport"
	}
	return &http.Client{Transport: uaTransport{tr, ua}}, nil
}

var (
	mu      sync.Mutex
	shared  *http.Client
	current Options
)

// Configure sets the shared client every engine gets from Client.
func Configure(o Options) error {
	c, err := NewClient(o)
	if err != nil {
		return err
	}
	mu.Lock()
	shared = c
	current = o
	mu.Unlock()
	return nil
}

// Current returns the options of the last Configure (zero before it), for
// clients that build their own transport with the same proxy and CAs
// (remoteimg checks every address it connects to).
func Current() Options {
	mu.Lock()
	defer mu.Unlock()
	return current
}

// Client is the shared client; before Configure, one with the system's
// proxy and CAs.
func Client() *http.Client {
	mu.Lock()
	defer mu.Unlock()
	if shared == nil {
		shared, _ = NewClient(Options{})
	}
	return shared
}

// envProxy is the proxy from the environment (Linux and the fallback).
func envProxy() *httpproxy.Config { return httpproxy.FromEnvironment() }

// ParseWindowsProxy turns the Internet Settings values ProxyEnable,
// ProxyServer ("host:port" or "http=h:p;https=h:p") and ProxyOverride
// ("*.local;<local>") into a proxy config.
func ParseWindowsProxy(enabled bool, server, override string) *httpproxy.Config {
	cfg := &httpproxy.Config{}
	if !enabled || strings.TrimSpace(server) == "" {
		return cfg
	}
	norm := func(s string) string {
		s = strings.TrimSpace(s)
		if s != "" && !strings.Contains(s, "://") {
			s = "http://" + s
		}
		return s
	}
	if !strings.Contains(server, "=") {
		cfg.HTTPProxy, cfg.HTTPSProxy = norm(server), norm(server)
	} else {
		for _, part := range strings.Split(server, ";") {
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "http":
				cfg.HTTPProxy = norm(v)
			case "https":
				cfg.HTTPSProxy = norm(v)
			}
		}
	}
	var no []string
	for _, p := range strings.Split(override, ";") {
		p = strings.TrimSpace(p)
		switch {
		case p == "":
		case p == "<local>":
			no = append(no, "localhost", "127.0.0.1", "::1")
		default:
			no = append(no, strings.TrimPrefix(p, "*"))
		}
	}
	cfg.NoProxy = strings.Join(no, ",")
	return cfg
}
