#!/usr/bin/env python3
"""End-to-end test of `deskport demo`: the real window under Xvfb, signed in
to the demo suite that runs inside it.

Run by scripts/e2e-demo.sh under xvfb-run WITHOUT a D-Bus session, as a new
user would start it. Checks: the window is marked as the demo; the launcher
lists the demo's apps; the portal opens with the app switcher; the portal's
offline button makes the window show its offline mode and return to the
portal when it answers again; the files view syncs the demo's documents into the
demo's folder; the mail view shows the demo mailbox (screenshot check), a
message with its attachment, a forward of it in compose, the offline storage
settings; a
message written in compose is sent through the demo's SMTP server and shows
up in the demo's Sent folder and, addressed to the demo user, in INBOX.
After the window closes, the demo's data folder is gone and no process
started for it (dbus-daemon, at-spi-bus-launcher, WebKit helpers) is left.
Then Deskport without an account: its first-run view's "Try the demo" opens
the demo in a window of its own, and the first window stays on its page.
Screenshots go to artifacts/screenshots (DESKPORT_E2E_SHOTS).
"""
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_e2e  # noqa: E402  (shared window driver)
from suite_e2e import App, free_port, wait  # noqa: E402
from files_demo import files_shots  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OFFLINE_PATH = "/__demo/offline"  # internal/demo/web.OfflinePath
OFFLINE_SECONDS = 20  # long enough for a loaded machine to paint the offline view before the suite is back


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


def pids_with(token):
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open("/proc/%s/environ" % p, "rb") as f:
                    if ("DESKPORT_E2E_RUN=" + token).encode() in f.read().split(b"\0"):
                        out.append(int(p))
            except OSError:
                pass
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(f.read().decode(errors="replace").split("\0")) if a)
    except OSError:
        return ""


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
        _, portal_png = shot("suite-with-switcher.png", 40, home_png)

        # The portal's button takes the demo's web apps offline (they drop
        # every connection): the window shows its offline mode, then goes back
        # to the portal by itself once it answers again.
        app.act("the portal's offline button", "var f=document.querySelector('form[action=\"%s\"]');"
                "if(!f)return false;f.action='%s?seconds=%d';f.requestSubmit();return true" % (OFFLINE_PATH, OFFLINE_PATH, OFFLINE_SECONDS))
        offline_at = time.time()
        wait("the offline view", lambda: app.uri().startswith("wails://wails/#/home/offline/"), timeout=30)
        wait("the offline notice and the apps marked offline", lambda: app.js(
            "(function(){var s=document.querySelector('.launcher a[data-app=portal] .status');"
            "return document.querySelector('#offline') && s && s.dataset.state==='offline' ? 'y' : ''})()") == "y", timeout=20)
        _, offline_png = shot("offline.png", 200, portal_png)
        wait("back on the portal when it answers", lambda: app.uri().startswith(portal), timeout=OFFLINE_SECONDS + 30)
        wait("the portal page again", lambda: "Demo suite running inside Deskport" in app.js("document.body ? document.body.innerText : ''"), timeout=30)
        log("offline mode: shown, back on the portal after %.0f s" % (time.time() - offline_at))
        suite_e2e.xkey("ctrl+shift+h")  # Deskport > Home
        wait("back in the shell", lambda: app.uri().startswith("wails://wails/"), timeout=30)
        # Seen once (not reproduced since): the window ended back on the
        # portal. Record every address it shows for 2 s, and on failure say
        # them and the app's log, so that the next time pins it down.
        seen, since = [], time.time()
        while time.time() - since < 2:
            u = app.uri()
            if not seen or seen[-1][1] != u:
                seen.append((round(time.time() - since, 2), u))
            time.sleep(0.05)
        if not app.uri().startswith("wails://wails/"):
            with open(env["E2E_LOG"], errors="replace") as f:
                log("the app's log:", "".join(f.readlines()[-40:]))
            raise AssertionError("the window went back to %s; addresses after Home: %s" % (app.uri(), seen))
        log("portal:", portal)

        # Files: the demo's documents arrive in the synced folder.
        app.js("location.hash = '#/files', 'ok'")
        synced = os.path.join(data, "deskport", "Files")
        wait("the demo's files in the synced folder", lambda: os.path.exists(os.path.join(synced, "Documents", "Projektplan 2027.pdf"))
             and os.path.exists(os.path.join(synced, "Photos", "Team offsite.png")), timeout=60)
        wait("the files view naming the folder", lambda: synced in text("main") or "Files" in text("main"), timeout=20)
        _, files_png = shot("demo-files.png", 200, home_png)
        files_shots(app, synced, shot, log)

        # Accounts: signed in to the demo's files and mailbox.
        app.js("location.hash = '#/accounts', 'ok'")
        wait("the accounts signed in to the demo", lambda: "eva" in text("#files-signedin").lower() and "eva" in text("#mail-signedin").lower(), timeout=30)
        _, accounts_png = shot("demo-accounts.png", 200, files_png)

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
        colours, mail_png = shot("demo-mail.png", 300, accounts_png)
        log("mail list:", subjects[:120], "...")

        # A message with an attachment, open in the reader.
        app.act("a message with an attachment opened", "var l=document.querySelector('#mail-list');"
                "var r=Array.from(l.querySelectorAll('[data-index]')).find(function(r){return r.querySelector('.mark-clip')});"
                "if(!r){l.scrollTop+=300;return false}r.click();return true")
        wait("the message and its attachment", lambda: app.js(
            "document.querySelector('#mail-subject') && document.querySelector('.mail-attachments button') ? 'y' : ''") == "y", timeout=30)
        opened = text("#mail-subject")
        _, message_png = shot("mail.png", 300, mail_png)
        log("message:", opened)
        # Forward it: compose starts with the original and its attachment.
        val = lambda sel: app.js("(function(){var e=document.querySelector(%r);return e?e.value:''})()" % sel)
        app.js("document.querySelector('#mail-forward').click(), 'ok'")
        wait("the forward in compose", lambda: opened in val("#compose-subject") and text("#compose-files").strip() != "", timeout=20)
        app.js("(function(){var t=document.querySelector('#compose-to');t.value='jonas@demo.example';"
               "t.dispatchEvent(new Event('input',{bubbles:true}));return 'ok'})()")
        _, forward_png = shot("mail-forward.png", 300, message_png)
        app.act("the forward discarded", "var p=document.querySelector('#mail-compose-panel');if(p.hidden)return true;"
                "document.querySelector('#compose-discard').click();return p.hidden")
        # The offline storage settings.
        app.js("document.querySelector('#mail-offline summary').click(), 'ok'")
        wait("the offline storage settings", lambda: app.js("document.querySelector('#mail-offline').open ? 'y' : ''") == "y", timeout=10)
        app.js("document.scrollingElement.scrollTop = 0, 'ok'")  # opening it scrolls the demo banner away
        shot("mail-offline-settings.png", 300, forward_png)
        app.js("document.querySelector('#mail-offline summary').click(), 'ok'")

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
        log("demo window: PASS (mail screenshot: %s colours)" % colours)

        # An installed Deskport without an account: its first-run view offers
        # the demo, which opens in a window of its own (deskport demo beside
        # it) while this one stays as it is.
        token = secrets.token_hex(8)
        home = os.path.join(tmp, "first-run")
        os.makedirs(home, mode=0o700)
        env.update({"HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
                    "XDG_CACHE_HOME": home + "/.cache", "E2E_LOG": os.path.join(tmp, "first-run.log"), "DESKPORT_E2E_RUN": token})
        app = App(env, control)
        app.start()
        app.js("location.hash = '#/home', 'ok'")
        app.act("Try the demo", "var b=document.querySelector('#connect button.setup-demo');if(!b)return false;b.click();return true")
        demo_windows = lambda: subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Demo$"],
                                              capture_output=True, text=True).stdout.split()
        wait("the demo's own window", demo_windows, timeout=90)
        children = [p for p in pids_with(token) if p != app.proc.pid and cmdline(p).split()[:2] == [os.path.basename(suite_e2e.APP), "demo"]]
        assert children, "no 'deskport demo' process was started"
        assert app.uri().startswith("wails://wails/") and app.js("document.querySelector('#connect') ? 'y' : ''") == "y", \
            "the first-run window left its page: " + app.uri()
        wait("the first-run view saying where the demo went", lambda: text("#connect [role=status]").strip() != "", timeout=10)
        log("first run: Try the demo opened", ", ".join("%s(%d)" % (cmdline(p), p) for p in children))
        app.quit()
        app = None
        assert demo_windows(), "the demo's window closed with the first-run window"
        for p in children:
            os.kill(p, 15)
        try:
            wait("every process of the run gone", lambda: not leftovers(token), timeout=20)
        except AssertionError:
            raise AssertionError("processes outlived the demo's window: %s" % ", ".join(leftovers(token)))
        log("PASS")
    finally:
        if app is not None and app.proc.poll() is None:
            os.killpg(app.proc.pid, 9)
        if os.environ.get("DESKPORT_E2E_KEEP"):
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
