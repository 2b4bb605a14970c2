//go:build !windows && !(linux && cgo)

package main

// clearWebSession: builds without a web view (no cgo) have no session.
func clearWebSession() error { return nil }
