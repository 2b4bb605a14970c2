// Package names decides which file names Deskport may write on disk and how
// names from different systems relate. Everything here is a plain function of
// strings, so the Windows rules are tested on Linux too.
package names

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxNameBytes is the longest single name written locally (NTFS and ext4: 255).
const MaxNameBytes = 255

// CheckComponent validates one name received from the server before anything
// is created locally under it. goos is "windows", "linux", … (runtime.GOOS).
// The error says why and what to do; it never means the whole sync stops.
func CheckComponent(name, goos string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name from the server")
	case name == "." || name == "..":
		return fmt.Errorf("name %q would leave its folder; rename it on the server", name)
	case strings.ContainsRune(name, 0):
		return fmt.Errorf("name %q contains a NUL byte; rename it on the server", name)
	case strings.ContainsRune(name, '/'):
		return fmt.Errorf("name %q contains '/'; rename it on the server", name)
	case !utf8.ValidString(name):
		return fmt.Errorf("name %q is not valid UTF-8; rename it on the server", name)
	case len(name) > MaxNameBytes:
		return fmt.Errorf("name %.40q… is longer than %d bytes; shorten it on the server", name, MaxNameBytes)
	}
	if goos == "windows" {
		if why := WindowsProblem(name); why != "" {
			return fmt.Errorf("name %q cannot exist on Windows (%s); rename it on the server", name, why)
		}
	}
	return nil
}

// CheckPath validates a relative, slash-separated path: every component by
// CheckComponent, no leading slash, no drive letter.
func CheckPath(rel, goos string) error {
	if rel == "" {
		return fmt.Errorf("empty path")
	}
	if strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, `\`) {
		return fmt.Errorf("absolute path %q from the server; rename it on the server", rel)
	}
	if goos == "windows" && len(rel) >= 2 && rel[1] == ':' {
		return fmt.Errorf("path %q names a drive; rename it on the server", rel)
	}
	for _, c := range strings.Split(rel, "/") {
		if err := CheckComponent(c, goos); err != nil {
			return err
		}
	}
	return nil
}

var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}

// WindowsProblem returns why name is invalid on Windows, or "".
func WindowsProblem(name string) string {
	for _, r := range name {
		if r < 32 {
			return "control character"
		}
		if strings.ContainsRune(`<>:"/\|?*`, r) {
			return fmt.Sprintf("character %q", r)
		}
	}
	if strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
		return "trailing dot or space"
	}
	base := name
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.ToUpper(strings.TrimRight(base, " "))
	if windowsReserved[base] {
		return "reserved device name " + base
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		return "reserved device name " + base
	}
	if strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT") {
		if rest := base[3:]; rest == "¹" || rest == "²" || rest == "³" {
			return "reserved device name " + base
		}
	}
	return ""
}

// FoldKey is the key under which a case-insensitive file system (Windows)
// sees a path: two remote paths with the same FoldKey cannot both exist there.
func FoldKey(rel string) string { return strings.ToLower(rel) }

// CaseClashes returns, for paths that collide on a case-insensitive file
// system, each loser mapped to the path that keeps the name. The winner is the
// one that sorts first, so the choice is stable between runs.
func CaseClashes(paths []string) map[string]string {
	first := map[string]string{}
	out := map[string]string{}
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	for _, p := range sorted {
		k := FoldKey(p)
		if w, ok := first[k]; ok {
			out[p] = w
			continue
		}
		first[k] = p
	}
	return out
}

// ConflictName is the name the local version of a conflicting file gets:
// "report (conflicted copy 2026-01-02 150405).odt" in the same folder.
func ConflictName(rel string, at time.Time) string { return ConflictNameN(rel, at, 1) }

// ConflictNameN is the n-th conflict name of that second: for n > 1
// "report (conflicted copy 2026-01-02 150405 2).odt", for when a copy made
// in the same second already has the first.
func ConflictNameN(rel string, at time.Time, n int) string {
	dir, base := path.Split(rel)
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	if stem == "" { // ".bashrc"
		stem, ext = base, ""
	}
	stamp := at.Format("2006-01-02 150405")
	if n > 1 {
		stamp += " " + strconv.Itoa(n)
	}
	return dir + stem + " (conflicted copy " + stamp + ")" + ext
}

// IsConflictCopy reports whether rel looks like a name made by ConflictName.
func IsConflictCopy(rel string) bool { return strings.Contains(path.Base(rel), " (conflicted copy ") }
