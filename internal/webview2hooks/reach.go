package webview2hooks

import (
	"fmt"
	"reflect"
	"unsafe"
)

// Field names and method Deskport reaches inside Wails' Windows frontend
// (github.com/wailsapp/wails/v2/internal/frontend/desktop/windows.Frontend).
// wails_source_test.go checks them against the Wails source of the version
// in go.mod, so an upgrade that renames them fails `make test`.
const (
	FieldChromium   = "chromium"   // *edge.Chromium
	FieldMainWindow = "mainWindow" // *windows.Window, which has Invoke(func())
	// FieldDevWrapped is the embedded frontend.Frontend of `wails dev`'s
	// devserver frontend, which wraps the Windows one.
	FieldDevWrapped = "Frontend"
)

// Reach finds, in the value Wails stores as ctx.Value("frontend"), the field
// FieldChromium (which must have the type chromiumType) and the
// Invoke(func()) method of FieldMainWindow (which runs a function on the
// window's UI thread, where every WebView2 call must be made). Both are
// unexported, so they are read through unsafe; any mismatch is an error,
// never a guess.
func Reach(frontend any, chromiumType reflect.Type) (chromium any, invoke func(func()), err error) {
	v := reflect.ValueOf(frontend)
	for depth := 0; depth < 3; depth++ {
		if !v.IsValid() {
			return nil, nil, fmt.Errorf("no Wails frontend in the context")
		}
		if v.Kind() == reflect.Interface {
			v = v.Elem()
			continue
		}
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return nil, nil, fmt.Errorf("the Wails frontend is a %s, not a pointer to a struct", v.Type())
		}
		s := v.Elem()
		if _, ok := s.Type().FieldByName(FieldChromium); ok {
			return reachIn(s, chromiumType)
		}
		inner := s.FieldByName(FieldDevWrapped)
		if !inner.IsValid() {
			return nil, nil, fmt.Errorf("the Wails frontend %s has no field %q", s.Type(), FieldChromium)
		}
		v = readable(inner)
	}
	return nil, nil, fmt.Errorf("no Wails Windows frontend found")
}

func reachIn(s reflect.Value, chromiumType reflect.Type) (any, func(func()), error) {
	cf := s.FieldByName(FieldChromium)
	if cf.Type() != chromiumType {
		return nil, nil, fmt.Errorf("%s.%s is a %s, Deskport expects %s", s.Type(), FieldChromium, cf.Type(), chromiumType)
	}
	cv := readable(cf)
	if cv.IsNil() {
		return nil, nil, fmt.Errorf("%s.%s is not set yet", s.Type(), FieldChromium)
	}
	wf := s.FieldByName(FieldMainWindow)
	if !wf.IsValid() {
		return nil, nil, fmt.Errorf("%s has no field %q", s.Type(), FieldMainWindow)
	}
	wv := readable(wf)
	if wv.Kind() != reflect.Pointer || wv.IsNil() {
		return nil, nil, fmt.Errorf("%s.%s is not set yet", s.Type(), FieldMainWindow)
	}
	m := wv.MethodByName("Invoke")
	if !m.IsValid() {
		return nil, nil, fmt.Errorf("%s has no Invoke method", wv.Type())
	}
	invoke, ok := m.Interface().(func(func()))
	if !ok {
		return nil, nil, fmt.Errorf("%s.Invoke is a %s, Deskport expects func(func())", wv.Type(), m.Type())
	}
	return cv.Interface(), invoke, nil
}

// readable turns an unexported struct field (addressable, since it is read
// through a pointer) into a value whose content and methods may be used.
func readable(f reflect.Value) reflect.Value {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
