package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Settings are what a user can set and an administrator can pre-set. Every
// field is optional: the zero value means "Deskport's default".
type Settings struct {
	Domain     string            `json:"domain,omitempty"`     // the suite's domain, e.g. "example.org"
	Hosts      map[string]string `json:"hosts,omitempty"`      // per-app host overrides: {"files": "cloud.example.org"}
	SyncFolder string            `json:"syncFolder,omitempty"` // the local folder synced with the suite's files
	// Mail cache policy.
	MailBodyDays        int `json:"mailBodyDays,omitempty"`        // bodies cached for the last N days (default 90)
	MailAttachmentMaxKB int `json:"mailAttachmentMaxKB,omitempty"` // attachments up to this size are cached
	// Networking.
	BandwidthKBps int    `json:"bandwidthKBps,omitempty"` // upload/download limit, 0 = none
	Proxy         string `json:"proxy,omitempty"`         // "http://proxy:3128"; empty = system proxy
	CABundle      string `json:"caBundle,omitempty"`      // extra PEM CA certificates (admin defaults only)
	// ExtraOrigins may load in the window besides the suite's own hosts, e.g.
	// a federated identity provider on another domain (admin defaults only).
	ExtraOrigins []string `json:"extraOrigins,omitempty"`
	Language     string   `json:"language,omitempty"` // "de", "en" or "" for the OS language
	Ignore       []string `json:"ignore,omitempty"`   // extra file-sync ignore patterns
	LogLevel     string   `json:"logLevel,omitempty"` // "debug", "info" (default), "warn"
	// NoShareLinks turns "Copy share link" off (admin defaults only).
	NoShareLinks bool `json:"noShareLinks,omitempty"`

	// FilesPollSeconds: how often file sync asks the server for changes while
	// no push connection (Nextcloud notify_push) is up; 0 = 60.
	FilesPollSeconds int `json:"filesPollSeconds,omitempty"`
}

// adminOnly are keys a user's settings.json may not set.
var adminOnly = map[string]bool{"caBundle": true, "extraOrigins": true, "noShareLinks": true}

// Defaults is the administrator's system-wide file.
type Defaults struct {
	Settings
	// Locked lists setting keys (JSON names) users cannot change.
	Locked []string `json:"locked,omitempty"`
}

// Config is the merged view: the admin's defaults under the user's settings,
// except for locked keys, where the admin's value wins.
type Config struct {
	Paths        Paths
	UserFile     string
	DefaultsFile string
	User         Settings // as in the user's file
	Admin        Defaults // as in the admin's file
	Effective    Settings
}

// DefaultsEnv points at another admin defaults file (tests, portable installs).
const DefaultsEnv = "DESKPORT_DEFAULTS"

// DefaultsPath is where administrators put defaults on this OS.
func DefaultsPath() string {
	if p := os.Getenv(DefaultsEnv); p != "" {
		return p
	}
	return DefaultsPathFor(runtime.GOOS, os.Getenv)
}

// DefaultsPathFor is DefaultsPath for any OS, for tests.
func DefaultsPathFor(goos string, getenv func(string) string) string {
	if goos == "windows" {
		pd := getenv("PROGRAMDATA")
		if pd == "" {
			pd = `C:\ProgramData`
		}
		return winJoin(pd, AppName, "defaults.json")
	}
	return "/etc/deskport/defaults.json"
}

// Load reads the admin defaults and the user's settings. A missing file is
// fine; an invalid one is an error naming the file, the key and the fix, and
// nothing is reset or rewritten.
func Load(p Paths) (*Config, error) {
	c := &Config{Paths: p, UserFile: filepath.Join(p.Config, "settings.json"), DefaultsFile: DefaultsPath()}
	if err := readJSON(c.DefaultsFile, &c.Admin, "ask your IT administrator to correct it"); err != nil {
		return nil, err
	}
	for _, k := range c.Admin.Locked {
		if !isKey(k) {
			return nil, fmt.Errorf("config: %s: \"locked\" names %q, which is no setting (known: %s): ask your IT administrator to correct it", c.DefaultsFile, k, strings.Join(keys(), ", "))
		}
	}
	if err := readJSON(c.UserFile, &c.User, "correct it or move it aside; Deskport will not overwrite it"); err != nil {
		return nil, err
	}
	raw, _ := readRaw(c.UserFile)
	for k := range raw {
		if adminOnly[k] {
			return nil, fmt.Errorf("config: %s: %q can only be set by an administrator in %s: remove it from your settings", c.UserFile, k, c.DefaultsFile)
		}
	}
	if err := validate(c.UserFile, &c.User); err != nil {
		return nil, err
	}
	if err := validate(c.DefaultsFile, &c.Admin.Settings); err != nil {
		return nil, err
	}
	c.merge()
	return c, nil
}

// IsLocked reports whether the admin locked key (a JSON name).
func (c *Config) IsLocked(key string) bool {
	for _, k := range c.Admin.Locked {
		if k == key {
			return true
		}
	}
	return false
}

// ErrLocked is returned when a user tries to change a locked setting.
var ErrLocked = errors.New("config: this setting is locked by your administrator")

// Update changes the user's settings with fn and saves them atomically.
// Changing a locked key fails with ErrLocked and saves nothing.
func (c *Config) Update(fn func(s *Settings)) error {
	next := c.User
	next.Hosts = cloneMap(c.User.Hosts)
	next.Ignore = append([]string(nil), c.User.Ignore...)
	fn(&next)
	before, after := toMap(c.User), toMap(next)
	for _, k := range keys() {
		if !bytes.Equal(before[k], after[k]) {
			if c.IsLocked(k) {
				return fmt.Errorf("%w: %q (set in %s)", ErrLocked, k, c.DefaultsFile)
			}
			if adminOnly[k] {
				return fmt.Errorf("config: %q can only be set by an administrator in %s", k, c.DefaultsFile)
			}
		}
	}
	if err := validate(c.UserFile, &next); err != nil {
		return err
	}
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(c.UserFile, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("config: saving %s: %w", c.UserFile, err)
	}
	c.User = next
	c.merge()
	return nil
}

func (c *Config) merge() {
	admin, user := toMap(c.Admin.Settings), toMap(c.User)
	out := map[string]json.RawMessage{}
	for k, v := range admin {
		out[k] = v
	}
	for k, v := range user {
		if !c.IsLocked(k) {
			out[k] = v
		}
	}
	data, _ := json.Marshal(out)
	c.Effective = Settings{}
	json.Unmarshal(data, &c.Effective)
}

func validate(file string, s *Settings) error {
	bad := func(key, why string) error {
		return fmt.Errorf("config: %s: %q %s", file, key, why)
	}
	if s.Domain != "" && (strings.Contains(s.Domain, "/") || strings.Contains(s.Domain, " ")) {
		return bad("domain", "must be a bare domain like \"example.org\", without https:// or a path")
	}
	for app, h := range s.Hosts {
		if _, rest, ok := strings.Cut(h, "://"); ok {
			h = rest
		}
		if h == "" || strings.ContainsAny(strings.TrimSuffix(h, "/"), "/ ") {
			return bad("hosts."+app, "must be a host name like \"files.example.org\" or an origin like \"https://cloud.example.org:8443\"")
		}
	}
	if s.MailBodyDays < 0 {
		return bad("mailBodyDays", "must be 0 (default) or a positive number of days")
	}
	if s.MailAttachmentMaxKB < 0 || s.BandwidthKBps < 0 {
		return bad("mailAttachmentMaxKB/bandwidthKBps", "must not be negative")
	}
	if s.FilesPollSeconds != 0 && (s.FilesPollSeconds < 10 || s.FilesPollSeconds > 86400) {
		return bad("filesPollSeconds", "must be a number of seconds from 10 to 86400, or 0 for the default (60)")
	}
	switch s.Language {
	case "", "de", "en":
	default:
		return bad("language", "must be \"de\", \"en\" or empty for the system language")
	}
	switch s.LogLevel {
	case "", "debug", "info", "warn", "error":
	default:
		return bad("logLevel", "must be one of debug, info, warn, error")
	}
	for _, o := range s.ExtraOrigins {
		u, err := url.Parse(o)
		if err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") || u.User != nil {
			return bad("extraOrigins", fmt.Sprintf("entry %q must be an https origin like \"https://login.example.org\"", o))
		}
	}
	if s.SyncFolder != "" && !filepath.IsAbs(s.SyncFolder) && !strings.Contains(s.SyncFolder, `:\`) {
		return bad("syncFolder", "must be an absolute path")
	}
	return nil
}

func readRaw(path string) (map[string]json.RawMessage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]json.RawMessage{}
	err = json.Unmarshal(data, &m)
	return m, err
}

func readJSON(path string, v interface{}, fix string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: cannot read %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return fmt.Errorf("config: cannot read %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			return fmt.Errorf("config: %s: %q must be a %s, not a JSON %s: %s", path, te.Field, te.Type, te.Value, fix)
		case errors.As(err, &se):
			line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
			return fmt.Errorf("config: %s is not valid JSON (line %d: %v): %s", path, line, se, fix)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			k := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return fmt.Errorf("config: %s: %q is no setting (known: %s): %s", path, k, strings.Join(keys(), ", "), fix)
		}
		return fmt.Errorf("config: %s: %v: %s", path, err, fix)
	}
	return nil
}

func toMap(s Settings) map[string]json.RawMessage {
	data, _ := json.Marshal(s)
	m := map[string]json.RawMessage{}
	json.Unmarshal(data, &m)
	return m
}

func keys() []string {
	var out []string
	t := Settings{Hosts: map[string]string{"x": "y"}, Ignore: []string{"x"}, Domain: "x", SyncFolder: "x", MailBodyDays: 1,
		MailAttachmentMaxKB: 1, BandwidthKBps: 1, Proxy: "x", CABundle: "x", Language: "x", LogLevel: "x", ExtraOrigins: []string{"x"}, NoShareLinks: true}
	t.FilesPollSeconds = 1
	for k := range toMap(t) {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func isKey(k string) bool {
	for _, x := range keys() {
		if x == k {
			return true
		}
	}
	return false
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// WriteFileAtomic writes data to a temp file beside path, fsyncs it and
// renames it over path, so a crash leaves the old file or the new one.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
