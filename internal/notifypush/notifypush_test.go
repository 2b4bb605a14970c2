package notifypush

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

const secret = "app-password-hunter2"

// pushPeer is an in-process notify_push: it records every text frame it is
// sent and answers the login with reply.
type pushPeer struct {
	frames  atomic.Int64
	mu      sync.Mutex
	got     []string
	reply   string
	silent  bool // after the login: read nothing (pings go unanswered), send nothing
	notify  chan string
	accepts atomic.Int64
}

func (p *pushPeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.accepts.Add(1)
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	for i := 0; i < 2; i++ {
		_, b, err := c.Read(r.Context())
		if err != nil {
			return
		}
		p.frames.Add(1)
		p.mu.Lock()
		p.got = append(p.got, string(b))
		p.mu.Unlock()
	}
	c.Write(r.Context(), websocket.MessageText, []byte(p.reply))
	if p.reply != "authenticated" {
		return
	}
	if p.silent {
		<-r.Context().Done()
		return
	}
	ctx := c.CloseRead(r.Context())
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-p.notify:
			c.Write(ctx, websocket.MessageText, []byte(m))
		}
	}
}

// capsServer announces ws as the push endpoint.
func capsServer(t *testing.T, tlsOn bool, ws func() string) *httptest.Server {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "alice" || p != secret {
			w.WriteHeader(401)
			return
		}
		fmt.Fprintf(w, `{"ocs":{"meta":{"status":"ok"},"data":{"capabilities":{"notify_push":{"type":["files"],"endpoints":{"websocket":%q}}}}}}`, ws())
	})
	var s *httptest.Server
	if tlsOn {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

// selfSigned is a certificate for 127.0.0.1 that nobody trusts.
func selfSigned(t *testing.T) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "push.evil.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

type recorder struct {
	mu      sync.Mutex
	lines   []string
	ups     []bool
	changes atomic.Int64
}

func (r *recorder) logf(f string, a ...any) {
	r.mu.Lock()
	r.lines = append(r.lines, fmt.Sprintf(f, a...))
	r.mu.Unlock()
}
func (r *recorder) up(v bool) { r.mu.Lock(); r.ups = append(r.ups, v); r.mu.Unlock() }
func (r *recorder) log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}
func (r *recorder) upCount(v bool) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, u := range r.ups {
		if u == v {
			n++
		}
	}
	return n
}

func listenFor(c *Client, rec *recorder, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return c.Listen(ctx, rec.up, func() { rec.changes.Add(1) })
}

func newClient(server string, hc *http.Client, rec *recorder) *Client {
	return New(Config{ServerURL: server, User: "alice", Password: secret, HTTPClient: hc, Logf: rec.logf,
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Quiet: 300 * time.Millisecond})
}

// A push endpoint with a certificate nobody vouches for gets no password,
// while the same endpoint with a trusted certificate works.
func TestPushTLSVerified(t *testing.T) {
	peer := &pushPeer{reply: "authenticated", notify: make(chan string, 1)}
	ws := httptest.NewUnstartedServer(peer)
	ws.TLS = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	ws.StartTLS()
	defer ws.Close()
	caps := capsServer(t, true, func() string { return "wss://" + ws.Listener.Addr().String() + "/ws" })

	rec := &recorder{}
	err := listenFor(newClient(caps.URL, caps.Client(), rec), rec, time.Second) // trusts the caps server only
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Listen: %v", err)
	}
	if n := peer.frames.Load(); n != 0 || rec.upCount(true) != 0 {
		t.Fatalf("untrusted push endpoint got %d frames (up %v)", n, rec.ups)
	}
	if !strings.Contains(rec.log(), "certificate") {
		t.Fatalf("the log does not say why:\n%s", rec.log())
	}

	// The same endpoint, its certificate trusted: connects and hears notify_file.
	pool := x509.NewCertPool()
	pool.AddCert(caps.Certificate())
	leaf, _ := x509.ParseCertificate(ws.TLS.Certificates[0].Certificate[0])
	pool.AddCert(leaf)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	rec = &recorder{}
	peer.notify <- "notify_file"
	listenFor(newClient(caps.URL, hc, rec), rec, time.Second)
	if rec.upCount(true) == 0 || rec.changes.Load() == 0 {
		t.Fatalf("trusted endpoint: up %v, %d changes; log:\n%s", rec.ups, rec.changes.Load(), rec.log())
	}
	peer.mu.Lock()
	defer peer.mu.Unlock()
	if len(peer.got) < 2 || peer.got[0] != "alice" || peer.got[1] != secret {
		t.Fatalf("login frames: %q", peer.got)
	}
}

// An https server announcing a plain ws:// endpoint: the password is not sent there.
func TestPushNoDowngradeToPlainWS(t *testing.T) {
	peer := &pushPeer{reply: "authenticated"}
	plain := httptest.NewServer(peer)
	defer plain.Close()
	caps := capsServer(t, true, func() string { return "ws://" + plain.Listener.Addr().String() + "/ws" })
	rec := &recorder{}
	err := listenFor(newClient(caps.URL, caps.Client(), rec), rec, time.Second)
	if !errors.Is(err, ErrInsecure) {
		t.Fatalf("Listen: %v, want ErrInsecure", err)
	}
	if peer.accepts.Load() != 0 {
		t.Fatalf("the plain endpoint was contacted %d times", peer.accepts.Load())
	}
}

// A push endpoint that redirects elsewhere is not followed.
func TestPushRedirectNotFollowed(t *testing.T) {
	peer := &pushPeer{reply: "authenticated"}
	elsewhere := httptest.NewServer(peer)
	defer elsewhere.Close()
	redir := httptest.NewServer(http.RedirectHandler(elsewhere.URL+"/ws", http.StatusFound))
	defer redir.Close()
	caps := capsServer(t, false, func() string { return "ws://" + redir.Listener.Addr().String() + "/ws" })
	rec := &recorder{}
	listenFor(newClient(caps.URL, nil, rec), rec, 700*time.Millisecond)
	if peer.accepts.Load() != 0 || rec.upCount(true) != 0 {
		t.Fatalf("redirect followed: %d accepts, up %v", peer.accepts.Load(), rec.ups)
	}
	if !strings.Contains(rec.log(), "redirects") {
		t.Fatalf("the log does not say why:\n%s", rec.log())
	}
}

// A refused login is retried with backoff, and the password never reaches
// the log, even when the server echoes it.
func TestPushRefusedNoSecretInLog(t *testing.T) {
	peer := &pushPeer{reply: "err: Invalid credentials " + secret}
	ws := httptest.NewServer(peer)
	defer ws.Close()
	caps := capsServer(t, false, func() string { return "ws://" + ws.Listener.Addr().String() + "/ws" })
	rec := &recorder{}
	listenFor(newClient(caps.URL, nil, rec), rec, time.Second)
	if rec.upCount(true) != 0 {
		t.Fatalf("refused login reported up: %v", rec.ups)
	}
	if n := peer.accepts.Load(); n < 1 || n > 8 {
		t.Fatalf("%d login attempts in 1 s with 50–200 ms backoff (x4 after a refusal)", n)
	}
	if l := rec.log(); strings.Contains(l, secret) || !strings.Contains(l, "refused") {
		t.Fatalf("log:\n%s", l)
	}
}

// A connection that goes silent (the server neither sends nor answers
// pings) is given up and reconnected, so that the caller polls meanwhile.
func TestPushSilentConnectionGivenUp(t *testing.T) {
	peer := &pushPeer{reply: "authenticated", silent: true}
	ws := httptest.NewServer(peer)
	defer ws.Close()
	caps := capsServer(t, false, func() string { return "ws://" + ws.Listener.Addr().String() + "/ws" })
	rec := &recorder{}
	listenFor(newClient(caps.URL, nil, rec), rec, 3*time.Second)
	if rec.upCount(true) < 2 || rec.upCount(false) < 1 {
		t.Fatalf("silent connection: ups %v (want up, down, up again); log:\n%s", rec.ups, rec.log())
	}
}

func TestServerURLOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://cloud.example.org/remote.php/dav/files/alice/":    "https://cloud.example.org",
		"https://example.org/nextcloud/remote.php/dav/files/alice": "https://example.org/nextcloud",
		"http://127.0.0.1:8080/remote.php/webdav/":                 "http://127.0.0.1:8080",
		"https://dav.example.org/webdav/":                          "",
	} {
		if got := ServerURLOf(in); got != want {
			t.Errorf("ServerURLOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotOffered(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ocs":{"data":{"capabilities":{"dav":{"chunking":"1.0"}}}}}`)
	}))
	defer s.Close()
	rec := &recorder{}
	if err := listenFor(newClient(s.URL, nil, rec), rec, time.Second); !errors.Is(err, ErrNotOffered) {
		t.Fatalf("Listen: %v, want ErrNotOffered", err)
	}
}
