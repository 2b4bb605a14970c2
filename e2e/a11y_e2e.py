#!/usr/bin/env python3
"""Accessibility audit of the built shell (WCAG 2.1 A/AA, BITV 2.0) in headless Chromium.

Serves a build of frontend/ with stand-ins for the Go bindings
(e2e/a11y/mock-bindings.js: 8 apps, a syncing folder sending files:status every
500 ms, 50 German messages, an open message, a reply draft) and drives
Chromium through chromedriver's W3C WebDriver API (and its DevTools bridge for
zoom and forced colours):

- axe-core (frontend/node_modules/axe-core, pinned in package.json): 0
  violations at WCAG 2.1 A/AA on every view, in German and English, at 100 %
  and 200 % zoom, and with forced colours (Windows High Contrast);
- keyboard: Tab reaches every control of the Files view while status events
  arrive; typing survives accounts:changed; the focus after Delete, Move,
  Send, Escape and a view change; compose keeps the focus inside and returns it;
  "Move" never fires on arrow keys;
- zoom 200 % (640x400 CSS px) and 400 % (320x200): nothing needed for a task is
  off-screen, clipped or covered, no sideways scrolling, the reader >= 280 px.

Usage: a11y_e2e.py DIST_DIR AXE_JS ARTIFACTS_DIR [SCREENSHOT_DIR]
(see scripts/e2e-a11y.sh). Screenshots go to ARTIFACTS_DIR; SCREENSHOT_DIR is
for refreshing docs/screenshots by hand.
"""
import base64
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
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOCK = os.path.join(ROOT, "e2e", "a11y", "mock-bindings.js")
KEY = {"Tab": "\ue004", "Enter": "\ue007", "Escape": "\ue00c", "Delete": "\ue017", "ArrowDown": "\ue015",
       "ArrowUp": "\ue013", "Shift": "\ue008", "ArrowLeft": "\ue012", "ArrowRight": "\ue014", "Home": "\ue011",
       "End": "\ue010"}
failures = []


def log(*a):
    print("e2e-a11y:", *a, file=sys.stderr, flush=True)


def check(ok, what):
    if not ok:
        failures.append(what)
        log("FAIL:", what)
    return ok


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
        except Exception as e:
            last = e
        time.sleep(every)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))


def serve(dist, axe_js):
    """The built shell with the mocks and axe loaded before its own script."""
    with open(os.path.join(dist, "index.html"), encoding="utf-8") as f:
        index = f.read()
    head = '<script src="/mock-bindings.js"></script><script src="/axe.min.js"></script>'
    index = index.replace("<script", head + "<script", 1).encode()
    extra = {"/mock-bindings.js": MOCK, "/axe.min.js": axe_js}

    class H(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=dist, **k)

        def log_message(self, *a):
            pass

        def do_GET(self):
            path = self.path.split("?")[0].split("#")[0]
            if path in ("/", "/index.html"):
                body = index
            elif path in extra:
                with open(extra[path], "rb") as f:
                    body = f.read()
            else:
                return super().do_GET()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8" if path.endswith(("/", ".html")) else "text/javascript")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class Driver:
    def __init__(self, port, profile):
        self.base = "http://127.0.0.1:%d" % port
        wait("chromedriver", lambda: self.req("GET", "/status")["value"]["ready"])
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                     "--window-size=1280,800", "--user-data-dir=" + profile]}}}}
        v = self.req("POST", "/session", caps)["value"]
        self.sid = v["sessionId"]
        self.s("POST", "/timeouts", {"script": 60000})

    def req(self, method, path, body=None):
        r = urllib.request.Request(self.base + path, method=method,
                                   data=json.dumps(body).encode() if body is not None else None,
                                   headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(r, timeout=90) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return json.loads(e.read())

    def s(self, method, path, body=None):
        v = self.req(method, "/session/%s%s" % (self.sid, path), body)
        return v.get("value") if isinstance(v, dict) else v

    def js(self, script, *args):
        v = self.s("POST", "/execute/sync", {"script": script, "args": list(args)})
        if isinstance(v, dict) and "error" in v:
            raise RuntimeError("script failed: %s" % v.get("message", "")[:400])
        return v

    def js_async(self, script, *args):
        v = self.s("POST", "/execute/async", {"script": script, "args": list(args)})
        if isinstance(v, dict) and "error" in v:
            raise RuntimeError("script failed: %s" % v.get("message", "")[:400])
        return v

    def cdp(self, cmd, params=None):
        v = self.s("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params or {}})
        if isinstance(v, dict) and "error" in v:
            raise RuntimeError("%s failed: %s" % (cmd, v.get("message", "")[:300]))
        return v

    def keys(self, *names, pause=0):
        """Real key presses (Actions API); a name from KEY or literal text."""
        acts = []
        for n in names:
            if n.startswith("Shift+"):
                k = KEY[n[6:]]
                acts += [{"type": "keyDown", "value": KEY["Shift"]}, {"type": "keyDown", "value": k},
                         {"type": "keyUp", "value": k}, {"type": "keyUp", "value": KEY["Shift"]}]
            elif n in KEY:
                acts += [{"type": "keyDown", "value": KEY[n]}, {"type": "keyUp", "value": KEY[n]}]
            else:
                for ch in n:
                    acts += [{"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch}]
            if pause:
                acts.append({"type": "pause", "duration": pause})
        self.s("POST", "/actions", {"actions": [{"type": "key", "id": "kbd", "actions": acts}]})
        self.s("DELETE", "/actions")

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass


# --- in-page helpers ---------------------------------------------------------
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  // names that match the visible text (2.5.3) is an 'experimental' rule in axe
  rules: { 'label-content-name-mismatch': { enabled: true } },
  resultTypes: ['violations'],
}).then((r) => done(r.violations.map((v) => ({ id: v.id, help: v.help,
  nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 220)),
  count: v.nodes.length }))), (e) => done([{ id: 'axe-error', help: String(e), nodes: [], count: 1 }]));
"""

# Every control and heading a task needs, scrolled into view: it must lie
# inside the viewport sideways, not be cut by a clipping ancestor, and be
# the element hit at its centre (not covered). With compose open only the
# dialog counts (the rest is inert behind it).
LAYOUT = """
const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
const out = [];
const sw = document.documentElement.scrollWidth;
if (sw > vw + 1) out.push('the page scrolls sideways: ' + sw + ' > ' + vw);
const panel = document.querySelector('#mail-compose-panel:not([hidden])');
const scope = panel || document;
const sel = 'button, input, select, textarea, a[href], summary, h1, h2, [role=listbox], label';
const name = (e) => (e.id ? '#' + e.id : e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')) + ' "' + (e.textContent || e.value || '').trim().slice(0, 30) + '"';
for (const e of scope.querySelectorAll(sel)) {
  if (e.closest('.sr-only') || e.closest('[hidden]') || e.getClientRects().length === 0) continue;
  const dt = e.closest('details');
  if (dt && !dt.open && !(e.tagName === 'SUMMARY' && e.parentElement === dt)) continue; // folded away
  if (!panel && e.closest('[inert]')) continue;
  if (e.classList.contains('skip')) e.focus(); // shown when it has the focus
  e.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const r = e.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) { out.push(name(e) + ' has no size'); continue; }
  if (r.left < -1 || r.right > vw + 1) out.push(name(e) + ' is off-screen sideways: ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + vw);
  if (r.height <= vh && (r.top < -1 || r.bottom > vh + 1)) out.push(name(e) + ' cannot be scrolled into view: ' + Math.round(r.top) + '..' + Math.round(r.bottom) + ' of ' + vh);
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    const st = getComputedStyle(a);
    if (st.overflowX === 'visible' && st.overflowY === 'visible') continue;
    const ar = a.getBoundingClientRect();
    const clipX = st.overflowX !== 'visible' && (r.left < ar.left - 1 || r.right > ar.right + 1) && st.overflowX !== 'auto' && st.overflowX !== 'scroll';
    const clipY = st.overflowY !== 'visible' && (r.top < ar.top - 1 || r.bottom > ar.bottom + 1) && st.overflowY !== 'auto' && st.overflowY !== 'scroll';
    if (clipX || clipY) { out.push(name(e) + ' is cut off by ' + name(a)); break; }
  }
  const cx = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1), cy = Math.min(Math.max(r.top + Math.min(r.height, vh) / 2, 0), vh - 1);
  const hit = document.elementFromPoint(cx, cy);
  const lab = e.tagName === 'LABEL' ? document.getElementById(e.htmlFor) : null;
  if (hit && !(hit === e || e.contains(hit) || hit.contains(e) && hit.tagName === 'LABEL' || (lab && (hit === lab || lab.contains(hit))))) {
    out.push(name(e) + ' is covered by ' + name(hit));
  }
  if (e.classList.contains('skip')) e.blur();
}
return out;
"""

READY = {
    "home": "return document.querySelectorAll('.tile .status[data-state=online]').length >= 7",
    "accounts": "return !!document.querySelector('#mail-form') && !!document.querySelector('#flow-waiting')",
    "files": "return !!document.querySelector('#files-progress-text') && !!document.querySelector('#files-settings') && document.querySelectorAll('#files-tree [role=treeitem]').length >= 6",
    "mail": "return document.querySelectorAll('#mail-list [role=option]:not([aria-busy])').length >= 5 && !!document.querySelector('#mail-folders button')",
}


class Shell:
    def __init__(self, d, url):
        self.d, self.url = d, url
        self.loads = 0

    def viewport(self, w, h, scale):
        self.d.cdp("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": scale, "mobile": False})

    def open(self, view, lang):
        self.loads += 1  # a new URL each time: the same one would not load the page again
        self.d.s("POST", "/url", {"url": "%s?lang=%s&load=%d#/%s" % (self.url, lang, self.loads, view)})
        wait("the %s view (%s)" % (view, lang), lambda: self.d.js(READY[view]), timeout=15)

    def open_message(self, index=1):
        self.d.js("document.querySelectorAll('#mail-list [role=option]')[arguments[0]].click()", index)
        wait("the message", lambda: self.d.js("return !!document.querySelector('#mail-subject') && !!document.querySelector('.mail-frame')"))

    def reply(self):
        self.d.js("document.querySelector('#mail-reply').click()")
        wait("compose", lambda: self.d.js("return !document.querySelector('#mail-compose-panel').hidden"))

    def axe(self, what):
        v = self.d.js_async(AXE_RUN)
        for x in v:
            check(False, "axe %s: %s (%s, %d nodes): %s" % (what, x["id"], x["help"], x["count"], " | ".join(x["nodes"])))
        return len(v)

    def layout(self, what):
        for p in self.d.js(LAYOUT):
            check(False, "layout %s: %s" % (what, p))

    def active(self):
        return self.d.js("const a = document.activeElement; return a ? (a.id || a.tagName.toLowerCase() + ':' + (a.textContent || '').trim().slice(0, 40)) : ''")

    def shot(self, path):
        data = self.d.cdp("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def mean_brightness(self, clip):
        """Mean brightness (0..1) of a part of the screen, read with ImageMagick."""
        data = base64.b64decode(self.d.cdp("Page.captureScreenshot", {"format": "png", "clip": clip})["data"])
        out = subprocess.run(["convert", "png:-", "-colorspace", "Gray", "-format", "%[fx:mean]", "info:"],
                             input=data, capture_output=True, check=True).stdout
        return float(out)

    def calls(self, name):
        return self.d.js("return window.__mock.calls.filter((c) => c[0] === arguments[0])", name)


VIEWS = ["home", "accounts", "files", "mail", "mail-message", "mail-compose"]


def show(sh, view, lang):
    base = view.split("-")[0]
    sh.open(base, lang)
    if view in ("mail-message", "mail-compose"):
        sh.open_message()
    if view == "mail-compose":
        sh.reply()


def audits(sh):
    n = 0
    for lang in ("de", "en"):
        for w, h, scale, zoom in ((1280, 800, 1, "100%"), (640, 400, 2, "200%")):
            sh.viewport(w, h, scale)
            for view in VIEWS:
                show(sh, view, lang)
                check(sh.d.js("return document.documentElement.lang") == lang, "%s %s: <html lang> is not %s" % (view, lang, lang))
                n += 1
                sh.axe("%s %s %s" % (view, lang, zoom))
    log("axe: %d pages audited" % n)


def zoom(sh, artifacts, shots):
    for lang in ("de", "en"):
        for w, h, zoomname in ((640, 400, "200%"), (320, 200, "400%")):
            sh.viewport(w, h, 1280 // w)
            for view in VIEWS:
                show(sh, view, lang)
                if zoomname == "200%" and lang == "de" and view in ("mail", "mail-message", "mail-compose"):
                    name = "mail-200-%s.png" % {"mail": "list", "mail-message": "message", "mail-compose": "compose"}[view]
                    for d in [artifacts] + ([shots] if shots else []):
                        sh.shot(os.path.join(d, name))
                sh.layout("%s %s %s" % (view, lang, zoomname))
                if view == "mail-message":
                    r = sh.d.js("const a = document.querySelector('#mail-reader').getBoundingClientRect(), f = document.querySelector('.mail-frame').getBoundingClientRect();"
                                "return [a.width, f.width, f.height]")
                    if zoomname == "200%":
                        check(r[0] >= 280 and r[1] >= 280 and r[2] >= 100,
                              "zoom %s %s: reader %dpx wide, message body %dx%dpx (needs >= 280 px)" % (zoomname, lang, r[0], r[1], r[2]))
                        log("reader at 200%% (%s): %d px, message body %dx%d px" % (lang, r[0], r[1], r[2]))


def keyboard(sh):
    d = sh.d
    sh.viewport(1280, 800, 1)
    # Files: while files:status arrives every 500 ms, Tab goes through every
    # control in order (the view no longer rebuilds itself under the focus).
    sh.open("files", "de")
    d.js("document.querySelector('#files-settings').closest('details').open = true")
    n = d.js("""const sel = 'button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])';
      const els = [...document.querySelectorAll('main ' + sel.split(', ').join(', main '))].filter((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0);
      els.forEach((e, i) => e.setAttribute('data-k', String(i)));
      document.querySelector('main').focus();
      return els.length""")
    ev0 = d.js("return window.__mock.filesEvents()")
    seen = []
    for _ in range(n):
        d.keys("Tab")
        time.sleep(0.25)
        seen.append(d.js("const a = document.activeElement; return a && a.isConnected ? a.getAttribute('data-k') : null"))
    events = d.js("return window.__mock.filesEvents()") - ev0
    check(seen == [str(i) for i in range(n)], "keyboard files: Tab did not reach the %d controls in order while %d status events arrived: %s" % (n, events, seen))
    check(events >= 4, "keyboard files: only %d status events arrived during the walk" % events)
    log("files: Tab reached %d of %d controls in order while %d files:status events arrived" % (sum(1 for i, s in enumerate(seen) if s == str(i)), n, events))

    # The files tree: arrow keys open a folder, the focus stays on the tree
    # while status events redraw it, End reaches the last of 5,000 files
    # (its row is in the DOM and on the screen), the activity shows a file.
    sh.open("files", "en")
    d.js("document.querySelector('#files-tree').focus()")
    d.keys("ArrowDown", "ArrowRight")
    wait("Bauamt opened", lambda: d.js("return document.querySelectorAll('#files-tree [role=treeitem][aria-level=\"2\"]').length === 3"))
    d.keys("ArrowRight", "ArrowDown")
    time.sleep(1.2)
    st = d.js("""const t = document.querySelector('#files-tree'); const a = document.getElementById(t.getAttribute('aria-activedescendant'));
      return [document.activeElement === t, a ? a.textContent : null, a ? a.getAttribute('aria-selected') : null]""")
    check(st[0] and st[1] and st[1].startswith("Plan.pdf") and st[2] == "true", "keyboard tree: focus/active row after arrows and status events: %r" % st)
    d.keys("ArrowLeft", "ArrowLeft", "ArrowUp", "ArrowRight")
    wait("Archiv opened", lambda: d.js("return (document.querySelector('#files-tree [aria-level=\"1\"][aria-expanded=true]') || {}).textContent === '▾ArchivSynced'"))
    d.keys("End", "ArrowUp", "ArrowUp", "ArrowUp", "ArrowUp", "ArrowUp")  # the last top-level entry, then up into Archiv's last file
    end = d.js("""const t = document.querySelector('#files-tree'); const a = document.getElementById(t.getAttribute('aria-activedescendant'));
      const tb = t.getBoundingClientRect(), ab = a ? a.getBoundingClientRect() : null;
      return [a ? a.textContent : null, a ? a.getAttribute('aria-posinset') : null, document.querySelectorAll('#files-tree [role=treeitem]').length,
        !!ab && ab.top >= tb.top - 1 && ab.bottom <= tb.bottom + 1]""")
    check(end[0] is not None and "Bescheid-4999" in end[0] and end[1] == "5000" and end[2] < 120 and end[3],
          "keyboard tree: the last of 5,000 files: %r" % end)
    log("files tree: reached file 5000 of a folder by keyboard, %d rows in the DOM" % end[2])
    d.js("[...document.querySelectorAll('#files-activity button')].find((b) => b.textContent.includes('Plan.pdf')).click()")
    wait("activity shows the file", lambda: d.js("const t = document.querySelector('#files-tree'); const a = document.getElementById(t.getAttribute('aria-activedescendant')); return document.activeElement === t && !!a && a.dataset.path === 'Bauamt/Plan.pdf'"))

    # Choosing folders: unticking one with local changes asks in a modal
    # dialog that starts on the safe answer; Escape keeps the folder synced
    # and gives the focus back to its box.
    d.js("const p = document.querySelector('#files-pick'); p.open = true; p.dispatchEvent(new Event('toggle'))")
    wait("server folders", lambda: d.js("return document.querySelectorAll('#files-pick input[type=checkbox]').length === 3"))
    d.js("document.querySelectorAll('#files-pick input[type=checkbox]')[1].focus()")
    d.keys(" ")
    wait("the question", lambda: d.js("return !!document.querySelector('dialog#files-pick-ask[open]')"))
    check(sh.active() == "files-pick-no", "picker: the question does not start on the safe answer: %r" % sh.active())
    sh.axe("files folder question (en)")
    d.keys("Escape")
    wait("the question closed", lambda: d.js("return !document.querySelector('dialog#files-pick-ask')"))
    st = d.js("const b = document.querySelectorAll('#files-pick input[type=checkbox]')[1]; return [b.checked, document.activeElement === b]")
    check(st == [True, True], "picker: after Escape the folder must stay ticked with the focus on its box: %r" % st)
    check(not [c for c in sh.calls("Files.SetFolderSynced") if c[3]], "picker: a folder was unticked without confirmation")
    sh.axe("files folder picker open (en)")

    # Share link by keyboard for the selected file: the result is announced
    # (role=status) and names the file and the link.
    d.js("document.querySelector('#files-share summary').focus()")
    d.keys("Enter")
    wait("the share form", lambda: d.js("return !document.querySelector('#files-share form').hidden"))
    d.keys("Tab", "geheim-2026", "Enter")  # Enter in the password field submits
    wait("the share link", lambda: d.js("return document.querySelector('#files-share-result').textContent.includes('/s/Kx3fQ9')"))
    calls = sh.calls("Files.ShareLink")
    check(calls and calls[-1][1] == "Bauamt/Plan.pdf" and calls[-1][2] is True, "share: wrong call %r" % calls)
    sh.axe("files share form (en)")

    # Accounts: what is typed survives accounts:changed.
    sh.open("accounts", "de")
    d.js("document.querySelector('#mail-username').focus()")
    d.keys("anna")
    for _ in range(3):
        d.js("window.__mock.accountsChanged()")
        time.sleep(0.1)
    d.keys(".schmidt")
    v = d.js("return [document.querySelector('#mail-username').value, document.activeElement.id, document.querySelector('#flow-waiting').textContent]")
    check(v[0] == "anna.schmidt" and v[1] == "mail-username" and "4" in v[2],
          "keyboard accounts: typing did not survive accounts:changed: %r" % v)

    # View change: the focus goes to the new view.
    d.js("document.querySelector('nav a[data-view=mail]').focus()")
    d.keys("Enter")
    wait("the mail view", lambda: d.js(READY["mail"]))
    check(sh.active() == "main", "keyboard: after a view change the focus is on %r, not on <main>" % sh.active())

    # Mail: Delete in the list keeps the focus there, on the next message.
    d.js("document.querySelector('#mail-list').focus()")
    d.keys("ArrowDown", "ArrowDown", "ArrowDown")
    d.keys("Delete")
    wait("the delete", lambda: sh.calls("Mail.Delete"))
    time.sleep(0.2)
    v = d.js("const l = document.querySelector('#mail-list'); return [document.activeElement.id, l.getAttribute('aria-activedescendant')]")
    check(v[0] == "mail-list" and v[1] == "mail-list-row-2", "keyboard mail: after Delete in the list the focus is %r" % v)

    # Enter opens; Move: arrow keys in the folder choice never move.
    d.keys("Enter")
    wait("the message", lambda: d.js("return !!document.querySelector('#mail-move')"))
    d.js("document.querySelector('#mail-move').focus()")
    d.keys("ArrowDown", "ArrowDown", pause=50)
    time.sleep(0.3)
    check(not sh.calls("Mail.Move") and d.js("return !!document.querySelector('#mail-subject')"),
          "keyboard mail: arrow keys in 'Move to' moved the message: %r" % sh.calls("Mail.Move"))
    d.keys("Tab")
    check(sh.active() == "mail-move-do", "keyboard mail: Tab from the folder choice went to %r, not the Move button" % sh.active())
    d.keys("Enter")
    wait("the move", lambda: sh.calls("Mail.Move"))
    wait("the focus on the list", lambda: sh.active() == "mail-list", timeout=3)

    # Delete from the reader: focus back on the list.
    d.keys("Enter")
    wait("the message", lambda: d.js("return !!document.querySelector('#mail-delete')"))
    d.js("document.querySelector('#mail-delete').focus()")
    d.keys("Enter")
    wait("the second delete", lambda: len(sh.calls("Mail.Delete")) == 2)
    try:
        wait("the focus on the list", lambda: sh.active() == "mail-list", timeout=3)
    except AssertionError:
        check(False, "keyboard mail: after Delete in the reader the focus is on %r" % sh.active())

    # Compose: modal; Tab and Shift+Tab stay inside; Escape and Send return the focus.
    d.keys("Enter")
    wait("the message", lambda: d.js("return !!document.querySelector('#mail-reply')"))
    d.js("document.querySelector('#mail-reply').focus()")
    d.keys("Enter")
    wait("compose", lambda: d.js("return !document.querySelector('#mail-compose-panel').hidden"))
    check(d.js("return document.querySelector('#mail-compose-panel').contains(document.activeElement)"),
          "keyboard compose: opening did not put the focus inside (%r)" % sh.active())
    outside = []
    for k in ["Tab"] * 16 + ["Shift+Tab"] * 16:
        d.keys(k)
        if not d.js("return document.querySelector('#mail-compose-panel').contains(document.activeElement)"):
            outside.append(sh.active())
    check(not outside, "keyboard compose: Tab/Shift+Tab left the dialog for %r" % outside)
    d.keys("Escape")
    check(sh.active() == "mail-reply" and d.js("return document.querySelector('#mail-compose-panel').hidden"),
          "keyboard compose: Escape left the focus on %r" % sh.active())
    d.keys("Enter")
    wait("compose", lambda: d.js("return !document.querySelector('#mail-compose-panel').hidden"))
    d.js("document.querySelector('#compose-send').focus()")
    d.keys("Enter")
    wait("the send", lambda: sh.calls("Mail.Send"))
    try:
        wait("the focus back on Reply", lambda: sh.active() == "mail-reply", timeout=3)
    except AssertionError:
        check(False, "keyboard compose: after Send the focus is on %r" % sh.active())
    log("keyboard: files walk, accounts typing, view change, Delete, Move, compose checked")


# WCAG 1.4.12: with the text spacing a user's style sheet may set, no text
# of a message row, button or field is cut off.
SPACING = """
const st = document.createElement('style');
st.textContent = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
document.head.append(st);
"""
CLIPPED = """
const out = [];
for (const e of document.querySelectorAll('#mail-list [role=option], main button, main label, main summary')) {
  if (e.closest('[hidden]') || e.getClientRects().length === 0 || e.closest('.sr-only')) continue;
  const st = getComputedStyle(e);
  if ((st.overflowY !== 'visible' || e.matches('[role=option]')) && e.scrollHeight > e.clientHeight + 1)
    out.push((e.id || e.tagName.toLowerCase()) + ' "' + e.textContent.trim().slice(0, 30) + '" cut off: ' + e.scrollHeight + ' > ' + e.clientHeight);
}
return out;
"""


def text_spacing(sh):
    sh.viewport(1280, 800, 1)
    for lang in ("de", "en"):
        for view in ("home", "accounts", "files", "mail", "mail-message"):
            show(sh, view, lang)
            sh.d.js(SPACING)
            time.sleep(0.2)
            for p in sh.d.js(CLIPPED):
                check(False, "text spacing %s %s: %s" % (view, lang, p))


def forced_colors(sh, artifacts):
    d = sh.d
    sh.viewport(1280, 800, 1)
    d.cdp("Emulation.setEmulatedMedia", {"features": [{"name": "forced-colors", "value": "active"}]})
    try:
        for lang in ("de",):
            for view in VIEWS:
                show(sh, view, lang)
                check(d.js("return matchMedia('(forced-colors: active)').matches"), "forced colours are not in effect")
                sh.axe("%s %s forced-colors" % (view, lang))
        show(sh, "mail", "de")
        d.js("document.querySelector('#mail-list').focus()")
        d.keys("ArrowDown", "ArrowDown")
        # What is on the screen (forced colours repaint author backgrounds):
        # the chosen row's left edge must differ from an unchosen one's.
        strips = d.js("""const rows = [...document.querySelectorAll('#mail-list [role=option]')];
          const box = (r) => { const b = r.getBoundingClientRect(); return { x: b.left + 1, y: b.top + 6, width: 8, height: b.height - 12, scale: 1 }; };
          return [box(rows.find((r) => r.getAttribute('aria-selected') === 'true')), box(rows.find((r) => r.getAttribute('aria-selected') === 'false'))]""")
        means = [sh.mean_brightness(clip) for clip in strips]
        check(abs(means[0] - means[1]) > 0.25, "forced colours: the chosen message looks like the others (brightness %.2f vs %.2f)" % tuple(means))
        log("forced colours: chosen row edge brightness %.2f, other rows %.2f" % tuple(means))
        d.js("document.querySelector('#mail-sync').focus()")
        d.keys("Shift+Tab", "Tab")
        o = d.js("const s = getComputedStyle(document.activeElement); return [document.activeElement.id, s.outlineStyle, s.outlineWidth]")
        check(o[0] == "mail-sync" and o[1] != "none" and float(o[2].rstrip("px") or 0) >= 2,
              "forced colours: no visible focus outline on %r" % o)
        sh.shot(os.path.join(artifacts, "mail-forced-colors.png"))
    finally:
        d.cdp("Emulation.setEmulatedMedia", {"features": []})


def guarded(name, f, *a):
    """Runs one group of checks; a step that times out fails the group, not the run."""
    try:
        f(*a)
    except (AssertionError, RuntimeError) as e:
        check(False, "%s: %s" % (name, e))


def main():
    dist, axe_js, artifacts = sys.argv[1:4]
    shots = sys.argv[4] if len(sys.argv) > 4 else ""
    os.makedirs(artifacts, exist_ok=True)
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="deskport-a11y-")
    srv = serve(dist, axe_js)
    dport = free_port()
    cd = subprocess.Popen(["chromedriver", "--port=%d" % dport], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          start_new_session=True)
    d = None
    try:
        d = Driver(dport, os.path.join(tmp, "profile"))
        sh = Shell(d, "http://127.0.0.1:%d/" % srv.server_address[1])
        only = os.environ.get("A11Y_ONLY", "keyboard,audits,zoom,spacing,forced").split(",")
        if "keyboard" in only:
            guarded("keyboard", keyboard, sh)
        if "audits" in only:
            guarded("axe", audits, sh)
        if "zoom" in only:
            guarded("zoom", zoom, sh, artifacts, shots)
        if "spacing" in only:
            guarded("text spacing", text_spacing, sh)
        if "forced" in only:
            guarded("forced colours", forced_colors, sh, artifacts)
    finally:
        if d:
            d.quit()
        srv.shutdown()
        try:
            os.killpg(cd.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            cd.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(cd.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        log("%d problems (%.1fs)" % (len(failures), time.monotonic() - t0))
        sys.exit(1)
    log("all checks passed in %.1fs" % (time.monotonic() - t0))


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    main()
