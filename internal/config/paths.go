// Package config finds Deskport's per-user folders, reads the user's settings
// and the administrator's defaults, and merges them.
package config

import (
	"errors"
	"os"
	"path"
	"runtime"
)

// AppName is the folder name under the OS's per-user folders.
const AppName = "Deskport"

// Paths are the per-user folders Deskport writes to.
type Paths struct {
	Config string // settings.json
	Data   string // databases, web profile
	Cache  string // rebuildable caches
	Logs   string // deskport.log
}

// HomeEnv overrides every per-user folder with one folder (tests, portable installs).
const HomeEnv = "DESKPORT_HOME"

// UserPaths returns the folders for this user on this OS.
func UserPaths() (Paths, error) {
	home, _ := os.UserHomeDir()
	return PathsFor(runtime.GOOS, os.Getenv, home)
}

// PathsFor computes the folders for goos from an environment lookup; it is
// pure so that the Windows rules can be tested on Linux. It depends on goos
// and the environment only, never on the OS it runs on: the Unix rules join
// with path (slashes), the Windows rules with winJoin (backslashes).
func PathsFor(goos string, getenv func(string) string, home string) (Paths, error) {
	join := path.Join
	if goos == "windows" {
		join = winJoin
	}
	if h := getenv(HomeEnv); h != "" {
		return Paths{Config: join(h, "config"), Data: join(h, "data"), Cache: join(h, "cache"), Logs: join(h, "logs")}, nil
	}
	switch goos {
	case "windows":
		roaming, local := getenv("APPDATA"), getenv("LOCALAPPDATA")
		if roaming == "" || local == "" {
			if getenv("USERPROFILE") == "" {
				return Paths{}, errors.New("config: %APPDATA% and %LOCALAPPDATA% are not set; set them or DESKPORT_HOME")
			}
			if roaming == "" {
				roaming = winJoin(getenv("USERPROFILE"), "AppData", "Roaming")
			}
			if local == "" {
				local = winJoin(getenv("USERPROFILE"), "AppData", "Local")
			}
		}
		return Paths{
			Config: winJoin(roaming, AppName),
			Data:   winJoin(local, AppName),
			Cache:  winJoin(local, AppName, "Cache"),
			Logs:   winJoin(local, AppName, "Logs"),
		}, nil
	default:
		xdg := func(name, fallback string) (string, error) {
			if v := getenv(name); v != "" && path.IsAbs(v) {
				return v, nil
			}
			if home == "" {
				return "", errors.New("config: no home folder and " + name + " is not set; set HOME or DESKPORT_HOME")
			}
			return path.Join(home, fallback), nil
		}
		cfg, err := xdg("XDG_CONFIG_HOME", ".config")
		if err != nil {
			return Paths{}, err
		}
		data, err := xdg("XDG_DATA_HOME", ".local/share")
		if err != nil {
			return Paths{}, err
		}
		cache, err := xdg("XDG_CACHE_HOME", ".cache")
		if err != nil {
			return Paths{}, err
		}
		state, err := xdg("XDG_STATE_HOME", ".local/state")
		if err != nil {
			return Paths{}, err
		}
		const dir = "deskport"
		return Paths{Config: path.Join(cfg, dir), Data: path.Join(data, dir), Cache: path.Join(cache, dir), Logs: path.Join(state, dir)}, nil
	}
}

// winJoin joins with backslashes whatever OS it runs on.
func winJoin(elem ...string) string {
	out := ""
	for _, e := range elem {
		if e == "" {
			continue
		}
		if out == "" {
			out = e
			continue
		}
		if out[len(out)-1] != '\\' {
			out += `\`
		}
		out += e
	}
	return out
}

// Ensure creates every folder, private to the user.
func (p Paths) Ensure() error {
	for _, d := range []string{p.Config, p.Data, p.Cache, p.Logs} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	return nil
}
