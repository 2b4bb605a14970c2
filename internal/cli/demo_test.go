package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/demo"
	"github.com/deskport/deskport/internal/demo/keyring"
	"github.com/deskport/deskport/internal/secrets"
)

type demoInfo struct {
	User, Password, Address, FilesURL, IMAP, SMTP string
	Domain                                        string
	Origins                                       map[string]string
	Messages                                      int
}

// startHeadlessDemo runs 'deskport demo --headless --json' until the test
// ends and returns what it printed.
func startHeadlessDemo(t *testing.T) (demoInfo, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, testEnv(strings.NewReader(""), out, out), []string{"demo", "--headless", "--json"})
	}()
	var once sync.Once
	stop := func() error {
		once.Do(func() { waitDemo(t, cancel, done, out) })
		return nil
	}
	t.Cleanup(func() { stop() })
	return waitInfo(t, out), stop
}

func waitDemo(t *testing.T, cancel func(), done chan int, out *lockedBuffer) {
	{
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("demo --headless exited %d: %s", code, out.String())
			}
		case <-time.After(10 * time.Second):
			buf := make([]byte, 1<<20)
			t.Errorf("demo --headless did not stop within 10 s of Ctrl+C:\n%s", buf[:runtime.Stack(buf, true)])
		}
	}
}

func waitInfo(t *testing.T, out *lockedBuffer) demoInfo {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "\n") {
		if time.Now().After(deadline) {
			t.Fatalf("demo --headless printed nothing in 20 s: %q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var info demoInfo
	if err := json.Unmarshal([]byte(out.String()), &info); err != nil {
		t.Fatalf("demo --headless --json printed %q: %v", out.String(), err)
	}
	return info
}

func run(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if code := Run(ctx, testEnv(strings.NewReader(stdin), &out, &errb), args); code != 0 {
		t.Fatalf("deskport %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

// The whole path a script takes: the headless demo, 'deskport login' with
// the printed credentials (into the secrets interface), then the real file
// and mail sync commands against it, a message sent through its SMTP
// server that lands in INBOX and Sent, and a clean stop.
func TestDemoHeadlessThenLoginAndSync(t *testing.T) {
	home := t.TempDir()
	t.Setenv("DESKPORT_HOME", home)
	t.Setenv("DESKPORT_FILES_DIR", "")
	t.Setenv("DESKPORT_PASSWORD", "")
	t.Setenv("DESKPORT_SUITE_DOMAIN", "")
	store := keyring.New()
	useTestSecrets(t, (func() secrets.Store { return store })())

	info, stop := startHeadlessDemo(t)
	if info.Messages < 200 || info.Origins["portal"] == "" || info.Origins["portal"] == info.Origins["files"] || info.Password == "" {
		t.Fatalf("demo info: %+v", info)
	}
	out := run(t, info.Password+"\n", "login", "--domain", info.Domain, "--files-url", info.FilesURL, "--user", info.User, "--password-stdin",
		"--mail-user", info.User, "--mail-address", info.Address, "--imap", info.IMAP, "--imap-security", "none", "--smtp", info.SMTP, "--smtp-security", "none")
	if !strings.Contains(out, "Signed in to files") || !strings.Contains(out, "Signed in to mail") {
		t.Fatalf("login: %s", out)
	}
	if pw, err := store.Get("files/" + info.User + "@" + strings.TrimPrefix(info.FilesURL, "http://")); err != nil || pw == info.Password {
		t.Errorf("the files secret in the keyring should be an app password, not the account password (err %v)", err)
	}

	run(t, "", "files", "sync", "--once", "--quiet")
	for _, f := range []string{"Readme.md", "Documents/Projektplan 2027.pdf", "Photos/Team offsite.png", "Documents/Übersicht Haushalt.csv"} {
		if st, err := os.Stat(filepath.Join(home, "Files", f)); err != nil || st.Size() == 0 {
			t.Errorf("synced folder lacks %s: %v", f, err)
		}
	}
	// A local change goes up.
	os.WriteFile(filepath.Join(home, "Files", "Documents", "from-laptop.txt"), []byte("hello from the laptop\n"), 0o644)
	run(t, "", "files", "sync", "--once", "--quiet")
	req, _ := http.NewRequest("GET", info.FilesURL+"/remote.php/dav/files/"+info.User+"/Documents/from-laptop.txt", nil)
	req.SetBasicAuth(info.User, info.Password)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("the local file did not reach the demo's files server: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	run(t, "", "mail", "sync", "--once")
	if n := strings.TrimSpace(run(t, "", "mail", "search", "--count", "Glasfaseranschluss")); n == "0" || n == "" {
		t.Errorf("search for a German thread found %q", n)
	}
	if n := strings.TrimSpace(run(t, "", "mail", "search", "--count", "folder:Newsletter")); n == "0" || n == "" {
		t.Errorf("Newsletter folder: %q messages", n)
	}
	msg := "From: " + info.Address + "\r\nTo: " + info.Address + "\r\nSubject: Demo round trip\r\n\r\nHello me.\r\n"
	run(t, msg, "mail", "send")
	run(t, "", "mail", "sync", "--once")
	if n := strings.TrimSpace(run(t, "", "mail", "search", "--count", "subject:round folder:Sent")); n != "1" {
		t.Errorf("the sent message is %q times in Sent", n)
	}
	if n := strings.TrimSpace(run(t, "", "mail", "search", "--count", "subject:round folder:INBOX")); n != "1" {
		t.Errorf("the sent message arrived %q times in INBOX", n)
	}

	stop()
	for _, addr := range []string{info.IMAP, info.SMTP, strings.TrimPrefix(info.FilesURL, "http://"), strings.TrimPrefix(info.Origins["portal"], "http://")} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after the demo stopped", addr)
		}
	}
}

// With its preferred ports taken (another demo, another program), the demo
// starts on free ones, works, and closes every listener it opened.
func TestDemoStartsWhenPreferredPortsAreTaken(t *testing.T) {
	var held []net.Listener
	for _, name := range []string{"imap", "smtp", "files", "portal"} {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", itoa(demo.PreferredPorts[name])))
		if err == nil {
			held = append(held, l)
		}
	}
	t.Cleanup(func() {
		for _, l := range held {
			l.Close()
		}
	})
	if len(held) == 0 {
		t.Skip("the preferred ports are all in use by others already")
	}
	s, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatalf("demo did not start with its ports taken: %v", err)
	}
	addrs := []string{s.IMAP.Addr(), s.SMTP.Addr(), strings.TrimPrefix(s.FilesURL, "http://"), strings.TrimPrefix(s.Profile.Origin("portal"), "http://")}
	for _, l := range held {
		for _, a := range addrs {
			if a == l.Addr().String() {
				t.Errorf("demo claims %s, which the test holds", a)
			}
		}
	}
	for _, a := range addrs {
		c, err := net.DialTimeout("tcp", a, time.Second)
		if err != nil {
			t.Errorf("demo not listening on %s: %v", a, err)
			continue
		}
		c.Close()
	}
	s.Close()
	for _, a := range addrs {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still open after Close", a)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
