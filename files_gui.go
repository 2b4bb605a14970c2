package main

import "github.com/wailsapp/wails/v2/pkg/options"

// Files and folders dropped on the window go to the files view (OnFileDrop).
func init() {
	optionHooks = append(optionHooks, func(o *options.App) {
		o.DragAndDrop = &options.DragAndDrop{EnableFileDrop: true}
	})
}
