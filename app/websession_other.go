//go:build !windows && !(linux && cgo)

package app

// clearWebSession: builds without a web view (no cgo) have no session.
var webSessionPart = part{}

func clearWebSession() error { return nil }
