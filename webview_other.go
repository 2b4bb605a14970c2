//go:build !windows && !(linux && cgo)

package main

import "github.com/deskport/deskport/internal/navpolicy"

const shellURL = navpolicy.ShellLinux
