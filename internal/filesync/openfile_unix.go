//go:build !windows

package filesync

import (
	"errors"
	"os"
	"syscall"
)

// openNoFollow opens the file at p for reading, refusing a symlink at the
// last component (O_NOFOLLOW: one system call, so a link swapped in after
// the scan cannot redirect it) and never blocking on a FIFO swapped in.
func openNoFollow(p string) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK) { // EMLINK: FreeBSD's answer
		return nil, errIsLink
	}
	return f, err
}
