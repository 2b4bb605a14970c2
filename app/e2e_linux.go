//go:build deskport_e2e && linux && cgo

package app

// Test builds only (-tags deskport_e2e): a control endpoint on loopback that
// drives the real window (load, evaluate script, read the address, quit),
// a bound service that records who called it (to prove suite pages cannot
// call Go), WebDriver automation and mock capture devices.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/options"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/deskport/deskport/internal/webkit"
)

// E2E is bound like any service; only the shell page may call it.
type E2E struct{}

var (
	e2eMu      sync.Mutex
	e2eTouches = []string{}
)

// Touch records a call from a page.
func (E2E) Touch(who string) string {
	e2eMu.Lock()
	e2eTouches = append(e2eTouches, who)
	e2eMu.Unlock()
	return "touched:" + who
}

func testServices() []interface{} { return []interface{}{&E2E{}} }

var testPart = part{
	options: func(*options.App) {
		if !bindingsBuild {
			webkit.EnableTestFeatures()
			// DESKPORT_E2E_WALL_OFF=N: parts of the wall off (webkit.DisableForTest),
			// to show that the tests fail without them.
			if n, err := strconv.Atoi(os.Getenv("DESKPORT_E2E_WALL_OFF")); err == nil {
				webkit.DisableForTest(n)
			}
		}
	},
	startup: func(ctx context.Context) {
		addr := os.Getenv("DESKPORT_E2E_CONTROL")
		if addr == "" {
			return
		}
		go http.ListenAndServe(addr, e2eControl(ctx))
	},
}

func e2eControl(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	body := func(r *http.Request) string { b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20)); return string(b) }
	mux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-webkit.Ready():
			io.WriteString(w, "ready")
		default:
			http.Error(w, "not yet", http.StatusServiceUnavailable)
		}
	})
	mux.HandleFunc("GET /uri", func(w http.ResponseWriter, r *http.Request) {
		u, err := webkit.URI()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, u)
	})
	mux.HandleFunc("POST /load", func(w http.ResponseWriter, r *http.Request) { webkit.Load(body(r)) })
	mux.HandleFunc("POST /eval", func(w http.ResponseWriter, r *http.Request) {
		v, err := webkit.Eval(body(r))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, v)
	})
	mux.HandleFunc("GET /touches", func(w http.ResponseWriter, r *http.Request) {
		e2eMu.Lock()
		defer e2eMu.Unlock()
		json.NewEncoder(w).Encode(e2eTouches)
	})
	mux.HandleFunc("GET /wall", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(webkit.WallStats())
	})
	mux.HandleFunc("POST /quit", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "bye")
		go wruntime.Quit(ctx)
	})
	return mux
}
