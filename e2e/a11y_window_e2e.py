#!/usr/bin/env python3
"""axe-core in the real window (WebKitGTK, Wails' bindings live), on the demo.

Run by scripts/e2e-a11y-window.sh under xvfb-run. The headless-Chromium audit
(e2e/a11y_e2e.py) covers every view with mocked bindings in both languages;
this one checks that the same shell, rendered by the engine Linux users get
and filled by the real Go services (the built-in demo suite), has no WCAG 2.1
A/AA violation either: the launcher, the Files view after the demo's files
synced, the mail view with the demo mailbox and an open message, Accounts.
"""
import json
import os
import secrets
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_e2e import App, free_port, wait  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AXE = os.path.join(ROOT, "frontend", "node_modules", "axe-core", "axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def log(*a):
    print("e2e-a11y-window:", *a, file=sys.stderr, flush=True)


def audit(app, view):
    """Runs axe on the page as it is now; returns the violations."""
    if app.js("typeof window.axe") != "object":
        with open(AXE) as f:
            app.js(f.read() + "\n;'ok'")
    app.js("window.__axe = ''; axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(function(r){"
           "window.__axe = JSON.stringify(r.violations.map(function(v){return {id: v.id, impact: v.impact,"
           " nodes: v.nodes.map(function(n){return n.target.join(' ')}).slice(0, 5)}}))"
           "}, function(e){ window.__axe = JSON.stringify({error: String(e)}) }); 'ok'" % json.dumps(TAGS))
    out = wait("axe's verdict on " + view, lambda: app.js("window.__axe || ''"), timeout=60, every=0.5)
    res = json.loads(out)
    if isinstance(res, dict):
        raise AssertionError("axe failed on %s: %s" % (view, res["error"]))
    return res


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-a11yw-")
    app = None
    try:
        control = "127.0.0.1:%d" % free_port()
        env = {k: v for k, v in os.environ.items()
               if k not in ("DESKPORT_HOME", "DESKPORT_FILES_DIR", "DESKPORT_SUITE_DOMAIN")}
        home = os.path.join(tmp, "home")
        for d in ("home", "tmp", "run"):
            os.makedirs(os.path.join(tmp, d), mode=0o700)
        env.update({
            "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
            "XDG_CACHE_HOME": home + "/.cache", "TMPDIR": os.path.join(tmp, "tmp"), "XDG_RUNTIME_DIR": os.path.join(tmp, "run"),
            "DESKPORT_E2E_CONTROL": control, "E2E_LOG": os.path.join(tmp, "app.log"), "DESKPORT_E2E_RUN": secrets.token_hex(8),
        })
        app = App(env, control)
        app.start("demo")
        wait("the shell page", lambda: app.uri().startswith("wails://wails/"))
        count = lambda sel: int(app.js("String(document.querySelectorAll(%r).length)" % sel) or 0)
        found = {}

        app.js("location.hash = '#/home', 'ok'")
        wait("the launcher's tiles", lambda: count(".launcher a") >= 6, timeout=30)
        found["home"] = audit(app, "home")

        app.js("location.hash = '#/files', 'ok'")
        wait("the files view with the demo's folder", lambda: count("#files-summary") == 1 and
             app.js("(document.querySelector('#files-body')||{}).hidden === false ? 'y' : ''") == "y", timeout=60)
        time.sleep(3)  # a first pass of the demo's files
        found["files"] = audit(app, "files")

        app.js("location.hash = '#/mail', 'ok'")
        wait("the demo's mail in the list", lambda: count("#mail-list .subject") >= 10, timeout=90)
        found["mail"] = audit(app, "mail")
        app.js("(function(){var r=document.querySelector('#mail-list [role=option]');if(r)r.click();return 'ok'})()")
        time.sleep(2)
        found["mail, a message open"] = audit(app, "mail with a message")

        app.js("location.hash = '#/accounts', 'ok'")
        time.sleep(2)
        found["accounts"] = audit(app, "accounts")

        bad = {v: r for v, r in found.items() if r}
        for v, r in found.items():
            log("%-22s %d violations %s" % (v, len(r), json.dumps(r)[:600] if r else ""))
        app.quit()
        app = None
        assert not bad, "axe found WCAG 2.1 A/AA violations in the real window: %s" % json.dumps(bad)[:3000]
        log("PASS: 0 violations in %d views of the real window" % len(found))
    finally:
        if app is not None and app.proc.poll() is None:
            os.killpg(app.proc.pid, 9)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
