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

// A service is a struct from app/ whose exported methods the shell page may
// call. bind_<name>.go files add theirs with registerService in init(); a
// service with a Startup(context.Context) method gets Wails' context.
var serviceMakers []func() interface{}

func registerService(make func() interface{}) { serviceMakers = append(serviceMakers, make) }

type starter interface{ Startup(ctx context.Context) }

func runGUI(args []string) error {
	shell := app.NewShell(version)
	bound := []interface{}{shell}
	for _, m := range serviceMakers {
		bound = append(bound, m())
	}
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
			for _, b := range bound {
				if s, ok := b.(starter); ok {
					s.Startup(ctx)
				}
			}
			for _, h := range startupHooks {
				h(ctx)
			}
		},
		Bind: bound,
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
