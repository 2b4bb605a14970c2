package remoteimg

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var png = []byte("\x89PNG\r\n\x1a\n-fake-image-bytes")

func server(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Cookie") != "" {
			t.Errorf("cookie sent: %s", r.Header.Get("Cookie"))
		}
		switch r.URL.Path {
		case "/logo.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		case "/page.html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<script>alert(1)</script>"))
		case "/big.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(make([]byte, 2048))
		case "/redirect.png":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data", http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestFetchReturnsOnlyBoundedImages(t *testing.T) {
	srv, hits := server(t)
	f := &Fetcher{AllowPrivate: true, MaxBytes: 1024, UserAgent: "Deskport/test"}
	if d := f.Fetch(srv.URL + "/logo.png"); d != "data:image/png;base64,iVBORw0KGgotZmFrZS1pbWFnZS1ieXRlcw==" {
		t.Fatalf("logo: %q", d)
	}
	f.Fetch(srv.URL + "/logo.png")
	if hits.Load() != 1 {
		t.Fatalf("same image fetched %d times", hits.Load())
	}
	for _, p := range []string{"/page.html", "/big.png", "/redirect.png", "/missing.png"} {
		if d := f.Fetch(srv.URL + p); d != "" {
			t.Errorf("%s gave %q, want nothing", p, d[:min(len(d), 40)])
		}
	}
	if d := f.Fetch("javascript:alert(1)"); d != "" {
		t.Error("javascript: fetched")
	}
}

func TestLocalAddressesAreRefused(t *testing.T) {
	srv, hits := server(t)
	f := &Fetcher{}
	u, _ := url.Parse(srv.URL)
	for _, host := range []string{u.Host, "localhost:" + u.Port(), "[::ffff:127.0.0.1]:" + u.Port(), "0.0.0.0:" + u.Port()} {
		d, err := f.FetchErr("http://" + host + "/logo.png")
		if d != "" || !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: %q, %v; want refused as a local address", host, d, err)
		}
	}
	if d, _ := f.FetchErr("http://127.1:" + u.Port() + "/logo.png"); d != "" {
		t.Error("127.1 (a short form of 127.0.0.1 some resolvers accept) loaded")
	}
	if hits.Load() != 0 {
		t.Fatalf("a mail made Deskport fetch from loopback: %d requests", hits.Load())
	}
}

func TestImagesPerMessageAreCapped(t *testing.T) {
	srv, hits := server(t)
	f := &Fetcher{AllowPrivate: true, MaxImages: 3}
	n := 0
	for i := 0; i < 10; i++ {
		if f.Fetch(srv.URL+"/logo.png?"+strings.Repeat("x", i)) != "" {
			n++
		}
	}
	if n != 3 || hits.Load() != 3 {
		t.Fatalf("loaded %d images with %d requests, want 3", n, hits.Load())
	}
}

// A DNS server that answers a public address to the first question and
// loopback to every later one (DNS rebinding): a check of the name followed
// by a dial that resolves again would connect to the loopback server. The
// loopback server must see no request at all.
func TestDNSRebindingNeverReachesLoopback(t *testing.T) {
	srv, hits := server(t)
	u, _ := url.Parse(srv.URL)
	public := netip.MustParseAddr("192.0.1.1") // public, and nothing answers there in a test
	resolver := startDNS(t, func(name string, aaaa bool, n int) []netip.Addr {
		if name != "images.rebind.test" {
			return nil
		}
		switch {
		case n == 1 && !aaaa:
			return []netip.Addr{public}
		case n == 1:
			return []netip.Addr{}
		case aaaa:
			return []netip.Addr{netip.MustParseAddr("::1")}
		default:
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}
		}
	})
	f := &Fetcher{Resolver: resolver, Timeout: 2 * time.Second, Budget: 20 * time.Second}
	for i := range 4 {
		d, err := f.FetchErr("http://images.rebind.test:" + u.Port() + "/logo.png?" + strings.Repeat("x", i))
		if d != "" {
			t.Fatalf("fetch %d loaded an image", i)
		}
		if i > 0 && !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("fetch %d: %v, want a refused loopback address", i, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("the rebinding name reached the loopback server: %d requests", hits.Load())
	}
}

// One slow image server must not hold the reader for images × timeout: all
// images of a message share one budget.
func TestOneTimeBudgetForAllImagesOfAMessage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int64
	var mu sync.Mutex
	var conns []net.Conn
	defer func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			// Reads the request, never answers.
			go io.Copy(io.Discard, c)
		}
	}()
	f := &Fetcher{AllowPrivate: true, Timeout: time.Second, Budget: 1500 * time.Millisecond}
	start := time.Now()
	var budgetErrs int
	for i := range 10 {
		d, err := f.FetchErr("http://" + ln.Addr().String() + "/stall.png?" + strings.Repeat("x", i))
		if d != "" {
			t.Fatal("a stalled server gave an image")
		}
		if errors.Is(err, ErrBudget) {
			budgetErrs++
		}
	}
	took := time.Since(start)
	t.Logf("10 stalling images took %v (%d stopped by the budget, %d connections)", took, budgetErrs, accepted.Load())
	if took > 3*time.Second {
		t.Fatalf("10 stalling images took %v, want about the 1.5 s budget", took)
	}
	if budgetErrs < 8 {
		t.Fatalf("only %d images were stopped by the budget", budgetErrs)
	}
}

// With a proxy the connection goes to the proxy (here on loopback, as an
// office proxy may be on a private address): that dial is allowed. The
// image's host is checked before the request is handed to the proxy, and a
// host the proxy setting exempts is dialed directly under the check.
func TestProxyIsDialedAndTargetsAreChecked(t *testing.T) {
	var proxied, direct atomic.Int64
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.IsAbs() {
			direct.Add(1) // an image URL that names the proxy, not a proxied request
			return
		}
		proxied.Add(1)
		mu.Lock()
		seen = append(seen, r.URL.Host)
		mu.Unlock()
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	defer proxy.Close()
	origin, originHits := server(t)
	originURL, _ := url.Parse(origin.URL)
	proxyURL, _ := url.Parse(proxy.URL)
	resolver := startDNS(t, func(name string, aaaa bool, n int) []netip.Addr {
		switch {
		case aaaa:
			return []netip.Addr{}
		case name == "img.public.test":
			return []netip.Addr{netip.MustParseAddr("8.8.8.8")}
		case name == "intranet.test":
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}
		case name == "metadata.test":
			return []netip.Addr{netip.MustParseAddr("100.100.100.200")}
		case name == "direct.test":
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}
		}
		return nil
	})
	f := &Fetcher{Resolver: resolver, Timeout: 2 * time.Second, Transport: &http.Transport{
		Proxy: func(r *http.Request) (*url.URL, error) {
			// As NO_PROXY and httpproxy do: some hosts go direct.
			if h := r.URL.Hostname(); h == "direct.test" || h == "127.0.0.1" {
				return nil, nil
			}
			return proxyURL, nil
		},
	}}
	if d, err := f.FetchErr("http://img.public.test/logo.png"); d == "" {
		t.Fatalf("a public image through the proxy on loopback: %v", err)
	}
	for _, u := range []string{
		"http://intranet.test/a.png",
		"http://metadata.test/latest.png",
		"http://nxdomain.test/a.png",
		"http://10.0.0.1/a.png",
		"http://[::ffff:192.168.1.1]/a.png",
		"http://[64:ff9b::a9fe:a9fe]/a.png",
		"http://direct.test:" + originURL.Port() + "/logo.png",
		"http://127.0.0.1:" + proxyURL.Port() + "/logo.png",
	} {
		d, err := f.FetchErr(u)
		if d != "" || !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: loaded=%v err=%v, want refused", u, d != "", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if proxied.Load() != 1 || direct.Load() != 0 || originHits.Load() != 0 {
		t.Fatalf("proxy saw %d proxied requests %v (want 1), %d direct (want 0); the loopback origin %d (want 0)", proxied.Load(), seen, direct.Load(), originHits.Load())
	}
}
