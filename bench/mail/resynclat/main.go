// Command resynclat measures the no-change sync the app pays every few
// minutes and on every push: -n syncs of a filled cache in one process, as
// the app's sync loop runs them (from the second on, the connection is the
// kept one), and the median, p95 and maximum. A plain-loopback test server:
//
//	DESKPORT_PASSWORD=secret go run ./bench/mail/resynclat -cache DIR -port 18600 -user alice [-n 40]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/deskport/deskport/internal/mailcache"
)

func main() {
	dir := flag.String("cache", "", "a filled mail cache folder (deskport mail sync --cache DIR)")
	port := flag.Int("port", 0, "IMAP port on 127.0.0.1 (plain, loopback only)")
	user := flag.String("user", "", "IMAP user (password in DESKPORT_PASSWORD)")
	n := flag.Int("n", 40, "syncs")
	flag.Parse()
	if *dir == "" || *port == 0 || *user == "" {
		fmt.Fprintln(os.Stderr, "usage: resynclat -cache DIR -port P -user U [-n 40]")
		os.Exit(2)
	}
	ctx := context.Background()
	c, err := mailcache.Open(ctx, *dir, mailcache.Policy{BodyDays: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, "resynclat:", err)
		os.Exit(1)
	}
	defer c.Close()
	a := mailcache.Account{IMAP: mailcache.Server{Host: "127.0.0.1", Port: *port, Security: mailcache.SecurityPlainLoopback},
		User: *user, Password: os.Getenv("DESKPORT_PASSWORD")}
	var ds []time.Duration
	for i := 0; i < *n; i++ {
		t := time.Now()
		res, err := c.Sync(ctx, a)
		if err != nil {
			fmt.Fprintln(os.Stderr, "resynclat:", err)
			os.Exit(1)
		}
		d := time.Since(t)
		if i == 0 {
			fmt.Printf("first (dials): %v, %d folders changed\n", d.Round(10*time.Microsecond), res.Folders)
			continue
		}
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	q := func(p float64) time.Duration { return ds[int(p*float64(len(ds)-1))].Round(10 * time.Microsecond) }
	fmt.Printf("no-change sync on the kept connection, %d runs: p50 %v  p95 %v  max %v\n", len(ds), q(0.5), q(0.95), ds[len(ds)-1].Round(10*time.Microsecond))
}
