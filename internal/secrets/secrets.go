// Package secrets keeps Deskport's credentials in the OS keyring (Secret
// Service on Linux, Credential Manager on Windows) and nowhere else: there is
// no plaintext fallback. Every call has a timeout, so an unanswered unlock
// prompt never hangs the app, and large values are split into chunks that fit
// Windows Credential Manager.
package secrets

import (
	"errors"
)

// Service is the keyring service name every Deskport secret is stored under.
const Service = "Deskport"

// ErrNotFound means the keyring holds no secret under that key.
var ErrNotFound = errors.New("secrets: not found in the keyring")

// ErrNoService means there is no keyring to talk to. The error returned
// wraps it with what to install.
var ErrNoService = errors.New("secrets: no keyring service")

// ErrLocked means the keyring is locked (or its unlock prompt was dismissed
// or not answered in time).
var ErrLocked = errors.New("secrets: the keyring is locked")

// Store is a keyring. Keys are free-form, e.g. "files/alice@files.example.org".
type Store interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}
