#!/usr/bin/env python3
"""End-to-end test of the mail reader in the real Deskport window: links and attachments.

Runs inside scripts/with-keyring.sh (private D-Bus, unlocked gnome-keyring) and xvfb-run (see
scripts/e2e-mail.sh). Against loopback peers started here: Dovecot (scripts/peers/dovecot.sh)
and the SMTP sink (sign-in checks both). A stub xdg-open on PATH records what the app hands
to the desktop.

1. Signing in to mail in the accounts view fills the inbox at once (nobody presses Sync now).
2. A mail with an HTML body (a web link, a mailto: link, a javascript: link) and a PDF is
   opened in the reader; the links are clicked with the X pointer (xdotool) inside the
   sandboxed frame. The web link reaches xdg-open with its original URL, byte for byte; the
   mailto: link opens Deskport's compose panel with its recipient, copy, subject and body
   (artifacts/mail-compose-mailto.png) and does not reach xdg-open; the javascript: link does
   nothing. Throughout, the SAME frame element shows the message: it never loads again (the
   WebKit policy handler ignores the frame's navigation to the opener) and the window's
   history does not grow.
3. The attachment button opens the real save dialog (GTK, through Go), which starts in the
   Downloads folder with the attachment's name; Return saves; the file holds the attachment
   and the view says where it went.
4. Forward of that mail: compose starts with "Fwd: ", the original's text and its PDF
   (artifacts/mail-forward.png); what reaches the SMTP sink carries the PDF byte for byte.
5. A plain-text mail (quoted-printable): its URL is a link (made by the Go side), and a click
   hands xdg-open the URL without the sentence's full stop. Reply all to it: to the sender,
   with In-Reply-To and References naming the mail, as the SMTP sink receives it.
6. A draft typed in the compose panel is in the cache within seconds; after kill -9 and a
   restart the panel shows it again (artifacts/mail-draft-restored.png).

Before all that, the first sync downloads 3,000 more (older, small) messages: the mail view shows
its progress bar ("Inbox: N of 3,002") with 0 < value < max while it runs
(artifacts/mail-sync-progress.png), the value grows, and the bar is gone when the sync ends.
So that the bar is there long enough to be seen every time, the app reaches Dovecot through a
slow loopback proxy started here (the server's bytes at PROXY_RATE): the sync then takes
several seconds however fast the machine is.
"""
import base64
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_e2e import App, free_port, stub_xdg_open, wait  # noqa: E402  (shared window driver)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "scripts", "peers")
ARTIFACTS = os.path.join(ROOT, "artifacts")
procs = []

WEB = "https://amt.example/antrag?id=42&lang=de&q=%C3%A4+b#teil-2"
MAILTO = "mailto:poststelle@amt.example?cc=akte@amt.example&subject=Antrag%2042&body=Guten%20Tag%2C%0D%0A"
SUBJECT = "Ihr Antrag 42"
PLAIN_SUBJECT = "Formular 7"
PLAIN_URL = "https://amt.example/formular?id=7&lang=de"
PDF = b"%PDF-1.4\n% deskport e2e\n" + b"x" * 5000 + b"\n%%EOF\n"
PDF_NAME = "Bescheid 42.pdf"
DRAFT_SUBJECT = "Stellungnahme zum Antrag 42"
DRAFT_TEXT = "Sehr geehrte Damen und Herren,\n\nzu Ihrem Antrag"
BULK = 3000           # older messages for the first sync to download
PROXY_RATE = 120_000  # bytes per second from the server to the app (see SlowProxy)


def log(*a):
    print("e2e-mail:", *a, file=sys.stderr, flush=True)


def shot(name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    subprocess.run(["import", "-window", "root", os.path.join(ARTIFACTS, name)], capture_output=True)


def message():
    # Each link is a big block so a pointer click is sure to land on it.
    style = "display:block;padding:18px;margin:8px 0;height:40px;font-size:22px;background:#dde7ff"
    html = ('<html><body><p>Guten Tag,</p>'
            '<a id="web" style="%s" href="%s">Antrag ansehen</a>'
            '<a id="mail" style="%s" href="%s">Poststelle schreiben</a>'
            '<a id="js" style="%s" href="javascript:document.body.innerHTML=\'pwned\'">Nicht klicken</a>'
            '<p>Mit freundlichen Gr&uuml;&szlig;en</p></body></html>') % (
        style, WEB.replace("&", "&amp;"), style, MAILTO, style)
    pdf = base64.encodebytes(PDF).decode().replace("\n", "\r\n")
    return ("From: Amt <amt@amt.example>\r\nTo: alice@example.org\r\nSubject: %s\r\n"
            "Message-ID: <links42@amt.example>\r\nDate: Thu, 26 Nov 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
            "--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n%s\r\n"
            "--B\r\nContent-Type: application/pdf; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n%s--B--\r\n") % (SUBJECT, html, PDF_NAME, PDF_NAME, pdf)


def plain_message():
    # The URL on the first three lines (a click anywhere there lands on it), quoted-printable
    # ("=" is "=3D"), each line ending a sentence: the full stop is not part of the link.
    qp = PLAIN_URL.replace("=", "=3D")
    body = "".join("%s.\r\n" % qp for _ in range(3)) + "Fragen an poststelle@amt.example.\r\nMit freundlichen Gr=C3=BC=C3=9Fen\r\n"
    return ("From: Amt <amt@amt.example>\r\nTo: alice@example.org\r\nSubject: %s\r\n"
            "Message-ID: <plain7@amt.example>\r\nDate: Thu, 26 Nov 2026 08:00:00 +0100\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n%s") % (PLAIN_SUBJECT, body)


def bulk_messages():
    """BULK small messages dated 2025 (older than the cache's 90 body days: headers only),
    so the two test mails stay at the top of the list."""
    for i in range(BULK):
        yield ("From: Poststelle %d <post%d@amt.example>\r\nTo: alice@example.org\r\nSubject: Rundschreiben %d\r\n"
               "Message-ID: <bulk%d@amt.example>\r\nDate: Mon, 2 Jun 2025 10:00:00 +0200\r\nMIME-Version: 1.0\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\nRundschreiben Nummer %d.\r\n" % (i, i, i, i, i)).encode()


def append_bulk(port, password):
    """APPENDs the bulk messages in one MULTIAPPEND command with non-synchronizing literals
    (both offered by Dovecot): one transaction, about a second, where a command per message
    takes ten."""
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    f = s.makefile("rb")

    def answer(tag):
        while True:
            line = f.readline()
            assert line, "the server closed the connection"
            if line.startswith(tag + b" "):
                assert line.startswith(tag + b" OK"), line
                return
    try:
        assert f.readline().startswith(b"* OK"), "no IMAP greeting"
        s.sendall(b'l LOGIN "alice" "%s"\r\n' % password.encode())
        answer(b"l")
        s.sendall(b"a APPEND INBOX" + b"".join(b' "02-Jun-2025 10:00:00 +0200" {%d+}\r\n%s' % (len(m), m)
                                                for m in bulk_messages()) + b"\r\n")
        answer(b"a")
        s.sendall(b"z LOGOUT\r\n")
    finally:
        f.close()
        s.close()


class SlowProxy:
    """A loopback TCP proxy to Dovecot that passes the server's bytes at about `rate` bytes per
    second (the app's own bytes at full speed): a slow line, so the first sync takes seconds
    whatever the machine's speed. Counts what the server sent."""

    def __init__(self, port, rate):
        self.target, self.rate, self.down = port, rate, 0
        self.lock = threading.Lock()
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(16)
        self.port = self.ls.getsockname()[1]
        self.conns = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            try:
                u = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                c.close()
                continue
            self.conns += [c, u]
            threading.Thread(target=self.pipe, args=(u, c, True), daemon=True).start()
            threading.Thread(target=self.pipe, args=(c, u, False), daemon=True).start()

    def pipe(self, src, dst, slow):
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                dst.sendall(data)
                if slow:
                    with self.lock:
                        self.down += len(data)
                    time.sleep(len(data) / self.rate)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self.ls.close()
        for s in self.conns:
            try:
                s.close()
            except OSError:
                pass


def run(tmp):
    mail_pass = "mail-e2e-pass"
    imap_dir, imap_port = tempfile.mkdtemp(prefix="dovecot"), free_port()   # short path: Dovecot's sockets
    subprocess.run([os.path.join(PEERS, "dovecot.sh"), "start", imap_dir, str(imap_port)],
                   env=dict(os.environ, IMAP_USER="alice", IMAP_PASS=mail_pass), check=True, stdout=subprocess.DEVNULL)
    smtp_port = free_port()
    procs.append(subprocess.Popen([os.path.join(PEERS, "smtp-sink.sh"), str(smtp_port), os.path.join(tmp, "sent"),
                                   "--user", "alice:" + mail_pass, "--require-auth"], start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    proxy = None
    try:
        t0 = time.time()
        append_bulk(imap_port, mail_pass)
        log("appended %d messages in %.1f s" % (BULK, time.time() - t0))
        for m in (plain_message(), message()):
            subprocess.run([os.path.join(PEERS, "dovecot.sh"), "doveadm", imap_dir, "save", "-u", "alice", "-m", "INBOX"],
                           input=m.encode(), check=True)
        proxy = SlowProxy(imap_port, PROXY_RATE)
        session(tmp, mail_pass, proxy, smtp_port)
    finally:
        if proxy:
            proxy.close()
        subprocess.run([os.path.join(PEERS, "dovecot.sh"), "stop", imap_dir], stdout=subprocess.DEVNULL)
        shutil.rmtree(imap_dir, ignore_errors=True)


def session(tmp, mail_pass, proxy, smtp_port):
    imap_port = proxy.port  # the app reaches Dovecot through the slow line
    home = os.path.join(tmp, "home")
    downloads = os.path.join(home, "Downloads")
    os.makedirs(downloads)
    # A stub xdg-open records what would go to the system browser.
    stubdir, external = stub_xdg_open(tmp)

    control = "127.0.0.1:%d" % free_port()
    env = dict(os.environ)
    env.update({
        "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
        "XDG_CACHE_HOME": home + "/.cache", "DESKPORT_HOME": os.path.join(tmp, "deskport"),
        "DESKPORT_DEFAULTS": os.path.join(tmp, "none.json"), "DESKPORT_E2E_CONTROL": control,
        "E2E_LOG": os.path.join(tmp, "app.log"), "PATH": stubdir + ":" + os.environ["PATH"], "NO_AT_BRIDGE": "1",
        "LANG": "C.UTF-8", "LANGUAGE": "en",
    })
    for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.makedirs(env[k], exist_ok=True)
    for k in ("DESKPORT_SUITE_DOMAIN", "DESKPORT_SUITE_HOSTS"):
        env.pop(k, None)
    app = App(env, control)
    app.start()
    procs.append(app.proc)
    q = json.dumps

    def text(sel):
        return app.js("(function(){var e=document.querySelector(%s);return e?e.textContent:''})()" % q(sel))

    def val(sel):
        return app.js("document.querySelector(%s).value" % q(sel))

    def saved_draft():
        """The draft as the app's cache holds it: (subject, text), or None."""
        for root, _, files in os.walk(tmp):
            if "mail.db" in files:
                db = sqlite3.connect("file:%s?mode=ro" % os.path.join(root, "mail.db"), uri=True, timeout=5)
                try:
                    row = db.execute("SELECT fields FROM draft").fetchone()
                except sqlite3.OperationalError:
                    return None
                finally:
                    db.close()
                if row:
                    d = json.loads(row[0])
                    return (d.get("subject"), d.get("text"))
        return None

    def sink_message(subject):
        """The message with this subject that reached the SMTP sink, or None."""
        new = os.path.join(tmp, "sent", "new")
        for name in sorted(os.listdir(new)) if os.path.isdir(new) else []:
            with open(os.path.join(new, name), "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            if m["Subject"] == subject:
                return m
        return None

    try:
        # Sign in to mail (a real IMAP login and SMTP AUTH against the peers).
        app.load("wails://wails/#/accounts")
        wait("the mail form", lambda: app.js("document.querySelector('#mail-form') ? 'y' : 'n'") == "y")
        fill = ";".join("document.querySelector(%s).value=%s" % (q(s), q(v)) for s, v in [
            ("#mail-address", "alice@example.org"), ("#mail-username", "alice"), ("#mail-password", mail_pass),
            ("#imap-host", "127.0.0.1"), ("#imap-port", str(imap_port)), ("#imap-sec", "none"),
            ("#smtp-host", "127.0.0.1"), ("#smtp-port", str(smtp_port)), ("#smtp-sec", "none")])
        app.js(fill + ";document.querySelector('#mail-form').requestSubmit(), 'ok'")
        wait("signed in to mail", lambda: "alice" in text("#mail-signedin"), timeout=60)

        # Open the mail in the reader. The mail service was running before the sign-in and
        # found no account then; the sign-in itself starts a sync (nobody presses Sync now; the
        # service's own tick is minutes away and its push connection does not sync).
        app.load("wails://wails/#/mail")
        sync_progress(app, proxy)

        def row_of(subject):
            return ("[...document.querySelectorAll('#mail-list [role=option]')]"
                    ".find(function(r){return r.textContent.indexOf(%s)>=0})" % q(subject))
        row = row_of(SUBJECT)
        wait("the mails in the list without Sync now", lambda: app.js("(%s) && (%s) ? 'y' : 'n'" % (row, row_of(PLAIN_SUBJECT))) == "y",
             timeout=20)
        log("the inbox filled after the sign-in without Sync now")
        app.js("(%s).click(), 'ok'" % row)
        wait("the reader", lambda: text("#mail-subject") == SUBJECT, timeout=30)
        wait("the message frame", lambda: app.js("document.querySelector('#mail-reader iframe') ? 'y' : 'n'") == "y")
        srcdoc = app.js("document.querySelector('#mail-reader iframe').srcdoc")
        assert "/__deskport/open?u=" in srcdoc and "javascript:" not in srcdoc, srcdoc
        assert "target=" not in srcdoc, srcdoc
        # Mark this frame element and count its loads from now on: a link must neither load
        # anything in it nor replace it.
        app.js("(function(){var f=document.querySelector('#mail-reader iframe');window.__frameLoads=0;"
               "f.__e2eOriginal=true;f.addEventListener('load',function(){window.__frameLoads++});return 'ok'})()")

        def same_frame():
            return app.js("(function(){var f=document.querySelector('#mail-reader iframe');"
                          "return f && f.__e2eOriginal === true ? 'same' : 'other'})()") == "same"
        time.sleep(1.5)  # the frame paints
        shot("mail-links-before.png")
        hist0 = app.js("String(history.length)")

        wid = wait("the Deskport window", lambda: subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^Deskport"], capture_output=True, text=True).stdout.split())[0]
        geo = subprocess.run(["xdotool", "getwindowgeometry", "--shell", wid], capture_output=True, text=True).stdout
        g = dict(line.split("=", 1) for line in geo.split() if "=" in line)
        win_w, win_h = int(g["WIDTH"]), int(g["HEIGHT"])
        box = json.loads(app.js("JSON.stringify((function(){var r=document.querySelector('#mail-reader iframe')"
                                ".getBoundingClientRect();return {x:r.left,y:r.top,w:r.width,h:r.height,"
                                "iw:window.innerWidth,ih:window.innerHeight}})())"))
        # The web view fills the window below any menu bar.
        off_x, off_y = win_w - box["iw"], win_h - box["ih"]
        log("window %dx%d, view %dx%d, frame at %d,%d %dx%d" % (win_w, win_h, box["iw"], box["ih"],
                                                                 box["x"], box["y"], box["w"], box["h"]))
        # Body margin 12px, a paragraph, then the links (76px blocks with 8px margins).
        y_first = None
        crop = "%dx%d+%d+%d" % (box["w"] - 4, box["h"] - 4, int(g["X"]) + off_x + box["x"] + 2, int(g["Y"]) + off_y + box["y"] + 2)
        frame_before = os.path.join(tmp, "frame-before.png")
        subprocess.run(["import", "-window", "root", "-crop", crop, "+repage", frame_before], check=True)

        def frame_shows_message():
            """The frame's pixels are those of the message before any click (the pointer moved away),
            up to the colour of visited links."""
            subprocess.run(["xdotool", "mousemove", "0", "0"], check=True)
            now = os.path.join(tmp, "frame-now.png")
            subprocess.run(["import", "-window", "root", "-crop", crop, "+repage", now], check=True)
            r = subprocess.run(["compare", "-metric", "AE", "-fuzz", "10%", frame_before, now, os.path.join(tmp, "diff.png")],
                               capture_output=True, text=True)
            # Visited links change colour; an empty frame differs in the three link blocks (over 30 %).
            return int(float(r.stderr.split()[0])) < 0.03 * box["w"] * box["h"]
        assert frame_shows_message(), "the frame does not show a steady picture of the message"

        def click(y_in_frame):
            x = int(off_x + box["x"] + 60)
            y = int(off_y + box["y"] + y_in_frame)
            subprocess.run(["xdotool", "mousemove", "--window", wid, str(x), str(y)], check=True)
            time.sleep(0.3)
            subprocess.run(["xdotool", "click", "1"], check=True)

        # Find the web link's vertical position: the paragraph above is about one line high.
        for y_try in (80, 70, 90, 60, 100):
            click(y_try)
            try:
                wait("the web link handed to xdg-open", lambda: WEB in external(), timeout=4)
                y_first = y_try
                break
            except AssertionError:
                continue
        if y_first is None:
            shot("mail-links-failed.png")
            raise AssertionError("clicking the link opened nothing; xdg-open saw %r; see artifacts/mail-links-failed.png" % external())
        assert external() == [WEB], "xdg-open got %r, want exactly the original URL %r" % (external(), WEB)
        log("web link opened outside:", external()[0])

        assert same_frame() and app.js("String(window.__frameLoads)") == "0", \
            "the frame loaded again (%s loads) or was replaced after the web link" % app.js("String(window.__frameLoads)")
        wait("the reader showing the message after the web link", frame_shows_message, timeout=10)

        # The mailto: link: Deskport's own compose panel, prefilled; the system's mail program is not asked.
        screen_before = os.path.join(tmp, "screen-before-mailto.png")
        subprocess.run(["import", "-window", "root", screen_before], check=True)
        click(y_first + 84)  # one block below
        panel = "document.querySelector('#mail-compose-panel')"
        wait("the compose panel", lambda: app.js("%s && !%s.hidden ? 'y' : 'n'" % (panel, panel)) == "y", timeout=10)
        wait("the mailto: recipient in compose", lambda: val("#compose-to") == "poststelle@amt.example", timeout=5)
        got = (val("#compose-to"), val("#compose-cc"), val("#compose-subject"), val("#compose-text"))
        assert got == ("poststelle@amt.example", "akte@amt.example", "Antrag 42", "Guten Tag,\n"), "compose shows %r" % (got,)
        # The panel is really on screen, on top: the point in its middle belongs to it.
        geo_panel = json.loads(app.js("JSON.stringify((function(){var p=%s,r=p.getBoundingClientRect();"
                                      "var e=document.elementFromPoint(r.left+r.width/2,r.top+r.height/2);"
                                      "return {x:r.left,y:r.top,w:r.width,h:r.height,top:!!e&&p.contains(e),"
                                      "display:getComputedStyle(p).display}})())" % panel))
        log("compose panel:", geo_panel)
        assert geo_panel["top"] and geo_panel["display"] != "none", "the compose panel is not on top: %r" % geo_panel

        def panel_painted():
            """Most of the panel's area on screen differs from before the click (the machine may
            paint late)."""
            crop = "%dx%d+%d+%d" % (geo_panel["w"], geo_panel["h"], int(g["X"]) + off_x + geo_panel["x"], int(g["Y"]) + off_y + geo_panel["y"])
            now = os.path.join(tmp, "screen-now.png")
            subprocess.run(["import", "-window", "root", "-crop", crop, "+repage", now], check=True)
            was = os.path.join(tmp, "screen-was.png")
            subprocess.run(["convert", screen_before, "-crop", crop, "+repage", was], check=True)
            r = subprocess.run(["compare", "-metric", "AE", "-fuzz", "10%", was, now, os.path.join(tmp, "diff.png")],
                               capture_output=True, text=True)
            return int(float(r.stderr.split()[0])) > 0.2 * geo_panel["w"] * geo_panel["h"]
        wait("the compose panel painted", panel_painted, timeout=15, every=0.5)
        shot("mail-compose-mailto.png")
        # Go opens the link outside when the view does not confirm within 3 s: wait longer than that.
        time.sleep(4)
        assert external() == [WEB], "the mailto: link reached xdg-open: %r" % external()
        log("mailto: link opened compose:", got)
        app.js("document.querySelector('#compose-close').click(), 'ok'")
        wait("compose closed", lambda: app.js("%s.hidden ? 'y' : 'n'" % panel) == "y", timeout=5)

        click(y_first + 168)  # the javascript: link: dead
        time.sleep(2)
        assert external() == [WEB], "xdg-open got %r" % external()
        wait("the reader showing the message after all links", frame_shows_message, timeout=10)
        loads = app.js("String(window.__frameLoads)")
        assert same_frame() and loads == "0", "the frame loaded %s times or was replaced" % loads
        assert text("#mail-subject") == SUBJECT, "the reader no longer shows the mail"
        assert app.uri() == "wails://wails/#/mail", app.uri()
        assert app.js("document.querySelector('#mail-reader iframe').srcdoc") == srcdoc
        hist1 = app.js("String(history.length)")
        assert hist1 == hist0, "the links added history entries: %s before, %s after" % (hist0, hist1)
        shot("mail-links-after.png")
        log("links: PASS (the same frame shows the message: no load, no history entry)")

        # Save the attachment through the real save dialog.
        att = "document.querySelector('.mail-attachments button')"
        wait("the attachment button", lambda: app.js("%s ? 'y' : 'n'" % att) == "y")
        app.js("%s.click(), 'ok'" % att)
        dlg = wait("the save dialog", lambda: subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^(Save attachment|Anhang) "], capture_output=True, text=True).stdout.split(),
            timeout=20)[0]
        time.sleep(1.5)
        shot("mail-save-dialog.png")
        subprocess.run(["xdotool", "windowfocus", "--sync", dlg], capture_output=True)
        subprocess.run(["xdotool", "key", "--clearmodifiers", "Return"], check=True)
        target = os.path.join(downloads, PDF_NAME)
        wait("the attachment saved in Downloads", lambda: os.path.exists(target), timeout=20)
        with open(target, "rb") as f:
            assert f.read() == PDF, "the saved file differs from the attachment"
        leftovers = [n for n in os.listdir(downloads) if n != PDF_NAME]
        assert not leftovers, "temporary files left in Downloads: %r" % leftovers
        want = "%s saved to %s" % (PDF_NAME, target)  # English: LANG=en_GB
        wait("the view saying where it went", lambda: text("#mail-attachment-status") == want, timeout=10)
        shot("mail-save-done.png")
        log("attachment: PASS (%s)" % want)

        # Forward: the compose panel starts with the original's text and its attachment; the
        # message that reaches the SMTP sink carries the attachment byte for byte.
        # The mailto: draft is still kept: discarding it takes two clicks.
        app.js("document.querySelector('#mail-compose').click(), 'ok'")
        wait("the kept draft", lambda: val("#compose-subject") == "Antrag 42", timeout=10)
        app.js("document.querySelector('#compose-discard').click(), 'ok'")
        assert val("#compose-subject") == "Antrag 42", "one click discarded the draft"
        app.js("document.querySelector('#compose-discard').click(), 'ok'")
        wait("the draft discarded", lambda: val("#compose-subject") == "" and
             app.js("document.querySelector('#mail-compose-panel').hidden ? 'y' : 'n'") == "y", timeout=10)
        app.js("document.querySelector('#mail-forward').click(), 'ok'")
        wait("the forward in compose", lambda: val("#compose-subject") == "Fwd: " + SUBJECT and
             PDF_NAME in text("#compose-files"), timeout=20)
        assert "Forwarded message" in val("#compose-text"), val("#compose-text")
        app.js("(function(){var t=document.querySelector('#compose-to');t.value='kollegin@amt.example';"
               "t.dispatchEvent(new Event('input',{bubbles:true}));return 'ok'})()")
        time.sleep(0.5)
        shot("mail-forward.png")
        app.js("document.querySelector('#compose-form').requestSubmit(), 'ok'")
        fwd = wait("the forward at the SMTP sink", lambda: sink_message("Fwd: " + SUBJECT), timeout=60)
        assert fwd["To"] == "kollegin@amt.example", fwd["To"]
        pdfs = [p.get_payload(decode=True) for p in fwd.walk() if p.get_filename() == PDF_NAME]
        assert pdfs == [PDF], "the forwarded attachment differs: %r" % [len(p or b"") for p in pdfs]
        log("forward: PASS (%s with %s, %d bytes)" % (fwd["Subject"], PDF_NAME, len(PDF)))

        # A plain-text mail: its URL is a link through the opener, without the full stop.
        app.js("(%s).click(), 'ok'" % row_of(PLAIN_SUBJECT))
        wait("the plain-text mail in the reader", lambda: text("#mail-subject") == PLAIN_SUBJECT, timeout=30)
        wait("its frame", lambda: app.js("document.querySelector('#mail-reader iframe') ? 'y' : 'n'") == "y")
        plain = app.js("document.querySelector('#mail-reader iframe').srcdoc")
        href = "/__deskport/open?u=" + urllib.parse.quote(PLAIN_URL, safe="")
        assert plain.count('href="%s"' % href) == 3, "the URL is not a link to the opener: %s" % plain
        assert "mailto%3Apoststelle%40amt.example" in plain, plain
        time.sleep(1.5)  # the frame paints
        box = json.loads(app.js("JSON.stringify((function(){var r=document.querySelector('#mail-reader iframe')"
                                ".getBoundingClientRect();return {x:r.left,y:r.top}})())"))
        # Body margin 12px, lines about 22px high: y=40 is on the second line.
        subprocess.run(["xdotool", "mousemove", "--window", wid, str(int(off_x + box["x"] + 60)), str(int(off_y + box["y"] + 40))], check=True)
        time.sleep(0.3)
        subprocess.run(["xdotool", "click", "1"], check=True)
        wait("the plain-text URL handed to xdg-open", lambda: PLAIN_URL in external(), timeout=10)
        assert external() == [WEB, PLAIN_URL], "xdg-open got %r" % external()
        shot("mail-plain-link.png")
        log("plain text: PASS (%s)" % PLAIN_URL)

        # Reply all: to the sender, in the thread.
        app.js("document.querySelector('#mail-reply-all').click(), 'ok'")
        wait("the reply in compose", lambda: val("#compose-subject") == "Re: " + PLAIN_SUBJECT, timeout=20)
        assert val("#compose-to") == "Amt <amt@amt.example>" and val("#compose-cc") == "", (val("#compose-to"), val("#compose-cc"))
        app.js("document.querySelector('#compose-form').requestSubmit(), 'ok'")
        rep = wait("the reply at the SMTP sink", lambda: sink_message("Re: " + PLAIN_SUBJECT), timeout=60)
        assert rep["In-Reply-To"] == "<plain7@amt.example>" and "<plain7@amt.example>" in rep["References"], dict(rep)
        log("reply all: PASS (In-Reply-To %s)" % rep["In-Reply-To"])

        # Offline storage: the policy in effect is shown, a change is saved to the settings.
        app.js("document.querySelector('#mail-offline summary').click(), 'ok'")
        wait("the offline settings", lambda: app.js("document.querySelector('#mail-offline').open && "
                                                    "document.querySelector('#mail-offline-days').value === '90' && "
                                                    "document.querySelector('#mail-offline-mb').value === '10' ? 'y' : 'n'") == "y", timeout=10)
        time.sleep(0.5)
        shot("mail-offline-settings.png")
        app.js("(function(){var d=document.querySelector('#mail-offline-days');d.value='30';"
               "d.dispatchEvent(new Event('input',{bubbles:true}));"
               "document.querySelector('#mail-offline-save').click();return 'ok'})()")
        wait("the settings saved", lambda: text("#mail-offline-msg") != "" and
             app.js("document.querySelector('#mail-offline-msg').className") != "error", timeout=10)

        def saved_days():
            for root, _, files in os.walk(tmp):
                if "settings.json" in files:
                    with open(os.path.join(root, "settings.json")) as f:
                        return json.load(f).get("mailBodyDays")
        wait("mailBodyDays 30 in settings.json", lambda: saved_days() == 30, timeout=10)
        log("offline storage: PASS (%s; settings.json mailBodyDays %s)" % (text("#mail-offline-msg"), saved_days()))

        # A draft survives kill -9: typed, saved by the panel as it is written, back after a restart.
        app.js("document.querySelector('#mail-compose').click(), 'ok'")
        app.js("(function(){var s=document.querySelector('#compose-subject'),t=document.querySelector('#compose-text');"
               "s.value=%s;s.dispatchEvent(new Event('input'));t.value=%s;t.dispatchEvent(new Event('input'));return 'ok'})()"
               % (q(DRAFT_SUBJECT), q(DRAFT_TEXT)))
        wait("the draft saved in the cache", lambda: saved_draft() == (DRAFT_SUBJECT, DRAFT_TEXT), timeout=15)
        os.killpg(app.proc.pid, signal.SIGKILL)
        app.proc.wait(timeout=30)
        app.start()
        app.load("wails://wails/#/mail")
        wait("the draft back in the compose panel", lambda: app.js(
            "(function(){var p=document.querySelector('#mail-compose-panel');return p&&!p.hidden?"
            "document.querySelector('#compose-subject').value:''})()") == DRAFT_SUBJECT, timeout=30)
        assert val("#compose-text") == DRAFT_TEXT, val("#compose-text")
        assert text("#compose-note").startswith("Your draft from "), text("#compose-note")
        time.sleep(1)
        shot("mail-draft-restored.png")
        log("draft after kill -9: PASS (%s)" % text("#compose-note"))
        app.quit()
    except Exception:
        shot("mail-e2e-failed.png")
        try:
            log("at", app.uri(), "page text:", app.js("document.body ? document.body.innerText.slice(0, 1500) : 'no body'"))
        except Exception as e:
            log("page unreadable:", e)
        try:
            with open(env["E2E_LOG"]) as f:
                log("app log tail:\n" + "".join(f.readlines()[-30:]))
        except OSError:
            pass
        raise
    log("PASS")


def sync_progress(app, proxy):
    """The first sync (started by the sign-in) is downloading BULK + 2 messages through the slow
    line: the bar is on screen with 0 < value < max, says how far it is, grows, and goes when
    the sync ends."""
    state_js = ("(function(){var b=document.querySelector('#mail-progress'),x=document.querySelector('#mail-progress-box');"
                "if(!b||!x)return 'null';var r=b.getBoundingClientRect();"
                "return JSON.stringify({shown:!x.hidden&&r.width>0&&r.height>0&&getComputedStyle(x).display!=='none',"
                "value:b.value,max:b.max,valuetext:b.getAttribute('aria-valuetext'),label:b.getAttribute('aria-label'),"
                "text:document.querySelector('#mail-progress-text').textContent,"
                "live:!!b.closest('[aria-live]'),status:document.querySelector('#mail-status').textContent})})()")

    def state():
        return json.loads(app.js(state_js))

    def under_way():
        s = state()
        return s if s and s["shown"] and 0 < s["value"] < s["max"] else None
    total = BULK + 2
    s0 = wait("the progress bar under way", under_way, timeout=30, every=0.1)
    # The picture once the bar is visibly filled (and far from full).
    wait("the bar a fifth full", lambda: (under_way() or s0)["value"] >= total // 5, timeout=20, every=0.1)
    time.sleep(0.3)  # painted
    shot("mail-sync-progress.png")
    s1 = under_way()
    assert s1, "the bar was gone right after the screenshot (%r): the picture may not show it" % state()
    log("progress bar:", s0, "after the screenshot:", s1)
    want = re.compile(r"^Inbox: [0-9,]+ of %s$" % re.escape("{:,}".format(total)))
    for s in (s0, s1):
        assert s["max"] == total, "bar max %r, want %d" % (s["max"], total)
        assert want.match(s["valuetext"]) and s["text"] == s["valuetext"], "bar says %r / %r" % (s["valuetext"], s["text"])
        assert int(s["valuetext"].split()[1].replace(",", "")) == s["value"], s
        assert s["label"] == "Downloading messages" and not s["live"], s
        assert s["status"].startswith("Syncing…"), s["status"]

    def grown():
        s = state()
        return s["shown"] and s["value"] > s1["value"]
    wait("the bar growing", grown, timeout=10, every=0.1)
    wait("the bar gone after the sync", lambda: not state()["shown"], timeout=90, every=0.25)
    end = state()
    assert not end["status"].startswith("Syncing"), end["status"]
    wait("all %d messages in the list" % total, lambda: app.js(
        "(function(){var r=document.querySelector('#mail-list [role=option]');return r?r.getAttribute('aria-setsize'):''})()")
        == str(total), timeout=20)
    log("sync done (%d bytes from the server through the slow line); status: %s" % (proxy.down, end["status"]))


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-mail-")
    try:
        run(tmp)
    finally:
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=10)
                except Exception:
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except Exception:
                        pass
        if os.environ.get("E2E_KEEP"):
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
