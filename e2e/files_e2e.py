#!/usr/bin/env python3
"""End-to-end test of the Files view in the real window (scripts/e2e-files.sh:
private D-Bus, gnome-keyring, Xvfb) against the Nextcloud-compatible test
server (scripts/peers/ncserver.sh, PHP/SabreDAV), reached through a proxy of
this test that can hold downloads half-way.

1. States of a sync in progress: eight 256 KiB files whose downloads the
   proxy stops after half their bytes; the tree shows those being fetched as
   "Transferring, 50 %" and the rest as "Waiting to download"; once let go,
   all are "Synced" and equal to the server's.
2. A drop onto a subfolder: a real X drag-and-drop (XDND) from a GTK drag
   source (e2e/dragsrc.py) moved by the X pointer onto the "Projects" row;
   the file lands in Projects/ on the server, not at the top.
3. Activity after a restart: the app quits and starts again; the activity
   lists the upload of the dropped file and the downloads.
4. Unticking a folder with a local edit: the picker asks (the edited file
   named); "Keep syncing" changes nothing; "Stop syncing, keep the files
   here" excludes it; after the next sync the edit is still here, the server
   still has its own version, and nothing in the folder was deleted.
5. A share link: created from the view with a password and an expiry; the
   server's OCS share list has a public link (type 3) to that file, read
   only (permissions 1), with a password and that expiry, at the shown URL.

The tree during the held sync is saved as artifacts/screenshots/files-e2e-syncing.png
(the README's pictures come from the demo: e2e/files_demo.py).
DESKPORT_E2E_KEEP=1 keeps the temp folder (the app's log is in it).
"""
import base64
import datetime
import http.client
import http.server
import json
import os
import secrets
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_e2e  # noqa: E402
from suite_e2e import App, free_port, wait, window_id  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = suite_e2e.APP
PEERS = os.path.join(ROOT, "scripts", "peers")
HELD = ["held-%d.bin" % i for i in range(1, 9)]
HELD_SIZE = 256 << 10
procs = []
T0 = time.monotonic()


def log(*a):
    print("e2e-files: [%5.1fs]" % (time.monotonic() - T0), *a, file=sys.stderr, flush=True)


class HoldingProxy:
    """An HTTP proxy in front of the test server. While held, a GET of one of
    the named files sends its headers and the first half of its body, then
    waits until release() (a download stalled half-way, as on a slow line)."""

    def __init__(self, upstream_port, names):
        self.upstream, self.names = upstream_port, set(names)
        self.gate = threading.Event()
        self.lock = threading.Lock()
        self.waiting = set()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    out = b""
                    while True:
                        n = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if n == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            return out
                        out += self.rfile.read(n)
                        self.rfile.readline()
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else None

            def relay(self):
                data = self.body()
                skip = {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                headers["Host"] = self.headers.get("Host", "127.0.0.1")
                if data is not None:
                    headers["Content-Length"] = str(len(data))
                c = http.client.HTTPConnection("127.0.0.1", proxy.upstream, timeout=120)
                c.request(self.command, self.path, body=data, headers=headers)
                r = c.getresponse()
                payload = r.read()
                c.close()
                self.send_response(r.status, r.reason)
                for k, v in r.getheaders():
                    if k.lower() not in skip:
                        self.send_header(k, v)
                if self.command != "HEAD" and r.status not in (204, 304):
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command == "HEAD" or r.status in (204, 304):
                    return
                name = urllib.parse.unquote(self.path.split("?")[0]).rsplit("/", 1)[-1]
                if self.command == "GET" and name in proxy.names and r.status < 300 and not proxy.gate.is_set():
                    half = len(payload) // 2
                    self.wfile.write(payload[:half])
                    self.wfile.flush()
                    with proxy.lock:
                        proxy.waiting.add(name)
                    proxy.gate.wait(90)
                    payload = payload[half:]
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PROPFIND = do_MOVE = do_MKCOL = do_COPY = \
                do_OPTIONS = do_PROPPATCH = do_LOCK = do_UNLOCK = do_REPORT = do_SEARCH = relay

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the app hung up (it quits, or gives up a held download)

        self.port = free_port()
        self.server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def held(self):
        with self.lock:
            return sorted(self.waiting)

    def release(self):
        self.gate.set()

    def close(self):
        self.gate.set()
        self.server.shutdown()


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-files-")
    ncdata = os.path.join(tmp, "nc")
    proxy = None
    ok = False
    try:
        nc_port, nc_pass = free_port(), "nc-" + secrets.token_hex(8)
        top = os.path.join(ncdata, "files", "alice")
        os.makedirs(os.path.join(top, "Projects", "Reports"))
        server_files = {"Projects/notes.txt": b"minutes, as on the server\n",
                        "Projects/Reports/q3.txt": b"q3 figures\n", "readme.txt": b"hello\n"}
        for h in HELD:
            server_files[h] = os.urandom(HELD_SIZE)
        for rel, data in server_files.items():
            with open(os.path.join(top, rel), "wb") as f:
                f.write(data)
        subprocess.run([os.path.join(PEERS, "ncserver.sh"), "start", ncdata, str(nc_port), "4"],
                       env=dict(os.environ, NC_USER="alice", NC_PASS=nc_pass), check=True, stdout=subprocess.DEVNULL)
        proxy = HoldingProxy(nc_port, HELD)
        run(tmp, top, proxy, nc_pass, server_files)
        ok = True
    finally:
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, 9)
                except OSError:
                    pass
        if proxy:
            proxy.close()
        subprocess.run([os.path.join(PEERS, "ncserver.sh"), "stop", ncdata], stdout=subprocess.DEVNULL)
        if not ok:
            try:
                with open(os.path.join(tmp, "app.log"), errors="replace") as f:
                    log("the app's log (last lines):\n" + "".join(f.readlines()[-30:]))
            except OSError:
                pass
        if os.environ.get("DESKPORT_E2E_KEEP"):
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(tmp, top, proxy, nc_pass, server_files):
    home = os.path.join(tmp, "home")
    control = "127.0.0.1:%d" % free_port()
    env = dict(os.environ)
    env.update({"HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
                "XDG_CACHE_HOME": home + "/.cache", "DESKPORT_HOME": os.path.join(tmp, "deskport"),
                "DESKPORT_E2E_CONTROL": control, "E2E_LOG": os.path.join(tmp, "app.log"),
                "NO_AT_BRIDGE": "1", "LANG": "en_US.UTF-8"})
    for k in ("LC_ALL", "LANGUAGE", "DESKPORT_SUITE_DOMAIN", "DESKPORT_SUITE_HOSTS", "DESKPORT_FILES_DIR"):
        env.pop(k, None)
    for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.makedirs(env[k], exist_ok=True)
    synced = os.path.join(env["DESKPORT_HOME"], "Files")
    files_url = "http://127.0.0.1:%d" % proxy.port

    # The files account, signed in as a scripted roll-out does (the keyring of this D-Bus session).
    login = subprocess.run([APP, "login", "--domain", "example.test", "--files-url", files_url, "--user", "alice", "--password-stdin"],
                           input=nc_pass + "\n", env=env, capture_output=True, text=True, timeout=60)
    assert login.returncode == 0, "deskport login: %s%s" % (login.stdout, login.stderr)
    app = App(env, control)
    app.start()
    q = json.dumps

    def text(sel):
        return app.js("(function(){var e=document.querySelector(%s);return e?e.textContent:''})()" % q(sel))

    def rows():
        """The tree's rows on screen: path -> the state it shows."""
        return json.loads(app.js("JSON.stringify(Array.from(document.querySelectorAll('#files-tree [role=treeitem]'))"
                                 ".map(function(r){return [r.dataset.path, r.querySelector('.state').textContent]}))"))

    def show_files():
        app.load("wails://wails/#/files")
        wait("the files view with its tree", lambda: app.js("location.hash === '#/files' && "
                                                            "document.querySelector('#files-tree') ? 'y' : ''") == "y")

    # 1. A sync in progress: held downloads half-way, the rest waiting.
    show_files()
    seen = {}

    def in_progress():
        r = dict(rows())
        seen.clear()
        seen.update(r)
        moving = [p for p in HELD if r.get(p) == "Transferring, 50 %"]
        waiting = [p for p, s in r.items() if s == "Waiting to download"]
        return (moving, waiting) if moving and waiting and len(proxy.held()) == len(moving) else None
    try:
        moving, waiting = wait("the tree to show held downloads at 50 % and others waiting", in_progress, timeout=45)
    except AssertionError:
        raise AssertionError("the tree showed %r; the proxy holds %r" % (seen, proxy.held()))
    log("sync in progress: transferring 50 %%: %s; waiting to download: %s" % (moving, waiting))
    assert text("#files-state") == "Syncing…", text("#files-state")
    # The bar's numbers include the bytes that came before the stall.
    arrived = "%.1f kB of" % (len(moving) * HELD_SIZE / 2 / 1024)
    try:
        wait("the progress to count the held files' halves", lambda: arrived in text("#files-progress-text"), timeout=5)
    except AssertionError:
        raise AssertionError("progress during the stall: %r, want %r" % (text("#files-progress-text"), arrived))
    app.js("document.querySelector('#files-tree-h').scrollIntoView(), 'ok'")
    suite_e2e.screenshot("files-e2e-syncing.png", 400)
    proxy.release()
    wait("every file synced", lambda: all(s == "Synced" for _, s in rows()) and len(rows()) >= len(HELD) + 2, timeout=30)
    for rel, data in server_files.items():
        with open(os.path.join(synced, rel), "rb") as f:
            assert f.read() == data, "%s differs from the server's" % rel
    log("all %d files synced and equal to the server's" % len(server_files))

    # 2. A drop onto the "Projects" row: a real X drag-and-drop.
    outside = os.path.join(tmp, "outside")
    os.makedirs(outside)
    dropped = os.path.join(outside, "dropped-report.txt")
    dropped_data = ("dropped " + secrets.token_hex(8) + "\n").encode()
    with open(dropped, "wb") as f:
        f.write(dropped_data)
    xdnd_drop(app, "Projects", [dropped])
    on_server = os.path.join(top, "Projects", "dropped-report.txt")
    wait("the dropped file in Projects/ on the server", lambda: os.path.exists(on_server) and open(on_server, "rb").read() == dropped_data,
         timeout=30)
    assert not os.path.exists(os.path.join(top, "dropped-report.txt")), "the drop landed at the top too"
    assert os.path.exists(dropped), "the drop moved the original away"
    log("the dropped file is on the server in Projects/")

    # 3. Activity after a restart.
    app.quit()
    app.start()
    show_files()

    def activity():
        return app.js("Array.from(document.querySelectorAll('#files-activity button')).map(function(b){return b.textContent}).join('\\n')")
    want = ["↑ Uploaded · Projects/dropped-report.txt", "↓ Downloaded · held-1.bin · 256.0 kB", "↓ Downloaded · Projects/notes.txt"]
    try:
        wait("the activity after the restart", lambda: all(w in activity() for w in want), timeout=20)
    except AssertionError:
        raise AssertionError("activity after the restart:\n%s\nwant lines starting %r" % (activity(), want))
    log("activity after the restart lists the drop and the downloads")

    # 4. Unticking a folder that holds a local edit.
    app.act("pause", "var b = document.querySelector('#files-pause'); if (!b) return false; b.click(); return true")
    wait("paused", lambda: text("#files-state") == "Paused")
    log("paused")
    notes = os.path.join(synced, "Projects", "notes.txt")
    edit = b"minutes, edited here and not uploaded\n"
    with open(notes, "wb") as f:
        f.write(edit)
    app.act("the folder picker opened", "var d = document.querySelector('#files-pick'); if (!d) return false; "
            "d.open = true; return true")
    box = "document.querySelector('#files-pick li[data-path=\"Projects\"] input[type=checkbox]')"
    wait("Projects in the picker, ticked", lambda: app.js("(function(){var b=%s;return b&&b.checked?'y':''})()" % box) == "y")

    def dialog():
        return app.js("(function(){var d=document.querySelector('#files-pick-ask');return d&&d.open?d.textContent:''})()")
    app.js("%s.click(), 'ok'" % box)
    asked = wait("the question before unticking", dialog, timeout=10)
    log("asked")
    assert "Stop syncing Projects?" in asked and "Projects/notes.txt" in asked, asked
    app.js("document.querySelector('#files-pick-no').click(), 'ok'")
    wait("the dialog closed", lambda: not dialog())
    assert app.js("%s.checked ? 'y' : 'n'" % box) == "y", "Keep syncing left Projects unticked"
    with open(os.path.join(env["DESKPORT_HOME"], "Files", "Projects", "notes.txt"), "rb") as f:
        assert f.read() == edit
    app.js("%s.click(), 'ok'" % box)
    wait("the question again", dialog, timeout=10)
    app.js("document.querySelector('#files-pick-yes').click(), 'ok'")
    wait("saved", lambda: "Projects is not synced" in text("#files-pick-msg"), timeout=10)
    log("saved")
    log("unticked Projects")

    def last_sync():
        """The end of the last pass, from the bound service."""
        ask = q(secrets.token_hex(4))
        return wait("the files status", lambda: app.js(
            "(function(){if (window.__asked !== %s) { window.__asked = %s; window.__last = '';"
            "window.go.app.Files.Status().then(function(s){window.__last = 'at ' + s.sync.state + ' ' + s.sync.lastSync}) }"
            "return window.__last})()" % (ask, ask)), timeout=10)[3:]
    before = last_sync()
    app.act("resume", "var b = document.querySelector('#files-resume'); if (!b) return false; b.click(); return true")
    wait("a whole pass after resuming", lambda: (lambda st: st.startswith("idle ") and st.split(" ", 1)[1] != before.split(" ", 1)[1])(last_sync()),
         timeout=30)
    with open(notes, "rb") as f:
        assert f.read() == edit, "the local edit was lost"
    with open(os.path.join(top, "Projects", "notes.txt"), "rb") as f:
        assert f.read() == server_files["Projects/notes.txt"], "the unticked folder's edit reached the server"
    for rel in ("Projects/Reports/q3.txt", "Projects/dropped-report.txt"):
        assert os.path.exists(os.path.join(synced, rel)), "%s was deleted here" % rel
        assert os.path.exists(os.path.join(top, rel)), "%s was deleted on the server" % rel
    wait("Projects shown as not synced", lambda: dict(rows()).get("Projects") == "Not synced", timeout=10)
    log("unticking asked, kept the edit here and the server's version there")

    # 5. A share link for held-1.bin, with a password and an expiry.
    expiry = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    app.act("held-1.bin selected", "var r = document.querySelector('#files-tree [data-path=\"held-1.bin\"] .name');"
            "if (!r) return false; r.click(); return true")
    wait("held-1.bin selected", lambda: text("#files-tree-current") == "Selected: held-1.bin")
    app.act("the share form opened", "var d = document.querySelector('#files-share'); if (!d || d.hidden) return false;"
            "d.open = true; return true")
    share_pw = "pw-" + secrets.token_hex(6)
    app.js("(function(){var p=document.querySelector('#files-share-password');p.value=%s;"
           "document.querySelector('#files-share-expire').value=%s;"
           "document.querySelector('#files-share-create').click();return 'ok'})()" % (q(share_pw), q(expiry)))
    result = wait("the link shown", lambda: "/s/" in text("#files-share-result") and text("#files-share-result"), timeout=15)
    url = result.rsplit(": ", 1)[1].strip()
    req = urllib.request.Request("http://127.0.0.1:%d/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json" % proxy.port,
                                 headers={"OCS-APIRequest": "true", "Authorization": "Basic " + base64.b64encode(
                                     ("alice:" + nc_pass).encode()).decode()})
    with urllib.request.urlopen(req, timeout=10) as r:
        shares = json.load(r)["ocs"]["data"]
    mine = [s for s in shares if s["path"] == "/held-1.bin"]
    assert len(mine) == 1, shares
    s = mine[0]
    assert s["share_type"] == 3, s  # a public link
    assert s["permissions"] == 1, s  # read only
    assert s["password"] == "***", s  # a password is set
    assert s["expiration"] == expiry + " 00:00:00", s
    assert s["url"] == url, (s["url"], url)
    assert share_pw not in app.js("document.body.innerHTML"), "the share password stayed in the page"
    log("share link on the server: type %d, permissions %d, password set, expires %s" % (s["share_type"], s["permissions"], s["expiration"]))
    app.quit()
    log("PASS in %.0f s" % (time.monotonic() - T0))


def xdnd_drop(app, target, paths):
    """Drags paths from a GTK drag source onto the tree row of target with
    the X pointer: press on the source, move in steps over the row, release."""
    wid = window_id()
    # Where the page's (0, 0) is on the screen: the pointer at a known spot, read back by the page.
    app.js("window.__e2eMouse = null; document.addEventListener('mousemove', function(e){window.__e2eMouse=[e.clientX,e.clientY]}, {once:false}), 'ok'")
    g = dict(l.split("=", 1) for l in subprocess.run(["xdotool", "getwindowgeometry", "--shell", wid],
                                                     capture_output=True, text=True, check=True).stdout.split())
    wx, wy = int(g["X"]), int(g["Y"])
    subprocess.run(["xdotool", "mousemove", "--sync", str(wx + 300), str(wy + 300)], check=True)
    subprocess.run(["xdotool", "mousemove", "--sync", str(wx + 301), str(wy + 301)], check=True)
    mouse = wait("the page to see the pointer", lambda: json.loads(app.js("JSON.stringify(window.__e2eMouse)")), timeout=10)
    ox, oy = wx + 301 - mouse[0], wy + 301 - mouse[1]
    rect = json.loads(app.js("(function(){var r=document.querySelector('#files-tree [data-path=%s]');"
                             "r.scrollIntoView({block:'center'});var b=r.getBoundingClientRect();"
                             "return JSON.stringify([b.left+40,b.top+b.height/2])})()" % json.dumps(target)))
    tx, ty = int(ox + rect[0]), int(oy + rect[1])
    src = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "e2e", "dragsrc.py"), "1080", "700"] + paths,
                           stdout=subprocess.PIPE, text=True, start_new_session=True)
    procs.append(src)
    assert src.stdout.readline().strip() == "ready", \
        "the drag source (e2e/dragsrc.py, /usr/bin/python3 with GTK 3) did not start: install python3-gi (scripts/deps.sh --test)"
    sw = wait("the drag source window", lambda: subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "deskport-e2e-dragsrc"],
                                                               capture_output=True, text=True).stdout.split())[0]
    sg = dict(l.split("=", 1) for l in subprocess.run(["xdotool", "getwindowgeometry", "--shell", sw],
                                                      capture_output=True, text=True, check=True).stdout.split())
    sx, sy = int(sg["X"]) + int(sg["WIDTH"]) // 2, int(sg["Y"]) + int(sg["HEIGHT"]) // 2
    log("dragging from (%d, %d) to the %s row at (%d, %d)" % (sx, sy, target, tx, ty))

    def mv(x, y):
        subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y)], check=True)
    mv(sx, sy)
    time.sleep(0.2)
    subprocess.run(["xdotool", "mousedown", "1"], check=True)
    for i in range(1, 21):
        mv(sx + (tx - sx) * i // 20, sy + (ty - sy) * i // 20)
        time.sleep(0.03)
    for d in (3, -3, 0):  # a few moves over the row: the view asks for the data while moving
        mv(tx + d, ty)
        time.sleep(0.15)
    subprocess.run(["xdotool", "mouseup", "1"], check=True)
    end = src.stdout.readline().strip()
    log("drag source:", end)
    src.terminate()


if __name__ == "__main__":
    main()
