package cli

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// waitChildren ends the processes the window started (WebKit's web and
// network processes) and waits up to d for them: they write their storage
// into the demo's folder as they shut down, which must come before the
// folder is removed.
func waitChildren(d time.Duration) {
	self := os.Getpid()
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(self) {
			syscall.Kill(pid, syscall.SIGTERM)
		}
	}
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		var st syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &st, syscall.WNOHANG, nil)
		if err == syscall.ECHILD {
			return
		}
		if pid <= 0 {
			time.Sleep(50 * time.Millisecond)
		}
	}
}
