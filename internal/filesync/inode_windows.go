//go:build windows

package filesync

import (
	"io/fs"

	"golang.org/x/sys/windows"
)

// inodeOf is the NTFS file index (stable across renames on one volume),
// read with a handle that asks for no access, so files open in other apps
// (Office locks them) work too. 0 when it cannot be read: that file's
// moves are then synced as delete + upload.
func inodeOf(path string, fi fs.FileInfo) uint64 {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0
	}
	h, err := windows.CreateFile(p, 0, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS|windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err != nil {
		return 0
	}
	defer windows.CloseHandle(h)
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &info); err != nil {
		return 0
	}
	return uint64(info.FileIndexHigh)<<32 | uint64(info.FileIndexLow)
}
