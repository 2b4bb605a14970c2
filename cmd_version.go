package main

import (
	"context"
	"fmt"
	"runtime"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func init() {
	register(&command{
		Name:    "version",
		Summary: "print Deskport's version",
		Usage:   "Usage: deskport version",
		Run: func(ctx context.Context, env *cmdEnv, args []string) error {
			fmt.Fprintf(env.Stdout, "deskport %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	})
}
