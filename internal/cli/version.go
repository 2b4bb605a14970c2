package cli

import (
	"context"
	"fmt"
	"runtime"

	"github.com/deskport/deskport/internal/buildinfo"
)

var versionCommand = &command{
	Name:    "version",
	Summary: "print Deskport's version",
	Usage:   "Usage: deskport version",
	Run: func(ctx context.Context, env *Env, args []string) error {
		fmt.Fprintf(env.Stdout, "deskport %s (%s, %s/%s)\n", buildinfo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return nil
	},
}
