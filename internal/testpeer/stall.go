package testpeer

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// StallServer is a real HTTP server in front of a WebDAV peer that hangs as
// a broken server or middlebox does, keeping the connection open. While
// Stalling is on, by the file's name:
//   - GET "stall-down*": the headers and the first KiB of the real answer,
//     then nothing;
//   - PUT "stall-up*": reads the first KiB of the body, then stops reading;
//   - GET "trickle*": the real answer one byte every 200 ms (progress, but
//     slow enough never to end within a test).
//
// Every other request passes through to the peer.
type StallServer struct {
	*httptest.Server
	Stalling atomic.Bool
	stalled  atomic.Int32
	release  chan struct{}
}

// StartStallServer starts the server in front of target (any URL of the
// peer; only its scheme and host are used), stalling; closed at cleanup.
func StartStallServer(t testing.TB, target string) *StallServer {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	s := &StallServer{release: make(chan struct{})}
	s.Stalling.Store(true)
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		stalling := s.Stalling.Load()
		switch {
		case stalling && r.Method == http.MethodGet && (strings.HasPrefix(name, "stall-down") || strings.HasPrefix(name, "trickle")):
			s.stalled.Add(1)
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			body := rec.Body.Bytes()
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			if strings.HasPrefix(name, "trickle") {
				for i := 0; i < len(body); i++ {
					if _, err := w.Write(body[i : i+1]); err != nil {
						return
					}
					w.(http.Flusher).Flush()
					select {
					case <-r.Context().Done():
						return
					case <-s.release:
						return
					case <-time.After(200 * time.Millisecond):
					}
				}
				return
			}
			w.Write(body[:min(1024, len(body))])
			w.(http.Flusher).Flush()
			s.hang(r)
		case stalling && r.Method == http.MethodPut && strings.HasPrefix(name, "stall-up"):
			s.stalled.Add(1)
			io.CopyN(io.Discard, r.Body, 1024)
			s.hang(r)
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(func() { close(s.release); s.Close() })
	return s
}

func (s *StallServer) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.release:
	}
}

// Stalled is the number of requests it has stalled or slowed down.
func (s *StallServer) Stalled() int { return int(s.stalled.Load()) }

// Through is the peer's URL peerURL (same path) reached through this server.
func (s *StallServer) Through(peerURL string) string {
	u, err := url.Parse(peerURL)
	if err != nil {
		return s.URL
	}
	return s.URL + u.EscapedPath()
}
