// Package loopback opens the demo's listeners: on this computer only, on
// the preferred port when it is free (stable addresses between runs), else
// on any free port.
package loopback

import (
	"errors"
	"net"
	"strconv"
	"syscall"
)

// Host is the address every demo server listens on.
const Host = "127.0.0.1"

// Listen listens on Host:preferred, or on a free port when preferred is 0
// or taken by someone else.
func Listen(preferred int) (net.Listener, error) {
	if preferred > 0 {
		l, err := net.Listen("tcp", net.JoinHostPort(Host, strconv.Itoa(preferred)))
		if err == nil {
			return l, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) && !errors.Is(err, syscall.EACCES) {
			return nil, err
		}
	}
	return net.Listen("tcp", net.JoinHostPort(Host, "0"))
}

// Port is the port l listens on.
func Port(l net.Listener) int { return l.Addr().(*net.TCPAddr).Port }
