package doctor

import "strings"

// WebView2Installed reads the registry's "pv" value: empty or 0.0.0.0 means
// an uninstalled runtime whose key was left behind.
func WebView2Installed(pv string) (bool, string) {
	pv = strings.TrimSpace(pv)
	if pv == "" || pv == "0.0.0.0" {
		return false, ""
	}
	return true, pv
}
