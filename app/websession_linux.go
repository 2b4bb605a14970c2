//go:build linux && cgo

package app

import (
	"time"

	"github.com/deskport/deskport/internal/webkit"
)

// clearWebSession deletes every kind of website data of WebKit's default
// context (memory and the persistent cookie store) and waits for WebKit.
var webSessionPart = part{} // cleared at once: clearWebSession

func clearWebSession() error { return webkit.ClearWebsiteData(15 * time.Second) }
