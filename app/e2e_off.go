//go:build !(deskport_e2e && linux && cgo)

package app

// Release builds: no test control endpoint, no test service.
func testServices() []interface{} { return nil }

var testPart = part{}
