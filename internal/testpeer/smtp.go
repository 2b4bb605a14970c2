package testpeer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// SMTPSink is an accept-all SMTP server on loopback (Debian's python3-aiosmtpd,
// scripts/peers/smtp-sink.sh) that stores every message it receives.
type SMTPSink struct {
	Addr       string
	Host       string
	Port       int
	User, Pass string // AUTH PLAIN credentials it requires
	Dir        string // Maildir of received messages
	// With StartSMTPSinkTLS: the PEM of the CA that signed the sink's
	// certificate for 127.0.0.1; STARTTLS is required.
	CAFile string
	tlsDir string
	cmd    *exec.Cmd
	t      testing.TB
}

// StartSMTPSink starts the sink, requiring AUTH as alice/secret; stopped at cleanup.
func StartSMTPSink(t testing.TB) *SMTPSink { t.Helper(); return startSMTPSink(t, false) }

// StartSMTPSinkTLS is StartSMTPSink requiring STARTTLS, with a certificate
// from a CA no system trusts (CAFile).
func StartSMTPSinkTLS(t testing.TB) *SMTPSink {
	t.Helper()
	Need(t, "apt-get install openssl", "openssl")
	return startSMTPSink(t, true)
}

func startSMTPSink(t testing.TB, withTLS bool) *SMTPSink {
	t.Helper()
	Need(t, "apt-get install python3-aiosmtpd", "/usr/bin/python3")
	if exec.Command("/usr/bin/python3", "-c", "import aiosmtpd").Run() != nil {
		Missing(t, "python3-aiosmtpd", "apt-get install python3-aiosmtpd")
	}
	s := &SMTPSink{Host: "127.0.0.1", User: "alice", Pass: "secret", Dir: filepath.Join(t.TempDir(), "received"), t: t}
	s.Port = FreePort(t)
	s.Addr = fmt.Sprintf("%s:%d", s.Host, s.Port)
	if withTLS {
		s.tlsDir = filepath.Join(filepath.Dir(s.Dir), "tls")
		s.CAFile = filepath.Join(s.tlsDir, "ca.pem")
	}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start (re)starts the sink on the same port.
func (s *SMTPSink) Start() {
	s.t.Helper()
	s.cmd = exec.Command(Script("smtp-sink.sh"), strconv.Itoa(s.Port), s.Dir, "--user", s.User+":"+s.Pass, "--require-auth")
	log, err := os.OpenFile(filepath.Join(filepath.Dir(s.Dir), "smtp-sink.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	defer log.Close()
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if s.tlsDir != "" {
		s.cmd.Env = append(os.Environ(), "SMTP_TLS_DIR="+s.tlsDir)
	}
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("smtp-sink: %v", err)
	}
	WaitPort(s.t, s.Addr, 15*time.Second)
}

// Stop stops the sink (and waits for it) if it runs.
func (s *SMTPSink) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// Received returns every message received so far, oldest first, each with
// the X-Sink-Mail-From / X-Sink-Rcpt-To / X-Sink-Auth headers the sink adds.
func (s *SMTPSink) Received() [][]byte {
	s.t.Helper()
	files, _ := filepath.Glob(filepath.Join(s.Dir, "new", "*"))
	type f struct {
		mod  time.Time
		name string
	}
	var fs []f
	for _, n := range files {
		st, err := os.Stat(n)
		if err == nil {
			fs = append(fs, f{st.ModTime(), n})
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].mod.Before(fs[j].mod) })
	var out [][]byte
	for _, x := range fs {
		b, err := os.ReadFile(x.name)
		if err != nil {
			s.t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
