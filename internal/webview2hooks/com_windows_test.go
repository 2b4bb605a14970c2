//go:build windows

package webview2hooks

import (
	"testing"
	"time"
	"unsafe"

	"github.com/wailsapp/go-webview2/pkg/combridge"
	"golang.org/x/sys/windows"

	"github.com/deskport/deskport/internal/navpolicy"
)

// Stand-ins for WebView2's COM objects, built with the same combridge as
// the hooks, with the vtable layout of WebView2.idl: they let the handlers
// run through their real COM entry points (vtable, trampoline, argument
// reading, CoTaskMem strings) on Windows without WebView2.

var procCoTaskMemAlloc = windows.NewLazySystemDLL("ole32.dll").NewProc("CoTaskMemAlloc")

// taskString returns s as an LPWSTR allocated the way WebView2 returns
// strings (the hooks free it with CoTaskMemFree).
func taskString(s string) *uint16 {
	u := windows.StringToUTF16(s)
	p, _, _ := procCoTaskMemAlloc.Call(uintptr(len(u) * 2))
	dst := unsafe.Slice((*uint16)(asPointer(p)), len(u))
	copy(dst, u)
	return &dst[0]
}

type fakeWebView interface {
	combridge.IUnknown
	GetSettings(out *uintptr) uintptr
	GetSource(out **uint16) uintptr
	Navigate(u *uint16) uintptr
}

type fakeNavArgs interface {
	combridge.IUnknown
	GetUri(out **uint16) uintptr
	GetIsUserInitiated(out *int32) uintptr
	GetIsRedirected(out *int32) uintptr
	GetRequestHeaders(out *uintptr) uintptr
	GetCancel(out *int32) uintptr
	PutCancel(v uintptr) uintptr
}

type fakeNewWindowArgs interface {
	combridge.IUnknown
	GetUri(out **uint16) uintptr
	PutNewWindow(w uintptr) uintptr
	GetNewWindow(out *uintptr) uintptr
	PutHandled(v uintptr) uintptr
	GetHandled(out *int32) uintptr
	GetIsUserInitiated(out *int32) uintptr
}

type fakePermissionArgs interface {
	combridge.IUnknown
	GetUri(out **uint16) uintptr
	GetPermissionKind(out *uint32) uintptr
	GetIsUserInitiated(out *int32) uintptr
	GetState(out *uint32) uintptr
	PutState(v uintptr) uintptr
}

func init() {
	combridge.RegisterVTable[combridge.IUnknown, fakeWebView]("{76eceacb-0462-4d94-ac83-423a6793775e}",
		func(this uintptr, out *uintptr) uintptr { return combridge.Resolve[fakeWebView](this).GetSettings(out) },
		func(this uintptr, out **uint16) uintptr { return combridge.Resolve[fakeWebView](this).GetSource(out) },
		func(this uintptr, u *uint16) uintptr { return combridge.Resolve[fakeWebView](this).Navigate(u) },
	)
	combridge.RegisterVTable[combridge.IUnknown, fakeNavArgs]("{5b495469-e119-438a-9b18-7604f25f2e49}",
		func(this uintptr, out **uint16) uintptr { return combridge.Resolve[fakeNavArgs](this).GetUri(out) },
		func(this uintptr, out *int32) uintptr {
			return combridge.Resolve[fakeNavArgs](this).GetIsUserInitiated(out)
		},
		func(this uintptr, out *int32) uintptr {
			return combridge.Resolve[fakeNavArgs](this).GetIsRedirected(out)
		},
		func(this uintptr, out *uintptr) uintptr {
			return combridge.Resolve[fakeNavArgs](this).GetRequestHeaders(out)
		},
		func(this uintptr, out *int32) uintptr { return combridge.Resolve[fakeNavArgs](this).GetCancel(out) },
		func(this uintptr, v uintptr) uintptr { return combridge.Resolve[fakeNavArgs](this).PutCancel(v) },
	)
	combridge.RegisterVTable[combridge.IUnknown, fakeNewWindowArgs]("{34acb11c-fc37-4418-9132-f9c21d1eafb9}",
		func(this uintptr, out **uint16) uintptr {
			return combridge.Resolve[fakeNewWindowArgs](this).GetUri(out)
		},
		func(this uintptr, w uintptr) uintptr {
			return combridge.Resolve[fakeNewWindowArgs](this).PutNewWindow(w)
		},
		func(this uintptr, out *uintptr) uintptr {
			return combridge.Resolve[fakeNewWindowArgs](this).GetNewWindow(out)
		},
		func(this uintptr, v uintptr) uintptr { return combridge.Resolve[fakeNewWindowArgs](this).PutHandled(v) },
		func(this uintptr, out *int32) uintptr {
			return combridge.Resolve[fakeNewWindowArgs](this).GetHandled(out)
		},
		func(this uintptr, out *int32) uintptr {
			return combridge.Resolve[fakeNewWindowArgs](this).GetIsUserInitiated(out)
		},
	)
	combridge.RegisterVTable[combridge.IUnknown, fakePermissionArgs]("{973ae2ef-ff18-4894-8fb2-3c758f046810}",
		func(this uintptr, out **uint16) uintptr {
			return combridge.Resolve[fakePermissionArgs](this).GetUri(out)
		},
		func(this uintptr, out *uint32) uintptr {
			return combridge.Resolve[fakePermissionArgs](this).GetPermissionKind(out)
		},
		func(this uintptr, out *int32) uintptr {
			return combridge.Resolve[fakePermissionArgs](this).GetIsUserInitiated(out)
		},
		func(this uintptr, out *uint32) uintptr {
			return combridge.Resolve[fakePermissionArgs](this).GetState(out)
		},
		func(this uintptr, v uintptr) uintptr { return combridge.Resolve[fakePermissionArgs](this).PutState(v) },
	)
}

type webView struct {
	source    string
	navigated []string
}

func (w *webView) GetSettings(out *uintptr) uintptr { return uintptr(windows.E_NOTIMPL) }
func (w *webView) GetSource(out **uint16) uintptr   { *out = taskString(w.source); return 0 }
func (w *webView) Navigate(u *uint16) uintptr {
	w.navigated = append(w.navigated, windows.UTF16PtrToString(u))
	return 0
}

type event struct {
	uri     string
	user    bool
	kind    uint32
	cancel  int
	handled int
	state   uint32
	puts    int
}

func b32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func (e *event) GetUri(out **uint16) uintptr            { *out = taskString(e.uri); return 0 }
func (e *event) GetIsUserInitiated(out *int32) uintptr  { *out = b32(e.user); return 0 }
func (e *event) GetIsRedirected(out *int32) uintptr     { *out = 0; return 0 }
func (e *event) GetRequestHeaders(out *uintptr) uintptr { return uintptr(windows.E_NOTIMPL) }
func (e *event) GetCancel(out *int32) uintptr           { *out = int32(e.cancel); return 0 }
func (e *event) PutCancel(v uintptr) uintptr            { e.cancel = int(int32(v)); e.puts++; return 0 }
func (e *event) PutNewWindow(w uintptr) uintptr         { return uintptr(windows.E_NOTIMPL) }
func (e *event) GetNewWindow(out *uintptr) uintptr      { *out = 0; return 0 }
func (e *event) PutHandled(v uintptr) uintptr           { e.handled = int(int32(v)); e.puts++; return 0 }
func (e *event) GetHandled(out *int32) uintptr          { *out = int32(e.handled); return 0 }
func (e *event) GetPermissionKind(out *uint32) uintptr  { *out = e.kind; return 0 }
func (e *event) GetState(out *uint32) uintptr           { *out = e.state; return 0 }
func (e *event) PutState(v uintptr) uintptr             { e.state = uint32(v); e.puts++; return 0 }

func ref[T combridge.IUnknown](o *combridge.ComObject[T]) unsafe.Pointer {
	return asPointer(o.Ref())
}

// asPointer converts an address of memory outside Go's heap (GlobalAlloc,
// CoTaskMemAlloc) without vet's objection, which is about Go memory.
func asPointer(p uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&p))
}

func TestHandlersThroughCOM(t *testing.T) {
	wv := &webView{source: "https://files.example.org/apps/files/"}
	wvObj := combridge.New[fakeWebView](wv)
	defer wvObj.Close()
	opened := make(chan string, 10)
	h := &Hooks{
		cfg: Config{
			Policy: func() *navpolicy.Policy {
				return navpolicy.New([]string{"https://files.example.org", "https://meet.example.org"})
			},
			AllowMedia: func(u string) bool { o, _ := navpolicy.Origin(u); return o == "https://meet.example.org" },
			Open:       func(u string) { opened <- u },
		}.withDefaults(),
		webview: ref(wvObj),
		invoke:  func(f func()) { f() },
		limit:   NewLimiter(),
	}
	// The handlers as WebView2 calls them: through their own COM objects.
	mainNav := combridge.New[navigationStartingHandler](&navHandler{h: h})
	frameNav := combridge.New[navigationStartingHandler](&navHandler{h: h, frame: true})
	newWin := combridge.New[newWindowRequestedHandler](&newWindowHandler{h: h})
	perm := combridge.New[permissionRequestedHandler](&permissionHandler{h: h})
	invoke := func(handler, args unsafe.Pointer) {
		t.Helper()
		if err := comCall(handler, 3, uintptr(h.webview), uintptr(args)); err != nil {
			t.Fatalf("Invoke: %v", err)
		}
	}

	nav := func(handler unsafe.Pointer, uri string, user bool) *event {
		e := &event{uri: uri, user: user}
		o := combridge.New[fakeNavArgs](e)
		defer o.Close()
		invoke(handler, ref(o))
		return e
	}
	if e := nav(ref(mainNav), "https://evil.example/x", false); e.cancel != 1 {
		t.Errorf("outside page by script: cancel %d", e.cancel)
	}
	if e := nav(ref(mainNav), "https://files.example.org/next", false); e.cancel != 0 || e.puts != 0 {
		t.Errorf("suite page: cancel %d (puts %d)", e.cancel, e.puts)
	}
	if e := nav(ref(mainNav), "https://example.com/doc", true); e.cancel != 1 {
		t.Errorf("outside link clicked: cancel %d", e.cancel)
	}
	if e := nav(ref(frameNav), "javascript:alert(1)", true); e.cancel != 1 {
		t.Errorf("javascript: frame: cancel %d", e.cancel)
	}
	if e := nav(ref(mainNav), navpolicy.ShellWindows+"#/accounts", true); e.cancel != 1 {
		t.Errorf("shell route from a suite page: cancel %d", e.cancel)
	}

	win := func(uri string, user bool) *event {
		e := &event{uri: uri, user: user}
		o := combridge.New[fakeNewWindowArgs](e)
		defer o.Close()
		invoke(ref(newWin), ref(o))
		return e
	}
	if e := win("https://evil.example/popup", false); e.handled != 1 {
		t.Errorf("popup by script not handled")
	}
	if e := win("https://files.example.org/s/x", true); e.handled != 1 {
		t.Errorf("suite target=_blank not handled")
	}

	pr := func(uri string, kind PermissionKind) *event {
		e := &event{uri: uri, kind: uint32(kind)}
		o := combridge.New[fakePermissionArgs](e)
		defer o.Close()
		invoke(ref(perm), ref(o))
		return e
	}
	if e := pr("https://files.example.org/", PermissionCamera); e.state != uint32(PermissionDeny) {
		t.Errorf("camera in files: state %d", e.state)
	}
	wv.source = "https://meet.example.org/room"
	if e := pr("https://meet.example.org/", PermissionMicrophone); e.state != uint32(PermissionAllow) {
		t.Errorf("microphone in meet: state %d", e.state)
	}
	if e := pr("https://meet.example.org/", PermissionGeolocation); e.state != uint32(PermissionDeny) {
		t.Errorf("geolocation in meet: state %d", e.state)
	}

	// Side effects: one outside open (the click), the shell launcher and
	// the suite page loaded in the window instead of a popup.
	select {
	case u := <-opened:
		if u != "https://example.com/doc" {
			t.Errorf("opened %q", u)
		}
	case <-time.After(5 * time.Second):
		t.Error("the clicked outside link was not opened")
	}
	select {
	case u := <-opened:
		t.Errorf("opened more than the click: %q", u)
	case <-time.After(100 * time.Millisecond):
	}
	want := []string{ShellHome, "https://files.example.org/s/x"}
	if len(wv.navigated) != 2 || wv.navigated[0] != want[0] || wv.navigated[1] != want[1] {
		t.Errorf("navigated %q, want %q", wv.navigated, want)
	}
	// Deskport's own navigation to a shell route is trusted once.
	wv.source = "https://files.example.org/"
	h.Navigate(navpolicy.ShellWindows + "#/accounts")
	if e := nav(ref(mainNav), navpolicy.ShellWindows+"#/accounts", true); e.cancel != 0 {
		t.Errorf("Deskport's own navigation to a shell route was cancelled")
	}
	if e := nav(ref(mainNav), navpolicy.ShellWindows+"#/accounts", true); e.cancel != 1 {
		t.Errorf("the trust was not used up")
	}
}
