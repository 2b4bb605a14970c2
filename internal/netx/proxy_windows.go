//go:build windows

package netx

import (
	"golang.org/x/net/http/httpproxy"
	"golang.org/x/sys/windows/registry"
)

// systemProxy reads the user's Internet Settings (what the Windows proxy
// settings page writes); the environment wins when it sets a proxy.
func systemProxy() *httpproxy.Config {
	if env := envProxy(); env.HTTPProxy != "" || env.HTTPSProxy != "" {
		return env
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.QUERY_VALUE)
	if err != nil {
		return &httpproxy.Config{}
	}
	defer k.Close()
	enabled, _, _ := k.GetIntegerValue("ProxyEnable")
	server, _, _ := k.GetStringValue("ProxyServer")
	override, _, _ := k.GetStringValue("ProxyOverride")
	return ParseWindowsProxy(enabled == 1, server, override)
}
