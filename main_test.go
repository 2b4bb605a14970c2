package main

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestMain lets a test run this binary's main() as a child process.
func TestMain(m *testing.M) {
	if os.Getenv("DESKPORT_TEST_RUN_MAIN") == "1" {
		os.Args = append([]string{"deskport"}, strings.Fields(os.Getenv("DESKPORT_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Without a graphical session the window does not start: one plain message
// naming DISPLAY/WAYLAND_DISPLAY and xvfb-run, exit status 1, no panic or
// stack trace — for the window and for the demo's window alike.
func TestNoDisplaySaysWhatToDo(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the window needs no DISPLAY there")
	}
	for _, args := range []string{"", "demo"} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "DESKPORT_TEST_RUN_MAIN=1", "DESKPORT_TEST_ARGS="+args, "DESKPORT_HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Errorf("deskport %s without a display: %v, want exit status 1\n%s", args, err, out)
		}
		s := string(out)
		for _, want := range []string{"DISPLAY", "WAYLAND_DISPLAY", "xvfb-run"} {
			if !strings.Contains(s, want) {
				t.Errorf("deskport %s: message lacks %q:\n%s", args, want, s)
			}
		}
		for _, bad := range []string{"panic", "goroutine ", "GTK"} {
			if strings.Contains(s, bad) {
				t.Errorf("deskport %s: output shows %q:\n%s", args, bad, s)
			}
		}
	}
}
