//go:build !windows

package mailcache

import (
	"os"
	"syscall"
)

// tryLockFile takes an exclusive lock on f's open file (flock: two opens in
// one process exclude each other too) or fails at once.
func tryLockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
