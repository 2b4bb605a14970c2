//go:build !linux

package cli

import "time"

func waitChildren(time.Duration) {}
