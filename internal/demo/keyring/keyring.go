// Package keyring is the demo's keyring: secrets.Store in memory, so that
// the demo's passwords go through the same interface as real ones and
// vanish with the process. Only the demo uses it.
package keyring

import (
	"sync"

	"github.com/deskport/deskport/internal/secrets"
)

// Memory is an in-memory secrets.Store.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

var _ secrets.Store = (*Memory)(nil)

// New returns an empty store.
func New() *Memory { return &Memory{m: map[string]string{}} }

func (k *Memory) Get(key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (k *Memory) Set(key, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[key] = value
	return nil
}

func (k *Memory) Delete(key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[key]; !ok {
		return secrets.ErrNotFound
	}
	delete(k.m, key)
	return nil
}
