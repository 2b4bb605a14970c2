//go:build bindings

package app

// bindingsBuild: the Wails CLI runs this build only to list bound methods;
// it has no display, so platform hooks must not touch the web engine.
const bindingsBuild = true
