// Package selfcheck is the judge of `deskport doctor --window`: it serves
// test pages on loopback (a fake suite of several origins and one outside
// origin), tells the real Deskport window (a child process started in check
// mode) what to load, and decides each of the window's rules from what the
// pages and the window report. It is plain Go and the same on every
// platform: the window's engine hooks are what is checked, not this code.
package selfcheck

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/doctor"
)

// Roles served as the fake suite's origins, and the origin outside it.
var suiteRoles = []string{"portal", "id", "files", "meet"}

const outsideRole = "outside"

// EnvVar tells a Deskport window to run in check mode; its value is the
// control address (with the secret) from Checker.ControlURL.
const EnvVar = "DESKPORT_WINDOW_CHECK"

// ProbeMethod is the binding the check window binds (and only it): a page
// posting a call to it is how a forged call is recognised.
const ProbeMethod = "app.WindowCheck.Probe"

// Instruction is what the window does next (the answer to GET /next).
type Instruction struct {
	Load       string `json:"load,omitempty"`       // load this page
	ShellProbe string `json:"shellProbe,omitempty"` // show the shell and call the probe from it with this tag
	Quit       bool   `json:"quit,omitempty"`
}

// Report is what the window tells the judge (POST /report).
type Report struct {
	Event  string `json:"event"` // "probe" (the bound probe was called), "open" (a link handed to the desktop)
	Detail string `json:"detail"`
}

// Checker serves the pages and collects what happened.
type Checker struct {
	secret  string
	origins map[string]string // role -> http://127.0.0.1:port
	control string
	servers []*http.Server

	mu     sync.Mutex
	next   Instruction
	probes []string
	opens  []string
	marks  map[string]bool // step/what reported by the pages
	values map[string]string
	wake   chan struct{}
}

// Start listens on loopback; Close stops it.
func Start() (*Checker, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	c := &Checker{secret: hex.EncodeToString(b), origins: map[string]string{}, marks: map[string]bool{},
		values: map[string]string{}, wake: make(chan struct{}, 1)}
	listen := func(h http.Handler) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		c.servers = append(c.servers, srv)
		go srv.Serve(ln)
		return "http://" + ln.Addr().String(), nil
	}
	for _, role := range append(append([]string{}, suiteRoles...), outsideRole) {
		o, err := listen(c.pages(role))
		if err != nil {
			c.Close()
			return nil, err
		}
		c.origins[role] = o
	}
	ctl, err := listen(c.controlHandler())
	if err != nil {
		c.Close()
		return nil, err
	}
	c.control = ctl + "/" + c.secret
	return c, nil
}

// Close stops the servers.
func (c *Checker) Close() {
	for _, s := range c.servers {
		s.Close()
	}
}

// ControlURL is the value of EnvVar for the window.
func (c *Checker) ControlURL() string { return c.control }

// SuiteHosts is the fake suite for DESKPORT_SUITE_HOSTS ("files=http://...,...").
func (c *Checker) SuiteHosts() string {
	var parts []string
	for _, r := range suiteRoles {
		parts = append(parts, r+"="+c.origins[r])
	}
	return strings.Join(parts, ",")
}

// SuiteDomain is the fake suite's domain (never resolved: every app has its host).
const SuiteDomain = "selfcheck.invalid"

func (c *Checker) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+c.secret+"/next", func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		next := c.next
		c.mu.Unlock()
		json.NewEncoder(w).Encode(next)
	})
	mux.HandleFunc("POST /"+c.secret+"/report", func(w http.ResponseWriter, r *http.Request) {
		var rep Report
		if json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&rep) != nil {
			http.Error(w, "bad report", http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		switch rep.Event {
		case "probe":
			if len(c.probes) < 10000 {
				c.probes = append(c.probes, rep.Detail)
			}
		case "open":
			c.opens = append(c.opens, rep.Detail)
		}
		c.mu.Unlock()
		c.poke()
	})
	return mux
}

func (c *Checker) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// mark records what a page reported: /mark?m=step.what[&v=value].
func (c *Checker) mark(name, value string) {
	c.mu.Lock()
	c.marks[name] = true
	if value != "" {
		c.values[name] = value
	}
	c.mu.Unlock()
	c.poke()
}

// pages serves one origin's test pages. Pages report to their own origin
// (/mark), so no page needs another origin's permission.
func (c *Checker) pages(role string) http.Handler {
	mux := http.NewServeMux()
	send := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "<!doctype html><html><head><meta charset=utf-8><title>%s</title></head><body><h1>Deskport window self-check</h1><p>%s</p>%s</body></html>",
			html.EscapeString(title), html.EscapeString(title), body)
	}
	mux.HandleFunc("POST /mark", func(w http.ResponseWriter, r *http.Request) {
		m := r.URL.Query().Get("m")
		if len(m) > 0 && len(m) < 100 {
			c.mark(role+":"+m, r.URL.Query().Get("v"))
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		step := r.URL.Query().Get("step")
		if r.URL.Path == "/landing" {
			// Reached by a navigation the window should have refused: it
			// says so if it renders anywhere.
			c.mark(role+":request:"+step, "")
			send(w, "must not load", markJS(step+".landed", ""))
			return
		}
		if r.URL.Path == "/favicon.ico" {
			http.NotFound(w, r)
			return
		}
		body, ok := c.stepPage(role, step)
		if !ok {
			send(w, "fake suite "+role, "")
			return
		}
		send(w, "check "+step, body)
	})
	return mux
}

func markJS(mark, valueExpr string) string {
	v := "''"
	if valueExpr != "" {
		v = valueExpr
	}
	return fmt.Sprintf(`<script>fetch('/mark?m=' + encodeURIComponent(%q) + '&v=' + encodeURIComponent(%s), {method: 'POST'});</script>`, mark, v)
}

// stepPage is the test page of one step.
func (c *Checker) stepPage(role, step string) (string, bool) {
	out := c.origins[outsideRole]
	landing := func(s string) string { return out + "/landing?step=" + url.QueryEscape(s) }
	js := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	report := `function report(m, v) { return fetch('/mark?m=' + encodeURIComponent(m) + '&v=' + encodeURIComponent(v || ''), {method: 'POST'}); }`
	switch step {
	case "outside-nav":
		return fmt.Sprintf(`<script>%s
report('outside-nav.start').then(function(){ location.href = %s; });
setTimeout(function(){ report('outside-nav.still-here'); }, 2500);
</script>`, report, js(landing("outside-nav"))), true
	case "popup":
		return fmt.Sprintf(`<script>%s
var w1 = null, w2 = null;
try { w1 = window.open(%s); } catch (e) {}
try { w2 = window.open(%s, 'dpcheck'); } catch (e) {}
report('popup.start', String(!!w1) + ',' + String(!!w2));
setTimeout(function(){ report('popup.still-here'); }, 2500);
</script>`, report, js(landing("popup")), js(c.origins["files"]+"/landing?step=popup-suite")), true
	case "no-click":
		opener := url.QueryEscape(landing("no-click-img"))
		return fmt.Sprintf(`<img alt="" src="wails://wails/__deskport/open?u=%s"><img alt="" src="http://wails.localhost/__deskport/open?u=%s">
<a id=a href="%s">a</a><a id=b target=_blank href="%s">b</a>
<script>%s
report('no-click.start').then(function(){
  document.getElementById('a').click(); document.getElementById('b').click();
  setTimeout(function(){ location.href = %s; }, 300);
  setTimeout(function(){ report('no-click.still-here'); }, 2500);
});
</script>`, opener, opener, html.EscapeString(landing("no-click-a")), html.EscapeString(landing("no-click-b")),
			report, js(landing("no-click-location"))), true
	case "media":
		return fmt.Sprintf(`<script>%s
navigator.mediaDevices.getUserMedia({audio: true, video: true}).then(function(s){
  s.getTracks().forEach(function(t){ t.stop(); }); report('media.result', 'granted');
}, function(e){ report('media.result', e.name); });
</script>`, report), true
	case "binding", "binding-nav":
		// Floods forged calls; "binding" stays (the window loads the shell
		// over it, as the menu does), "binding-nav" goes to the shell itself
		// (WebView2 serves the shell from http://wails.localhost/).
		nav := ""
		if step == "binding-nav" {
			nav = `location.href = /Edg\//.test(navigator.userAgent) ? 'http://wails.localhost/' : 'wails://wails/';`
		}
		return fmt.Sprintf(`<script>%s
var posted = 0, n = 0;
function post(m) { try { window.webkit.messageHandlers.external.postMessage(m); posted++; } catch (e) {}
  try { window.chrome.webview.postMessage(m); posted++; } catch (e) {} }
function burst() { for (var i = 0; i < 10; i++) post('C' + JSON.stringify({name: %s, args: ['remote'], callbackID: %s + (n++)})); }
var ch = new MessageChannel();
ch.port1.onmessage = function(){ burst(); ch.port2.postMessage(0); };
ch.port2.postMessage(0);
setTimeout(function(){ report(%s, String(posted)).then(function(){ %s }); }, 300);
</script>`, report, js(ProbeMethod), js(ProbeMethod+"-"), js(step+".start"), nav), true
	}
	return "", false
}

// Run drives the window through every step and returns one line per rule.
// exited is closed when the window's process ends, which ends the check.
func (c *Checker) Run(ctx context.Context, exited <-chan struct{}, budget time.Duration) []doctor.Result {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	var out []doctor.Result
	add := func(name string, lvl doctor.Level, detail string) {
		out = append(out, doctor.Result{Check: name, Level: lvl, Detail: detail})
	}
	// until waits for cond, or the window's exit, the deadline or d.
	var gone error
	until := func(d time.Duration, cond func() bool) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		for {
			c.mu.Lock()
			ok := cond()
			c.mu.Unlock()
			if ok {
				return true
			}
			select {
			case <-c.wake:
			case <-exited:
				gone = fmt.Errorf("the window closed before the check was done")
				return false
			case <-ctx.Done():
				return false
			case <-t.C:
				return false
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	set := func(i Instruction) {
		c.mu.Lock()
		c.next = i
		c.mu.Unlock()
	}
	probed := func(tag string) func() bool {
		return func() bool {
			for _, p := range c.probes {
				if p == tag {
					return true
				}
			}
			return false
		}
	}
	count := func(tag string) int {
		c.mu.Lock()
		defer c.mu.Unlock()
		n := 0
		for _, p := range c.probes {
			if p == tag {
				n++
			}
		}
		return n
	}
	marked := func(m string) func() bool { return func() bool { return c.marks[m] } }
	opensNow := func() []string {
		c.mu.Lock()
		defer c.mu.Unlock()
		return append([]string(nil), c.opens...)
	}
	load := func(role, step string) { set(Instruction{Load: c.origins[role] + "/?step=" + url.QueryEscape(step)}) }
	stop := func() []doctor.Result {
		if gone != nil {
			add("window", doctor.Fail, gone.Error())
		} else if ctx.Err() != nil {
			add("window", doctor.Fail, "the check did not finish in time")
		}
		set(Instruction{Quit: true})
		return out
	}

	// 0. Control: the shell itself reaches Go, so a count of zero below
	// means refused, not a broken channel.
	set(Instruction{ShellProbe: "shell"})
	if !until(40*time.Second, probed("shell")) {
		add("shell reaches Go (control)", doctor.Fail, "the shell's own call to the probe never arrived; the window did not start or its bindings are broken")
		return stop()
	}
	add("shell reaches Go (control)", doctor.OK, "the shell's call arrived")

	// 1. Outside navigation.
	load("files", "outside-nav")
	until(30*time.Second, marked("files:outside-nav.start"))
	until(8*time.Second, marked("files:outside-nav.still-here"))
	switch {
	case c.has("outside:outside-nav.landed"):
		add("outside navigation refused", doctor.Fail, "an outside page loaded in the window")
	case !c.has("files:outside-nav.still-here"):
		add("outside navigation refused", doctor.Fail, "the suite page was replaced after navigating outside")
	default:
		add("outside navigation refused", doctor.OK, "a suite page's location= to another origin did not load")
	}

	// 2. Popups.
	load("files", "popup")
	until(30*time.Second, marked("files:popup.start"))
	until(8*time.Second, marked("files:popup.still-here"))
	switch {
	case c.has("outside:popup.landed") || c.has("files:popup-suite.landed"):
		add("popup refused", doctor.Fail, "a window.open page loaded")
	case !c.has("files:popup.still-here"):
		add("popup refused", doctor.Fail, "the page was replaced after window.open")
	case containsAny(opensNow(), "step=popup"):
		add("popup refused", doctor.Fail, "window.open without a click opened the browser")
	default:
		add("popup refused", doctor.OK, "window.open without a click opened nothing")
	}

	// 3. Links without a click (scripted clicks, location=, the shell's opener as an image).
	before := len(opensNow())
	load("files", "no-click")
	until(30*time.Second, marked("files:no-click.start"))
	until(8*time.Second, marked("files:no-click.still-here"))
	time.Sleep(500 * time.Millisecond)
	if got := opensNow()[before:]; len(got) > 0 {
		add("link without click refused", doctor.Fail, "opened outside without a click: "+strings.Join(got, ", "))
	} else if c.has("outside:no-click-location.landed") || c.has("outside:no-click-a.landed") || c.has("outside:no-click-b.landed") {
		add("link without click refused", doctor.Fail, "an outside page loaded in the window")
	} else if !c.has("files:no-click.start") {
		add("link without click refused", doctor.Fail, "the test page did not run")
	} else {
		add("link without click refused", doctor.OK, "scripted clicks, location= and opener images opened nothing")
	}

	// 4. Media: granted on meet., refused elsewhere.
	load("meet", "media")
	until(15*time.Second, marked("meet:media.result"))
	load("files", "media")
	until(15*time.Second, marked("files:media.result"))
	meet, other := c.value("meet:media.result"), c.value("files:media.result")
	switch {
	case other == "granted":
		add("media refused off meet.", doctor.Fail, "a page outside meet. got camera and microphone")
	case other == "":
		add("media refused off meet.", doctor.Fail, "the media page did not answer")
	case meet != "granted":
		add("media refused off meet.", doctor.Warn, fmt.Sprintf("refused off meet. (%s), but meet. was refused too (%s): no camera or microphone here, so the check proves little", other, orNone(meet)))
	default:
		add("media refused off meet.", doctor.OK, "meet. granted, files. refused ("+other+")")
	}

	// 5. Forged binding calls from a remote page while the shell loads:
	// the window loading it over the page (as the menu, Ctrl+0, a deep link
	// do), then the page going there itself.
	load("files", "binding")
	until(15*time.Second, marked("files:binding.start"))
	set(Instruction{ShellProbe: "shell-after"})
	back := until(30*time.Second, probed("shell-after"))
	load("files", "binding-nav")
	until(15*time.Second, marked("files:binding-nav.start"))
	time.Sleep(2 * time.Second) // the flood goes on while the shell loads
	set(Instruction{ShellProbe: "shell-after-nav"})
	back = until(30*time.Second, probed("shell-after-nav")) && back
	time.Sleep(300 * time.Millisecond) // calls run on their own goroutines
	forged := count("remote")
	switch {
	case forged > 0:
		add("binding call from a remote page refused", doctor.Fail, fmt.Sprintf("%d forged calls reached Go", forged))
	case !c.has("files:binding.start") || !c.has("files:binding-nav.start"):
		add("binding call from a remote page refused", doctor.Fail, "the test page did not run")
	case !back:
		add("binding call from a remote page refused", doctor.Fail, "no forged call arrived, but the shell could not call Go afterwards either")
	default:
		add("binding call from a remote page refused", doctor.OK, fmt.Sprintf("none of the page's calls reached Go while the shell loaded (it could post %s+%s times before)",
			c.value("files:binding.start"), c.value("files:binding-nav.start")))
	}
	return stop()
}

func (c *Checker) has(m string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.marks[m]
}

func (c *Checker) value(m string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.values[m]
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
