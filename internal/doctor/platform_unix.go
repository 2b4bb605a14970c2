//go:build !windows

package doctor

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// FindWebKit looks for the WebKitGTK 4.1 library Deskport's window needs.
func FindWebKit() (string, error) {
	for _, pat := range []string{"/usr/lib/*/libwebkit2gtk-4.1.so.0", "/usr/lib64/libwebkit2gtk-4.1.so.0", "/usr/lib/libwebkit2gtk-4.1.so.0"} {
		if m, _ := filepath.Glob(pat); len(m) > 0 {
			return "WebKitGTK 4.1 (" + m[0] + ")", nil
		}
	}
	return "", fmt.Errorf("WebKitGTK 4.1 (libwebkit2gtk-4.1.so.0) is not installed; the window cannot open, headless commands still work")
}

func freeBytes(dir string) (uint64, bool) {
	var st unix.Statfs_t
	if unix.Statfs(dir, &st) != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}
