//go:build !windows

package folder

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive lock that the OS drops when the process dies
// (kill -9 included), so a crash never leaves the folder locked.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
