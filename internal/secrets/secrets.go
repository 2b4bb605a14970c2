// Package secrets keeps Deskport's credentials in the OS keyring (Secret
// Service on Linux, Credential Manager on Windows) and nowhere else: there is
// no plaintext fallback.
package secrets

import "errors"

// Service is the keyring service name every Deskport secret is stored under.
const Service = "Deskport"

// ErrNotFound means the keyring holds no secret under that key.
var ErrNotFound = errors.New("secrets: not found in the keyring")

// Store is a keyring. Keys are free-form, e.g. "files/alice@files.example.org".
type Store interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}
