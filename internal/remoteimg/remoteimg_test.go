package remoteimg

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var png = []byte("\x89PNG\r\n\x1a\n-fake-image-bytes")

func server(t *testing.T) (*httptest.Server, *int) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
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
	f := &Fetcher{Client: srv.Client(), AllowPrivate: true, MaxBytes: 1024}
	if d := f.Fetch(srv.URL + "/logo.png"); d != "data:image/png;base64,iVBORw0KGgotZmFrZS1pbWFnZS1ieXRlcw==" {
		t.Fatalf("logo: %q", d)
	}
	f.Fetch(srv.URL + "/logo.png")
	if *hits != 1 {
		t.Fatalf("same image fetched %d times", *hits)
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
	f := &Fetcher{Client: srv.Client()}
	if d := f.Fetch(srv.URL + "/logo.png"); d != "" || *hits != 0 {
		t.Fatalf("a mail made Deskport fetch from loopback: %q, %d requests", d, *hits)
	}
	for _, ip := range []string{"10.1.2.3", "192.168.0.1", "127.0.0.1", "169.254.169.254", "::1", "fe80::1"} {
		if Public(net.ParseIP(ip)) {
			t.Errorf("%s counted as public", ip)
		}
	}
	if !Public(net.ParseIP("193.99.144.80")) {
		t.Error("a public address refused")
	}
}

func TestImagesPerMessageAreCapped(t *testing.T) {
	srv, hits := server(t)
	f := &Fetcher{Client: srv.Client(), AllowPrivate: true, MaxImages: 3}
	n := 0
	for i := 0; i < 10; i++ {
		if f.Fetch(srv.URL+"/logo.png?"+strings.Repeat("x", i)) != "" {
			n++
		}
	}
	if n != 3 || *hits != 3 {
		t.Fatalf("loaded %d images with %d requests, want 3", n, *hits)
	}
}
