package folder

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/deskport/deskport/internal/filesync/ignore"
	"github.com/deskport/deskport/internal/filesync/names"
)

// CopyIn copies dropped files and folders into root/sub, never over an
// existing name ("report (2).odt" instead), never following links, each
// file through a temp file and a rename so the sync never uploads half a
// file. progress gets bytes copied so far and the total. It returns the
// new paths relative to root.
func CopyIn(root, sub string, srcs []string, goos string, progress func(done, total int64)) ([]string, error) {
	if sub != "" {
		if err := names.CheckPath(sub, goos); err != nil {
			return nil, fmt.Errorf("target folder: %w", err)
		}
	}
	dst := filepath.Join(root, filepath.FromSlash(sub))
	if fi, err := os.Stat(dst); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("the target folder %s does not exist", dst)
	}
	var total, done int64
	for _, s := range srcs {
		filepath.WalkDir(s, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					total += fi.Size()
				}
			}
			return nil
		})
	}
	var out []string
	for _, s := range srcs {
		s = filepath.Clean(s)
		if strings.HasPrefix(s+string(filepath.Separator), root+string(filepath.Separator)) {
			return out, fmt.Errorf("%s is already inside the synced folder", s)
		}
		fi, err := os.Lstat(s)
		if err != nil {
			return out, err
		}
		name := freeName(dst, filepath.Base(s))
		if err := names.CheckComponent(name, goos); err != nil {
			return out, err
		}
		target := filepath.Join(dst, name)
		switch {
		case fi.IsDir():
			err = filepath.WalkDir(s, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(s, p)
				t := filepath.Join(target, rel)
				switch {
				case d.IsDir():
					return os.MkdirAll(t, 0o755)
				case d.Type().IsRegular():
					return copyFile(p, t, &done, total, progress)
				}
				return nil // links and devices are not copied
			})
		case fi.Mode().IsRegular():
			err = copyFile(s, target, &done, total, progress)
		default:
			err = fmt.Errorf("%s is not a file or folder", s)
		}
		if err != nil {
			return out, fmt.Errorf("copying %s: %w", s, err)
		}
		rel, _ := filepath.Rel(root, target)
		out = append(out, filepath.ToSlash(rel))
	}
	return out, nil
}

func freeName(dir, name string) string {
	if _, err := os.Lstat(filepath.Join(dir, name)); os.IsNotExist(err) {
		return name
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	if stem == "" {
		stem, ext = name, ""
	}
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s (%d)%s", stem, i, ext)
		if _, err := os.Lstat(filepath.Join(dir, n)); os.IsNotExist(err) {
			return n
		}
	}
}

func copyFile(src, dst string, done *int64, total int64, progress func(int64, int64)) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(dst), ignore.TempPrefix+"drop-"+filepath.Base(dst))
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	buf := make([]byte, 256<<10)
	for {
		n, rerr := in.Read(buf)
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				out.Close()
				os.Remove(tmp)
				return err
			}
			*done += int64(n)
			if progress != nil {
				progress(*done, total)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			out.Close()
			os.Remove(tmp)
			return rerr
		}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	out.Close()
	os.Chtimes(tmp, fi.ModTime(), fi.ModTime())
	if _, err := os.Lstat(dst); err == nil {
		os.Remove(tmp)
		return fmt.Errorf("%s appeared meanwhile", dst)
	}
	return os.Rename(tmp, dst)
}
