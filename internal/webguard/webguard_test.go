package webguard

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// configOf pulls the JSON the guard was given back out of the script.
func configOf(t *testing.T, s string) jsConfig {
	t.Helper()
	i := strings.LastIndex(s, "})(")
	if i < 0 {
		t.Fatal("no config call in the script")
	}
	rest := s[i+3:]
	var c jsConfig
	if err := json.NewDecoder(strings.NewReader(rest)).Decode(&c); err != nil {
		t.Fatalf("config is not JSON: %v\n%s", err, rest)
	}
	return c
}

func TestScriptConfig(t *testing.T) {
	s := Script(Config{
		Allowed: []string{"https://Files.Example.org:443", "http://127.0.0.1:8081", "javascript:alert(1)", "https://xn--brgeramt-65a.example"},
		Shell:   "http://wails.localhost/",
		Meet:    "https://meet.example.org/room",
		Offline: "http://wails.localhost/#/home/offline/",
		Extra:   "/*switcher*/",
	})
	c := configOf(t, s)
	want := []string{"https://files.example.org", "http://127.0.0.1:8081", "https://xn--brgeramt-65a.example"}
	if strings.Join(c.Allowed, " ") != strings.Join(want, " ") {
		t.Errorf("allowed = %q, want %q", c.Allowed, want)
	}
	if c.ShellOrigin != "http://wails.localhost" || c.Home != "http://wails.localhost/#/home" ||
		c.Open != "http://wails.localhost/__deskport/open?u=" || c.Meet != "https://meet.example.org" ||
		c.Offline != "http://wails.localhost/#/home/offline/" || c.LeaveDelay != LeaveDelayMS {
		t.Errorf("config = %+v", c)
	}
	if !strings.HasSuffix(s, "\n;/*switcher*/\n") {
		t.Error("the switcher is not appended")
	}
	if strings.Contains(s, "__CONFIG__") {
		t.Error("placeholder left in the script")
	}
}

func TestScriptLinuxShellAndNoMeet(t *testing.T) {
	c := configOf(t, Script(Config{Shell: "wails://wails/"}))
	if c.ShellOrigin != "wails://wails" || c.Meet != "" || len(c.Allowed) != 0 || c.Offline != "wails://wails/#/home/offline/" {
		t.Errorf("config = %+v", c)
	}
	if b, _ := json.Marshal(c.Allowed); string(b) != "[]" {
		t.Errorf("allowed must be an empty array for indexOf, got %s", b)
	}
}

// Hostile strings must stay inside JSON strings: nothing can close the
// string, the call or a <script> element.
func TestScriptNoInjection(t *testing.T) {
	hostile := []string{
		`https://a.example.org"]});alert(1);//`,
		`https://a.example.org/</script><script>alert(1)</script>`,
		"https://a.example.org/\u2028alert(1)",
		`https://evil.example'+alert(1)+'`,
	}
	s := Script(Config{
		Allowed: hostile,
		Shell:   `http://wails.localhost/"});alert(2);//`,
		Meet:    `https://meet.example.org"});alert(3);//`,
		Offline: "http://wails.localhost/#/home/offline/</script>\u2029",
	})
	tail := s[strings.LastIndex(s, "})(")+3:]
	for _, bad := range []string{"alert(1);", "alert(2);", "alert(3);", "</script>", "\u2028", "\u2029"} {
		if strings.Contains(tail, bad) && !inJSONString(tail, bad) {
			t.Errorf("%q escapes the JSON config: %s", bad, tail)
		}
	}
	if strings.Contains(tail, "</script>") || strings.ContainsAny(tail, "\u2028\u2029") {
		t.Errorf("raw </script> or line separator in config: %s", tail)
	}
	c := configOf(t, s)
	for _, o := range c.Allowed {
		if strings.ContainsAny(o, `"'<>() `) {
			t.Errorf("hostile origin kept: %q", o)
		}
	}
	if c.Meet != "" && strings.ContainsAny(c.Meet, `"'<>()`) {
		t.Errorf("hostile meet kept: %q", c.Meet)
	}
	// The JSON decodes back to exactly what was put in (no truncation).
	if c.Offline != "http://wails.localhost/#/home/offline/</script>\u2029" {
		t.Errorf("offline = %q", c.Offline)
	}
}

// inJSONString reports whether every occurrence of sub in s lies inside a
// JSON string literal.
func inJSONString(s, sub string) bool {
	in, esc := false, false
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], sub) && !in {
			return false
		}
		c := s[i]
		switch {
		case esc:
			esc = false
		case c == '\\' && in:
			esc = true
		case c == '"':
			in = !in
		}
	}
	return true
}

func TestScriptIsOneExpressionPerRun(t *testing.T) {
	s := Script(Config{Shell: "http://wails.localhost/"})
	c := configOf(t, s)
	if !strings.HasPrefix(c.Key, "__deskportGuard_") || len(c.Key) < 30 {
		t.Errorf("state key %q is not a random per-run name", c.Key)
	}
	if c2 := configOf(t, Script(Config{Shell: "http://wails.localhost/"})); c2.Key != c.Key {
		t.Error("the key must stay the same within a run (the guard is idempotent by it)")
	}
	if c3 := configOf(t, Script(Config{Key: "k1"})); c3.Key != "k1" {
		t.Error("Config.Key not used")
	}
}

// With the engine's hooks (Windows) the guard leaves links, forms and
// window.open to the engine and defers the switcher until the document
// exists (it runs at document creation); both variants are valid scripts.
func TestScriptHostMode(t *testing.T) {
	base := Config{Shell: "http://wails.localhost/", Allowed: []string{"https://files.example.org"}, Extra: "window.__switcher = 1;"}
	host := base
	host.Host = true
	hs, ps := Script(host), Script(base)
	if !configOf(t, hs).Host || configOf(t, ps).Host {
		t.Fatal("the host flag does not reach the script")
	}
	if !strings.Contains(hs, "addEventListener('DOMContentLoaded', run)") || strings.Contains(ps, "DOMContentLoaded', run)") {
		t.Error("the switcher is deferred in the wrong mode")
	}
	if !strings.Contains(guardJS, "if (!cfg.host && !g.routed)") {
		t.Error("the guard no longer skips its link, form and window.open routing in host mode")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to check the guard's syntax (scripts/deps.sh installs it)")
	}
	for name, s := range map[string]string{"host": hs, "page": ps} {
		f := filepath.Join(t.TempDir(), name+".js")
		if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("%s guard is not valid JavaScript: %v\n%s", name, err, out)
		}
	}
}
