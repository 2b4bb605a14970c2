#!/usr/bin/env python3
"""A fake openDesk-style suite on loopback for Deskport's end-to-end tests.

Usage: fakesuite.py STATE_DIR ROLE=PORT [ROLE=PORT ...]
A role written tls:ROLE=PORT serves https with STATE_DIR/cert.pem and key.pem
(a self-signed certificate the window must refuse).
Each role (portal, id, files, meet, outside, ...) listens on its own
127.0.0.1 port, so each is its own origin. Pages send X-Frame-Options:
SAMEORIGIN. Sessions are kept in STATE_DIR/sessions so they survive a restart
of this server; every request is appended to STATE_DIR/requests.log as
"ROLE METHOD PATH cookie=yes|no".
"""
import html
import http.server
import os
import secrets
import ssl
import sys
import threading
import urllib.parse

STATE = sys.argv[1]
PORTS = {}
TLS = set()
for a in sys.argv[2:]:
    role, port = a.split("=", 1)
    if role.startswith("tls:"):
        role = role[4:]
        TLS.add(role)
    PORTS[role] = port
LOCK = threading.Lock()


def origin(role):
    return "%s://127.0.0.1:%s" % ("https" if role in TLS else "http", PORTS[role])


def sessions():
    try:
        with open(os.path.join(STATE, "sessions")) as f:
            return set(l.strip() for l in f if l.strip())
    except FileNotFoundError:
        return set()


def add_session(tok):
    with LOCK, open(os.path.join(STATE, "sessions"), "a") as f:
        f.write(tok + "\n")


def page(title, body):
    return ("<!doctype html><html lang=en><head><meta charset=utf-8><title>%s</title>"
            "<style>body{font:16px sans-serif;margin:2em;background:#f8f9fa}a{display:block;margin:.4em 0}</style>"
            "</head><body>%s</body></html>" % (html.escape(title), body))


GOCALL = """
<h1>Go call test</h1><pre id=result>running</pre>
<script>
(function(){
  var out = [];
  out.push('go=' + (typeof window.go));
  out.push('runtime=' + (typeof window.runtime));
  out.push('wails=' + (typeof window.wails));
  var ipc = window.webkit && window.webkit.messageHandlers && window.webkit.messageHandlers.external;
  out.push('ipc=' + (ipc ? 'present' : 'absent'));
  try {
    if (window.go && window.go.app && window.go.app.E2E) { window.go.app.E2E.Touch('suite-go'); out.push('called window.go'); }
  } catch (e) { out.push('window.go threw'); }
  try {
    if (ipc) { ipc.postMessage('C' + JSON.stringify({name: 'app.E2E.Touch', args: ['suite-ipc'], callbackID: 'app.E2E.Touch-1'})); out.push('posted ipc'); }
  } catch (e) { out.push('ipc threw ' + e); }
  document.getElementById('result').textContent = out.join(' ');
  document.body.dataset.done = '1';
})();
</script>"""

MEDIA = """
<h1>Media test</h1><pre id=result>running</pre>
<script>
navigator.mediaDevices.getUserMedia({video: true, audio: true}).then(function (s) {
  document.getElementById('result').textContent = 'granted ' + s.getTracks().length;
}, function (e) {
  document.getElementById('result').textContent = 'denied ' + e.name;
});
</script>"""


class Handler(http.server.BaseHTTPRequestHandler):
    role = "?"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def signed_in(self):
        c = self.headers.get("Cookie", "")
        for part in c.split(";"):
            k, _, v = part.strip().partition("=")
            if k == "fakesuite_session" and v in sessions():
                return True
        return False

    def record(self):
        with LOCK, open(os.path.join(STATE, "requests.log"), "a") as f:
            f.write("%s %s %s cookie=%s\n" % (self.role, self.command, self.path,
                                               "yes" if self.signed_in() else "no"))

    def send(self, code, body=b"", headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("Content-Security-Policy", "frame-ancestors 'self'")
        self.send_header("Cache-Control", "no-store")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.record()
        path = urllib.parse.urlsplit(self.path).path
        if self.role == "outside":
            return self.send(200, page("Outside", "<h1>An outside site</h1>"))
        if path == "/login":
            return self.send(200, page("Sign in", """<h1>Sign in to the suite (%s)</h1>
<form method=post action=/login><label>User <input id=user name=user></label>
<label>Password <input id=password name=password type=password></label>
<button id=submit type=submit>Sign in</button></form>""" % self.role))
        if path == "/gocall":
            return self.send(200, page("Go call", GOCALL))
        if path == "/download/report.txt":
            body = b"quarterly report\n"
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Disposition", 'attachment; filename="report.txt"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path == "/media":
            return self.send(200, page("Media", MEDIA))
        if path == "/status.php" and self.role == "files":
            body = b'{"installed":true,"maintenance":false,"needsDbUpgrade":false,"version":"30.0.0.0","versionstring":"30.0.0","productname":"Nextcloud"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        who = ('<p id=who>Signed in as alice</p>' if self.signed_in()
               else '<p id=who>Not signed in</p><a id=login href=/login>Sign in</a>')
        out = origin("outside") if "outside" in PORTS else "http://127.0.0.1:1"
        other = origin("portal") if self.role != "portal" else origin("files")
        self.send(200, page("%s – Fake suite" % self.role.capitalize(), """<h1>%s</h1>%s
<a id=outside href="%s/landing">An outside link</a>
<a id=blank-outside target=_blank href="%s/blank">An outside link in a new window</a>
<a id=blank-inside target=_blank href="%s/">Another suite app in a new window</a>
<a id=gocall href=/gocall>Try to call Deskport's Go code</a>
<a id=media href=/media>Camera and microphone</a>
<a id=download href=/download/report.txt>Download a report</a>""" % (self.role.capitalize(), who, out, out, other)))

    def do_POST(self):
        self.record()
        if urllib.parse.urlsplit(self.path).path != "/login":
            return self.send(404, "not found")
        n = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        if form.get("user") != ["alice"] or form.get("password") != ["wonderland"]:
            return self.send(403, page("Denied", "<h1>Wrong password</h1>"))
        tok = secrets.token_hex(16)
        add_session(tok)
        self.send(303, "", [("Location", "/"),
                            ("Set-Cookie", "fakesuite_session=%s; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax" % tok)])


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the window drops connections it decided not to follow


def serve(role, port):
    h = type("H_" + role, (Handler,), {"role": role})
    srv = Server(("127.0.0.1", int(port)), h)
    if role in TLS:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(STATE, "cert.pem"), os.path.join(STATE, "key.pem"))
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    os.makedirs(STATE, exist_ok=True)
    for role, port in PORTS.items():
        threading.Thread(target=serve, args=(role, port), daemon=True).start()
    print("fakesuite: ready", flush=True)
    threading.Event().wait()
