#!/usr/bin/env python3
"""End-to-end test of `deskport demo`: the real window under Xvfb, signed in
to the demo suite that runs inside it.

Run by scripts/e2e-demo.sh under xvfb-run WITHOUT a D-Bus session, as a new
user would start it. Checks: the window is marked as the demo; the launcher
lists the demo's apps; the files view syncs the demo's documents into the
demo's folder; the mail view shows the demo mailbox (screenshot check); a
message written in compose is sent through the demo's SMTP server and shows
up in the demo's Sent folder and, addressed to the demo user, in INBOX.
After the window closes, the demo's data folder is gone and no process
started for it (dbus-daemon, at-spi-bus-launcher, WebKit helpers) is left.
Screenshots go to artifacts/screenshots (DESKPORT_E2E_SHOTS).
"""
import os
import re
import secrets
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_e2e  # noqa: E402  (shared window driver)
from suite_e2e import App, free_port, wait  # noqa: E402
from files_demo import files_shots  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(*a):
    print("e2e-demo:", *a, file=sys.stderr, flush=True)


def leftovers(token):
    """Processes whose environment carries this run's token."""
    found = []
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % p, "rb") as f:
                if ("DESKPORT_E2E_RUN=" + token).encode() not in f.read().split(b"\0"):
                    continue
            with open("/proc/%s/comm" % p) as f:
                found.append("%s(%s)" % (f.read().strip(), p))
        except OSError:
            pass
    return found


def shot(name, min_colours, before=None):
    """A steady screenshot that differs from the picture before (WebKit may
    paint a new view a while after its DOM is there)."""
    def changed():
        colours = suite_e2e.screenshot(name, min_colours)
        with open(os.path.join(suite_e2e.SHOTS, name), "rb") as f:
            data = f.read()
        return (colours, data) if before is None or data != before else None
    return wait("the screen to show " + name, changed, timeout=60, every=1)


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-demo-")
    app = None
    try:
        token = secrets.token_hex(8)
        control = "127.0.0.1:%d" % free_port()
        env = {k: v for k, v in os.environ.items()
               if k not in ("DBUS_SESSION_BUS_ADDRESS", "DESKPORT_HOME", "DESKPORT_FILES_DIR", "DESKPORT_SUITE_DOMAIN", "NO_AT_BRIDGE")}
        home = os.path.join(tmp, "home")
        for d in ("home", "tmp", "run"):
            os.makedirs(os.path.join(tmp, d), mode=0o700)
        env.update({
            "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
            "XDG_CACHE_HOME": home + "/.cache", "TMPDIR": os.path.join(tmp, "tmp"), "XDG_RUNTIME_DIR": os.path.join(tmp, "run"),
            "DESKPORT_E2E_CONTROL": control, "E2E_LOG": os.path.join(tmp, "app.log"), "DESKPORT_E2E_RUN": token,
        })
        app = App(env, control)
        app.start("demo")
        wait("the shell page", lambda: app.uri().startswith("wails://wails/"))
        with open(env["E2E_LOG"]) as f:
            m = re.search(r"Its data is in (\S+) \(removed", f.read())
        assert m, "the demo did not say where its data is"
        data = m.group(1)
        assert data.startswith(env["TMPDIR"]), data
        log("demo data in", data)
        text = lambda sel: app.js("(function(){var e=document.querySelector(%r);return e?e.textContent:''})()" % sel)

        wait("the demo banner", lambda: "demo suite" in text("#deskport-demo-banner"), timeout=20)
        # The launcher: the demo's apps, each on its own origin.
        app.js("location.hash = '#/home', 'ok'")
        tiles = wait("the launcher's tiles", lambda: int(app.js("String(document.querySelectorAll('.launcher a').length)") or 0) >= 6, timeout=30)
        hrefs = wait("the tiles' links to the demo's origins", lambda: "127.0.0.1" in app.js(
            "Array.from(document.querySelectorAll('.launcher a')).map(function(a){return a.href}).join(' ')"), timeout=20)
        log("launcher:", tiles)
        _, home_png = shot("demo-home.png", 200)

        # Ctrl+1 opens the portal in the window, on its own origin, marked as the demo.
        portal = app.js("document.querySelector('.launcher a[data-app=portal]').href")
        assert portal.startswith("http://127.0.0.1:"), portal
        suite_e2e.xkey("ctrl+1")
        wait("the demo portal in the window", lambda: app.uri().startswith(portal), timeout=30)
        wait("the portal page", lambda: "Demo suite running inside Deskport" in app.js("document.body ? document.body.innerText : ''"), timeout=30)
        links = app.js("Array.from(document.querySelectorAll('nav a')).map(function(a){return a.href}).join(' ')")
        assert links.count("http://127.0.0.1:") >= 6, links
        suite_e2e.xkey("ctrl+shift+h")  # Deskport > Home
        wait("back in the shell", lambda: app.uri().startswith("wails://wails/"), timeout=30)
        time.sleep(2)
        assert app.uri().startswith("wails://wails/"), "the window went back to " + app.uri()
        log("portal:", portal)

        # Files: the demo's documents arrive in the synced folder.
        app.js("location.hash = '#/files', 'ok'")
        synced = os.path.join(data, "deskport", "Files")
        wait("the demo's files in the synced folder", lambda: os.path.exists(os.path.join(synced, "Documents", "Projektplan 2027.pdf"))
             and os.path.exists(os.path.join(synced, "Photos", "Team offsite.png")), timeout=60)
        wait("the files view naming the folder", lambda: synced in text("main") or "Files" in text("main"), timeout=20)
        _, files_png = shot("demo-files.png", 200, home_png)
        files_shots(app, synced, shot, log)

        # Mail: the demo mailbox in the list.
        app.js("location.hash = '#/mail', 'ok'")
        try:
            wait("the demo's mail in the list", lambda: int(app.js("String(document.querySelectorAll('#mail-list .subject').length)") or 0) >= 10, timeout=90)
        except AssertionError:
            log("the mail view shows:", app.js("document.querySelector('main') ? document.querySelector('main').innerText : document.body.innerHTML.slice(0, 2000)"))
            log("mail status:", app.js("(function(){window.go.app.Mail.Status().then(function(s){window.__st=JSON.stringify(s)});return 'ok'})()"))
            time.sleep(1)
            log(app.js("String(window.__st)"), app.uri())
            raise
        subjects = app.js("Array.from(document.querySelectorAll('#mail-list .subject')).map(function(e){return e.textContent}).join('|')")
        assert any(w in subjects for w in ("Termin", "Protokoll", "Sitzung", "meeting", "API", "parcel", "Coffee", "retro")), subjects
        colours, _ = shot("demo-mail.png", 300, files_png)
        log("mail list:", subjects[:120], "...")

        # Send a message to the demo user: it must reach Sent and INBOX on the demo's IMAP server.
        subject = "Demo e2e " + token
        app.js("document.querySelector('#mail-compose').click(), 'ok'")
        wait("compose", lambda: app.js("document.querySelector('#mail-compose-panel') && !document.querySelector('#mail-compose-panel').hidden ? 'y' : ''") == "y", timeout=10)
        app.js("(function(){function set(s,v){var e=document.querySelector(s);e.value=v;e.dispatchEvent(new Event('input',{bubbles:true}));}"
               "set('#compose-to','eva@demo.example');set('#compose-subject',%r);set('#compose-text','Hallo aus dem Test.');return 'ok'})()" % subject)
        time.sleep(0.5)
        app.js("document.querySelector('#compose-form').requestSubmit(), 'ok'")

        def in_folder(names):
            app.js("(function(){var b=Array.from(document.querySelectorAll('#mail-folders button')).find(function(b){"
                   "var n=b.querySelector('.name');return n&&%r.indexOf(n.textContent.trim())>=0});if(b)b.click();"
                   "var s=document.querySelector('#mail-sync');if(s&&!s.disabled)s.click();return 'ok'})()" % names)
            time.sleep(1)
            return subject in app.js("Array.from(document.querySelectorAll('#mail-list .subject')).map(function(e){return e.textContent}).join('|')")
        wait("the sent message in the demo's Sent folder", lambda: in_folder(["Sent", "Gesendet"]), timeout=90, every=1)
        log("sent message is in Sent")
        wait("the sent message in the demo's INBOX", lambda: in_folder(["INBOX", "Inbox", "Posteingang"]), timeout=60, every=1)
        log("sent message arrived in INBOX")

        app.quit()
        app = None
        try:
            wait("every process of the run gone", lambda: not leftovers(token), timeout=10)
        except AssertionError:
            raise AssertionError("processes outlived the window: %s" % ", ".join(leftovers(token)))
        try:
            wait("the demo's data folder removed", lambda: not os.path.exists(data), timeout=10)
        except AssertionError:
            left = [os.path.join(r, f) for r, _, fs in os.walk(data) for f in fs]
            raise AssertionError("the demo's data folder is still there: %s" % left[:10])
        log("PASS (mail screenshot: %s colours)" % colours)
    finally:
        if app is not None and app.proc.poll() is None:
            os.killpg(app.proc.pid, 9)
        if os.environ.get("DESKPORT_E2E_KEEP"):
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
