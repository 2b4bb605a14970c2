//go:build windows

package filesync

import "io/fs"

// inodeOf is 0 on Windows: the file index needs an open handle per file,
// so local moves there are synced as delete + upload (the server keeps
// the old version in its trash). Remote moves still use file ids.
func inodeOf(fi fs.FileInfo) uint64 { return 0 }
