package app

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/deskport/deskport/internal/filesync/names"
)

// SafeFileName turns the file name a mail gives an attachment into one that
// is safe to offer in the save dialog on any system: no path (separators
// become "_", so "../../x" cannot climb), no control or bidi-override
// characters ("rechnung\u202Efdp.exe"), no characters Windows forbids, no
// leading dots (hidden files, ".."), no reserved device names (CON, NUL.txt,
// COM1, ...), at most names.MaxNameBytes bytes with the extension kept.
// mimeType gives an extension when the name is empty.
func SafeFileName(name, mimeType string) string {
	name = strings.ToValidUTF8(name, "_")
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || strings.ContainsRune(`<>:"|?*`, r):
			b.WriteRune('_')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// control characters: dropped
		case unicode.Is(unicode.Bidi_Control, r) || r == '\u200b' || r == '\ufeff':
			// bidi overrides and invisible characters that disguise an extension
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	n := strings.Join(strings.Fields(b.String()), " ")
	n = strings.TrimLeft(n, ". ")
	n = strings.TrimRight(n, ". ")
	if n == "" || strings.Trim(n, "_") == "" {
		n = "attachment" + extFor(mimeType)
	}
	if len(n) > names.MaxNameBytes {
		ext := filepath.Ext(n)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		base := n[:names.MaxNameBytes-len(ext)]
		for !utf8.ValidString(base) {
			base = base[:len(base)-1]
		}
		n = strings.TrimRight(base, ". ") + ext
	}
	if names.WindowsProblem(n) != "" {
		n = "_" + n // CON.txt, nul, COM1.pdf ...
		if len(n) > names.MaxNameBytes || names.WindowsProblem(n) != "" {
			n = "attachment" + extFor(mimeType)
		}
	}
	return n
}

func extFor(mimeType string) string {
	if exts, _ := mime.ExtensionsByType(mimeType); len(exts) > 0 {
		return exts[0]
	}
	return ""
}

// DownloadsDir is the user's Downloads folder when it exists, else the home
// folder, else "" (the dialog then starts where the platform chooses).
func DownloadsDir() string {
	home, _ := os.UserHomeDir()
	var cands []string
	if runtime.GOOS != "windows" {
		if d := xdgDownloadDir(home); d != "" {
			cands = append(cands, d)
		}
	}
	if home != "" {
		cands = append(cands, filepath.Join(home, "Downloads"), home)
	}
	for _, d := range cands {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// xdgDownloadDir reads XDG_DOWNLOAD_DIR from user-dirs.dirs (localised
// names such as ~/Downloads or ~/Téléchargements).
func xdgDownloadDir(home string) string {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		if home == "" {
			return ""
		}
		cfg = filepath.Join(home, ".config")
	}
	f, err := os.Open(filepath.Join(cfg, "user-dirs.dirs"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		v, ok := strings.CutPrefix(line, "XDG_DOWNLOAD_DIR=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		if rest, ok := strings.CutPrefix(v, "$HOME"); ok {
			if home == "" {
				return ""
			}
			v = home + rest
		}
		if !filepath.IsAbs(v) || filepath.Clean(v) == filepath.Clean(home) {
			return "" // "$HOME/" means the user turned the folder off
		}
		return v
	}
	return ""
}

// writeFileAtomic writes data to dest through a temporary file in the same
// folder, synced and then renamed, so dest is either the old file or the
// whole new one. The caller has confirmed replacing dest (the save dialog
// asks). Errors say what happened and what to do.
func writeFileAtomic(dest string, data []byte) (err error) {
	dir, base := filepath.Dir(dest), filepath.Base(dest)
	if st, err := os.Stat(dest); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder; choose a file name", dest)
	}
	tmp, err := os.CreateTemp(dir, ".deskport-save-*.part")
	if err != nil {
		return saveError(base, dir, len(data), err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return saveError(base, dir, len(data), err)
	}
	if err = tmp.Sync(); err != nil {
		return saveError(base, dir, len(data), err)
	}
	if err = tmp.Chmod(0o644); err != nil && runtime.GOOS != "windows" {
		return saveError(base, dir, len(data), err)
	}
	if err = tmp.Close(); err != nil {
		return saveError(base, dir, len(data), err)
	}
	if err = os.Rename(tmp.Name(), dest); err != nil {
		return saveError(base, dir, len(data), err)
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable (best effort)
		d.Sync()
		d.Close()
	}
	return nil
}

// saveError explains a failed save in words the user can act on.
func saveError(name, dir string, size int, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || windowsDiskFull(err):
		return fmt.Errorf("not enough space to save %s (%s) in %s: free some space or choose another folder", name, sizeText(size), dir)
	case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS):
		return fmt.Errorf("no permission to save %s in %s: choose another folder", name, dir)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the folder %s does not exist (any more): choose another folder", dir)
	}
	return fmt.Errorf("could not save %s in %s (%v): try again or choose another folder", name, dir, err)
}

// windowsDiskFull: ERROR_HANDLE_DISK_FULL (39) and ERROR_DISK_FULL (112),
// which Go does not map to ENOSPC.
func windowsDiskFull(err error) bool {
	var e syscall.Errno
	return runtime.GOOS == "windows" && errors.As(err, &e) && (e == 39 || e == 112)
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
