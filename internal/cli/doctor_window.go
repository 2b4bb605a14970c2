package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/deskport/deskport/internal/buildinfo"

	"github.com/deskport/deskport/internal/doctor"
	"github.com/deskport/deskport/internal/selfcheck"
)

// windowCheckBudget bounds the whole self-check.
var windowCheckBudget = 120 * time.Second

// runWindowCheck is `deskport doctor --window`: the judge (internal/selfcheck)
// serves the test pages on loopback and this same program opens its window in
// check mode, with its own temporary profile and the test pages as its suite.
func runWindowCheck(ctx context.Context, env *Env) error {
	if env.Window == nil {
		return errNoWindow
	}
	exe, err := env.Window.Program()
	if err != nil {
		return fmt.Errorf("cannot find the Deskport program to open its window: %w", err)
	}
	c, err := selfcheck.Start()
	if err != nil {
		return fmt.Errorf("cannot serve the test pages on loopback: %w", err)
	}
	defer c.Close()
	tmp, err := os.MkdirTemp("", "deskport-window-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(),
		selfcheck.EnvVar+"="+c.ControlURL(),
		"DESKPORT_HOME="+filepath.Join(tmp, "deskport"),
		"DESKPORT_SUITE_DOMAIN="+selfcheck.SuiteDomain,
		"DESKPORT_SUITE_HOSTS="+c.SuiteHosts(),
	)
	if runtime.GOOS == "linux" {
		// WebKit keeps its own data under the XDG folders: a throw-away set.
		for _, d := range []string{"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"} {
			cmd.Env = append(cmd.Env, d+"="+filepath.Join(tmp, d))
		}
	}
	logPath := filepath.Join(tmp, "window.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	fmt.Fprintf(env.Stdout, "Deskport %s window self-check (%s): opening a test window...\n", buildinfo.Version, runtime.GOOS)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot open the window: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	rs := c.Run(ctx, exited, windowCheckBudget)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-exited
	}
	doctor.Print(env.Stdout, rs)
	if doctor.Failed(rs) {
		if b, err := os.ReadFile(logPath); err == nil && len(b) > 0 {
			if len(b) > 3000 {
				b = b[len(b)-3000:]
			}
			fmt.Fprintf(env.Stderr, "--- the test window's output (end):\n%s\n", b)
		}
		return fmt.Errorf("the window does not hold every rule (FAIL above); do not roll this build out, report it with this output")
	}
	return nil
}
