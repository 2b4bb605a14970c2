#!/usr/bin/env python3
"""End-to-end: launcher badges and desktop notifications in the real window
(scripts/e2e-notify.sh: private D-Bus, gnome-keyring, Xvfb). The files badge
and desktop notifications come from the test server's Nextcloud
notifications (a test notification daemon records Notify calls on the
private bus); the mail badge is the mail cache's unread count of a Dovecot
inbox: a message delivered to Dovecot raises it while the launcher is shown,
reading one in the app lowers it, signing out removes it. Signing out also
ends the window's web session (a suite cookie), also after a restart.

Every step waits for the page it acts on: the view's address changes when a
load starts, so acting on it would run script in the page that is going away
(or fail while the new one commits)."""
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_e2e  # noqa: E402
from suite_e2e import (App, cookie_names, free_port, screenshot, sign_in_mail,  # noqa: E402
                       start_mail_peers, wait, window_id, xkey)
from accounts_e2e import xtype  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "scripts", "peers")
procs = []


def log(*a):
    print("e2e-notify:", *a, file=sys.stderr, flush=True)


def notes(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def message(subject, body="Hello"):
    return ("From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: %s\r\n"
            "Date: Mon, 1 Jun 2026 10:00:00 +0000\r\nMessage-ID: <%s@example.org>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n" % (subject, secrets.token_hex(8), body))


class Dovecot:
    """The test's hands on the Dovecot inbox (doveadm, as a mail server's LDA would)."""

    def __init__(self, d):
        self.d = d

    def doveadm(self, *args, stdin=None):
        return subprocess.run([os.path.join(PEERS, "dovecot.sh"), "doveadm", self.d] + list(args), input=stdin,
                              capture_output=True, text=True, check=True).stdout

    def deliver(self, subject, seen=False):
        self.doveadm("save", "-u", "alice", "-m", "INBOX", stdin=message(subject))
        if seen:
            self.doveadm("flags", "add", "-u", "alice", "\\Seen", "mailbox", "INBOX", "header", "Subject", subject)

    def unseen(self):
        out = self.doveadm("mailbox", "status", "-u", "alice", "unseen", "INBOX")
        return int(re.search(r"unseen=(\d+)", out).group(1))


def run(tmp):
    ncdata, nc_port, nc_pass = os.path.join(tmp, "nc"), free_port(), "nc-pass-e2e"
    subprocess.run([os.path.join(PEERS, "ncserver.sh"), "start", ncdata, str(nc_port), "2"],
                   env=dict(os.environ, NC_USER="alice", NC_PASS=nc_pass), check=True, stdout=subprocess.DEVNULL)
    nfile = os.path.join(ncdata, "notifications.json")

    def set_notes(lst):
        with open(nfile + ".tmp", "w") as f:
            json.dump(lst, f)
        os.replace(nfile + ".tmp", nfile)
    set_notes([{"notification_id": 1, "subject": "Old share", "message": "before start"}])
    recorded = os.path.join(tmp, "notify.jsonl")
    d = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "e2e", "notifyd.py"), recorded],
                         stdout=subprocess.PIPE, start_new_session=True)
    procs.append(d)
    assert d.stdout.readline().strip() == b"ready", "notification daemon did not start"
    # The mail inbox: two unread messages and one read.
    mail_pass = "mail-" + secrets.token_hex(8)
    mail = start_mail_peers(tmp, mail_pass)
    dove = Dovecot(mail[2])
    dove.deliver("Agenda for Monday")
    dove.deliver("Minutes, read already", seen=True)
    dove.deliver("Budget 2027")
    assert dove.unseen() == 2, dove.unseen()
    try:
        session(tmp, nc_port, nc_pass, set_notes, recorded, mail_pass, mail, dove)
    finally:
        subprocess.run([os.path.join(PEERS, "ncserver.sh"), "stop", ncdata], stdout=subprocess.DEVNULL)


def session(tmp, nc_port, nc_pass, set_notes, recorded, mail_pass, mail, dove):
    home = os.path.join(tmp, "home")
    defaults = os.path.join(tmp, "defaults.json")
    with open(defaults, "w") as f:
        json.dump({"domain": "example.org", "hosts": {"files": "127.0.0.1:%d" % nc_port}}, f)
    control = "127.0.0.1:%d" % free_port()
    env = dict(os.environ)
    env.update({"HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
                "XDG_CACHE_HOME": home + "/.cache", "DESKPORT_HOME": os.path.join(tmp, "deskport"),
                "DESKPORT_DEFAULTS": defaults, "DESKPORT_E2E_CONTROL": control, "E2E_LOG": os.path.join(tmp, "app.log"),
                "NO_AT_BRIDGE": "1", "DESKPORT_NOTIFY_EVERY": "2s",
                # An English desktop's language (the checks read the UI's words). Under
                # the C locale WebKit reports navigator.language "C", which the
                # launcher's toLocaleTimeString rejects (the tiles' sync lines vanish).
                "LANG": "en_US.UTF-8"})
    env.pop("LC_ALL", None)
    env.pop("LANGUAGE", None)
    for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.makedirs(env[k], exist_ok=True)
    for k in ("DESKPORT_SUITE_DOMAIN", "DESKPORT_SUITE_HOSTS"):
        env.pop(k, None)
    files_origin = "http://127.0.0.1:%d" % nc_port
    app = App(env, control)
    app.start()
    procs.append(app.proc)
    q = json.dumps

    def text(sel):
        return app.js("(function(){var e=document.querySelector(%s);return e?e.textContent:''})()" % q(sel))

    # Sign in to files (Login Flow v2 in the window), as in accounts_e2e.py.
    app.load("wails://wails/#/accounts")
    wait("accounts view", lambda: app.js("(function(){var e=document.querySelector('#domain');return e?e.value:''})()") == "example.org")
    app.act("discovery asked", "var b = document.querySelector('#check'); if (!b) return false; b.click(); return true")
    wait("files found", lambda: text("#results li[data-app=files] .status") == "Found")
    app.act("the files sign-in clicked", "var b = document.querySelector('#files-signin');"
            "if (!b || b.disabled) return false; b.click(); return true")
    wait("login page", lambda: app.uri().startswith(files_origin + "/index.php/login/v2/flow/"))
    wait("login form", lambda: app.js("document.querySelector('#password') ? 'y' : 'n'") == "y")
    # The user's part, with the X keyboard into the focused window; what
    # was typed is checked before Enter (keys sent before the window had the
    # focus would be lost).
    def typed():
        app.js("document.querySelector('#user').value = ''; document.querySelector('#password').value = '';"
               "document.querySelector('#user').focus(), 'ok'")
        wid = window_id()
        subprocess.run(["xdotool", "windowfocus", "--sync", wid], capture_output=True)
        xtype("alice")
        xkey("Tab")
        xtype(nc_pass)
        return app.js("document.querySelector('#user').value + ' ' + document.querySelector('#password').value") == "alice " + nc_pass
    wait("the login typed into the form", typed, timeout=60, every=1)
    xkey("Return")
    wait("back in the accounts view", lambda: app.uri() == "wails://wails/#/accounts", timeout=30)
    wait("signed in to files", lambda: "alice" in text("#files-signedin").lower(), timeout=15)

    # Mail: the Accounts view's form against Dovecot.
    imap_port, smtp_port, _ = mail
    sign_in_mail(app, mail_pass, imap_port, smtp_port)

    def cache_unread():
        """The mail cache's INBOX unread count, from the shell's bound Mail API."""
        ask = q(secrets.token_hex(4))  # asked again if the page was replaced meanwhile
        v = wait("the mail cache's folders", lambda: app.js(
            "(function(){if (window.__asked !== %s) { window.__asked = %s; window.__unread = '';"
            "window.go.app.Mail.Folders().then(function(f){"
            "var i = (f || []).filter(function(x){return x.name === 'INBOX'})[0];"
            "window.__unread = i ? String(i.unread) : 'none'}, function(e){window.__unread = 'error ' + e}) }"
            "return window.__unread})()" % (ask, ask)), timeout=20)
        return int(v) if v.isdigit() else v

    def home():
        """The launcher, drawn afresh (loading the address it shows already
        would not draw it again), once its tiles are there."""
        if app.js("location.hash") == "#/home":
            app.load("wails://wails/#/accounts")
            wait("the accounts view", lambda: app.js("location.hash") == "#/accounts")
        app.load("wails://wails/#/home")
        wait("the launcher", lambda: app.js("location.hash === '#/home' && document.querySelector("
                                            "'a.tile[data-app=webmail] .status') ? 'y' : 'n'") == "y")

    def badges():
        return {k: text("a[data-app=%s] .badge" % k) for k in ("files", "webmail")}

    def wait_badges(what, want, timeout=30):
        seen = []

        def ok():
            b = badges()
            if b != want:
                seen[:] = [b]
            return {k: b[k] for k in want} == want
        try:
            wait(what, ok, timeout=timeout)
        except AssertionError:
            raise AssertionError("timed out waiting for %s: badges %r, want %r" % (what, seen, want))

    # The launcher: the files badge shows the server's count (1), the mail
    # badge the cache's unread count (2 of 3 in the inbox).
    home()
    wait_badges("files badge 1 and mail badge 2", {"files": "1", "webmail": "2"}, timeout=60)
    assert cache_unread() == 2 == dove.unseen(), (cache_unread(), dove.unseen())
    assert notes(recorded) == [], "old notifications were announced: %s" % notes(recorded)
    label = app.js("document.querySelector('a[data-app=webmail] .badge').getAttribute('aria-label')")
    assert label == "2 new", label
    # The picture: back on the launcher once the mail sync has finished (the
    # tiles' sync lines are read when the launcher is drawn).
    def synced_launcher():
        home()
        time.sleep(0.5)
        line = text("a[data-app=webmail] .sync")
        if re.match(r"(Synced|Synchronisiert) ", line) and badges() == {"files": "1", "webmail": "2"}:
            return True
        log("waiting for the mail tile's sync line:", repr(line), badges())
        return False
    wait("the launcher after the mail sync", synced_launcher, timeout=60, every=2)
    log("mail tile:", text("a[data-app=webmail] .sync"))
    screenshot("badges.png")
    screenshot("notify-badge-1.png")

    # A new notification: a desktop notification on the bus, the badge says 2.
    set_notes([{"notification_id": 2, "subject": "Bob shared report.pdf", "message": "with you"},
               {"notification_id": 1, "subject": "Old share", "message": "before start"}])
    wait("a Notify call", lambda: len(notes(recorded)) == 1, timeout=30)
    n = notes(recorded)[0]
    assert n["summary"] == "Bob shared report.pdf" and n["body"] == "with you" and n["id"] == "nc-2", n
    wait_badges("files badge 2", {"files": "2"})
    screenshot("notify-badge-2.png")
    time.sleep(5)
    assert len(notes(recorded)) == 1, "announced twice: %s" % notes(recorded)
    log("badge and notification:", n)

    # New mail delivered to Dovecot while the launcher is shown: the badge
    # follows without the user doing anything (push, sync, badge).
    dove.deliver("Lunch on Friday?")
    assert dove.unseen() == 3
    wait_badges("mail badge 3 on the open launcher", {"webmail": "3"}, timeout=60)
    assert cache_unread() == 3, cache_unread()
    assert app.js("location.hash") == "#/home", "the launcher was left"

    # Read it in the app (the mail view marks an opened message read): the
    # cache, the launcher and, once replayed, the server count one less.
    app.load("wails://wails/#/mail")
    row = ("[...document.querySelectorAll('#mail-list [role=option]')].find(function(r){"
           "return r.textContent.indexOf('Lunch on Friday?')>=0})")
    app.act("the new mail clicked in the list", "var r = %s; if (!r) return false; r.click(); return true" % row, timeout=60)
    wait("the mail in the reader", lambda: text("#mail-subject") == "Lunch on Friday?", timeout=30)
    wait("the cache's unread count 2", lambda: cache_unread() == 2, timeout=30)
    home()
    wait_badges("mail badge 2 after reading", {"webmail": "2"})
    wait("the read flag on the server", lambda: dove.unseen() == 2, timeout=60)
    log("mail badge: 2 -> 3 (delivered) -> 2 (read in the app); Dovecot unseen", dove.unseen())

    # Sign out of files in the app: the suite origin's cookie is gone in the
    # window and in the cookie store.
    cookies = os.path.join(env["DESKPORT_HOME"], "data", "webkit", "cookies.sqlite")

    def suite_page(why):
        app.load(files_origin + "/status.php")
        wait("the suite page " + why, lambda: app.js("location.origin + ' ' + document.readyState") == files_origin + " complete")

    suite_page("before sign-out")
    # A persistent session cookie of the suite's origin, set by the page.
    app.act("the page's session cookie", "if (location.origin !== %s) return false;"
            "document.cookie = 'suite_session=abc; max-age=86400; path=/';"
            "return document.cookie.indexOf('suite_session=abc') >= 0" % q(files_origin))
    wait("the session cookie in the cookie store", lambda: ("127.0.0.1", "suite_session") in cookie_names(cookies), timeout=30)
    app.load("wails://wails/#/accounts")
    app.act("the files sign-out clicked", "var b = document.querySelector('#files-signout');"
            "if (location.hash !== '#/accounts' || !b) return false; b.click(); return true")
    wait("signed out", lambda: app.js("document.querySelector('#files-signin') ? 'y' : 'n'") == "y", timeout=30)
    assert text("#files-problem") == "", "sign-out reported: %r" % text("#files-problem")

    def no_session(why):
        suite_page(why)
        c = app.js("document.cookie")
        assert "suite_session" not in c, "web session %s: %r" % (why, c)
        kept = [x for x in cookie_names(cookies) if x[1] == "suite_session"]
        assert not kept, "the cookie store still holds the session %s: %r" % (why, kept)
    no_session("after sign-out")
    home()
    wait_badges("files badge gone after sign-out", {"files": "", "webmail": "2"})

    # Sign out of mail: its badge goes too (the cache stays for offline use,
    # but it is not an account any more).
    app.load("wails://wails/#/accounts")
    app.act("the mail sign-out clicked", "var b = document.querySelector('#mail-signout');"
            "if (location.hash !== '#/accounts' || !b) return false; b.click(); return true")
    wait("signed out of mail", lambda: app.js("document.querySelector('#mail-form') ? 'y' : 'n'") == "y", timeout=30)
    home()
    wait_badges("mail badge gone after sign-out", {"files": "", "webmail": ""})
    app.quit()

    # Restart: the session does not come back from the cookie store.
    app = App(env, control)
    app.start()
    procs.append(app.proc)
    no_session("after sign-out and a restart")
    home()
    time.sleep(3)
    assert badges() == {"files": "", "webmail": ""}, badges()
    app.quit()
    log("PASS")


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-notify-")
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
        for p in procs + suite_e2e.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=10)
                except Exception:
                    pass
        for c in suite_e2e.cleanups:
            c()
        if os.environ.get("E2E_KEEP"):
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
