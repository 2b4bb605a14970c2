package secrets

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// backend is the raw keyring: go-keyring, or a fake in tests.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, value string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (goKeyring) Set(s, u, v string) error        { return keyring.Set(s, u, v) }
func (goKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// MaxChunk is the largest value stored in one keyring entry. Windows
// Credential Manager takes at most 2,560 bytes per credential blob.
const MaxChunk = 2560

const chunkHeader = "deskport-chunks:"

// Keyring is the Store over the OS keyring.
type Keyring struct {
	be      backend
	service string
	timeout time.Duration
	goos    string
	getenv  func(string) string
}

// NewKeyring returns the OS keyring with a 10-second timeout per call.
func NewKeyring() *Keyring {
	return &Keyring{be: goKeyring{}, service: Service, timeout: 10 * time.Second, goos: runtime.GOOS, getenv: os.Getenv}
}

// WithTimeout returns a copy whose calls give up after d.
func (k *Keyring) WithTimeout(d time.Duration) *Keyring {
	c := *k
	c.timeout = d
	return &c
}

func (k *Keyring) Get(key string) (string, error) {
	first, err := k.get(key)
	if err != nil {
		return "", err
	}
	n, ok := chunkCount(first)
	if !ok {
		return first, nil
	}
	var b strings.Builder
	for i := 1; i <= n; i++ {
		part, err := k.get(chunkKey(key, i))
		if errors.Is(err, ErrNotFound) {
			return "", fmt.Errorf("secrets: %q is damaged (part %d of %d is missing): sign in again to store it anew", key, i, n)
		}
		if err != nil {
			return "", err
		}
		b.WriteString(part)
	}
	return b.String(), nil
}

func (k *Keyring) Set(key, value string) error {
	if key == "" {
		return errors.New("secrets: empty key")
	}
	old, oldErr := k.get(key)
	oldN, _ := chunkCount(old)
	parts := split(value, MaxChunk)
	if len(parts) == 1 && !strings.HasPrefix(value, chunkHeader) {
		if err := k.set(key, value); err != nil {
			return err
		}
	} else {
		// Parts first, header last: a crash in between leaves the old value
		// readable or the new one whole.
		for i, p := range parts {
			if err := k.set(chunkKey(key, i+1), p); err != nil {
				return err
			}
		}
		if err := k.set(key, chunkHeader+strconv.Itoa(len(parts))); err != nil {
			return err
		}
	}
	if oldErr == nil {
		newN := 0
		if len(parts) > 1 || strings.HasPrefix(value, chunkHeader) {
			newN = len(parts)
		}
		for i := newN + 1; i <= oldN; i++ {
			k.del(chunkKey(key, i))
		}
	}
	return nil
}

func (k *Keyring) Delete(key string) error {
	first, err := k.get(key)
	if err != nil {
		return err
	}
	if n, ok := chunkCount(first); ok {
		for i := 1; i <= n; i++ {
			if err := k.del(chunkKey(key, i)); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
	}
	return k.del(key)
}

func chunkKey(key string, i int) string { return key + "#" + strconv.Itoa(i) }

func chunkCount(v string) (int, bool) {
	if !strings.HasPrefix(v, chunkHeader) {
		return 0, false
	}
	n, err := strconv.Atoi(v[len(chunkHeader):])
	return n, err == nil && n > 0
}

// split cuts s into pieces of at most max bytes, never inside a UTF-8
// sequence (the Secret Service carries strings).
func split(s string, max int) []string {
	if len(s) <= max {
		return []string{s}
	}
	var out []string
	for len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return append(out, s)
}

func (k *Keyring) get(key string) (string, error) {
	var v string
	err := k.call("read", func() error {
		var err error
		v, err = k.be.Get(k.service, key)
		return err
	})
	return v, err
}

func (k *Keyring) set(key, value string) error {
	return k.call("store", func() error { return k.be.Set(k.service, key, value) })
}

func (k *Keyring) del(key string) error {
	return k.call("delete", func() error { return k.be.Delete(k.service, key) })
}

// call runs one keyring operation with the timeout and turns its errors into
// ones that say what to do.
func (k *Keyring) call(what string, fn func() error) error {
	if err := k.reachable(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return k.explain(what, err)
	case <-time.After(k.timeout):
		// The goroutine stays blocked on the prompt; the app goes on.
		return fmt.Errorf("%w: the keyring did not answer within %s (an unlock prompt may be waiting): unlock your keyring, then try again", ErrLocked, k.timeout)
	}
}

// reachable refuses to talk to the Secret Service without a session bus:
// D-Bus would otherwise auto-launch a daemon that outlives Deskport.
func (k *Keyring) reachable() error {
	if k.goos != "linux" && k.goos != "freebsd" && k.goos != "openbsd" && k.goos != "netbsd" {
		return nil
	}
	if _, fake := k.be.(goKeyring); !fake {
		return nil
	}
	if k.getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return fmt.Errorf("%w: there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set): start Deskport from a desktop session, or run it inside dbus-run-session with gnome-keyring-daemon", ErrNoService)
	}
	return nil
}

func (k *Keyring) explain(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) || errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("secrets: the value is too large for this keyring even in chunks: %w", err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "org.freedesktop.secrets") || strings.Contains(msg, "ServiceUnknown") ||
		strings.Contains(msg, "was not provided by any .service files"):
		return fmt.Errorf("%w: no Secret Service answers on D-Bus: install and start gnome-keyring (apt-get install gnome-keyring) or enable KeePassXC's Secret Service integration, then sign in again", ErrNoService)
	case strings.Contains(msg, "failed to unlock") || strings.Contains(msg, "IsLocked") || strings.Contains(msg, "locked"):
		return fmt.Errorf("%w: unlocking was refused or dismissed: unlock your keyring (for GNOME: Passwords and Keys, \"login\" keyring) and try again", ErrLocked)
	case strings.Contains(msg, "Element not found") || strings.Contains(msg, "credential"):
		return fmt.Errorf("secrets: Windows Credential Manager could not %s the secret: %w", what, err)
	}
	return fmt.Errorf("secrets: could not %s the secret in the keyring: %w", what, err)
}
