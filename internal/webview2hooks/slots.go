package webview2hooks

// COM vtable slots (0-2 are IUnknown) of the WebView2 interfaces the hooks
// call, from WebView2.idl. Released COM interfaces never change (new methods
// go into new interfaces: ICoreWebView2_2, ...), so these hold for every
// WebView2 runtime; wails_source_test.go checks the ICoreWebView2 ones
// against go-webview2's own vtable declaration in the module cache.
const (
	// ICoreWebView2
	slotWebViewGetSource              = 4
	slotWebViewNavigate               = 5
	slotAddNavigationStarting         = 7
	slotAddFrameNavigationStarting    = 17
	slotAddPermissionRequested        = 23
	slotAddScriptOnDocumentCreated    = 27
	slotRemoveScriptOnDocumentCreated = 28
	slotAddNewWindowRequested         = 44

	// ICoreWebView2NavigationStartingEventArgs (NavigationStarting and
	// FrameNavigationStarting)
	slotNavArgsUri             = 3
	slotNavArgsIsUserInitiated = 4
	slotNavArgsPutCancel       = 8

	// ICoreWebView2NewWindowRequestedEventArgs
	slotNewWinArgsUri             = 3
	slotNewWinArgsPutHandled      = 6
	slotNewWinArgsIsUserInitiated = 8

	// ICoreWebView2PermissionRequestedEventArgs
	slotPermArgsUri      = 3
	slotPermArgsKind     = 4
	slotPermArgsPutState = 7
)

// Interface IDs of the event handlers Deskport implements (WebView2.idl).
const (
	iidNavigationStartingHandler  = "{9adbe429-f36d-432b-9ddc-f8881fbd76e3}"
	iidNewWindowRequestedHandler  = "{d4c185fe-c81c-4989-97af-2d3fa7ab5651}"
	iidPermissionRequestedHandler = "{15e1c6a3-c72a-4df3-91d7-d097fbec6bfd}"
	iidAddScriptCompletedHandler  = "{b99369f3-9b11-47b5-bc6f-8e7895fcea17}"
)
