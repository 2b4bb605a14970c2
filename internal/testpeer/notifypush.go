package testpeer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// NotifyPush is a running notify_push stand-in (scripts/peers/notifypush.sh,
// internal/testpeer/notifypushd) beside an NCServer, which announces it in
// its capabilities.
type NotifyPush struct {
	URL  string // ws://127.0.0.1:PORT/ws
	Dir  string // binary, push-events.log, pid
	t    testing.TB
	nc   *NCServer
	cfg  pushConfig
	stat string
}

type pushConfig struct {
	port int
	ping time.Duration
}

// NCPush starts the notify_push stand-in with the server (NCServer.Push);
// it pings its clients every ping (notify_push: 30 s).
func NCPush(ping time.Duration) NCOption {
	return func(c *ncConfig) { c.push = &pushConfig{ping: ping} }
}

var pushd struct {
	once sync.Once
	path string
	err  error
}

// pushdBinary builds notifypushd once per test process (the script would
// build it per server).
func pushdBinary() (string, error) {
	pushd.once.Do(func() {
		sum := sha256.Sum256([]byte(RepoRoot()))
		dir := filepath.Join(os.TempDir(), "deskport-notifypushd-"+hex.EncodeToString(sum[:6]))
		if pushd.err = os.MkdirAll(dir, 0o755); pushd.err != nil {
			return
		}
		tmp := filepath.Join(dir, fmt.Sprintf("notifypushd.%d", os.Getpid()))
		cmd := exec.Command("go", "build", "-o", tmp, "./internal/testpeer/notifypushd")
		cmd.Dir = RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			pushd.err = fmt.Errorf("go build notifypushd: %v\n%s", err, out)
			return
		}
		pushd.path = filepath.Join(dir, "notifypushd")
		pushd.err = os.Rename(tmp, pushd.path)
	})
	return pushd.path, pushd.err
}

func startNotifyPush(t testing.TB, nc *NCServer, cfg pushConfig) *NotifyPush {
	t.Helper()
	Need(t, "apt-get install golang curl", "go", "curl", "setsid")
	bin, err := pushdBinary()
	if err != nil {
		t.Fatal(err)
	}
	p := &NotifyPush{URL: fmt.Sprintf("ws://127.0.0.1:%d/ws", cfg.port), Dir: t.TempDir(), t: t, nc: nc, cfg: cfg,
		stat: fmt.Sprintf("http://127.0.0.1:%d/stats", cfg.port)}
	if err := os.Symlink(bin, filepath.Join(p.Dir, "notifypushd")); err != nil {
		t.Fatal(err)
	}
	p.Start()
	t.Cleanup(func() { Run(t, "notifypush.sh", "stop", p.Dir) })
	return p
}

// Start starts it (again) on its port.
func (p *NotifyPush) Start() {
	p.t.Helper()
	Run(p.t, "notifypush.sh", "start", p.Dir, strconv.Itoa(p.cfg.port), p.nc.URL,
		filepath.Join(p.nc.DataDir, "requests.log"), p.cfg.ping.String())
}

// Kill ends it with SIGKILL, as in a crash: the sockets drop without a close frame.
func (p *NotifyPush) Kill() { p.t.Helper(); Run(p.t, "notifypush.sh", "kill", p.Dir) }

// PushStats are the stand-in's counters: sockets open now, logins accepted and
// refused and messages sent since it started.
type PushStats struct {
	Connections, Authenticated, Refused, Sent int
}

// Stats reads its counters.
func (p *NotifyPush) Stats() (PushStats, error) {
	resp, err := http.Get(p.stat)
	if err != nil {
		return PushStats{}, err
	}
	defer resp.Body.Close()
	var s PushStats
	err = json.NewDecoder(resp.Body).Decode(&s)
	return s, err
}

// WaitConnections waits until n authenticated sockets are open.
func (p *NotifyPush) WaitConnections(n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		s, err := p.Stats()
		if err == nil && s.Connections == n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("notify_push: %d open sockets after %s, want %d (%v)", s.Connections, timeout, n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
