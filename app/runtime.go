package app

import (
	"context"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Runtime is the part of the Wails runtime the services use. Wails'
// functions log.Fatal when given a context Wails did not create, so services
// hold this interface: the real one after Startup, a no-op before and in tests.
type Runtime interface {
	Emit(event string, data ...interface{})
	Show()
	OpenURL(url string)
	// SaveFile asks where to save a file (the platform's save dialog, which
	// confirms replacing an existing file); "" and no error when cancelled.
	SaveFile(opts SaveDialog) (string, error)
}

// SaveDialog is what the save dialog starts with.
type SaveDialog struct {
	Title     string
	Directory string // must exist; "" lets the platform choose
	Filename  string
}

type wailsRuntime struct{ ctx context.Context }

// NewWailsRuntime wraps the context Wails passed to OnStartup.
func NewWailsRuntime(ctx context.Context) Runtime { return wailsRuntime{ctx} }

func (w wailsRuntime) Emit(event string, data ...interface{}) {
	wruntime.EventsEmit(w.ctx, event, data...)
}
func (w wailsRuntime) Show() {
	wruntime.WindowUnminimise(w.ctx)
	wruntime.WindowShow(w.ctx)
}
func (w wailsRuntime) OpenURL(url string) { wruntime.BrowserOpenURL(w.ctx, url) }
func (w wailsRuntime) SaveFile(o SaveDialog) (string, error) {
	return wruntime.SaveFileDialog(w.ctx, wruntime.SaveDialogOptions{
		Title: o.Title, DefaultDirectory: o.Directory, DefaultFilename: o.Filename, CanCreateDirectories: true,
	})
}

type noRuntime struct{}

func (noRuntime) Emit(string, ...interface{}) {}
func (noRuntime) Show()                       {}
func (noRuntime) OpenURL(string)              {}

// SaveFile without a window cannot ask: it saves nothing, as if cancelled.
func (noRuntime) SaveFile(SaveDialog) (string, error) { return "", nil }
