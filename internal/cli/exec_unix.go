//go:build unix

package cli

import (
	"os"
	"syscall"
)

// ExecWindowProgram replaces this process with the window program, same
// arguments and environment; it returns only if that program cannot be
// started.
func ExecWindowProgram(program string) error {
	return syscall.Exec(program, append([]string{program}, os.Args[1:]...), os.Environ())
}
