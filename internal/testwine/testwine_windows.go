// Package testwine adapts Windows test binaries to Wine 8 (Debian 12's only
// Wine), which runs them in make test (scripts/e2e-windows-engines.sh). Test
// files import it for its side effect; it changes nothing on real Windows.
//
// Go's os.RemoveAll on Windows deletes with FILE_DISPOSITION_POSIX_SEMANTICS
// (NtSetInformationFile class 64). Wine 8 does not implement that class and
// answers STATUS_NOT_IMPLEMENTED ("Invalid function"), which Go does not
// treat as "unsupported", so every t.TempDir cleanup fails. Go already has the
// classic delete for Windows versions and file systems without POSIX
// semantics; under Wine this package switches Go to it. Linking needs
// -ldflags=-checklinkname=0 (the variable is internal to the standard library).
package testwine

import (
	"syscall"
	_ "unsafe" // go:linkname
)

//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

// UnderWine reports whether the program runs under Wine (its ntdll exports
// wine_get_version; Windows' does not).
func UnderWine() bool {
	return syscall.NewLazyDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

func init() {
	if UnderWine() {
		deleteatFallback = true
	}
}
