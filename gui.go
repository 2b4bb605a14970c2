package main

import (
	"context"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"

	"github.com/deskport/deskport/app"
)

// guiHooks let platform files (webview_linux.go, ...) adjust the options and
// run at startup without this file knowing about them.
var (
	optionHooks  []func(o *options.App)
	startupHooks []func(ctx context.Context)
)

func runGUI(args []string) error {
	shell := app.NewShell(version)
	o := &options.App{
		Title:     "Deskport",
		Width:     1200,
		Height:    800,
		MinWidth:  720,
		MinHeight: 480,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		OnStartup: func(ctx context.Context) {
			shell.Startup(ctx)
			for _, h := range startupHooks {
				h(ctx)
			}
		},
		Bind: []interface{}{shell},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "org.deskport.Deskport",
			OnSecondInstanceLaunch: shell.SecondInstance,
		},
		Linux:   &linux.Options{ProgramName: "deskport", WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand},
		Windows: &windows.Options{},
	}
	for _, h := range optionHooks {
		h(o)
	}
	return wails.Run(o)
}
