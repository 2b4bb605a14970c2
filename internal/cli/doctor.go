package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/deskport/deskport/internal/buildinfo"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/doctor"
	"github.com/deskport/deskport/internal/netx"
	"github.com/deskport/deskport/internal/secrets"
)

// doctorKeyringTimeout bounds the keyring probe: a locked keyring with an
// unanswered prompt must not stall the report.
var doctorKeyringTimeout = 5 * time.Second

var doctorCommand = &command{
	Name:    "doctor",
	Summary: "check web engine, keyring, folders and the suite; --bundle for the helpdesk",
	Usage: `Usage: deskport doctor [--bundle FILE.zip] [--window]

Checks what Deskport needs: the web engine (WebKitGTK / WebView2), the OS
keyring (reachable and unlocked), the config, data, cache and logs folders,
the settings and admin defaults, and whether the suite's services answer.
Each failed line says how to fix it. Exits 1 when a check fails.

  --bundle FILE   also write a diagnostics zip (report, settings, logs; no secrets)
  --window        only the window self-check: opens a Deskport window (on
                  this desktop) against test pages on this machine and checks
                  the window's rules: outside navigation, popups, media off
                  meet., binding calls from remote pages, links without a
                  click. Nothing is sent anywhere; your settings and sign-ins
                  are not used. About 30 seconds.`,
	Run: runDoctor,
}

func runDoctor(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	bundle := fs.String("bundle", "", "")
	window := fs.Bool("window", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"unexpected arguments"}
	}
	if *window {
		return runWindowCheck(ctx, env)
	}
	paths, err := config.UserPaths()
	if err != nil {
		return err
	}
	rs := doctor.Run(ctx, doctor.Env{
		Paths:    paths,
		Keyring:  secrets.NewKeyring().WithTimeout(doctorKeyringTimeout),
		Client:   netx.Client(),
		GOOS:     runtime.GOOS,
		FindLibs: doctor.FindWebKit,
	})
	fmt.Fprintf(env.Stdout, "Deskport %s doctor\n", buildinfo.Version)
	doctor.Print(env.Stdout, rs)
	if *bundle != "" {
		if err := doctor.WriteBundle(*bundle, rs, paths); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "\nDiagnostics written to %s (no passwords or tokens in it).\n", *bundle)
	}
	if doctor.Failed(rs) {
		return fmt.Errorf("some checks failed; see the fix lines above")
	}
	return nil
}
