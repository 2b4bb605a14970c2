package netx

import (
	"crypto/tls"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerifiesTLSAndTrustsOnlyTheAdminBundle(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.Header.Get("User-Agent")) }))
	defer srv.Close()

	c, err := NewClient(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(srv.URL); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("self-signed server accepted without a bundle: %v", err)
	}

	bundle := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
	c, err = NewClient(Options{CABundle: bundle, UserAgent: "Deskport/test"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("with the admin bundle: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "Deskport/test" {
		t.Fatalf("User-Agent = %q", body)
	}

	os.WriteFile(bundle, []byte("not a certificate"), 0o644)
	if _, err := NewClient(Options{CABundle: bundle}); err == nil || !strings.Contains(err.Error(), "administrator") {
		t.Fatalf("bad bundle: %v", err)
	}
	if _, err := NewClient(Options{CABundle: "/nonexistent.pem"}); err == nil || !strings.Contains(err.Error(), "/nonexistent.pem") {
		t.Fatalf("missing bundle: %v", err)
	}
}

func TestProxyFromSettingAndEnvironment(t *testing.T) {
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.String())
		io.WriteString(w, "via proxy")
	}))
	defer proxy.Close()

	c, err := NewClient(Options{Proxy: proxy.URL})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get("http://files.deskport.test/status.php")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(seen) != 1 || seen[0] != "http://files.deskport.test/status.php" {
		t.Fatalf("proxy saw %v", seen)
	}

	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "skip.deskport.test")
	c, _ = NewClient(Options{})
	resp, err = c.Get("http://mail.deskport.test/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(seen) != 2 {
		t.Fatalf("environment proxy not used: %v", seen)
	}
	if _, err := NewClient(Options{Proxy: "proxy:3128"}); err == nil || !strings.Contains(err.Error(), "http://") {
		t.Fatalf("bad proxy setting: %v", err)
	}
}

func TestParseWindowsProxy(t *testing.T) {
	cfg := ParseWindowsProxy(true, "http=p1:80;https=p2:443", "*.amt.local;<local>")
	if cfg.HTTPProxy != "http://p1:80" || cfg.HTTPSProxy != "http://p2:443" {
		t.Fatalf("per-scheme: %+v", cfg)
	}
	if !strings.Contains(cfg.NoProxy, ".amt.local") || !strings.Contains(cfg.NoProxy, "localhost") {
		t.Fatalf("override: %q", cfg.NoProxy)
	}
	if cfg := ParseWindowsProxy(true, "proxy.amt:3128", ""); cfg.HTTPSProxy != "http://proxy.amt:3128" {
		t.Fatalf("single: %+v", cfg)
	}
	if cfg := ParseWindowsProxy(false, "proxy.amt:3128", ""); cfg.HTTPProxy != "" {
		t.Fatalf("disabled proxy used: %+v", cfg)
	}
}

// Without an admin bundle the system's roots are left to the first TLS
// handshake (nil RootCAs; the self-signed refusal above shows they still
// apply): a command that makes no TLS connection does not read them.
func TestNoBundleLeavesRootsToTheHandshake(t *testing.T) {
	c, err := TLSConfig(Options{})
	if err != nil || c.RootCAs != nil || c.MinVersion != tls.VersionTLS12 {
		t.Fatalf("TLSConfig without a bundle: %+v, %v", c, err)
	}
}
