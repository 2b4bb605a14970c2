// Command fleetsim runs one file-sync client the way `deskport files sync`
// does (folder.Open, so with notify_push discovery, then Engine.Run), but
// with the engine's timers shortened by one factor, so that an hour of a
// client's idle life passes in a minute: the poll, the local rescan (10 min),
// the hourly full pass and the daily safety walk of the whole server tree
// all scaled alike. bench/fleet/fleet.sh uses it to check the per-hour figure it
// derives from the fleet's real processes. Dev tooling, not part of make test.
//
//	DESKPORT_PASSWORD=... fleetsim -local DIR -url FILES_DAV_URL -user U -state DIR -speedup 60 -for 2m
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/deskport/deskport/internal/filesync"
	"github.com/deskport/deskport/internal/filesync/folder"
	"github.com/deskport/deskport/internal/netx"
)

func main() {
	var c folder.Config
	flag.StringVar(&c.LocalDir, "local", "", "the synced local folder (synced once already)")
	flag.StringVar(&c.FilesURL, "url", "", "the WebDAV files folder")
	flag.StringVar(&c.User, "user", "", "user name (password in DESKPORT_PASSWORD)")
	flag.StringVar(&c.StateDir, "state", "", "the folder's state dir")
	poll := flag.Duration("poll", time.Minute, "poll interval at real speed (filesPollSeconds)")
	speedup := flag.Float64("speedup", 60, "divide every engine timer by this")
	runFor := flag.Duration("for", 2*time.Minute, "wall time to run")
	flag.Parse()
	c.Password = os.Getenv("DESKPORT_PASSWORD")
	if c.LocalDir == "" || c.FilesURL == "" || c.User == "" || c.StateDir == "" || c.Password == "" || *speedup <= 0 {
		fmt.Fprintln(os.Stderr, "usage: DESKPORT_PASSWORD=... fleetsim -local DIR -url URL -user U -state DIR [-poll 1m] [-speedup 60] [-for 2m]")
		os.Exit(2)
	}
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) / *speedup) }
	// The engine's defaults (internal/filesync/watch.go), scaled.
	opts := filesync.RunOptions{Poll: scale(*poll), LocalRescan: scale(10 * time.Minute),
		FullScan: scale(time.Hour), Rescan: scale(24 * time.Hour)}
	c.HTTPClient = netx.Client()
	c.Logf = func(f string, a ...any) { fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000 ")+f+"\n", a...) }
	ctx, cancel := context.WithTimeout(context.Background(), *runFor)
	defer cancel()
	f, err := folder.Open(ctx, c)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	passes := 0
	opts.OnPass = func(r filesync.Result, err error) {
		passes++
		fmt.Fprintf(os.Stderr, "%s pass %d: %v, err=%v, webdav requests so far %d\n", time.Now().Format("15:04:05.000"), passes, r, err, f.Client.Requests())
	}
	start := time.Now()
	if err := f.Engine.Run(ctx, opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("fleetsim\twall_s=%.1f\tsimulated_h=%.2f\tpoll=%s\tlocal_rescan=%s\tfull_scan=%s\trescan=%s\tpasses=%d\twebdav_requests=%d\n",
		time.Since(start).Seconds(), time.Since(start).Hours()**speedup, opts.Poll, opts.LocalRescan, opts.FullScan, opts.Rescan,
		passes, f.Client.Requests())
}
