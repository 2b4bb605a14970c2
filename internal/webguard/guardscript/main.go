// Command guardscript prints the page guard for a suite, as the Windows app
// would run it (used by the Chromium end-to-end test, e2e/webguard_e2e.py).
//
//	go run ./internal/webguard/guardscript -domain example.org -hosts portal=http://127.0.0.1:8081,... -shell http://wails.localhost:9000/
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/deskport/deskport/internal/suitenav"

	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/webguard"
)

func main() {
	domain := flag.String("domain", "", "suite domain (empty: no suite)")
	hosts := flag.String("hosts", "", "app=origin,... overrides")
	shell := flag.String("shell", "http://wails.localhost/", "the shell's address")
	key := flag.String("key", "__deskportGuard", "the guard's state key in the page (the app uses a random one)")
	host := flag.Bool("host", false, "the guard as the Windows app runs it with its WebView2 hooks (document-created, links left to the engine)")
	decide := flag.Bool("decide", false, "print navpolicy's decision for each URL on stdin (one a line) as JSON, instead of the script")
	flag.Parse()
	var p *suite.Profile
	if *domain != "" {
		over := map[suite.App]string{}
		for _, kv := range strings.Split(*hosts, ",") {
			if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok {
				over[suite.App(k)] = v
			}
		}
		pr, err := suite.New(*domain, over)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		p = &pr
	}
	if *decide {
		// The Go policy's answers, for the test that the guard's JavaScript
		// decide() agrees with navpolicy.Decide.
		pol := suitenav.Policy(p)
		out := map[string]string{}
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if u := sc.Text(); u != "" {
				out[u] = pol.Decide(u).String()
			}
		}
		json.NewEncoder(os.Stdout).Encode(out)
		return
	}
	c := webguard.ForProfile(p, nil, *shell)
	c.Key = *key
	c.Host = *host
	fmt.Print(webguard.Script(c))
}
