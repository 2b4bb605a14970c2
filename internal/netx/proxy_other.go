//go:build !windows

package netx

import "golang.org/x/net/http/httpproxy"

func systemProxy() *httpproxy.Config { return envProxy() }
