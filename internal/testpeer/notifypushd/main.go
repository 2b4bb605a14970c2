// Command notifypushd is a test stand-in for Nextcloud's notify_push daemon,
// on loopback beside the Nextcloud-compatible PHP server
// (scripts/peers/notifypush.sh starts it). Like the real one it takes the
// user name and password as the first two text frames of a WebSocket on
// /ws, checks them against the Nextcloud server (here GET
// /ocs/v2.php/cloud/user with Basic auth), answers "authenticated" or
// "err: ...", pings every -ping and sends "notify_file" when a file of the
// user changed. Where the real one hears of changes from Nextcloud through
// Redis, this one follows the PHP server's request log: a WebDAV write that
// succeeded (PUT, MKCOL, DELETE, MOVE, COPY, PROPPATCH, POST) means a change.
//
// GET /stats answers {"connections":N,"authenticated":N,"refused":N,"sent":N}
// (connections open now; the others count since start). Its event log (-events)
// has one line per login and message; passwords are never written.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

type server struct {
	nc       string
	ping     time.Duration
	mu       sync.Mutex
	conns    map[*websocket.Conn]chan string
	authed   atomic.Int64
	refused  atomic.Int64
	sent     atomic.Int64
	events   *log.Logger
	verifier *http.Client
}

func main() {
	listen := flag.String("listen", "127.0.0.1:7867", "address to listen on")
	nc := flag.String("nc", "", "the Nextcloud server's base URL (credentials are checked there)")
	reqLog := flag.String("nc-log", "", "the Nextcloud server's request log to follow for changes")
	events := flag.String("events", "", "file to append this server's events to")
	ping := flag.Duration("ping", 30*time.Second, "ping interval (notify_push: 30s)")
	flag.Parse()
	if *nc == "" || *reqLog == "" {
		fmt.Fprintln(os.Stderr, "usage: notifypushd -listen ADDR -nc URL -nc-log FILE [-events FILE] [-ping 30s]")
		os.Exit(2)
	}
	var w io.Writer = io.Discard
	if *events != "" {
		f, err := os.OpenFile(*events, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		w = f
	}
	s := &server{nc: strings.TrimRight(*nc, "/"), ping: *ping, conns: map[*websocket.Conn]chan string{},
		events: log.New(w, "", log.LstdFlags|log.Lmicroseconds), verifier: &http.Client{Timeout: 10 * time.Second}}
	go s.follow(*reqLog)
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", s.socket)
	mux.HandleFunc("/stats", s.stats)
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	s.events.Printf("listening on %s", l.Addr())
	log.Fatal(http.Serve(l, mux))
}

func (s *server) stats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	n := len(s.conns)
	s.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]int64{"connections": int64(n), "authenticated": s.authed.Load(),
		"refused": s.refused.Load(), "sent": s.sent.Load()})
}

func (s *server) socket(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	actx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	var creds [2]string
	for i := range creds {
		typ, b, err := c.Read(actx)
		if err != nil || typ != websocket.MessageText {
			cancel()
			c.Write(r.Context(), websocket.MessageText, []byte("Authentication timeout"))
			return
		}
		creds[i] = string(b)
	}
	cancel()
	if !s.verify(r.Context(), creds[0], creds[1]) {
		s.refused.Add(1)
		s.events.Printf("auth refused %q", creds[0])
		c.Write(r.Context(), websocket.MessageText, []byte("err: Invalid credentials"))
		return
	}
	out := make(chan string, 4)
	s.mu.Lock()
	s.conns[c] = out
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.events.Printf("closed %q", creds[0])
	}()
	s.authed.Add(1)
	s.events.Printf("auth ok %q", creds[0])
	ctx := c.CloseRead(context.Background()) // client frames ("listen notify_file_id") are not needed here
	if err := c.Write(ctx, websocket.MessageText, []byte("authenticated")); err != nil {
		return
	}
	t := time.NewTicker(s.ping)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-out:
			if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				return
			}
			s.sent.Add(1)
			s.events.Printf("sent %s to %q", msg, creds[0])
		case <-t.C:
			pctx, pcancel := context.WithTimeout(ctx, s.ping)
			err := c.Ping(pctx)
			pcancel()
			if err != nil {
				s.events.Printf("%q did not answer a ping: closed", creds[0])
				return
			}
		}
	}
}

// verify asks the Nextcloud server, as notify_push does.
func (s *server) verify(ctx context.Context, user, pass string) bool {
	if user == "" {
		return false
	}
	req, err := http.NewRequestWithContext(ctx, "GET", s.nc+"/ocs/v2.php/cloud/user?format=json", nil)
	if err != nil {
		return false
	}
	req.SetBasicAuth(user, pass)
	req.Header.Set("OCS-APIRequest", "true")
	resp, err := s.verifier.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (s *server) broadcast(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, out := range s.conns {
		select {
		case out <- msg:
		default: // like notify_push: a slow client misses messages
		}
	}
}

var writes = map[string]bool{"PUT": true, "MKCOL": true, "DELETE": true, "MOVE": true, "COPY": true, "PROPPATCH": true, "POST": true}

// follow tails the PHP server's request log ("METHOD STATUS URI" lines)
// from its current end and announces each successful WebDAV write.
func (s *server) follow(path string) {
	var off int64
	if fi, err := os.Stat(path); err == nil {
		off = fi.Size()
	}
	for ; ; time.Sleep(100 * time.Millisecond) {
		fi, err := os.Stat(path)
		if err != nil {
			continue
		}
		if fi.Size() < off {
			off = 0 // the log was emptied (tests reset it)
		}
		if fi.Size() == off {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		f.Seek(off, io.SeekStart)
		rd := bufio.NewReader(f)
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				break // a partial line is read again next time
			}
			off += int64(len(line))
			parts := strings.Fields(line)
			if len(parts) >= 3 && writes[parts[0]] && strings.HasPrefix(parts[1], "2") && strings.HasPrefix(parts[2], "/remote.php/") {
				s.broadcast("notify_file")
			}
		}
		f.Close()
	}
}
