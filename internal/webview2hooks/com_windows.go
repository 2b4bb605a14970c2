//go:build windows

package webview2hooks

import (
	"fmt"
	"syscall"
	"unsafe"

	"github.com/wailsapp/go-webview2/pkg/combridge"
	"golang.org/x/sys/windows"
)

// comCall calls slot of the COM interface at obj (the first word of a COM
// object points to its vtable) and returns the HRESULT as an error.
func comCall(obj unsafe.Pointer, slot int, args ...uintptr) error {
	if obj == nil {
		return fmt.Errorf("no COM object (slot %d)", slot)
	}
	vtbl := *(*unsafe.Pointer)(obj)
	fn := *(*uintptr)(unsafe.Add(vtbl, uintptr(slot)*unsafe.Sizeof(uintptr(0))))
	hr, _, _ := syscall.SyscallN(fn, append([]uintptr{uintptr(obj)}, args...)...)
	if int32(uint32(hr)) < 0 {
		return fmt.Errorf("WebView2 call (slot %d) failed: %w", slot, windows.Errno(hr))
	}
	return nil
}

// comString reads an LPWSTR out parameter and frees it.
func comString(obj unsafe.Pointer, slot int) (string, error) {
	var p *uint16
	if err := comCall(obj, slot, uintptr(unsafe.Pointer(&p))); err != nil {
		return "", err
	}
	if p == nil {
		return "", nil
	}
	s := windows.UTF16PtrToString(p)
	windows.CoTaskMemFree(unsafe.Pointer(p))
	return s, nil
}

func comBool(obj unsafe.Pointer, slot int) (bool, error) {
	var b int32
	err := comCall(obj, slot, uintptr(unsafe.Pointer(&b)))
	return b != 0, err
}

func comUint32(obj unsafe.Pointer, slot int) (uint32, error) {
	var v uint32
	err := comCall(obj, slot, uintptr(unsafe.Pointer(&v)))
	return v, err
}

func boolArg(b bool) uintptr {
	if b {
		return 1
	}
	return 0
}

// addEvent registers handler (a COM interface pointer) with an add_Xxx slot.
func addEvent(webview unsafe.Pointer, slot int, handler uintptr) error {
	var token int64 // EventRegistrationToken
	return comCall(webview, slot, handler, uintptr(unsafe.Pointer(&token)))
}

// The handler interfaces Deskport implements through go-webview2's combridge
// (which builds the COM object and its vtable around a Go value).
type navigationStartingHandler interface {
	combridge.IUnknown
	NavigationStarting(sender, args unsafe.Pointer) uintptr
}

type newWindowRequestedHandler interface {
	combridge.IUnknown
	NewWindowRequested(sender, args unsafe.Pointer) uintptr
}

type permissionRequestedHandler interface {
	combridge.IUnknown
	PermissionRequested(sender, args unsafe.Pointer) uintptr
}

type addScriptCompletedHandler interface {
	combridge.IUnknown
	AddScriptCompleted(errorCode uintptr, id *uint16) uintptr
}

func init() {
	combridge.RegisterVTable[combridge.IUnknown, navigationStartingHandler](iidNavigationStartingHandler,
		func(this uintptr, sender, args unsafe.Pointer) uintptr {
			return combridge.Resolve[navigationStartingHandler](this).NavigationStarting(sender, args)
		})
	combridge.RegisterVTable[combridge.IUnknown, newWindowRequestedHandler](iidNewWindowRequestedHandler,
		func(this uintptr, sender, args unsafe.Pointer) uintptr {
			return combridge.Resolve[newWindowRequestedHandler](this).NewWindowRequested(sender, args)
		})
	combridge.RegisterVTable[combridge.IUnknown, permissionRequestedHandler](iidPermissionRequestedHandler,
		func(this uintptr, sender, args unsafe.Pointer) uintptr {
			return combridge.Resolve[permissionRequestedHandler](this).PermissionRequested(sender, args)
		})
	combridge.RegisterVTable[combridge.IUnknown, addScriptCompletedHandler](iidAddScriptCompletedHandler,
		func(this, errorCode uintptr, id *uint16) uintptr {
			return combridge.Resolve[addScriptCompletedHandler](this).AddScriptCompleted(errorCode, id)
		})
}
