package webview2hooks

import (
	"reflect"
	"strings"
	"testing"
)

// Stand-ins with the shape of Wails' Windows frontend: the fields are
// unexported, as they are there.
type fakeChromium struct{ name string }

type fakeControl struct{ calls int }

func (c *fakeControl) Invoke(f func()) { c.calls++; f() }

type fakeWindow struct{ fakeControl }

type fakeFrontend struct {
	ctx        any
	chromium   *fakeChromium
	mainWindow *fakeWindow
}

type fakeEngine interface{ Run() }

func (*fakeFrontend) Run() {}

// The devserver wraps the frontend in an embedded interface named Frontend.
type devWrap struct {
	Frontend fakeEngine
}

func (devWrap) Run() {}

var chromiumType = reflect.TypeOf((*fakeChromium)(nil))

func TestReach(t *testing.T) {
	c := &fakeChromium{"the one"}
	w := &fakeWindow{}
	f := &fakeFrontend{chromium: c, mainWindow: w}

	got, invoke, err := Reach(f, chromiumType)
	if err != nil {
		t.Fatal(err)
	}
	if got.(*fakeChromium) != c {
		t.Fatalf("reached %v, want the frontend's chromium", got)
	}
	ran := false
	invoke(func() { ran = true })
	if !ran || w.calls != 1 {
		t.Fatalf("invoke did not go through the window's Invoke (ran %v, calls %d)", ran, w.calls)
	}

	// Through an interface value, as ctx.Value returns it, and through the
	// devserver's wrapper.
	var asIface fakeEngine = f
	if got, _, err := Reach(asIface, chromiumType); err != nil || got.(*fakeChromium) != c {
		t.Fatalf("through an interface: %v %v", got, err)
	}
	if got, _, err := Reach(&devWrap{Frontend: f}, chromiumType); err != nil || got.(*fakeChromium) != c {
		t.Fatalf("through the dev wrapper: %v %v", got, err)
	}
}

// Every way the layout can differ is an error that names what is missing,
// never a half-reached frontend.
func TestReachFailsClosed(t *testing.T) {
	type renamed struct {
		chromium2  *fakeChromium
		mainWindow *fakeWindow
	}
	type retyped struct {
		chromium   *fakeControl
		mainWindow *fakeWindow
	}
	type noWindow struct {
		chromium *fakeChromium
	}
	type noInvoke struct {
		chromium   *fakeChromium
		mainWindow *fakeChromium
	}
	type badInvoke struct {
		chromium   *fakeChromium
		mainWindow *badInvoker
	}
	c := &fakeChromium{}
	for _, tc := range []struct {
		name  string
		value any
		want  string
	}{
		{"nil", nil, "no Wails frontend"},
		{"not a pointer", fakeFrontend{}, "not a pointer"},
		{"field renamed", &renamed{chromium2: c, mainWindow: &fakeWindow{}}, `no field "chromium"`},
		{"field retyped", &retyped{chromium: &fakeControl{}, mainWindow: &fakeWindow{}}, "Deskport expects"},
		{"chromium not set yet", &fakeFrontend{mainWindow: &fakeWindow{}}, "not set yet"},
		{"window not set yet", &fakeFrontend{chromium: c}, "not set yet"},
		{"no window field", &noWindow{chromium: c}, `no field "mainWindow"`},
		{"window without Invoke", &noInvoke{chromium: c, mainWindow: c}, "no Invoke method"},
		{"Invoke of another type", &badInvoke{chromium: c, mainWindow: &badInvoker{}}, "expects func(func())"},
		{"dev wrapper around nothing", &devWrap{}, "no Wails frontend"},
	} {
		_, inv, err := Reach(tc.value, chromiumType)
		if err == nil || inv != nil {
			t.Errorf("%s: reached (err %v)", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not say %q", tc.name, err, tc.want)
		}
	}
}

type badInvoker struct{}

func (*badInvoker) Invoke(f func() error) {}
