package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/testpeer"
)

func accountsRandomPassword(t *testing.T) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "pw-" + hex.EncodeToString(b)
}

// accountsMemSecrets stands in for the OS keyring when the test runs without a
// private D-Bus session (scripts/with-keyring.sh provides one).
type accountsMemSecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *accountsMemSecrets) Get(k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[k]; ok {
		return v, nil
	}
	return "", secrets.ErrNotFound
}
func (s *accountsMemSecrets) Set(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}
func (s *accountsMemSecrets) Delete(k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k]; !ok {
		return secrets.ErrNotFound
	}
	delete(s.m, k)
	return nil
}

// accountsCLIHome gives the test its own Deskport home and keyring: the real
// keyring under with-keyring.sh, an in-memory one otherwise.
func accountsCLIHome(t *testing.T) (config.Paths, secrets.Store) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("DESKPORT_HOME", home)
	defaults := filepath.Join(home, "admin-defaults.json")
	t.Setenv("DESKPORT_DEFAULTS", defaults)
	os.WriteFile(defaults, []byte(`{"domain": "example.org"}`), 0o644)
	var store secrets.Store
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		store = secrets.NewKeyring()
		t.Log("using the real keyring")
	} else {
		if os.Getenv("DESKPORT_REQUIRE_PEERS") == "1" {
			t.Fatal("no D-Bus session: run under scripts/with-keyring.sh")
		}
		store = &accountsMemSecrets{m: map[string]string{}}
	}
	useTestSecrets(t, (func() secrets.Store { return store })())
	paths, err := config.UserPaths()
	if err != nil {
		t.Fatal(err)
	}
	return paths, store
}

func runCmd(t *testing.T, stdin string, stdout io.Writer, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	var w io.Writer = &out
	if stdout != nil {
		w = io.MultiWriter(&out, stdout)
	}
	code := Run(context.Background(), testEnv(strings.NewReader(stdin), w, &errb), args)
	return code, out.String() + errb.String()
}

// accountsScanForSecrets returns how many files under root it read and which of
// them contain one of the secrets.
func accountsScanForSecrets(t *testing.T, root string, secretList ...string) (n int, found []string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("cannot read %s for the scan: %v", p, err)
			return nil
		}
		n++
		for _, s := range secretList {
			if bytes.Contains(data, []byte(s)) {
				found = append(found, p)
			}
		}
		return nil
	})
	return n, found
}

func TestSecretScanFindsACanary(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "logs"), 0o700)
	os.WriteFile(filepath.Join(dir, "logs", "deskport.log"), []byte("... auth alice:pw-canary ..."), 0o600)
	if n, found := accountsScanForSecrets(t, dir, "pw-canary"); n != 1 || len(found) != 1 {
		t.Fatalf("the scan missed a planted secret: %d files, %v", n, found)
	}
}

func TestLoginLogoutAndSecretScan(t *testing.T) {
	ncPass, mailPass := accountsRandomPassword(t), accountsRandomPassword(t)
	nc := testpeer.StartNCServer(t, testpeer.NCUser("alice", ncPass))
	dc := testpeer.StartDovecot(t)
	dc.Stop()
	dc.Pass = mailPass
	dc.Start()
	sink := testpeer.StartSMTPSink(t)
	sink.Stop()
	sink.Pass = mailPass
	sink.Start()
	paths, store := accountsCLIHome(t)

	mailArgs := []string{"--mail-user", "alice", "--imap", dc.Addr, "--imap-security", "none", "--smtp", sink.Addr, "--smtp-security", "none"}
	// Wrong password: a clear error, nothing saved.
	code, out := runCmd(t, "nope\n", nil, append([]string{"login", "--files-url", nc.URL, "--user", "alice", "--password-stdin"}, mailArgs...)...)
	if code != 1 || !strings.Contains(out, "wrong user name or password") {
		t.Fatalf("wrong password: exit %d\n%s", code, out)
	}
	// The domain comes from the admin defaults; files and mail passwords on two lines.
	code, out = runCmd(t, ncPass+"\n"+mailPass+"\n", nil, append([]string{"login", "--files-url", nc.URL, "--user", "alice", "--password-stdin"}, mailArgs...)...)
	if code != 0 || !strings.Contains(out, "Signed in to files at "+nc.URL+" as alice (user id alice)") || !strings.Contains(out, "Signed in to mail as alice") {
		t.Fatalf("login: exit %d\n%s", code, out)
	}
	// "Restart": a fresh manager over the same home and keyring is signed in.
	m := accounts.New(paths, store, nil)
	f, appPW, err := m.Files()
	if err != nil || f.UserID != "alice" || appPW == ncPass {
		t.Fatalf("after login: %+v %v (the account password must have been traded for an app password)", f, err)
	}
	if _, pw, err := m.Mail(); err != nil || pw != mailPass {
		t.Fatalf("mail after login: %v", err)
	}
	if p, ok, _ := m.Profile(); !ok || p.Domain != "example.org" {
		t.Errorf("profile: %+v", p)
	}

	// Login Flow v2 from the terminal: the "user" opens the printed link.
	linkRe := regexp.MustCompile(`https?://\S+/login/v2/flow/\S+`)
	var once sync.Once
	watcher := accountsWriterFunc(func(b []byte) {
		if u := linkRe.Find(b); u != nil {
			once.Do(func() {
				go func() {
					resp, err := http.PostForm(string(u), url.Values{"user": {"alice"}, "password": {ncPass}})
					if err == nil {
						resp.Body.Close()
					}
				}()
			})
		}
	})
	code, out = runCmd(t, "", watcher, "login", "--domain", "example.org", "--files-url", nc.URL)
	if code != 0 || !strings.Contains(out, "Signed in to files") {
		t.Fatalf("login flow: exit %d\n%s", code, out)
	}
	_, flowPW, err := m.Files()
	if err != nil || flowPW == appPW {
		t.Fatalf("after login flow: %v", err)
	}

	// The scan: no password or app password anywhere under the Deskport
	// home (config, data, cache, logs), nor in what the commands printed.
	os.MkdirAll(filepath.Join(paths.Data, "webkit"), 0o700)
	os.WriteFile(filepath.Join(paths.Data, "webkit", "cookies.sqlite"), []byte("session"), 0o600)
	os.MkdirAll(paths.Cache, 0o700)
	os.WriteFile(filepath.Join(paths.Cache, "mail.db"), []byte("cache"), 0o600)
	n, found := accountsScanForSecrets(t, os.Getenv("DESKPORT_HOME"), ncPass, mailPass, appPW, flowPW)
	if n < 3 || len(found) != 0 {
		t.Errorf("secret scan: read %d files; secrets found in %v", n, found)
	}
	for _, s := range []string{ncPass, mailPass, appPW, flowPW} {
		if strings.Contains(out, s) {
			t.Error("a password was printed")
		}
	}

	// Logout: asked about caches, answers no: session gone, caches kept.
	syncDir := t.TempDir()
	os.WriteFile(filepath.Join(syncDir, "report.odt"), []byte("user data"), 0o644)
	code, out = runCmd(t, "n\n", nil, "logout")
	if code != 0 || !strings.Contains(out, "Kept local caches") {
		t.Fatalf("logout: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(paths.Data, "webkit")); !os.IsNotExist(err) {
		t.Error("web session not deleted")
	}
	if _, err := os.Stat(filepath.Join(paths.Cache, "mail.db")); err != nil {
		t.Error("cache deleted although the user said no")
	}
	if _, err := store.Get(f.SecretKey()); err != secrets.ErrNotFound {
		t.Errorf("files secret still in the keyring: %v", err)
	}
	if _, _, err := m.Mail(); err == nil {
		t.Error("still signed in to mail")
	}
	// The server no longer accepts this device's app password.
	if code, _ := runCmd(t, flowPW+"\n", nil, "login", "--domain", "example.org", "--files-url", nc.URL, "--user", "alice", "--password-stdin"); code != 1 {
		t.Error("revoked app password still accepted")
	}
	code, out = runCmd(t, "", nil, "logout", "--yes")
	if code != 0 || !strings.Contains(out, "Deleted local caches") || !strings.Contains(out, "Not signed in to files") {
		t.Fatalf("logout --yes: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(paths.Cache, "mail.db")); !os.IsNotExist(err) {
		t.Error("cache kept with --yes")
	}
	if data, err := os.ReadFile(filepath.Join(syncDir, "report.odt")); err != nil || string(data) != "user data" {
		t.Error("logout touched the user's files")
	}
}

func TestLoginUsageErrors(t *testing.T) {
	accountsCLIHome(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"login", "--user", "alice"}, "--user needs --password-stdin"},
		{[]string{"login", "--domain", "https://portal.example.org/", "--user", "a", "--password-stdin"}, "enter only the domain"},
		{[]string{"login", "--no-files"}, "add --mail-user"},
		{[]string{"logout", "--yes", "--keep-caches"}, "contradict"},
	} {
		code, out := runCmd(t, "pw\n", nil, c.args...)
		if code == 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, out, c.want)
		}
	}
	code, out := runCmd(t, "", nil, "login", "--domain", "example.org", "--user", "alice", "--password-stdin")
	if code == 0 || !strings.Contains(out, "standard input is empty") {
		t.Errorf("empty stdin: %d %q", code, out)
	}
	t.Setenv("DESKPORT_DEFAULTS", filepath.Join(t.TempDir(), "none.json"))
	if code, out := runCmd(t, "pw\n", nil, "login", "--user", "a", "--password-stdin"); code != 2 || !strings.Contains(out, "give --domain") {
		t.Errorf("no domain: %d %q", code, out)
	}
}

type accountsWriterFunc func([]byte)

func (w accountsWriterFunc) Write(b []byte) (int, error) { w(b); return len(b), nil }
