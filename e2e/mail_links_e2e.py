#!/usr/bin/env python3
"""End-to-end test of the mail reader in the real Deskport window: links and attachments.

Runs inside scripts/with-keyring.sh (private D-Bus, unlocked gnome-keyring) and xvfb-run (see
scripts/e2e-mail.sh). Against loopback peers started here: Dovecot (scripts/peers/dovecot.sh)
and the SMTP sink (sign-in checks both). A stub xdg-open on PATH records what the app hands
to the desktop.

1. A mail with an HTML body (a web link, a mailto: link, a javascript: link) and a PDF is
   opened in the reader; the web link is clicked with the X pointer (xdotool) inside the
   sandboxed frame; xdg-open receives the original URL, byte for byte, and the reader shows
   the mail again (WebKitGTK commits the opener's 204 on wails:// as an empty page; the view
   then puts a fresh frame with the message in place). The same for the mailto: link; the
   javascript: link does nothing; Back afterwards opens nothing again and stays on the mail.
2. The attachment button opens the real save dialog (GTK, through Go), which starts in the
   Downloads folder with the attachment's name; Return saves; the file holds the attachment
   and the view says where it went.
"""
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_e2e import App, free_port, wait  # noqa: E402  (shared window driver)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "scripts", "peers")
ARTIFACTS = os.path.join(ROOT, "artifacts")
procs = []

WEB = "https://amt.example/antrag?id=42&lang=de&q=%C3%A4+b#teil-2"
MAILTO = "mailto:poststelle@amt.example?subject=Antrag%2042"
SUBJECT = "Ihr Antrag 42"
PDF = b"%PDF-1.4\n% deskport e2e\n" + b"x" * 5000 + b"\n%%EOF\n"
PDF_NAME = "Bescheid 42.pdf"


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


def run(tmp):
    mail_pass = "mail-e2e-pass"
    imap_dir, imap_port = tempfile.mkdtemp(prefix="dovecot"), free_port()   # short path: Dovecot's sockets
    subprocess.run([os.path.join(PEERS, "dovecot.sh"), "start", imap_dir, str(imap_port)],
                   env=dict(os.environ, IMAP_USER="alice", IMAP_PASS=mail_pass), check=True, stdout=subprocess.DEVNULL)
    smtp_port = free_port()
    procs.append(subprocess.Popen([os.path.join(PEERS, "smtp-sink.sh"), str(smtp_port), os.path.join(tmp, "sent"),
                                   "--user", "alice:" + mail_pass, "--require-auth"], start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        subprocess.run([os.path.join(PEERS, "dovecot.sh"), "doveadm", imap_dir, "save", "-u", "alice", "-m", "INBOX"],
                       input=message().encode(), check=True)
        session(tmp, mail_pass, imap_port, smtp_port)
    finally:
        subprocess.run([os.path.join(PEERS, "dovecot.sh"), "stop", imap_dir], stdout=subprocess.DEVNULL)
        shutil.rmtree(imap_dir, ignore_errors=True)


def session(tmp, mail_pass, imap_port, smtp_port):
    home = os.path.join(tmp, "home")
    downloads = os.path.join(home, "Downloads")
    os.makedirs(downloads)
    # A stub xdg-open records what would go to the system browser / mail program.
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

        # Open the mail in the reader.
        app.load("wails://wails/#/mail")
        row = "[...document.querySelectorAll('#mail-list [role=option]')].find(function(r){return r.textContent.indexOf(%s)>=0})" % q(SUBJECT)
        # The mail service started before the sign-in; sync now, as the user would.
        wait("the sync button", lambda: app.js("document.querySelector('#mail-sync') ? 'y' : 'n'") == "y")
        app.js("document.querySelector('#mail-sync').click(), 'ok'")
        wait("the mail in the list", lambda: app.js("(%s) ? 'y' : 'n'" % row) == "y", timeout=60)
        app.js("(%s).click(), 'ok'" % row)
        wait("the reader", lambda: text("#mail-subject") == SUBJECT, timeout=30)
        wait("the message frame", lambda: app.js("document.querySelector('#mail-reader iframe') ? 'y' : 'n'") == "y")
        srcdoc = app.js("document.querySelector('#mail-reader iframe').srcdoc")
        assert "/__deskport/open?u=" in srcdoc and "javascript:" not in srcdoc, srcdoc
        assert "target=" not in srcdoc, srcdoc
        # Count loads of this frame from now on (on Linux the 204 on wails:// commits an empty
        # page: one load, after which the view puts a fresh frame with the message in its place).
        app.js("(function(){var f=document.querySelector('#mail-reader iframe');window.__frameLoads=0;"
               "f.addEventListener('load',function(){window.__frameLoads++});return 'ok'})()")
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

        wait("the reader showing the mail again after the web link", frame_shows_message, timeout=10)
        click(y_first + 84)  # the mailto: link, one block below
        wait("the mailto: link handed to xdg-open", lambda: MAILTO in external(), timeout=10)
        click(y_first + 168)  # the javascript: link: dead
        time.sleep(2)
        assert external() == [WEB, MAILTO], "xdg-open got %r" % external()
        wait("the reader showing the mail after both links", frame_shows_message, timeout=10)
        log("frame loads after the first link: %s (0 where a 204 keeps the page, 1 where the view replaced the frame)"
            % app.js("String(window.__frameLoads)"))
        assert text("#mail-subject") == SUBJECT, "the reader no longer shows the mail"
        assert app.uri().startswith("wails://wails/"), app.uri()
        # Each link leaves a history entry in WebKitGTK (the empty page); Back must not open the link again.
        log("history length before the links %s, after %s" % (hist0, app.js("String(history.length)")))
        app.js("history.back(), 'ok'")
        time.sleep(3)
        assert external() == [WEB, MAILTO], "Back opened a link again: %r" % external()
        assert app.uri() == "wails://wails/#/mail" and text("#mail-subject") == SUBJECT, "Back left the mail: %s" % app.uri()
        wait("the reader showing the mail after Back", frame_shows_message, timeout=10)
        assert app.js("document.querySelector('#mail-reader iframe').srcdoc") == srcdoc
        shot("mail-links-after.png")
        log("links: PASS (the reader shows the mail again after each link)")

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
