//go:build !unix

package cli

import "errors"

// ExecWindowProgram: see exec_unix.go.
func ExecWindowProgram(string) error {
	return errors.New("a separate window program is supported on Linux only")
}
