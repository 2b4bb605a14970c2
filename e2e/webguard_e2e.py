#!/usr/bin/env python3
"""End-to-end test of Deskport's Windows page guard (internal/webguard) in Chromium.

WebView2 is Chromium: this drives headless Chromium through chromedriver's W3C
WebDriver HTTP API against the fake suite (scripts/peers/fakesuite) and a
stand-in for the shell origin (http://wails.localhost:PORT/, serving the shell
page and the opener /__deskport/open that records what it was asked to open).
After each load the guard is run with execute-script, as the app does from
OnDomReady (WebView2 NavigationCompleted) through WindowExecJS.

Usage: webguard_e2e.py GUARDSCRIPT_BINARY (see scripts/e2e-webguard.sh).
"""
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
procs = []


def log(*a):
    print("e2e-webguard:", *a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait(what, cond, timeout=10, every=0.05):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = cond()
            if last:
                return last
        except Exception as e:  # between pages
            last = e
        time.sleep(every)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))


def group_alive(pgid):
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/stat" % pid) as f:
                    st = f.read().rsplit(")", 1)[1].split()
                if int(st[2]) == pgid and st[0] != "Z":
                    return True
            except (OSError, ValueError, IndexError):
                pass
    return False


# --- the shell's stand-in: the shell page and the opener -------------------
# OPENED: what the opener opened; REFUSED: (address, Sec-Fetch-Dest) of the
# requests it refused, by openlink.go's rule (webview2hooks.UserNavigation):
# only a top-level navigation the user started opens anything.
OPENED, REFUSED, SHELL_HITS = [], [], []


def user_navigation(h):
    return (h.get("Sec-Fetch-Mode", "").lower() == "navigate" and h.get("Sec-Fetch-Dest", "").lower() == "document"
            and h.get("Sec-Fetch-User", "") == "?1")


class ShellHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        SHELL_HITS.append(self.path)
        if u.path == "/__deskport/open":  # as openlink.go: 204, the page stays
            q = urllib.parse.parse_qs(u.query)
            if not user_navigation(self.headers):
                REFUSED.append((q.get("u", [""])[0], self.headers.get("Sec-Fetch-Dest", "")))
                self.send_response(204)  # as openlink.go: the page that asked stays
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            OPENED.append(q.get("u", [""])[0])
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<!doctype html><title>Deskport shell</title><h1 id=shell>Deskport</h1>"
        self.send_response(200 if u.path == "/" else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# --- WebDriver ---------------------------------------------------------------
class Driver:
    def __init__(self, port, profile):
        self.base = "http://127.0.0.1:%d" % port
        wait("chromedriver", lambda: self.req("GET", "/status")["value"]["ready"])
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--user-data-dir=" + profile,
                     # real getUserMedia grants (so a refusal is the guard's doing)
                     "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]}}}}
        self.sid = self.req("POST", "/session", caps)["value"]["sessionId"]

    def req(self, method, path, body=None):
        r = urllib.request.Request(self.base + path, method=method,
                                   data=json.dumps(body).encode() if body is not None else None,
                                   headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(r, timeout=30) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return json.loads(e.read())

    def s(self, method, path, body=None):
        v = self.req(method, "/session/%s%s" % (self.sid, path), body)
        return v.get("value") if isinstance(v, dict) else v

    def get(self, url):
        return self.s("POST", "/url", {"url": url})  # an error page answers with an error: fine

    def js(self, script, *args):
        v = self.s("POST", "/execute/sync", {"script": script, "args": list(args)})
        if isinstance(v, dict) and "error" in v:
            raise RuntimeError("script failed: %s" % v.get("message", "")[:300])
        return v

    def js_async(self, script, *args):
        return self.s("POST", "/execute/async", {"script": script, "args": list(args)})

    def url(self):
        return self.s("GET", "/url")

    def handles(self):
        return self.s("GET", "/window/handles")

    def el(self, css):
        v = self.s("POST", "/element", {"using": "css selector", "value": css})
        return list(v.values())[0]

    def click(self, css):
        # Real mouse input through the Actions API. (chromedriver's Element
        # Click dropped the opener navigation the guard starts in the click
        # handler; a click through Actions behaves like a user's.)
        self.pointer_click(css, 0)

    def pointer_click(self, css, button, keys=()):
        e = self.el(css)
        acts = [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "origin": {"element-6066-11e4-a52e-4f735466cecf": e}, "x": 0, "y": 0},
            {"type": "pause", "duration": 0},
            {"type": "pointerDown", "button": button}, {"type": "pointerUp", "button": button}]}]
        if keys:
            acts.append({"type": "key", "id": "kbd", "actions": [{"type": "keyDown", "value": k} for k in keys]
                         + [{"type": "pause", "duration": 0}] * 2 + [{"type": "keyUp", "value": k} for k in keys]})
        self.s("POST", "/actions", {"actions": acts})
        self.s("DELETE", "/actions")

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass


def main():
    guardbin = sys.argv[1]
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="deskport-webguard-")
    ports = {r: free_port() for r in ("portal", "id", "files", "meet", "outside")}
    closed = free_port()  # the wiki: a suite origin nobody answers on
    o = {r: "http://127.0.0.1:%d" % p for r, p in ports.items()}
    o["wiki"] = "http://127.0.0.1:%d" % closed

    fs = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/peers/fakesuite/fakesuite.py"), tmp]
                          + ["%s=%d" % (r, p) for r, p in ports.items()],
                          stdout=subprocess.PIPE, start_new_session=True)
    procs.append(fs)
    assert fs.stdout.readline().strip() == b"fakesuite: ready"

    sport = free_port()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", sport), ShellHandler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    shell = "http://wails.localhost:%d/" % sport

    hosts = ",".join("%s=%s" % (r, o[r]) for r in ("portal", "id", "files", "meet", "wiki"))
    key = "__deskportGuard_" + os.urandom(8).hex()  # the app's is random per run, too
    guard = subprocess.run([guardbin, "-domain", "example.org", "-hosts", hosts, "-shell", shell, "-key", key],
                           check=True, capture_output=True, text=True).stdout
    assert "deskport-switcher" in guard

    dport = free_port()
    cd = subprocess.Popen(["chromedriver", "--port=%d" % dport], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)
    procs.append(cd)
    d = Driver(dport, os.path.join(tmp, "profile"))
    suite_log = os.path.join(tmp, "requests.log")

    def outside_requests():
        try:
            with open(suite_log) as f:
                return [l for l in f if l.startswith("outside ")]
        except FileNotFoundError:
            return []

    def load(url):
        d.get(url)
        d.js(guard)  # as OnDomReady → WindowExecJS after NavigationCompleted

    def refused(u, dest=None):
        try:
            return wait("the opener to refuse %s" % u, lambda: any(r == u and (dest is None or dd == dest) for r, dd in REFUSED))
        except AssertionError:
            log("refused:", REFUSED, "opened:", OPENED, "url:", d.url())
            raise

    def opened(u):
        try:
            return wait("the opener to get %s" % u, lambda: u in OPENED)
        except AssertionError:
            log("opened:", OPENED, "shell hits:", SHELL_HITS, "url:", d.url(), "outside:", outside_requests())
            raise

    try:
        # The guard's decide() agrees with the Go policy (navpolicy.Decide) on
        # the same suite, for addresses where browsers and parsers disagree most.
        load(o["portal"] + "/")
        p, f = o["portal"], o["files"]
        urls = [p + "/", p.upper() + "/X", f + "/a?b#c", p.replace("127.0.0.1", "127.0.0.1.") + "/",
                o["outside"] + "/", "https://files.example.org/", "https://FILES.example.org:443/x",
                "http://files.example.org/", "https://files.example.org:8443/", "https://evil.example/",
                "https://files.example.org@evil.example/", "https://u:p@files.example.org/",
                "https://files.example.org.evil.example/", "https://xn--e1afmkfd.example/",
                "mailto:alice@example.org", "tel:+491234", "javascript:alert(1)", "data:text/html,x",
                "file:///etc/passwd", "ftp://files.example.org/", "about:blank", "blob:https://files.example.org/u-u-i-d",
                "blob:https://evil.example/u", "wss://files.example.org/", "http://[::1]:80/", "https://id.example.org/realms/opendesk"]
        go_says = json.loads(subprocess.run([guardbin, "-decide", "-domain", "example.org", "-hosts", hosts],
                                            input="\n".join(urls), check=True, capture_output=True, text=True).stdout)
        js_says = d.js("var g = window[arguments[1]]; return arguments[0].map(function(u){ return g.decide(u) })", urls, key)
        diff = [(u, go_says[u], j) for u, j in zip(urls, js_says) if go_says[u] != j]
        assert not diff, "JS and Go policies disagree (url, go, js): %r" % diff
        log("decide() agrees with navpolicy on %d addresses" % len(urls))

        # The shell itself is left alone.
        load(shell)
        assert d.js("return document.getElementById('deskport-switcher')") is None

        # (4) the switcher, (6) idempotent
        load(o["portal"] + "/")
        d.js(guard)
        d.js(guard)
        assert d.js("return document.querySelectorAll('#deskport-switcher').length") == 1, "one switcher"
        log("switcher present once after three runs")

        # (2) an outside link: opened outside, the page stays (same document)
        d.js("window.__stay = 1")
        d.click("#outside")
        opened(o["outside"] + "/landing")
        time.sleep(0.3)
        assert d.url() == o["portal"] + "/", d.url()
        assert d.js("return window.__stay") == 1, "the page was replaced"
        assert OPENED.count(o["outside"] + "/landing") == 1, "guard listeners must not stack: %r" % OPENED
        assert not outside_requests(), "the window itself reached the outside origin"
        log("outside link -> opener, page stayed")

        # target=_blank to an outside origin
        d.click("#blank-outside")
        opened(o["outside"] + "/blank")
        assert len(d.handles()) == 1, "a new window opened"
        assert d.js("return window.__stay") == 1

        # middle click and ctrl+click on outside links
        d.js("var a=document.createElement('a');a.id='mid';a.href=arguments[0];a.textContent='mid';"
             "document.body.prepend(a)", o["outside"] + "/middle")
        d.pointer_click("#mid", 1)
        opened(o["outside"] + "/middle")
        d.js("var a=document.getElementById('mid');a.href=arguments[0]", o["outside"] + "/ctrl")
        d.pointer_click("#mid", 0, keys=("\ue009",))
        opened(o["outside"] + "/ctrl")
        assert len(d.handles()) == 1 and d.js("return window.__stay") == 1
        log("target=_blank, middle and ctrl clicks on outside links -> opener")

        # (3) window.open outside by script (no click), also the
        # open-then-set-location pattern: no popup, and the opener refuses
        # them (Sec-Fetch-User missing), so nothing opens.
        n = len(OPENED)
        r = d.js("return window.open(arguments[0])", o["outside"] + "/popup")
        refused(o["outside"] + "/popup")
        d.js("var w = window.open(); w.location = arguments[0]", o["outside"] + "/late")
        refused(o["outside"] + "/late")
        d.js("window.open(arguments[0], 'named', 'width=200')", "mailto:alice@example.org")
        refused("mailto:alice@example.org")
        d.js("window.open('javascript:alert(1)')")
        assert len(d.handles()) == 1 and d.js("return window.__stay") == 1
        assert not outside_requests()
        assert OPENED[n:] == [], OPENED[n:]
        log("window.open outside by script -> no popup, nothing opened")

        # Issue 15, item 3: sub-resources and scripted navigations pointed at
        # the opener open nothing (Chromium's Fetch Metadata tells them
        # apart); a click on a link to it opens once.
        n = len(OPENED)
        op = shell + "__deskport/open?u="
        d.js("var i = new Image(); i.src = arguments[0]; document.body.append(i)", op + urllib.parse.quote("tel:+49301", safe=""))
        refused("tel:+49301", "image")
        d.js("fetch(arguments[0], {mode: 'no-cors'}).catch(function(){})", op + urllib.parse.quote(o["outside"] + "/fetch", safe=""))
        refused(o["outside"] + "/fetch", "empty")
        d.js("var f = document.createElement('iframe'); f.src = arguments[0]; document.body.append(f)",
             op + urllib.parse.quote(o["outside"] + "/frame", safe=""))
        refused(o["outside"] + "/frame", "iframe")
        d.js("location.href = arguments[0]", op + urllib.parse.quote(o["outside"] + "/scripted", safe=""))
        refused(o["outside"] + "/scripted", "document")
        assert OPENED[n:] == [], "opened without a click: %r" % OPENED[n:]
        d.js("var a = document.createElement('a'); a.id = 'op'; a.href = arguments[0]; a.textContent = 'op';"
             "document.body.prepend(a)", op + urllib.parse.quote(o["outside"] + "/clicked", safe=""))
        d.click("#op")
        opened(o["outside"] + "/clicked")
        time.sleep(0.3)
        assert OPENED[n:] == [o["outside"] + "/clicked"], OPENED[n:]
        log("opener: image, fetch, frame and scripted navigation refused; a click opened once")

        # (5) camera/microphone refused off the meet origin (granted there)
        gum = ("var done = arguments[arguments.length-1];"
               "navigator.mediaDevices.getUserMedia({video:true, audio:true}).then("
               "function(s){ s.getTracks().forEach(function(t){t.stop()}); done('granted') },"
               "function(e){ done('denied ' + e.name + ' ' + e.message) })")
        v = d.js_async(gum)
        assert v.startswith("denied NotAllowedError Deskport"), v
        log("getUserMedia on portal:", v)

        # (2) target=_blank to another suite app: same window
        d.click("#blank-inside")
        wait("files in the same window", lambda: d.url().startswith(o["files"]))
        assert len(d.handles()) == 1
        d.js(guard)
        log("_blank to a suite origin -> same window")

        # ctrl+click on a suite link: same window too
        d.js("var a=document.createElement('a');a.id='c';a.href=arguments[0];a.textContent='c';"
             "document.body.prepend(a)", o["meet"] + "/")
        d.pointer_click("#c", 0, keys=("\ue009",))
        wait("meet in the same window", lambda: d.url().startswith(o["meet"]))
        assert len(d.handles()) == 1
        d.js(guard)
        v = d.js_async(gum)
        assert v == "granted", "meet must keep camera and microphone: " + v
        log("getUserMedia on meet:", v)

        # (3) window.open to a suite origin: same window
        d.js("window.open(arguments[0])", o["portal"] + "/login")
        wait("portal login in the same window", lambda: d.url() == o["portal"] + "/login")
        assert len(d.handles()) == 1
        d.js(guard)

        # A suite form still posts normally with the guard in place (sign-in).
        d.js("document.getElementById('user').value='alice'; document.getElementById('password').value='wonderland'")
        d.click("#submit")
        wait("signed in", lambda: d.url() == o["portal"] + "/" and "alice" in d.js("return document.body.textContent"))
        d.js(guard)
        log("sign-in form works under the guard")

        # (1) a page of a disallowed origin (a redirect, location.href...):
        # back to the shell; the guard asks the opener, which refuses (no
        # click: a page that got in without one is not opened outside)
        n = len(OPENED)
        d.get(o["outside"] + "/redirected?x=1")
        d.js(guard)
        d.js(guard)  # DomReady again must not ask twice
        refused(o["outside"] + "/redirected?x=1")
        wait("the shell", lambda: d.url() == shell + "#/home")
        assert [u for u, _ in REFUSED].count(o["outside"] + "/redirected?x=1") == 1, REFUSED
        assert OPENED[n:] == [], OPENED[n:]
        log("disallowed page -> shell, nothing opened")

        # A disallowed page that tampered with builtins before the guard came
        # (URL, Array.prototype.indexOf, a pre-seeded state) still leaves.
        d.get(o["outside"] + "/tampered")
        d.js("window.__deskportGuard = {leaving: true, installed: true};"
             "Array.prototype.indexOf = function () { return 0 };"
             "window.URL = function () { return {protocol: 'http:', href: arguments[0], host: 'x', hostname: 'x'} };", o["portal"])
        d.js(guard)
        refused(o["outside"] + "/tampered")
        wait("the shell", lambda: d.url() == shell + "#/home")
        log("tampered disallowed page -> shell")

        # (7) a network error page: the shell's offline view with the failed address
        failed = o["wiki"] + "/some/page?x=1"
        d.get(failed)
        href = d.js("return location.href")  # WebDriver's URL is the failed one
        assert href.startswith("chrome-error://"), href
        d.js(guard)
        want = shell + "#/home/offline/" + urllib.parse.quote(failed, safe="~()*!.'")
        wait("the offline view", lambda: d.url() == want)
        log("error page -> offline view:", d.url())

        # an unreachable outside address: offline view without it (not a suite page)
        d.get("http://127.0.0.1:%d/x" % free_port())
        d.js(guard)
        wait("the offline view without an address", lambda: d.url() == shell + "#/home/offline/")

        # --- Host mode: the guard as Windows runs it with the WebView2 hooks,
        # a script every document runs before its own
        # (AddScriptToExecuteOnDocumentCreated; here CDP's equivalent).
        hkey = key + "_host"
        hguard = subprocess.run([guardbin, "-host", "-domain", "example.org", "-hosts", hosts, "-shell", shell, "-key", hkey],
                                check=True, capture_output=True, text=True).stdout
        r = d.req("POST", "/session/%s/goog/cdp/execute" % d.sid,
                  {"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": hguard}})
        assert "identifier" in (r.get("value") or {}), r
        d.get(o["portal"] + "/")
        wait("the switcher (deferred to DOMContentLoaded)", lambda: d.js("return document.querySelectorAll('#deskport-switcher').length") == 1)
        d.js(hguard)  # the after-load run (OnDomReady) adds nothing twice
        assert d.js("return document.querySelectorAll('#deskport-switcher').length") == 1
        # Before the page's own scripts: a document whose inline script looks
        # at getUserMedia finds the guard's already there.
        early = ("<!doctype html><script>window.__early = Object.prototype.hasOwnProperty.call("
                 "navigator.mediaDevices, 'getUserMedia')</script>")
        d.js("location.href = URL.createObjectURL(new Blob([arguments[0]], {type: 'text/html'}))", early)
        wait("the blob document", lambda: d.url().startswith("blob:"))
        assert d.js("return window.__early") is True, "the guard did not run before the page's script"
        v = d.js_async(gum)
        assert v.startswith("denied NotAllowedError Deskport"), v
        log("host mode: guard before the page's scripts (getUserMedia refused), switcher once")
        # Links are the engine's: the guard leaves an outside link alone (on
        # Windows NavigationStarting sees the click itself).
        # Here no hook cancels it, so the outside page loads; the guard in it
        # (defence in depth) sends the window back to the shell, and nothing
        # opens without a click on the opener.
        d.get(o["portal"] + "/")
        n, before = len(OPENED), len(outside_requests())
        d.click("#outside")
        wait("the native navigation", lambda: any("/landing" in l for l in outside_requests()[before:]))
        wait("back to the shell", lambda: d.url() == shell + "#/home")
        assert OPENED[n:] == [], OPENED[n:]
        log("host mode: links left to the engine; an outside page that loads anyway goes back to the shell")
        # Chromium's error page: to the offline view (the document-created run
        # or the after-load run, as the app does both).
        d.get(failed)
        d.js(hguard)
        try:
            wait("the offline view (host mode)", lambda: d.url() == want)
        except AssertionError:
            log("url:", d.url(), "want:", want)
            raise
        log("host mode: error page -> offline view")

        log("all checks passed in %.1fs" % (time.monotonic() - t0))
    finally:
        d.quit()
        srv.shutdown()
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            # Chromium's processes are in chromedriver's group: wait for all of them.
            try:
                wait("process group %d to exit" % p.pid, lambda: not group_alive(p.pid), timeout=5)
            except AssertionError:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    # A timeout's SIGTERM still runs the clean-up in main's finally.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    main()
