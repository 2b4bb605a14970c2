#!/usr/bin/env python3
"""End-to-end test of the real Deskport window against the fake suite.

Runs inside dbus-run-session + xvfb-run (see scripts/e2e-suite.sh). Drives the
window through the test build's loopback control endpoint (load, evaluate
script in the page, read the address) and real X keyboard input (xdotool),
checks what the fake suite saw, and saves screenshots.
"""
import json
import os
import shutil
import signal
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.environ.get("DESKPORT_E2E_APP", os.path.join(ROOT, "build/bin/deskport-e2e"))
# Tests write to artifacts/ (ignored); `make screenshots` points this at docs/screenshots (demo driver).
SHOTS = os.environ.get("DESKPORT_E2E_SHOTS", os.path.join(ROOT, "artifacts/screenshots"))
PEERS = os.path.join(ROOT, "scripts", "peers")
procs = []
cleanups = []


def log(*a):
    print("e2e-suite:", *a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def stub_xdg_open(tmp):
    """A stub xdg-open in tmp/bin that records what would go to the system
    browser or mail program; returns (the folder to put first on PATH, a
    function listing what was opened so far)."""
    stubdir = os.path.join(tmp, "bin")
    os.makedirs(stubdir)
    opened = os.path.join(tmp, "xdg-open.log")
    with open(os.path.join(stubdir, "xdg-open"), "w") as f:
        f.write('#!/bin/sh\nprintf "%%s\\n" "$1" >> %s\n' % opened)
    os.chmod(os.path.join(stubdir, "xdg-open"), 0o755)

    def external():
        try:
            with open(opened) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []
    return stubdir, external


def wait(what, cond, timeout=60, every=0.25):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = cond()
            if last:
                return last
        except Exception as e:  # the window may be between pages
            last = e
        time.sleep(every)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))


class App:
    def __init__(self, env, control):
        self.env, self.control = env, control
        self.proc = None

    def start(self, *args):
        self.proc = subprocess.Popen([APP] + list(args), env=self.env, stdout=open(self.env["E2E_LOG"], "ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(self.proc)
        wait("the control endpoint", lambda: self.get("/ready") == "ready")
        if not args:
            wait("the shell page", lambda: self.uri().startswith("wails://wails/"))

    def req(self, method, path, body=None):
        r = urllib.request.Request("http://%s%s" % (self.control, path), method=method,
                                   data=body.encode() if body is not None else None)
        try:
            with urllib.request.urlopen(r, timeout=30) as resp:
                return resp.read().decode()
        except urllib.error.HTTPError as e:  # the endpoint's error text, e.g. the script's exception
            raise RuntimeError("%s %s: %s %s" % (method, path, e.code, e.read().decode(errors="replace").strip()))

    def get(self, path):
        return self.req("GET", path)

    def uri(self):
        return self.get("/uri")

    def load(self, url):
        self.req("POST", "/load", url)

    def js(self, script):
        return self.req("POST", "/eval", script)

    def act(self, what, script, timeout=30):
        """Runs script (a function body returning true when it acted) once the
        page lets it: checking and acting in one evaluation, so a page that
        is replaced in between cannot make it fail or act twice."""
        wait(what, lambda: self.js("(function(){%s})() ? 'done' : ''" % script) == "done", timeout=timeout)

    def touches(self):
        return json.loads(self.get("/touches"))

    def quit(self):
        self.req("POST", "/quit", "")
        self.proc.wait(timeout=60)

    def pids(self):
        """deskport and its WebKit helper processes."""
        out = [self.proc.pid]
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % p) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                if ppid == self.proc.pid:
                    out.append(int(p))
            except (OSError, ValueError, IndexError):
                pass
        return out


def pss_mib(pids):
    total, names = 0, []
    for pid in pids:
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            with open("/proc/%d/comm" % pid) as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return total / 1024.0, names


def settled_pss(app):
    """PSS of all the app's processes once it stops moving (for the report)."""
    last = None
    for _ in range(20):
        cur = pss_mib(app.pids())
        if last and abs(cur[0] - last[0]) < 2:
            return cur
        last = cur
        time.sleep(1)
    return last


def screenshot(name, min_colours=100):
    """Saves the screen once the picture is steady and not blank."""
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, name)
    state = {"prev": None}

    def steady():
        subprocess.run(["import", "-window", "root", path], check=True)
        with open(path, "rb") as f:
            data = f.read()
        colours = int(subprocess.run(["identify", "-format", "%k", path], check=True,
                                     capture_output=True, text=True).stdout.strip() or 0)
        same, state["prev"] = data == state["prev"], data
        return colours if same and colours >= min_colours else 0

    colours = wait("a steady, non-blank screenshot for " + name, steady, timeout=30, every=0.7)
    log("screenshot", path, colours, "colours")
    return colours


def window_id():
    return wait("the Deskport window", lambda: subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "Deskport"],
        capture_output=True, text=True).stdout.split())[0]


def click_switcher_home():
    """Clicks the switcher's first button (the shell) with the X mouse. The
    bar sits 12 px from the view's bottom-right corner; 9 buttons of 28 px
    with 4 px gaps, 4 px padding and a 1 px border (see app/launcher.go)."""
    wid = window_id()
    g = dict(l.split("=", 1) for l in subprocess.run(["xdotool", "getwindowgeometry", "--shell", wid],
                                                     capture_output=True, text=True, check=True).stdout.split())
    x = int(g["X"]) + int(g["WIDTH"]) - 12 - 1 - 4 - (9 * 28 + 8 * 4) + 14
    y = int(g["Y"]) + int(g["HEIGHT"]) - 12 - 1 - 4 - 14
    subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"], check=True)


def xkey(keys):
    wid = wait("the Deskport window", lambda: subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "Deskport"],
        capture_output=True, text=True).stdout.split())[0]
    subprocess.run(["xdotool", "windowactivate", "--sync", wid], capture_output=True)
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], capture_output=True)
    subprocess.run(["xdotool", "key", "--clearmodifiers", keys], check=True)


def cookie_names(path):
    """(host, name) of every cookie in WebKit's persistent cookie store (an
    SQLite file in Firefox's moz_cookies format, read without locking)."""
    if not os.path.exists(path):
        return []
    db = sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(path), uri=True, timeout=10)
    try:
        return [(h, n) for h, n in db.execute("SELECT host, name FROM moz_cookies")]
    finally:
        db.close()


def start_mail_peers(tmp, password):
    """Dovecot (IMAP) and the SMTP sink on loopback for a mail account,
    stopped when the test ends; returns (imap_port, smtp_port, dovecot_dir)."""
    imap_dir, imap_port = tempfile.mkdtemp(prefix="dovecot"), free_port()  # short path: Dovecot's sockets
    subprocess.run([os.path.join(PEERS, "dovecot.sh"), "start", imap_dir, str(imap_port)],
                   env=dict(os.environ, IMAP_USER="alice", IMAP_PASS=password), check=True, stdout=subprocess.DEVNULL)
    smtp_port = free_port()
    sink = subprocess.Popen([os.path.join(PEERS, "smtp-sink.sh"), str(smtp_port), os.path.join(tmp, "sent"),
                             "--user", "alice:" + password, "--require-auth"], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(sink)

    def stop():
        subprocess.run([os.path.join(PEERS, "dovecot.sh"), "stop", imap_dir], stdout=subprocess.DEVNULL)
        shutil.rmtree(imap_dir, ignore_errors=True)
    cleanups.append(stop)
    wait("the SMTP sink", lambda: socket.create_connection(("127.0.0.1", smtp_port), timeout=1).close() or True, timeout=20)
    return imap_port, smtp_port, imap_dir


def sign_in_mail(app, password, imap_port, smtp_port):
    """The Accounts view's mail form, checked by a real IMAP login and SMTP AUTH."""
    q = json.dumps
    app.load("wails://wails/#/accounts")
    fill = ";".join("document.querySelector(%s).value=%s" % (q(s), q(v)) for s, v in [
        ("#mail-address", "alice@example.org"), ("#mail-username", "alice"), ("#mail-password", password),
        ("#imap-host", "127.0.0.1"), ("#imap-port", str(imap_port)), ("#imap-sec", "none"),
        ("#smtp-host", "127.0.0.1"), ("#smtp-port", str(smtp_port)), ("#smtp-sec", "none")])
    app.act("the mail form filled and sent", "if (location.hash !== '#/accounts' || !document.querySelector("
            "'#mail-form #smtp-sec')) return false; %s; document.querySelector('#mail-form').requestSubmit(); "
            "return true" % fill)
    wait("signed in to mail", lambda: "alice" in app.js(
        "(function(){var e=document.querySelector('#mail-signedin');return e?e.textContent:''})()"), timeout=60)


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-suite-")
    try:
        run(tmp)
    except BaseException:
        try:
            with open(os.path.join(tmp, "app.log"), "rb") as f:
                log("app output (tail):\n" + f.read()[-6000:].decode(errors="replace"))
        except OSError:
            pass
        raise
    finally:
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=20)
                except Exception:
                    os.killpg(p.pid, signal.SIGKILL)
        for c in cleanups:
            c()
        if os.environ.get("DESKPORT_E2E_KEEP"):
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(tmp):
    ports = {r: free_port() for r in ("portal", "id", "files", "meet", "outside", "wiki")}
    o = {r: "http://127.0.0.1:%d" % p for r, p in ports.items()}
    o["wiki"] = "https://127.0.0.1:%d" % ports["wiki"]  # with a self-signed certificate
    state = os.path.join(tmp, "suite")
    os.makedirs(state)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", os.path.join(state, "key.pem"), "-out", os.path.join(state, "cert.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)

    def start_suite():
        p = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/peers/fakesuite/fakesuite.py"), state]
                             + [("tls:" if r == "wiki" else "") + "%s=%d" % (r, p) for r, p in ports.items()],
                             stdout=subprocess.PIPE, text=True, start_new_session=True)
        procs.append(p)
        assert p.stdout.readline().strip() == "fakesuite: ready"
        return p

    def requests():
        try:
            with open(os.path.join(state, "requests.log")) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    suite = start_suite()

    # A stub xdg-open records what would go to the system browser.
    stubdir, external = stub_xdg_open(tmp)

    home = os.path.join(tmp, "home")
    control = "127.0.0.1:%d" % free_port()
    env = dict(os.environ)
    env.update({
        "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
        "XDG_CACHE_HOME": home + "/.cache", "DESKPORT_HOME": os.path.join(tmp, "deskport"),
        "PATH": stubdir + ":" + os.environ["PATH"],
        "DESKPORT_E2E_CONTROL": control, "E2E_LOG": os.path.join(tmp, "app.log"),
        "NO_AT_BRIDGE": "1",
    })
    os.makedirs(home)
    env.pop("DESKPORT_SUITE_DOMAIN", None)
    # The suite comes from the account book, as after a sign-in.
    os.makedirs(os.path.join(env["DESKPORT_HOME"], "config"))
    with open(os.path.join(env["DESKPORT_HOME"], "config", "accounts.json"), "w") as f:
        json.dump({"version": 1, "suite": {"domain": "example.test", "realm": "opendesk",
                                           "hosts": {r: o[r] for r in ("portal", "id", "files", "meet", "wiki")}}}, f)
    app = App(env, control)
    app.start()
    text = lambda sel: app.js("(function(){var e=document.querySelector(%s);return e?e.textContent:''})()" % json.dumps(sel))

    # 1. The shell: a launcher with the suite's apps and their status.
    wait("launcher tiles", lambda: int(app.js("document.querySelectorAll('a.tile').length") or 0) >= 8)
    wait("app status", lambda: app.js("document.querySelector('a[data-app=files] .status').dataset.state") == "online")
    assert app.js("document.querySelector('a[data-app=wiki] .status').dataset.state") == "offline", "wiki's certificate is not trusted"
    mem_shell = settled_pss(app)
    screenshot("shell.png", 300)

    # 2. The shell may call Go (positive control for the check in step 6).
    app.js("window.go.app.E2E.Touch('shell'), 'ok'")
    wait("the shell's Go call", lambda: "shell" in app.touches())

    # 3. Ctrl+3 (real X key press, native menu accelerator) opens Files.
    xkey("ctrl+3")
    wait("Files after Ctrl+3", lambda: app.uri().startswith(o["files"]))
    log("Ctrl+3 opened", app.uri())

    # 4. Sign in with the fake suite's form.
    wait("the files page", lambda: text("#who") == "Not signed in")
    app.js("document.getElementById('login').click()")
    wait("the sign-in form", lambda: app.uri() == o["files"] + "/login" and text("h1").startswith("Sign in"))
    app.js("document.getElementById('user').value='alice';document.getElementById('password').value='wonderland';"
           "document.getElementById('submit').click()")
    wait("signed in", lambda: text("#who") == "Signed in as alice")

    # 5. The injected switcher is on suite pages, and not reachable from the page's own scripts.
    wait("the switcher", lambda: app.js("document.getElementById('deskport-switcher') ? 'yes' : 'no'") == "yes")
    assert app.js("String(document.getElementById('deskport-switcher').shadowRoot)") == "null", "switcher shadow root must be closed"
    mem_suite = settled_pss(app)
    screenshot("suite-with-switcher.png")

    # 6. Outside links do not load in the window; they go to the system browser.
    app.js("document.getElementById('outside').click()")
    wait("the outside link handed to xdg-open", lambda: o["outside"] + "/landing" in external())
    # (the view's address is the outside one only while the request is decided)
    wait("the window to stay on Files", lambda: app.uri().startswith(o["files"]))
    assert text("h1") == "Files" and text("#who") == "Signed in as alice", "the outside page loaded in the window"
    app.js("document.getElementById('blank-outside').click()")
    wait("the outside _blank link handed to xdg-open", lambda: o["outside"] + "/blank" in external())
    wait("the window to stay on Files", lambda: app.uri().startswith(o["files"]))
    assert text("h1") == "Files", "the outside _blank page loaded in the window"
    # An allowed target=_blank link opens in the same window.
    app.js("document.getElementById('blank-inside').click()")
    wait("the portal in the same window", lambda: app.uri().startswith(o["portal"]))
    # (the address changes when the load starts: the script below must run in the portal's page)
    wait("the portal's page", lambda: app.js("location.origin") == o["portal"] and text("h1") == "Portal")
    # location.href to the outside is caught too, and without a click it
    # opens nothing (issue 15); javascript:/data: do not load.
    # (from a timer over 1 s: script run from the app side counts as a user
    # gesture, and WebKit passes a gesture on to timers of up to 1 s)
    app.js("setTimeout(function(){ location.href = %s; }, 1500), 'ok'" % json.dumps(o["outside"] + "/scripted"))
    wait("the scripted navigation decided", lambda: any(r.startswith("outside GET /scripted") for r in requests()))
    time.sleep(0.5)
    assert o["outside"] + "/scripted" not in external(), "a scripted navigation opened the browser: %r" % external()
    wait("the portal still shown", lambda: app.uri().startswith(o["portal"]))
    app.load("data:text/html,<h1 id=x>data</h1>")
    app.load(o["portal"] + "/?after-data")
    wait("the portal after the data: URL", lambda: app.uri() == o["portal"] + "/?after-data")
    assert not any("outside" in r.split()[0] and "/landing" not in r and "/blank" not in r and "/scripted" not in r
                   for r in requests()), requests()
    log("external opens:", external())

    # The switcher's shell button (a real mouse click) goes back to the shell.
    wait("the switcher on the portal", lambda: app.js("document.getElementById('deskport-switcher') ? 'yes' : 'no'") == "yes")
    def clicked_home():
        if not app.uri().startswith("wails://wails/"):
            click_switcher_home()  # again if the bar was not painted yet
            time.sleep(1)
        return app.uri().startswith("wails://wails/")
    wait("the shell after the switcher click", clicked_home)

    # 7. A suite page cannot call Go.
    app.load(o["files"] + "/gocall")
    wait("the Go call page", lambda: app.js("document.body && document.body.dataset.done") == "1")
    result = text("#result")
    log("suite page probe:", result)
    assert "go=undefined" in result and "runtime=undefined" in result, result
    # Back in the shell (Ctrl+0), the shell calls Go again; calls are handled
    # in order, so the suite's call would be in the list by now.
    xkey("ctrl+0")
    wait("the shell after Ctrl+0", lambda: app.uri().startswith("wails://wails/"))
    wait("the shell's runtime", lambda: app.js("typeof window.go") == "object")
    app.js("window.go.app.E2E.Touch('shell-again'), 'ok'")
    wait("the shell's second Go call", lambda: "shell-again" in app.touches())
    assert app.touches() == ["shell", "shell-again"], "a suite page reached Go: %r" % app.touches()

    # Deep links: a second launch hands its deskport:// link to this window.
    second = subprocess.run([APP, "deskport://open/portal/deep?x=1"], env=env, capture_output=True, timeout=60)
    log("second instance exited with", second.returncode)
    if second.returncode not in (0, 1):
        log("second instance output:", (second.stdout + second.stderr)[-3000:].decode(errors="replace"))
    wait("the deep link's page", lambda: app.uri() == o["portal"] + "/deep?x=1")
    subprocess.run([APP, "deskport://open/files@evil.com/"], env=env, capture_output=True, timeout=60)
    subprocess.run([APP, "deskport://home"], env=env, capture_output=True, timeout=60)
    wait("the shell from deskport://home", lambda: app.uri().startswith("wails://wails/#/home"))
    # Alt+Left (the Go menu's Back) returns to the suite page.
    xkey("alt+Left")
    wait("the previous page after Alt+Left", lambda: app.uri() == o["portal"] + "/deep?x=1")
    # Ctrl+Shift+H (Deskport > Home) goes back to the shell.
    xkey("ctrl+shift+h")
    wait("the shell after Ctrl+Shift+H", lambda: app.uri().startswith("wails://wails/#/home"))

    # TLS is verified: a suite origin with an untrusted certificate does not
    # load (WebKit's error page, not the offline mode), no request reaches it.
    app.js("window.__dpOldPage = 1")
    app.load(o["wiki"] + "/")
    # (a new document: the marker on the previous page is gone)
    wait("the certificate error", lambda: app.uri() == o["wiki"] + "/" and app.js(
        "typeof window.__dpOldPage === 'undefined' && document.body ? document.body.innerText : ''") != "", timeout=30)
    body = app.js("document.body.innerText")
    log("untrusted certificate page:", body[:120].replace("\n", " "))
    assert "Wiki" not in body and not any(r.startswith("wiki ") for r in requests()), (body, requests())
    assert not app.uri().startswith("wails://"), "a certificate error is not 'offline'"

    # A download from a suite page is saved (WebKit's default: the XDG
    # download folder, else the home folder) and the page stays.
    app.load(o["files"] + "/")
    wait("the files page", lambda: text("h1") == "Files")
    app.js("document.getElementById('download').click()")

    def downloaded():
        for d in (os.path.join(home, "Downloads"), home):
            p = os.path.join(d, "report.txt")
            if os.path.exists(p) and open(p).read() == "quarterly report\n":
                return p
    log("download saved to", wait("the downloaded report", downloaded))
    assert app.uri() == o["files"] + "/", app.uri()

    # 8. Camera and microphone: granted on meet, refused elsewhere.
    app.load(o["meet"] + "/media")
    wait("media on meet", lambda: text("#result").startswith("granted"), timeout=30)
    app.load(o["files"] + "/media")
    wait("media refused on files", lambda: text("#result").startswith("denied"), timeout=30)
    log("media: meet granted, files", text("#result"))

    # 9. Restart: still signed in.
    app.quit()
    n_before = len(requests())
    # (started with a deep link: a cold start opens it once the window is up)
    app.start("deskport://open/files/")
    wait("the deep link on a cold start", lambda: app.uri() == o["files"] + "/")
    wait("signed in after restart", lambda: text("#who") == "Signed in as alice")
    assert any(r.startswith("files GET / cookie=yes") for r in requests()[n_before:]), requests()[n_before:]
    cookies = os.path.join(env["DESKPORT_HOME"], "data", "webkit", "cookies.sqlite")
    assert os.path.getsize(cookies) > 0, "the session cookie store under Deskport's data dir is empty"
    assert ("127.0.0.1", "fakesuite_session") in cookie_names(cookies), cookie_names(cookies)
    log("cookie store:", cookies, os.path.getsize(cookies), "bytes", cookie_names(cookies))

    # 10. Offline: the suite stops -> the shell's offline view; it returns when the suite is back.
    os.killpg(suite.pid, signal.SIGTERM)
    suite.wait(timeout=20)
    app.load(o["files"] + "/?page=2")
    wait("the offline view", lambda: app.uri().startswith("wails://wails/#/home/offline/") and text("#offline h2") != "")
    log("offline view at", app.uri())
    screenshot("offline.png")
    suite = start_suite()
    wait("back to the page after the suite returned", lambda: app.uri() == o["files"] + "/?page=2", timeout=60)
    wait("still signed in", lambda: text("#who") == "Signed in as alice")

    # 11. Signing out of Deskport ends the suite's web session. A mail
    # account (Dovecot) to sign out of, signed in through the Accounts view.
    mail_pass = "mail-" + secrets.token_hex(8)
    imap_port, smtp_port, _ = start_mail_peers(tmp, mail_pass)
    sign_in_mail(app, mail_pass, imap_port, smtp_port)
    app.load(o["files"] + "/")
    wait("the files page", lambda: app.js("location.origin") == o["files"] and text("#who") != "")
    assert text("#who") == "Signed in as alice", "signing in to mail ended the suite session"
    # The user's sign-out: the Accounts view's button.
    app.load("wails://wails/#/accounts")
    app.act("the sign-out button clicked", "var b = document.querySelector('#mail-signout');"
            "if (location.hash !== '#/accounts' || !b) return false; b.click(); return true")
    wait("signed out of mail", lambda: app.js("document.querySelector('#mail-form') ? 'y' : 'n'") == "y", timeout=30)
    problem = text("#mail-problem")
    assert problem == "", "sign-out reported: %r" % problem

    def signed_out_page(why):
        n = len(requests())
        app.load(o["files"] + "/")
        wait("the files page " + why, lambda: app.js("location.origin") == o["files"] and text("#who") != "")
        assert text("#who") == "Not signed in", "still signed in to the suite %s: %r" % (why, text("#who"))
        sent = [r for r in requests()[n:] if r.startswith("files GET / ")]
        assert sent and all(r.endswith(" cookie=no") for r in sent), "the suite saw a session %s: %r" % (why, sent)
        assert app.js("document.cookie") == "", "cookies %s: %r" % (why, app.js("document.cookie"))
        kept = [c for c in cookie_names(cookies) if c[1] == "fakesuite_session"]
        assert not kept, "the cookie store still holds the session %s: %r" % (why, kept)
    signed_out_page("after sign-out")
    app.quit()
    app.start()
    signed_out_page("after sign-out and a restart")
    log("signed out: the suite saw no session, the cookie store holds", cookie_names(cookies))

    log("memory (PSS, all processes): shell %.0f MiB %s; suite page %.0f MiB %s" % (mem_shell[0], mem_shell[1], mem_suite[0], mem_suite[1]))
    app.quit()
    log("PASS")


if __name__ == "__main__":
    main()
