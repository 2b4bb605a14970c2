package logging

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretsNeverReachTheFile(t *testing.T) {
	dir := t.TempDir()
	r := &Rotator{Path: filepath.Join(dir, FileName), MaxBytes: 1 << 20, Keep: 2}
	log := New(r, slog.LevelDebug)
	const pw = "Tr0ub4dor&3-app-pw"
	Secret(pw)
	log.Info("login as alice with "+pw, "user", "alice", "password", "hunter22", "AppPassword", "xyz-secret-value",
		"url", "https://alice:"+pw+"@files.example.org/", "err", errors.New("auth failed for "+pw))
	log.With("authorization", "Basic abc").Warn("request")
	r.Close()
	data, _ := os.ReadFile(r.Path)
	for _, bad := range []string{pw, "hunter22", "xyz-secret-value", "Basic abc"} {
		if strings.Contains(string(data), bad) {
			t.Fatalf("log holds %q:\n%s", bad, data)
		}
	}
	if !strings.Contains(string(data), `"user":"alice"`) || !strings.Contains(string(data), "[REDACTED]") {
		t.Fatalf("log lost ordinary fields or redaction marks:\n%s", data)
	}
	if st, _ := os.Stat(r.Path); st.Mode().Perm() != 0o600 {
		t.Fatalf("log mode %v", st.Mode().Perm())
	}
}

func TestRotationCapsTheSize(t *testing.T) {
	dir := t.TempDir()
	r := &Rotator{Path: filepath.Join(dir, FileName), MaxBytes: 4096, Keep: 2}
	log := New(r, slog.LevelInfo)
	for i := 0; i < 500; i++ {
		log.Info("sync pass", "i", i, "files", strings.Repeat("x", 40))
	}
	r.Close()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("files: %v, want the log and 2 old ones", entries)
	}
	for _, e := range entries {
		st, _ := os.Stat(filepath.Join(dir, e.Name()))
		if st.Size() > 4096 {
			t.Fatalf("%s is %d bytes, over the cap", e.Name(), st.Size())
		}
	}
	data, _ := os.ReadFile(r.Path)
	if !strings.Contains(string(data), `"i":499`) {
		t.Fatal("the newest line is not in the current file")
	}
}
