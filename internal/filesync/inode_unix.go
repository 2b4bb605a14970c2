//go:build !windows

package filesync

import (
	"io/fs"
	"syscall"
)

func inodeOf(_ string, fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
