package filesync

import (
	"io/fs"
	"path/filepath"
	"strings"
)

func (l *localFS) walk(out map[string]LocalEntry, skipped map[string]string) error {
	return filepath.WalkDir(l.root, func(p string, d fs.DirEntry, err error) error {
		if p == l.root {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, l.root+string(filepath.Separator)))
		if err != nil {
			skipped[rel] = err.Error()
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		var e LocalEntry
		fi, serr := d.Info()
		if serr == nil {
			e = localEntry(p, rel, fi)
		}
		if !l.admit(out, skipped, filepath.Dir(p), rel, d.Name(), e, d.Type(), serr) && d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
}
