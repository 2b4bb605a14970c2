package architecture

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/deskport/deskport"

// goList runs `go list` in the module's root for GOOS, with cgo on or off.
func goList(t *testing.T, goos string, cgo bool, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = moduleRoot(t)
	cgoEnv := "CGO_ENABLED=0"
	if cgo {
		cgoEnv = "CGO_ENABLED=1"
	}
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", cgoEnv, "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.Fields(string(out))
}

func moduleRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(filepath.Dir(wd))
}

// Every rule is checked for both platforms Deskport ships on.
var platforms = []struct {
	goos string
	cgo  bool
}{{"linux", true}, {"windows", false}}

// deps is what pkg imports, directly or not, on goos (std included; one
// `go list` per platform, kept for the other tests).
func deps(t *testing.T, goos string, cgo bool, pkg string) []string {
	key := goos + "/" + strconv.FormatBool(cgo)
	if depsCache[key] == nil {
		m := map[string][]string{}
		out := goList(t, goos, cgo, "-f", "{{.ImportPath}} {{join .Deps \" \"}};", "./...")
		for _, line := range strings.Split(strings.Join(out, " "), ";") {
			f := strings.Fields(line)
			if len(f) > 0 {
				m[f[0]] = f[1:]
			}
		}
		depsCache[key] = m
	}
	list, ok := depsCache[key][pkg]
	if !ok {
		t.Fatalf("%s: no package %s", goos, pkg)
	}
	return list
}

var depsCache = map[string]map[string][]string{}

func offending(list []string, bad func(string) bool) []string {
	var out []string
	for _, p := range list {
		if bad(p) {
			out = append(out, p)
		}
	}
	return out
}

func isWails(p string) bool  { return strings.HasPrefix(p, "github.com/wailsapp/") }
func isWindow(p string) bool { return p == module+"/app" || strings.HasPrefix(p, module+"/app/") }

func TestRootHoldsMainGoAlone(t *testing.T) {
	entries, err := os.ReadDir(moduleRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && n != "main.go" {
			t.Errorf("%s is at the root: the root holds main.go alone; put window code in app/, a command in internal/cli/, shared wiring in internal/workspace/", n)
		}
	}
}

func TestCommandLineKnowsNoWindow(t *testing.T) {
	for _, pl := range platforms {
		if bad := offending(deps(t, pl.goos, pl.cgo, module+"/internal/cli"), func(p string) bool { return isWails(p) || isWindow(p) }); len(bad) > 0 {
			t.Errorf("%s: internal/cli reaches window code: %v (a command that needs the window asks cli.Env.Window)", pl.goos, bad)
		}
	}
	// No cgo anywhere below it: the headless program builds as plain Go.
	withCgo := goList(t, "linux", true, "-deps", "-f", "{{if and (not .Standard) .CgoFiles}}{{.ImportPath}}{{end}}", module+"/internal/cli")
	if len(withCgo) > 0 {
		t.Errorf("internal/cli needs cgo through %v", withCgo)
	}
	cmd := exec.Command("go", "build", "./internal/cli/...")
	cmd.Dir = moduleRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("internal/cli does not build with CGO_ENABLED=0: %v\n%s", err, out)
	}
}

// webEngineHooks may reach a web view (and nothing else under internal/ may).
var webEngineHooks = map[string]bool{module + "/internal/webview2hooks": true}

func TestEnginesKnowNoWindow(t *testing.T) {
	for _, pl := range platforms {
		for _, pkg := range goList(t, pl.goos, pl.cgo, module+"/internal/...") {
			bad := offending(deps(t, pl.goos, pl.cgo, pkg), func(p string) bool {
				if isWindow(p) || strings.HasPrefix(p, "github.com/wailsapp/wails") {
					return true
				}
				return isWails(p) && !webEngineHooks[pkg]
			})
			if len(bad) > 0 {
				t.Errorf("%s: %s reaches window code: %v (engines take what they need as arguments; window code goes to app/)", pl.goos, pkg, bad)
			}
		}
	}
}

func TestFilesAndMailNeverMeet(t *testing.T) {
	files := []string{"/internal/filesync", "/internal/webdav", "/internal/ncshare"}
	mail := []string{"/internal/mailcache", "/internal/mailparse", "/internal/mailto", "/internal/htmlsafe", "/internal/remoteimg"}
	in := func(p string, roots []string) bool {
		for _, r := range roots {
			if p == module+r || strings.HasPrefix(p, module+r+"/") {
				return true
			}
		}
		return false
	}
	for _, pkg := range goList(t, runtime.GOOS, true, module+"/internal/...") {
		var other []string
		switch {
		case in(pkg, files):
			other = mail
		case in(pkg, mail):
			other = files
		default:
			continue
		}
		if bad := offending(deps(t, runtime.GOOS, true, pkg), func(p string) bool {
			return in(p, other) || strings.HasPrefix(p, "github.com/emersion/go-imap") && in(pkg, files)
		}); len(bad) > 0 {
			t.Errorf("%s imports %v: files and mail never meet (share through a small package of their own, or internal/workspace)", pkg, bad)
		}
	}
}
