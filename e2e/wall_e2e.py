#!/usr/bin/env python3
"""The wall between web pages and the desktop, attacked in the real window.

Runs inside dbus-run-session + xvfb-run (see scripts/e2e-wall.sh). Suite
pages and their iframes (same origin, another suite origin, an origin outside
the suite) flood Wails' message channel with binding calls to the test-only
E2E.Touch (which records every call on the Go side), browser opens ('BO:'),
file drops ('DD:') and quit ('Q'), while the shell is loaded in every way a
page can (location, a link, history.back, a redirect) and every way the user
can (a Go-side load as the menu does, Ctrl+0 and Ctrl+Shift+H as real key
presses, a real click on the switcher, a deskport://home deep link).
Passes when no call reached Go, nothing was opened, the app did not quit and
the window answered within a second during the flood. Then the link rules:
only a real click opens outside, rate-limited; scripts, sub-resources and
frames open nothing.

Environment: WALL_ROUNDS (default 30, the issue's count; deep links at most WALL_DEEPLINK_ROUNDS, default 30) rounds per way; WALL_QUIT=0 leaves 'Q'
out of the flood (to count accepted calls on a build without the wall).
"""
import http.server
import json
import os
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_e2e as s  # noqa: E402  (App, wait, window helpers, cleanup lists)

# 30 rounds per way, the count (about four minutes in all; deep links
# start a second process each); fewer with WALL_ROUNDS for a quick look.
ROUNDS = int(os.environ.get("WALL_ROUNDS", "30"))
DEEPLINK_ROUNDS = int(os.environ.get("WALL_DEEPLINK_ROUNDS", "30"))
QUIT = os.environ.get("WALL_QUIT", "1") != "0"
# WALL_FLOOD_MS=N: one burst every N ms instead of the unthrottled loop (a
# build without the wall freezes under the full flood before it can count).
FLOOD_MS = int(os.environ.get("WALL_FLOOD_MS", "0"))


def log(*a):
    print("e2e-wall:", *a, file=sys.stderr, flush=True)


FLOOD = r"""
<script>
(function(){
  var TAG = %(tag)s, QUIT = %(quit)s, OUT = %(out)s, EVERY = %(every)d;
  var n = 0;
  function post(m) {
    // Looked up every time: a page that kept a handler object, or finds a
    // new one, must still not get through.
    try { window.webkit.messageHandlers.external.postMessage(m); window.__dpPosted = (window.__dpPosted||0) + 1; } catch (e) {}
  }
  function burst() {
    for (var i = 0; i < (EVERY > 0 ? 1 : 10); i++) post('C' + JSON.stringify({name: 'app.E2E.Touch', args: [TAG], callbackID: 'app.E2E.Touch-' + (n++)}));
    post('BO:' + OUT + '/bo?' + encodeURIComponent(TAG));
    post('DD:1:1:/nonexistent/deskport-wall-' + n);
    if (QUIT) post('Q');
    window.__dpBursts = (window.__dpBursts||0) + 1;
  }
  // A MessageChannel loop: not throttled like timers in cross-origin frames.
  if (EVERY > 0) { setInterval(burst, EVERY); return; }
  var ch = new MessageChannel();
  ch.port1.onmessage = function(){ burst(); ch.port2.postMessage(0); };
  ch.port2.postMessage(0);
})();
</script>"""


def serve(roles, outside_origin):
    """One threaded HTTP server per role on loopback; pages by path."""
    class H(http.server.BaseHTTPRequestHandler):
        role = None

        def log_message(self, *a):
            pass

        def handle(self):
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the window left the page while it loaded

        def send(self, body, code=200, headers=()):
            b = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(b)))
            self.send_header("Cache-Control", "no-store")
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(b)

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            tag = "%s:%s" % (self.role, q.get("tag", "?"))
            flood = FLOOD % {"tag": json.dumps(tag), "quit": "true" if QUIT else "false", "out": json.dumps(outside_origin), "every": FLOOD_MS}
            if u.path == "/redirect-shell":
                return self.send("", 302, [("Location", "wails://wails/")])
            if u.path == "/frame":
                return self.send("<!doctype html><title>frame</title><p>frame %s</p>%s" % (self.role, flood))
            if u.path == "/attack":
                frames = "".join('<iframe style="width:120px;height:40px" src="%s/frame?tag=%s"></iframe>' % (
                    o, urllib.parse.quote(q.get("tag", "?") + "-frame")) for o in q.get("frames", "").split(",") if o)
                trigger = {
                    "none": "",
                    "location": "location = 'wails://wails/';",
                    "location-home": "location = 'wails://wails/#/home';",
                    "link": "var a = document.createElement('a'); a.href = 'wails://wails/'; document.body.appendChild(a); a.click();",
                    "back": "history.back();",
                    "redirect": "location = '/redirect-shell';",
                    "refresh": "var m = document.createElement('meta'); m.httpEquiv = 'refresh'; m.content = '0;url=wails://wails/'; document.head.appendChild(m);",
                }[q.get("mode", "none")]
                return self.send("<!doctype html><title>Attack</title><h1 id=h>attack %s</h1>%s%s"
                                 "<script>setTimeout(function(){ window.__dpTriggered = 1; %s }, 150);</script>"
                                 % (self.role, frames, flood, trigger))
            if u.path == "/links":
                # Link rules: a real click on #out opens outside; the rest must not.
                return self.send(
                    "<!doctype html><title>Links</title><style>a{display:block;font-size:40px;margin:20px}</style>"
                    "<a id=out href='%(o)s/clicked'>outside</a>"
                    "<a id=blank target=_blank href='%(o)s/clicked-blank'>outside blank</a>"
                    "<script>window.__dpReady = 1;</script>" % {"o": outside_origin})
            if u.path == "/links-auto":
                # Everything a page can do without a click.
                op = "wails://wails/__deskport/open?u=" + urllib.parse.quote(outside_origin + "/img", safe="")
                return self.send(
                    "<!doctype html><title>No click</title>"
                    "<img src='%(op)s'><img src='%(o)s/img2'>"
                    "<iframe src='%(o)s/frame-page'></iframe>"
                    "<a id=a href='%(o)s/scripted-click'>x</a><a id=b target=_blank href='%(o)s/scripted-blank'>y</a>"
                    "<script>document.getElementById('a').click(); document.getElementById('b').click();"
                    "window.open('%(o)s/popup');"
                    "setTimeout(function(){ location = '%(o)s/scripted-location'; }, 300);</script>"
                    % {"o": outside_origin, "op": op})
            return self.send("<!doctype html><title>%s</title><h1>%s</h1>" % (self.role, self.role))

    servers = {}
    for role, port in roles.items():
        cls = type("H_" + role, (H,), {"role": role})
        srv = socketserver.ThreadingTCPServer(("127.0.0.1", port), cls)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers[role] = srv
        s.cleanups.append(srv.shutdown)
    return servers


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-wall-")
    try:
        run(tmp)
    except BaseException:
        try:
            with open(os.path.join(tmp, "app.log"), "rb") as f:
                log("app output (tail):\n" + f.read()[-4000:].decode(errors="replace"))
        except OSError:
            pass
        raise
    finally:
        for p in s.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, 15)
                    p.wait(timeout=20)
                except Exception:
                    os.killpg(p.pid, 9)
        for c in s.cleanups:
            c()
        if not os.environ.get("DESKPORT_E2E_KEEP"):
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)


def run(tmp):
    t_start = time.monotonic()
    ports = {r: s.free_port() for r in ("portal", "id", "files", "meet", "outside")}
    o = {r: "http://127.0.0.1:%d" % p for r, p in ports.items()}
    serve(ports, o["outside"])

    # A stub xdg-open records what would go to the system browser.
    stubdir, external = s.stub_xdg_open(tmp)

    home = os.path.join(tmp, "home")
    os.makedirs(home)
    control = "127.0.0.1:%d" % s.free_port()
    env = dict(os.environ)
    env.update({
        "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
        "XDG_CACHE_HOME": home + "/.cache", "DESKPORT_HOME": os.path.join(tmp, "deskport"),
        "PATH": stubdir + ":" + os.environ["PATH"],
        "DESKPORT_E2E_CONTROL": control, "E2E_LOG": os.path.join(tmp, "app.log"), "NO_AT_BRIDGE": "1",
        "DESKPORT_SUITE_DOMAIN": "example.test",
        "DESKPORT_SUITE_HOSTS": ",".join("%s=%s" % (r, o[r]) for r in ("portal", "id", "files", "meet")),
    })
    app = s.App(env, control)
    app.start()
    wait = s.wait
    wait("launcher tiles", lambda: int(app.js("document.querySelectorAll('a.tile').length") or 0) >= 4)
    # Positive control: the shell itself reaches Go.
    app.js("window.go.app.E2E.Touch('shell'), 'ok'")
    wait("the shell's Go call", lambda: "shell" in app.touches())

    def alive():
        if app.proc.poll() is not None:
            raise AssertionError("the app quit: a page's 'Q' reached Wails")

    def on_shell():
        return app.uri().startswith("wails://wails/") and app.js("typeof window.go") == "object"

    frames = ",".join([o["files"], o["portal"], o["outside"]])
    results = {}
    slow = []

    def attack_page(way, i, mode):
        return "%s/attack?mode=%s&tag=%s-%d&frames=%s" % (o["files"], mode, way, i, urllib.parse.quote(frames))

    def flooding():
        """The page and its frames are posting (or trying to)."""
        return app.js("(window.__dpBursts||0) > 20 ? 'yes' : ''") == "yes"

    redirect_ends = {}

    def page_round(way, i, mode):
        if mode == "back":
            app.load("wails://wails/#/home")
            wait("the shell", on_shell, timeout=20, every=0.05)
        app.load(attack_page(way, i, mode))
        if mode not in ("redirect", "refresh"):
            wait("the shell after the page's " + mode, on_shell, timeout=20, every=0.05)
            return
        # WebKit may refuse a redirect to the app's scheme by itself: then
        # the flood goes on for a while on the page the redirect left.
        t0 = time.monotonic()
        wait("the shell or a settled page after the " + mode, lambda: on_shell() or time.monotonic() - t0 > 3, timeout=20, every=0.05)
        end = "shell" if on_shell() else app.uri().split("?")[0]
        redirect_ends[mode + " -> " + end] = redirect_ends.get(mode + " -> " + end, 0) + 1

    def user_round(way, i, trigger):
        t = time.monotonic()
        app.load(attack_page(way, i, "none"))
        wait("the flooding page", lambda: app.uri().startswith(o["files"] + "/attack") and flooding(), timeout=20, every=0.05)
        if os.environ.get("WALL_DEBUG"):
            log("round", way, i, "flooding after %.2f s" % (time.monotonic() - t))
        t = time.monotonic()
        app.js("1")
        took = time.monotonic() - t
        if took > 1.0:
            slow.append((way, i, round(took, 2)))
        trigger()
        if way != "user-switcher":
            wait("the shell after " + way, on_shell, timeout=20, every=0.05)
            if os.environ.get("WALL_DEBUG"):
                log("round", way, i, "shell after %.2f s" % (time.monotonic() - t))
            return
        t0 = [time.monotonic()]

        def clicked():
            if on_shell():
                return True
            if time.monotonic() - t0[0] > 1.5:  # the bar was not painted yet: click again
                trigger()
                t0[0] = time.monotonic()
            return False
        wait("the shell after " + way, clicked, timeout=20, every=0.05)
        if os.environ.get("WALL_DEBUG"):
            log("round", way, i, "shell after %.2f s" % (time.monotonic() - t))

    def ctrl0():
        s.xkey("ctrl+0")

    def ctrl_shift_h():
        s.xkey("ctrl+shift+h")

    def switcher():
        r = wait("the switcher", lambda: app.js(
            "(function(e){ if (!e) return ''; var r = e.getBoundingClientRect(); return r.width > 0 ? JSON.stringify([r.left, r.top, r.height]) : ''; })"
            "(document.getElementById('deskport-switcher'))"), timeout=10, every=0.05)
        left, top, height = json.loads(r)
        click_in_view(app, left + 1 + 4 + 14, top + height / 2)  # the first button: the shell

    def deeplink():
        subprocess.run([s.APP, "deskport://home"], env=env, capture_output=True, timeout=60)

    ways = [
        ("page-location", lambda w, i: page_round(w, i, "location" if i % 2 == 0 else "location-home")),
        ("page-link", lambda w, i: page_round(w, i, "link")),
        ("page-history", lambda w, i: page_round(w, i, "back")),
        ("page-redirect", lambda w, i: page_round(w, i, "redirect" if i % 2 == 0 else "refresh")),
        ("user-go-load", lambda w, i: user_round(w, i, lambda: app.load("wails://wails/#/home"))),
        ("user-ctrl0", lambda w, i: user_round(w, i, ctrl0)),
        ("user-menu-home", lambda w, i: user_round(w, i, ctrl_shift_h)),
        ("user-switcher", lambda w, i: user_round(w, i, switcher)),
        ("user-deeplink", lambda w, i: user_round(w, i, deeplink)),
    ]
    only = os.environ.get("WALL_WAYS")
    for way, do in ways:
        if only and way not in only.split(","):
            continue
        t = time.monotonic()
        rounds = min(ROUNDS, DEEPLINK_ROUNDS) if way == "user-deeplink" else ROUNDS
        for i in range(rounds):
            do(way, i)
            alive()
        # Calls are handled on their own goroutines: a shell call made now
        # lands after everything accepted before it.
        if os.environ.get("WALL_NO_CONTROL"):  # a build whose shell is left without bindings
            time.sleep(1)
        else:
            if not on_shell():  # a redirect round may end elsewhere
                app.load("wails://wails/#/home")
                wait("the shell", on_shell, timeout=20, every=0.05)
            app.js("window.go.app.E2E.Touch('control-%s'), 'ok'" % way)
            wait("the shell's control call", lambda: "control-" + way in app.touches(), timeout=20)
            time.sleep(0.3)
        hits = [x for x in app.touches() if x.startswith(tuple(r + ":" + way for r in ports))]
        hit_rounds = len(set(h.split(":", 1)[1].replace("-frame", "") for h in hits))
        results[way] = (hit_rounds, len(hits))
        log("%-16s %d rounds in %.1f s: forged calls accepted in %d rounds (%d calls)" % (
            way, rounds, time.monotonic() - t, hit_rounds, len(hits)))
    alive()
    touches = app.touches()
    forged = [x for x in touches if not (x == "shell" or x.startswith("control-"))]
    bo = [x for x in external() if "/bo?" in x]
    log("redirect rounds ended on:", redirect_ends)
    log("responsiveness: %d evals over 1 s during the flood %r" % (len(slow), slow[:5]))
    try:
        log("wall stats:", app.get("/wall"))
    except RuntimeError as e:  # a build without the wall
        log("wall stats: none (%s)" % e)
    assert not forged, "calls from pages reached Go: %d, e.g. %r" % (len(forged), forged[:5])
    assert not bo, "pages opened links through Wails' BO: %r" % bo[:5]
    assert not slow, "the window did not answer within 1 s during the flood: %r" % slow
    log("the wall held: 0 forged calls, 0 browser opens, the app did not quit, every eval under 1 s (%.0f s)" % (
        time.monotonic() - t_start))

    links(app, o, external)
    app.quit()
    log("PASS in %.0f s" % (time.monotonic() - t_start))


def click_in_view(app, x, y):
    """A real X mouse click at (x, y) in the page's viewport. The view fills
    the window below the menu bar."""
    wid = s.window_id()
    g = dict(l.split("=", 1) for l in subprocess.run(["xdotool", "getwindowgeometry", "--shell", wid],
                                                     capture_output=True, text=True, check=True).stdout.split())
    inner_h = int(app.js("window.innerHeight"))
    if os.environ.get("WALL_DEBUG"):
        log("click", x, y, "window", wid, g, "inner", inner_h, app.js("window.innerWidth"), subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "Deskport"], capture_output=True, text=True).stdout.split())
    sx = int(g["X"]) + int(x)
    sy = int(g["Y"]) + (int(g["HEIGHT"]) - inner_h) + int(y)
    # (moved off and back: a page that loaded under a resting pointer may not take its click)
    subprocess.run(["xdotool", "mousemove", "--sync", str(sx - 40), str(sy - 40), "mousemove", "--sync", str(sx), str(sy),
                    "click", "1"], check=True)


def links(app, o, external):
    """Only a real click opens outside, rate-limited; no script, frame or
    sub-resource opens anything."""
    wait = s.wait
    before = len(external())
    app.load(o["files"] + "/links-auto")
    wait("the page", lambda: app.uri().startswith(o["files"] + "/links-auto"))
    time.sleep(2.5)  # the scripted location= runs after 300 ms
    got = external()[before:]
    assert not got, "opened without a click: %r" % got
    assert app.uri().startswith(o["files"]), "a script moved the window off the suite: %s" % app.uri()
    log("no click, nothing opened (scripted location, scripted clicks, window.open, opener image, frame)")

    app.load(o["files"] + "/links")
    wait("the links page", lambda: app.js("window.__dpReady ? 'y' : ''") == "y")
    rect = json.loads(app.js("JSON.stringify((function(r){return [r.left, r.top, r.width, r.height]})("
                             "document.getElementById('out').getBoundingClientRect()))"))
    for attempt in range(5):  # a page just loaded under the pointer may miss the first click
        click_in_view(app, rect[0] + 20, rect[1] + rect[3] / 2)
        try:
            wait("the clicked link handed to xdg-open", lambda: o["outside"] + "/clicked" in external()[before:], timeout=3)
            break
        except AssertionError:
            if attempt == 4:
                raise
    # Rapid clicks: a few open, the rest are dropped.
    for _ in range(12):
        subprocess.run(["xdotool", "click", "1"], check=True)
    time.sleep(2)
    n = sum(1 for x in external()[before:] if x == o["outside"] + "/clicked")
    log("a real click opened the link; 13 clicks in a burst opened it %d times" % n)
    assert 2 <= n <= 6, "rate limit: 13 quick clicks opened %d times" % n
    assert app.uri().startswith(o["files"]), app.uri()


if __name__ == "__main__":
    main()
