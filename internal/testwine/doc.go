// Package testwine adapts Windows test binaries to Wine; it is empty on other
// systems (see testwine_windows.go).
package testwine
