// Package logging writes Deskport's structured logs (log/slog, JSON lines)
// to a size-capped, rotated file under the logs folder, and keeps secrets out
// of them: attributes with secret-sounding keys are redacted, and values
// registered with Secret are scrubbed from every message and attribute.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileName is the current log file inside the logs folder.
const FileName = "deskport.log"

// Rotator is an io.Writer that starts a new file when the current one would
// pass MaxBytes, keeping Keep old ones (deskport.log.1 … .Keep).
type Rotator struct {
	Path     string
	MaxBytes int64
	Keep     int

	mu   sync.Mutex
	f    *os.File
	size int64
}

func (r *Rotator) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		if err := r.open(); err != nil {
			return 0, err
		}
	}
	if r.size+int64(len(p)) > r.MaxBytes && r.size > 0 {
		r.f.Close()
		for i := r.Keep - 1; i >= 1; i-- {
			os.Rename(fmt.Sprintf("%s.%d", r.Path, i), fmt.Sprintf("%s.%d", r.Path, i+1))
		}
		if r.Keep > 0 {
			os.Rename(r.Path, r.Path+".1")
		} else {
			os.Remove(r.Path)
		}
		if err := r.open(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *Rotator) open() error {
	if err := os.MkdirAll(filepath.Dir(r.Path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(r.Path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	st, _ := f.Stat()
	r.f, r.size = f, st.Size()
	return nil
}

// Close closes the current file.
func (r *Rotator) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

var (
	secretsMu sync.RWMutex
	secretSet = map[string]bool{}
)

// Secret registers a value (a password, a token) that must never appear in a
// log line: it is replaced by [REDACTED] wherever it shows up.
func Secret(v string) {
	if len(v) < 4 { // too short to scrub without mangling ordinary text
		return
	}
	secretsMu.Lock()
	secretSet[v] = true
	secretsMu.Unlock()
}

// Scrub replaces every registered secret in s.
func Scrub(s string) string {
	secretsMu.RLock()
	defer secretsMu.RUnlock()
	for v := range secretSet {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, "[REDACTED]")
		}
	}
	return s
}

var secretKeys = []string{"password", "passwd", "secret", "token", "authorization", "cookie", "apppassword", "credential"}

func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range secretKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

func redact(groups []string, a slog.Attr) slog.Attr {
	if isSecretKey(a.Key) {
		return slog.String(a.Key, "[REDACTED]")
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Scrub(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, Scrub(err.Error()))
		}
		return slog.String(a.Key, Scrub(fmt.Sprint(a.Value.Any())))
	}
	return a
}

type scrubHandler struct{ slog.Handler }

func (h scrubHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Message = Scrub(r.Message)
	return h.Handler.Handle(ctx, r)
}
func (h scrubHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return scrubHandler{h.Handler.WithAttrs(as)}
}
func (h scrubHandler) WithGroup(name string) slog.Handler {
	return scrubHandler{h.Handler.WithGroup(name)}
}

// New returns a logger writing JSON lines to w at level, with redaction.
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(scrubHandler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redact})})
}

// ParseLevel maps the logLevel setting to a slog level.
func ParseLevel(s string) slog.Level {
	switch s {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Setup makes the default slog logger write to logsDir/deskport.log, capped
// at 5 MiB per file with 3 old files kept. Close the returned Rotator at exit.
func Setup(logsDir string, level slog.Level) *Rotator {
	r := &Rotator{Path: filepath.Join(logsDir, FileName), MaxBytes: 5 << 20, Keep: 3}
	slog.SetDefault(New(r, level))
	return r
}
