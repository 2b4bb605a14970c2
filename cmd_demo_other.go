//go:build !linux

package main

import "time"

func waitChildren(time.Duration) {}
