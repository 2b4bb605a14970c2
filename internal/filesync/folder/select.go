package folder

import (
	"context"
	"sort"
	"strings"
)

// ServerFolder is one folder on the server, for choosing what to sync.
type ServerFolder struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Size   int64  `json:"size"` // bytes below it, as the server counts them
	Synced bool   `json:"synced"`
	// Inherited: a folder above it is not synced (so this one is not either).
	Inherited bool `json:"inherited"`
}

// ServerFolders lists the folders in one server folder ("" = the top), one
// PROPFIND of depth 1, each with its size and whether it is synced.
func (f *Folder) ServerFolders(ctx context.Context, dir string) ([]ServerFolder, error) {
	l, err := f.Client.List(ctx, strings.Trim(dir, "/"))
	if err != nil {
		return nil, err
	}
	lists, err := f.Lists()
	if err != nil {
		return nil, err
	}
	out := []ServerFolder{}
	for _, e := range l.Entries {
		if !e.IsDir {
			continue
		}
		sf := ServerFolder{Name: e.Name, Path: e.Path, Size: e.Size, Synced: true}
		for _, x := range append(append([]string(nil), f.given...), lists.Excluded...) {
			if x == e.Path {
				sf.Synced = false
			} else if strings.HasPrefix(e.Path, x+"/") {
				sf.Synced, sf.Inherited = false, true
			}
		}
		out = append(out, sf)
	}
	sort.Slice(out, func(a, b int) bool { return strings.ToLower(out[a].Name) < strings.ToLower(out[b].Name) })
	return out, nil
}

// FolderChange is the answer to ticking or unticking a folder.
type FolderChange struct {
	Done bool `json:"done"`
	// Unsynced are local files (up to 20 of Count) that are not on the
	// server yet: unticking keeps them here, unsynced, after a confirmation.
	Unsynced []string `json:"unsynced"`
	Count    int      `json:"count"`
}

// SetSynced ticks (synced) or unticks a server folder. Unticking a folder
// that holds local changes is only done with confirmed; nothing is ever
// deleted on either side, the local files just stop syncing.
func (f *Folder) SetSynced(ctx context.Context, p string, synced, confirmed bool) (FolderChange, error) {
	p = strings.Trim(strings.TrimSpace(p), "/")
	l, err := f.Lists()
	if err != nil {
		return FolderChange{}, err
	}
	var keep []string
	for _, x := range l.Excluded {
		if x != p {
			keep = append(keep, x)
		}
	}
	if !synced {
		changed, n, err := f.Engine.LocalChanges(ctx, p, 20)
		if err != nil {
			return FolderChange{}, err
		}
		if n > 0 && !confirmed {
			return FolderChange{Unsynced: changed, Count: n}, nil
		}
		keep = append(keep, p)
		if err := f.SetLists(Lists{Ignore: l.Ignore, Excluded: keep}); err != nil {
			return FolderChange{}, err
		}
		return FolderChange{Done: true, Unsynced: changed, Count: n}, nil
	}
	if err := f.SetLists(Lists{Ignore: l.Ignore, Excluded: keep}); err != nil {
		return FolderChange{}, err
	}
	return FolderChange{Done: true}, nil
}
