package app

// The window side of `deskport doctor --window`: a Deskport window started by
// the command with selfcheck.EnvVar set runs in check mode. It binds only one
// extra method (WindowCheck.Probe, which tells the judge it was called), keeps
// every link it would hand to the desktop for the judge instead, opens its
// own window (no single-instance hand-over to a running Deskport) and loads
// what the judge asks for. Everything else is the release window as it is:
// the same engine hooks, policy and shell.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/selfcheck"
)

// WindowCheck is bound in check mode only.
type WindowCheck struct{}

// Probe reports a call; the judge counts the ones a page forged.
func (WindowCheck) Probe(tag string) { windowCheckReport("probe", tag) }

// windowCheckControl is the judge's address in check mode, else "".
var windowCheckControl = os.Getenv(selfcheck.EnvVar)

// checkOpen, in check mode, takes every link the window would open outside.
var checkOpen func(string)

var checkClient = &http.Client{Timeout: 5 * time.Second}

func windowCheckReport(event, detail string) {
	b, _ := json.Marshal(selfcheck.Report{Event: event, Detail: detail})
	if resp, err := checkClient.Post(windowCheckControl+"/report", "application/json", bytes.NewReader(b)); err == nil {
		resp.Body.Close()
	}
}

var selfCheckPart = part{
	options: func(o *options.App) {
		if windowCheckControl == "" {
			return
		}
		checkOpen = func(u string) { windowCheckReport("open", u) }
		openExternalHook = checkOpen
		o.SingleInstanceLock = nil
		o.Title = "Deskport window self-check"
		// Fake camera and microphone (Linux), so that the media rule is
		// checked on machines without them.
		enableMockCapture()
	},
	startup: func(ctx context.Context) {
		if windowCheckControl != "" {
			go windowCheckLoop(ctx)
		}
	},
}

// windowCheckLoop does what the judge says until it says quit.
func windowCheckLoop(ctx context.Context) {
	waitWindowReady()
	var last selfcheck.Instruction
	for ctx.Err() == nil {
		var next selfcheck.Instruction
		resp, err := checkClient.Get(windowCheckControl + "/next")
		if err != nil {
			wruntime.Quit(ctx) // the judge is gone
			return
		}
		json.NewDecoder(resp.Body).Decode(&next)
		resp.Body.Close()
		switch {
		case next.Quit:
			wruntime.Quit(ctx)
			return
		case next != last && next.Load != "":
			navigate(next.Load)
		case next != last && next.ShellProbe != "":
			navigate(shellURL + "#/home")
		case next.ShellProbe != "":
			// Until the judge has it: only the shell has window.go.
			b, _ := json.Marshal(next.ShellProbe)
			wruntime.WindowExecJS(ctx, "window.go && window.go.app && window.go.app.WindowCheck && window.go.app.WindowCheck.Probe("+string(b)+");")
		}
		last = next
		time.Sleep(400 * time.Millisecond)
	}
}
