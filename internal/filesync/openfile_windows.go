//go:build windows

package filesync

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// openNoFollow opens the file at p for reading without following a
// symlink or junction at the last component: the handle is opened on the
// reparse point itself (FILE_FLAG_OPEN_REPARSE_POINT) and refused if that
// is a link, so a link swapped in after the scan cannot redirect the read.
// Other reparse points (cloud placeholders, deduplicated files) are files:
// they are opened again normally, and must still be the same file.
func openNoFollow(p string) (*os.File, error) {
	name, err := windows.UTF16PtrFromString(p)
	if err != nil {
		return nil, err
	}
	open := func(flags uint32) (windows.Handle, windows.ByHandleFileInformation, error) {
		var info windows.ByHandleFileInformation
		h, err := windows.CreateFile(name, windows.GENERIC_READ, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
			nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL|flags, 0)
		if err != nil {
			return 0, info, &os.PathError{Op: "open", Path: p, Err: err}
		}
		if err := windows.GetFileInformationByHandle(h, &info); err != nil {
			windows.CloseHandle(h)
			return 0, info, &os.PathError{Op: "open", Path: p, Err: err}
		}
		return h, info, nil
	}
	h, info, err := open(windows.FILE_FLAG_OPEN_REPARSE_POINT)
	if err != nil {
		return nil, err
	}
	if info.FileAttributes&windows.FILE_ATTRIBUTE_REPARSE_POINT == 0 {
		return os.NewFile(uintptr(h), p), nil
	}
	var tag struct{ FileAttributes, ReparseTag uint32 } // FILE_ATTRIBUTE_TAG_INFO
	err = windows.GetFileInformationByHandleEx(h, windows.FileAttributeTagInfo, (*byte)(unsafe.Pointer(&tag)), uint32(unsafe.Sizeof(tag)))
	windows.CloseHandle(h)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: p, Err: err}
	}
	if tag.ReparseTag&0x20000000 != 0 { // a name surrogate: symlink, junction, ...
		return nil, errIsLink
	}
	h2, info2, err := open(0)
	if err != nil {
		return nil, err
	}
	if info2.VolumeSerialNumber != info.VolumeSerialNumber || info2.FileIndexHigh != info.FileIndexHigh || info2.FileIndexLow != info.FileIndexLow {
		windows.CloseHandle(h2)
		return nil, errIsLink // replaced between the two opens
	}
	return os.NewFile(uintptr(h2), p), nil
}
