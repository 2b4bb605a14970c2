#!/usr/bin/env python3
"""End-to-end test of first run and sign-in in the real Deskport window.

Runs inside scripts/with-keyring.sh (private D-Bus, unlocked gnome-keyring)
and xvfb-run (see scripts/e2e-accounts.sh). Against loopback peers: the
Nextcloud-compatible server (Login Flow v2), Dovecot and the SMTP sink.
The domain comes from admin defaults; discovery, files sign-in on the login
page in the window, mail sign-in, a restart (still signed in), and a scan of
every file the app wrote (Deskport home, WebKit data, cache) for the
passwords and the app password.
"""
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_e2e import App, free_port, screenshot, wait, xkey  # noqa: E402  (shared window driver)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "scripts", "peers")
procs = []


def log(*a):
    print("e2e-accounts:", *a, file=sys.stderr, flush=True)


def xtype(text):
    subprocess.run(["xdotool", "type", "--clearmodifiers", "--delay", "20", text], check=True)


def run(tmp):
    nc_pass, mail_pass = "nc-" + secrets.token_hex(10), "mail-" + secrets.token_hex(10)
    ncdata, nc_port = os.path.join(tmp, "nc"), free_port()
    env_nc = dict(os.environ, NC_USER="alice", NC_PASS=nc_pass)
    subprocess.run([os.path.join(PEERS, "ncserver.sh"), "start", ncdata, str(nc_port), "2"], env=env_nc, check=True,
                   stdout=subprocess.DEVNULL)
    imap_dir, imap_port = tempfile.mkdtemp(prefix="dovecot"), free_port()   # short path: Dovecot's sockets
    subprocess.run([os.path.join(PEERS, "dovecot.sh"), "start", imap_dir, str(imap_port)],
                   env=dict(os.environ, IMAP_USER="alice", IMAP_PASS=mail_pass), check=True, stdout=subprocess.DEVNULL)
    smtp_port = free_port()
    procs.append(subprocess.Popen([os.path.join(PEERS, "smtp-sink.sh"), str(smtp_port), os.path.join(tmp, "sent"),
                                   "--user", "alice:" + mail_pass, "--require-auth"], start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        session(tmp, nc_pass, mail_pass, nc_port, imap_port, smtp_port)
    finally:
        subprocess.run([os.path.join(PEERS, "ncserver.sh"), "stop", ncdata], stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(PEERS, "dovecot.sh"), "stop", imap_dir], stdout=subprocess.DEVNULL)
        shutil.rmtree(imap_dir, ignore_errors=True)


def session(tmp, nc_pass, mail_pass, nc_port, imap_port, smtp_port):
    home = os.path.join(tmp, "home")
    defaults = os.path.join(tmp, "defaults.json")
    with open(defaults, "w") as f:
        json.dump({"domain": "example.org", "hosts": {"files": "127.0.0.1:%d" % nc_port}}, f)
    control = "127.0.0.1:%d" % free_port()
    env = dict(os.environ)
    env.update({
        "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
        "XDG_CACHE_HOME": home + "/.cache", "DESKPORT_HOME": os.path.join(tmp, "deskport"),
        "DESKPORT_DEFAULTS": defaults, "DESKPORT_E2E_CONTROL": control, "E2E_LOG": os.path.join(tmp, "app.log"),
        "NO_AT_BRIDGE": "1",
    })
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

    app.load("wails://wails/#/accounts")
    wait("the accounts view with the admin's domain",
         lambda: app.js("(function(){var e=document.querySelector('#domain');return e?e.value:''})()") == "example.org")
    app.js("document.querySelector('#check').click(), 'ok'")
    wait("files found by discovery", lambda: text("#results li[data-app=files] .status") == "Found")
    log("discovery:", text("#results"))
    screenshot("accounts-discovered.png")

    # Files: Login Flow v2, with the login page in this window.
    wait("the sign-in button", lambda: app.js("document.querySelector('#files-signin').disabled ? 'no' : 'yes'") == "yes")
    app.js("document.querySelector('#files-signin').click(), 'ok'")
    wait("the login page in the window", lambda: app.uri().startswith(files_origin + "/index.php/login/v2/flow/"))
    wait("the login form", lambda: app.js("document.querySelector('#password') ? 'y' : 'n'") == "y")
    # The user's part, with the X keyboard: account name, Tab, password, Enter.
    app.js("document.querySelector('#user').focus(), 'ok'")
    xtype("alice")
    xkey("Tab")
    xtype(nc_pass)
    xkey("Return")
    wait("back in the accounts view", lambda: app.uri() == "wails://wails/#/accounts", timeout=30)
    try:
        wait("signed in to files", lambda: "alice" in text("#files-signedin").lower(), timeout=15)
    except AssertionError:
        log("files section:", app.uri(), app.js("document.body ? document.body.innerText.slice(0, 500) : 'no body'"))
        screenshot("accounts-failed.png", 1)
        raise
    log("files:", text("#files-signedin"))

    # Mail: the form, checked by a real IMAP login and SMTP AUTH.
    fill = ";".join("document.querySelector(%s).value=%s" % (q(s), q(v)) for s, v in [
        ("#mail-address", "alice@example.org"), ("#mail-username", "alice"), ("#mail-password", mail_pass),
        ("#imap-host", "127.0.0.1"), ("#imap-port", str(imap_port)), ("#imap-sec", "none"),
        ("#smtp-host", "127.0.0.1"), ("#smtp-port", str(smtp_port)), ("#smtp-sec", "none")])
    app.js(fill + ";document.querySelector('#mail-form').requestSubmit(), 'ok'")
    wait("signed in to mail", lambda: "alice" in text("#mail-signedin"), timeout=60)
    log("mail:", text("#mail-signedin"))
    screenshot("accounts-signed-in.png")
    app.quit()

    # The server issued an app password named after this device.
    with open(os.path.join(tmp, "nc", "app-passwords")) as f:
        labels = f.read()
    assert "Deskport (" in labels, labels
    key = "files/alice@127.0.0.1:%d" % nc_port
    app_pw = subprocess.run(["secret-tool", "lookup", "service", "Deskport", "username", key],
                            capture_output=True, text=True).stdout.strip()
    assert len(app_pw) >= 32 and app_pw != nc_pass, "the app password is not in the keyring under " + key
    mail_kr = subprocess.run(["secret-tool", "lookup", "service", "Deskport", "username", "mail/alice@127.0.0.1"],
                             capture_output=True, text=True).stdout.strip()
    assert mail_kr == mail_pass, "the mail password is not in the keyring"

    # The scan: nothing the app wrote holds a password or the app password.
    scanned, found = 0, []
    for top in (env["DESKPORT_HOME"], home):
        for d, _, names in os.walk(top):
            for n in names:
                p = os.path.join(d, n)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                with open(p, "rb") as f:
                    data = f.read()
                scanned += 1
                for s in (nc_pass, mail_pass, app_pw):
                    if s.encode() in data:
                        found.append(p)
    log("scanned", scanned, "files")
    assert scanned >= 3, "too few files to scan: %d" % scanned
    assert not found, "SECRETS ON DISK: %s" % found

    # Restart: still signed in, without asking.
    app = App(env, control)
    app.start()
    procs.append(app.proc)
    app.load("wails://wails/#/accounts")
    wait("still signed in to files", lambda: "alice" in text("#files-signedin").lower())
    wait("still signed in to mail", lambda: "alice" in text("#mail-signedin"))
    app.quit()
    log("PASS")


def main():
    tmp = tempfile.mkdtemp(prefix="deskport-e2e-accounts-")
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
