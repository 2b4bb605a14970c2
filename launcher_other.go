//go:build !unix

package main

import "errors"

func execGUI(string) error {
	return errors.New("a separate window program is supported on Linux only")
}
