// Package webview2hooks holds the wall between the suite's pages and the
// desktop on Windows, in WebView2's own events instead of page script.
//
// Wails v2.12 subscribes only to WebResourceRequested, NavigationCompleted,
// web messages, accelerator keys and process failures, and calls
// SetGlobalPermission(Allow): every origin gets camera, microphone,
// location, notifications and clipboard without a prompt, window.open makes
// an unguarded popup that shares the session, and a page may navigate
// anywhere. Install adds, on the window's UI thread:
//
//   - NavigationStarting and FrameNavigationStarting: Navigation decides;
//     disallowed loads are cancelled, outside links go to the desktop only
//     when the event says the user started them (IsUserInitiated), through a
//     Limiter;
//   - NewWindowRequested: always Handled (no popup window ever); NewWindow
//     decides whether the address loads in the window or goes outside;
//   - PermissionRequested: Permission decides per origin (camera and
//     microphone only on the suite's meet host, everything else denied), and
//     the global Allow is turned into Deny (see installOnUI);
//   - the page guard and app switcher as a script that runs in every frame
//     of every document before the page's own scripts
//     (AddScriptToExecuteOnDocumentCreated), replaced when the suite changes;
//   - password autosave and general autofill off.
//
// The decisions are plain Go, tested on Linux (decide_test.go); the COM glue
// (*_windows.go) only reads the event's arguments and applies the result.
//
// # How the WebView2 is reached, and why
//
// Wails keeps its *edge.Chromium in the unexported field Frontend.chromium of
// its Windows frontend, and the function that runs code on the UI thread is
// Frontend.mainWindow.Invoke. The frontend is ctx.Value("frontend") in the
// context Wails passes to OnStartup. Reach reads both fields through reflect
// and unsafe. The alternatives were weighed:
//
//   - a `replace` to a patched copy of Wails in the repository (an
//     OnWebviewReady hook is about 15 lines): 12 MB of vendored module that
//     must be re-patched and re-reviewed on every Wails upgrade, and the
//     patch would still need the same COM code for the events;
//   - waiting for Wails: v2.17.1 (the newest v2) has no such hook, v3 is not
//     released; WebView2 offers no way from a window handle to its
//     controller.
//
// Reading two fields is small, and it can be made safe: every name and type
// it relies on is checked in two places. At run time Reach compares the
// field's type with *edge.Chromium and the method's with func(func()) and
// returns an error on any difference (it never guesses). At test time
// wails_source_test.go parses the Wails and go-webview2 sources of the
// versions in go.mod from the module cache and checks the field names and
// types, that Run creates and embeds the chromium before it calls OnStartup,
// that setupChromium still grants the global Allow this package undoes, and
// the vtable slots used here against go-webview2's own declaration.
//
// # When the hooks are installed, and what happens if they cannot be
//
// Frontend.Run creates the chromium, embeds it (Embed waits for the
// controller) and starts the navigation to the shell in setupChromium, and
// only then starts OnStartup in a goroutine. So in OnStartup the chromium
// exists, but the shell's first request may already be on its way. The app
// (webview_windows.go) therefore holds every request to the shell's origin
// in an asset-server middleware until Install has returned: no shell page,
// so no click and no script can start a remote navigation before the hooks
// are in place, and Deskport's own navigations wait for the same result. If
// Install fails (a field moved, a COM call failed, the runtime is too old)
// the middleware serves a page that says why instead of the shell, Go
// refuses every remote navigation, the reason is written to
// window-guard.json in the data folder, and `deskport doctor` reports it:
// the window stays closed to the suite rather than open without guard.
//
// # Upgrading Wails or go-webview2
//
//  1. Change the version in go.mod (go get github.com/wailsapp/wails/v2@vX).
//  2. Run `go test ./internal/webview2hooks/`. It reads the new sources; a
//     failure names what moved. Adjust FieldChromium / FieldMainWindow /
//     slots.go or the installation order in webview_windows.go, never by
//     weakening the checks.
//  3. Run `GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go vet ./...` and the
//     Windows build (scripts/test.sh does both).
//  4. On a Windows machine, run `deskport doctor --window` against the new
//     build: it opens the window on a local test page and reports each rule.
//     Check that window-guard.json says the hooks were installed.
package webview2hooks
