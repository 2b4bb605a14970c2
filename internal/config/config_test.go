package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func setup(t *testing.T, admin, user string) (Paths, string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(HomeEnv, dir)
	defaults := filepath.Join(dir, "defaults.json")
	t.Setenv(DefaultsEnv, defaults)
	p, err := UserPaths()
	if err != nil {
		t.Fatal(err)
	}
	if admin != "" {
		os.WriteFile(defaults, []byte(admin), 0o644)
	}
	if user != "" {
		os.MkdirAll(p.Config, 0o700)
		os.WriteFile(filepath.Join(p.Config, "settings.json"), []byte(user), 0o600)
	}
	return p, defaults
}

func TestAdminDefaultsAndLocks(t *testing.T) {
	p, _ := setup(t, `{"domain": "bund.example", "bandwidthKBps": 500, "locked": ["domain"], "caBundle": "/etc/ssl/amt.pem"}`,
		`{"domain": "evil.example", "bandwidthKBps": 100}`)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Effective.Domain != "bund.example" {
		t.Fatalf("locked domain = %q, want the admin's", c.Effective.Domain)
	}
	if c.Effective.BandwidthKBps != 100 {
		t.Fatalf("unlocked bandwidth = %d, want the user's 100", c.Effective.BandwidthKBps)
	}
	if c.Effective.CABundle != "/etc/ssl/amt.pem" {
		t.Fatalf("caBundle = %q", c.Effective.CABundle)
	}
	if err := c.Update(func(s *Settings) { s.Domain = "other.example" }); !errors.Is(err, ErrLocked) {
		t.Fatalf("changing a locked key: %v, want ErrLocked", err)
	}
	if err := c.Update(func(s *Settings) { s.BandwidthKBps = 42; s.Hosts = map[string]string{"files": "cloud.bund.example"} }); err != nil {
		t.Fatal(err)
	}
	c2, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Effective.BandwidthKBps != 42 || c2.Effective.Hosts["files"] != "cloud.bund.example" {
		t.Fatalf("after save and reload: %+v", c2.Effective)
	}
	// Windows has no mode bits (Go reports 0666 for every writable file); the
	// per-user folder under %APPDATA% is private by its ACL.
	if st, _ := os.Stat(c.UserFile); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("settings.json mode %v, want 0600", st.Mode().Perm())
	}
}

func TestInvalidConfigNamesFileKeyAndFixAndIsNotReset(t *testing.T) {
	cases := []struct{ admin, user, want string }{
		{"", `{"domain": 42}`, `"domain" must be a string`},
		{"", `{"domian": "x"}`, `"domian" is no setting`},
		{"", `{"domain": "https://x.org/"}`, `bare domain`},
		{"", "{\n\"domain\": \"x\",,\n}", `line 2`},
		{"", `{"caBundle": "/tmp/x.pem"}`, `only be set by an administrator`},
		{`{"locked": ["nonsense"]}`, "", `ask your IT administrator`},
		{"", `{"language": "fr"}`, `"language"`},
		{"", `{"extraOrigins": ["https://idp.example"]}`, `only be set by an administrator`},
		{`{"extraOrigins": ["http://idp.example/path"]}`, "", `https origin`},
	}
	for _, tc := range cases {
		p, defaults := setup(t, tc.admin, tc.user)
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("admin %s user %s: err = %v, want it to say %q", tc.admin, tc.user, err, tc.want)
			continue
		}
		file := filepath.Join(p.Config, "settings.json")
		if tc.admin != "" {
			file = defaults
		}
		if !strings.Contains(err.Error(), file) {
			t.Errorf("error %q does not name the file %s", err, file)
		}
		if tc.user != "" {
			if data, _ := os.ReadFile(filepath.Join(p.Config, "settings.json")); string(data) != tc.user {
				t.Errorf("the invalid settings file was changed: %q", data)
			}
		}
	}
}

func TestPathsPerOS(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	p, err := PathsFor("windows", env(map[string]string{"APPDATA": `C:\Users\eva\AppData\Roaming`, "LOCALAPPDATA": `C:\Users\eva\AppData\Local`}), "")
	if err != nil || p.Config != `C:\Users\eva\AppData\Roaming\Deskport` || p.Data != `C:\Users\eva\AppData\Local\Deskport` {
		t.Fatalf("windows: %+v %v", p, err)
	}
	if got := DefaultsPathFor("windows", env(map[string]string{"PROGRAMDATA": `D:\PD`})); got != `D:\PD\Deskport\defaults.json` {
		t.Fatalf("windows defaults: %s", got)
	}
	p, _ = PathsFor("linux", env(map[string]string{"XDG_DATA_HOME": "/x/data"}), "/home/eva")
	if p.Data != "/x/data/deskport" || p.Config != "/home/eva/.config/deskport" {
		t.Fatalf("linux: %+v", p)
	}
	p, _ = PathsFor("linux", env(map[string]string{HomeEnv: "/portable"}), "/home/eva")
	if p.Data != "/portable/data" || p.Logs != "/portable/logs" {
		t.Fatalf("override: %+v", p)
	}
	if _, err := PathsFor("windows", env(nil), ""); err == nil {
		t.Fatal("windows without APPDATA or USERPROFILE accepted")
	}
}

func TestFilesPollSeconds(t *testing.T) {
	p, _ := setup(t, `{"filesPollSeconds": 300}`, "")
	c, err := Load(p)
	if err != nil || c.Effective.FilesPollSeconds != 300 {
		t.Fatalf("admin's filesPollSeconds: %v, %+v", err, c)
	}
	p, _ = setup(t, "", `{"filesPollSeconds": 2}`)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "filesPollSeconds") {
		t.Fatalf("a 2 s poll (a request every 2 s per desktop) was accepted: %v", err)
	}
}
