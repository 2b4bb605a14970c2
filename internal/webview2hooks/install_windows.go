//go:build windows

package webview2hooks

import (
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"time"
	"unsafe"

	"github.com/wailsapp/go-webview2/pkg/combridge"
	"github.com/wailsapp/go-webview2/pkg/edge"
	"golang.org/x/sys/windows"
)

// Hooks are the installed handlers of one WebView2 (the main window's).
// Every method that touches WebView2 runs on the window's UI thread.
type Hooks struct {
	cfg      Config
	chromium *edge.Chromium
	webview  unsafe.Pointer // ICoreWebView2*
	invoke   func(func())
	limit    *Limiter

	// COM objects handed to WebView2: kept here so the garbage collector
	// never releases them while WebView2 may call them.
	handlers []any

	// UI thread only.
	expected  string // the address Deskport itself navigates to (trusted)
	scriptIDs []string
	scriptGen int
}

// Install reaches the WebView2 of Wails' Windows frontend (the value of
// ctx.Value("frontend")) and installs every hook on the window's UI thread.
// An error means the window is not guarded: the caller must not let it load
// remote pages.
func Install(frontend any, cfg Config) (*Hooks, error) {
	c, invoke, err := Reach(frontend, reflect.TypeOf((*edge.Chromium)(nil)))
	if err != nil {
		return nil, err
	}
	h := &Hooks{cfg: cfg.withDefaults(), chromium: c.(*edge.Chromium), invoke: invoke, limit: NewLimiter()}
	done := make(chan error, 1)
	invoke(func() { done <- h.installOnUI() })
	select {
	case err := <-done:
		if err != nil {
			return nil, err
		}
		return h, nil
	case <-time.After(20 * time.Second):
		return nil, errors.New("the window's UI thread did not run the installation within 20 s")
	}
}

func (h *Hooks) installOnUI() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("installing the WebView2 hooks panicked: %v\n%s", r, debug.Stack())
		}
	}()
	ctrl := h.chromium.GetController()
	if ctrl == nil {
		return errors.New("WebView2 has no controller yet")
	}
	wv, err := ctrl.GetCoreWebView2()
	if err != nil || wv == nil {
		return fmt.Errorf("no ICoreWebView2: %v", err)
	}
	h.webview = unsafe.Pointer(wv)

	// Wails grants every permission to every origin (SetGlobalPermission
	// Allow): go-webview2's own PermissionRequested handler, registered
	// before ours, now answers Deny, and ours then allows the video app's
	// camera and microphone. Should WebView2 ever run the handlers the other
	// way round, the result is Deny: closed, not open.
	h.chromium.SetGlobalPermission(edge.CoreWebView2PermissionStateDeny)

	if err := h.chromium.PutIsPasswordAutosaveEnabled(false); err != nil {
		return fmt.Errorf("turning off password autosave: %w (update the Microsoft Edge WebView2 Runtime to 100 or newer)", err)
	}
	if err := h.chromium.PutIsGeneralAutofillEnabled(false); err != nil {
		return fmt.Errorf("turning off autofill: %w (update the Microsoft Edge WebView2 Runtime to 100 or newer)", err)
	}

	main := combridge.New[navigationStartingHandler](&navHandler{h: h})
	frame := combridge.New[navigationStartingHandler](&navHandler{h: h, frame: true})
	newWin := combridge.New[newWindowRequestedHandler](&newWindowHandler{h: h})
	perm := combridge.New[permissionRequestedHandler](&permissionHandler{h: h})
	h.handlers = append(h.handlers, main, frame, newWin, perm)
	for _, e := range []struct {
		name    string
		slot    int
		handler uintptr
	}{
		{"NavigationStarting", slotAddNavigationStarting, main.Ref()},
		{"FrameNavigationStarting", slotAddFrameNavigationStarting, frame.Ref()},
		{"NewWindowRequested", slotAddNewWindowRequested, newWin.Ref()},
		{"PermissionRequested", slotAddPermissionRequested, perm.Ref()},
	} {
		if err := addEvent(h.webview, e.slot, e.handler); err != nil {
			return fmt.Errorf("subscribing to %s: %w", e.name, err)
		}
	}
	return h.setScriptOnUI(h.cfg.Script)
}

// SetScript replaces the script that runs in every frame of every document
// before the page's own scripts (the page guard and the app switcher).
func (h *Hooks) SetScript(src string) {
	h.invoke(func() {
		if err := h.setScriptOnUI(src); err != nil {
			h.cfg.Log("page script not replaced", "err", err)
		}
	})
}

func (h *Hooks) setScriptOnUI(src string) error {
	for _, id := range h.scriptIDs {
		h.removeScript(id)
	}
	h.scriptIDs = nil
	h.scriptGen++
	if src == "" {
		return nil
	}
	p, err := windows.UTF16PtrFromString(src)
	if err != nil {
		return err
	}
	done := combridge.New[addScriptCompletedHandler](&scriptAdded{h: h, gen: h.scriptGen})
	h.handlers = append(h.handlers, done)
	if err := comCall(h.webview, slotAddScriptOnDocumentCreated, uintptr(unsafe.Pointer(p)), done.Ref()); err != nil {
		return fmt.Errorf("adding the page script: %w", err)
	}
	return nil
}

func (h *Hooks) removeScript(id string) {
	if p, err := windows.UTF16PtrFromString(id); err == nil {
		_ = comCall(h.webview, slotRemoveScriptOnDocumentCreated, uintptr(unsafe.Pointer(p)))
	}
}

type scriptAdded struct {
	h   *Hooks
	gen int
}

func (s *scriptAdded) AddScriptCompleted(errorCode uintptr, id *uint16) uintptr {
	if int32(uint32(errorCode)) < 0 || id == nil {
		s.h.cfg.Log("page script not added", "hresult", fmt.Sprintf("%#x", errorCode))
		return 0
	}
	sid := windows.UTF16PtrToString(id)
	if s.gen != s.h.scriptGen {
		s.h.removeScript(sid) // replaced before WebView2 answered
		return 0
	}
	s.h.scriptIDs = append(s.h.scriptIDs, sid)
	return 0
}

// Navigate loads u in the window; the hooks treat it as Deskport's own
// navigation (any shell route may load).
func (h *Hooks) Navigate(u string) {
	h.invoke(func() {
		p, err := windows.UTF16PtrFromString(u)
		if err != nil {
			return
		}
		h.expected = u
		if err := comCall(h.webview, slotWebViewNavigate, uintptr(unsafe.Pointer(p))); err != nil {
			h.expected = ""
			h.cfg.Log("navigation failed", "err", err)
		}
	})
}

func (h *Hooks) source(sender unsafe.Pointer) string {
	s, err := comString(sender, slotWebViewGetSource)
	if err != nil {
		return ""
	}
	return s
}

// act carries out a decision's side effects outside the event.
func (h *Hooks) act(d Nav) {
	if d.Open != "" && h.limit.Allow(d.Open) {
		go h.cfg.Open(d.Open)
	}
	if d.Load != "" {
		// Posted, not called from inside the event handler.
		h.Navigate(d.Load)
	}
}

type navHandler struct {
	h     *Hooks
	frame bool
}

func (n *navHandler) NavigationStarting(sender, args unsafe.Pointer) (ret uintptr) {
	h := n.h
	defer func() {
		if r := recover(); r != nil {
			_ = comCall(args, slotNavArgsPutCancel, 1)
			h.cfg.Log("navigation hook panicked; navigation cancelled", "panic", fmt.Sprint(r))
		}
	}()
	uri, err := comString(args, slotNavArgsUri)
	if err != nil {
		_ = comCall(args, slotNavArgsPutCancel, 1)
		return 0
	}
	user, _ := comBool(args, slotNavArgsIsUserInitiated)
	trusted := false
	if !n.frame {
		// Only the next main-frame navigation can be the one Deskport asked
		// for; whatever it is, the mark is used up.
		trusted = h.expected != "" && uri == h.expected
		h.expected = ""
	}
	d := Navigation(h.cfg.Policy(), uri, h.source(sender), user, n.frame, trusted)
	if d.Cancel {
		if err := comCall(args, slotNavArgsPutCancel, boolArg(true)); err != nil {
			h.cfg.Log("navigation not cancelled", "err", err)
		}
		h.cfg.Log("navigation refused", "frame", n.frame, "user", user, "url", redact(uri))
	}
	h.act(d)
	return 0
}

type newWindowHandler struct{ h *Hooks }

func (n *newWindowHandler) NewWindowRequested(sender, args unsafe.Pointer) uintptr {
	h := n.h
	// Handled first: whatever happens below, no popup window opens.
	_ = comCall(args, slotNewWinArgsPutHandled, boolArg(true))
	defer func() {
		if r := recover(); r != nil {
			h.cfg.Log("new-window hook panicked", "panic", fmt.Sprint(r))
		}
	}()
	uri, err := comString(args, slotNewWinArgsUri)
	if err != nil {
		return 0
	}
	user, _ := comBool(args, slotNewWinArgsIsUserInitiated)
	h.act(NewWindow(h.cfg.Policy(), uri, h.source(sender), user))
	return 0
}

type permissionHandler struct{ h *Hooks }

func (p *permissionHandler) PermissionRequested(sender, args unsafe.Pointer) uintptr {
	h := p.h
	state := PermissionDeny
	defer func() {
		if r := recover(); r != nil {
			state = PermissionDeny
		}
		_ = comCall(args, slotPermArgsPutState, uintptr(state))
	}()
	uri, err := comString(args, slotPermArgsUri)
	if err != nil {
		return 0
	}
	kind, err := comUint32(args, slotPermArgsKind)
	if err != nil {
		return 0
	}
	state = Permission(PermissionKind(kind), uri, h.source(sender), h.cfg.AllowMedia)
	if state != PermissionAllow {
		h.cfg.Log("permission denied", "kind", kind, "origin", redact(uri))
	}
	return 0
}
