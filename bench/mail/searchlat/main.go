// Command searchlat measures search latency inside one process (what the
// app pays per keystroke; the bench's CLI runs add process start and
// opening the cache): each query runs -n times on a filled cache, and the
// median, p95 and maximum are printed, for the first page alone (Search)
// and with the total count (SearchTotal, what `deskport mail search
// --total` does).
//
//	go run ./bench/mail/searchlat -cache /tmp/deskport-bench/.../cache [-n 50] [-page-only] [-cpuprofile F] [QUERY...]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/deskport/deskport/internal/mailcache"
)

func main() {
	dir := flag.String("cache", "", "a filled mail cache folder (deskport mail sync --cache DIR)")
	n := flag.Int("n", 50, "runs per query")
	pageOnly := flag.Bool("page-only", false, "skip the runs with the total count (slow for common-word phrases)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the searches to this file")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: searchlat -cache DIR [-n 50] [-page-only] [-cpuprofile F] [QUERY...]")
		os.Exit(2)
	}
	queries := flag.Args()
	if len(queries) == 0 {
		queries = []string{"subject:Rechnung", "body:Zahlungserinnerung",
			"from:juergen.mueller@example.de date:2024-03..2024-04", "Müller", "Rechn*"}
	}
	ctx := context.Background()
	c, err := mailcache.Open(ctx, *dir, mailcache.Policy{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "searchlat:", err)
		os.Exit(1)
	}
	defer c.Close()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "searchlat:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("%-58s %8s %8s %8s %8s %8s %8s %7s\n", "query", "p50", "p95", "max", "p50+tot", "p95+tot", "max+tot", "hits")
	for _, q := range queries {
		var page, total []time.Duration
		hits := 0
		for i := 0; i < *n; i++ {
			t0 := time.Now()
			if _, err := c.Search(ctx, q, 50); err != nil {
				fmt.Fprintln(os.Stderr, "searchlat:", err)
				os.Exit(1)
			}
			page = append(page, time.Since(t0))
			if *pageOnly {
				total = append(total, 0)
				continue
			}
			t0 = time.Now()
			_, h, err := c.SearchTotal(ctx, q, 50)
			if err != nil {
				fmt.Fprintln(os.Stderr, "searchlat:", err)
				os.Exit(1)
			}
			total = append(total, time.Since(t0))
			hits = h
		}
		p := pct(page)
		t := pct(total)
		fmt.Printf("%-58s %8s %8s %8s %8s %8s %8s %7d\n", q, p[0], p[1], p[2], t[0], t[1], t[2], hits)
	}
}

// pct returns the median, 95th percentile and maximum, rounded for reading.
func pct(d []time.Duration) [3]string {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(f float64) time.Duration { return d[min(len(d)-1, int(f*float64(len(d))))] }
	r := func(x time.Duration) string { return x.Round(10 * time.Microsecond).String() }
	return [3]string{r(at(0.5)), r(at(0.95)), r(d[len(d)-1])}
}
