#!/bin/bash
# usage: smtp-sink.sh PORT MAILDIR [smtp-sink.py options, e.g. --user alice:secret --require-auth]
# Loopback SMTP server on 127.0.0.1:PORT (Debian's python3-aiosmtpd) that accepts everything
# (AUTH PLAIN/LOGIN without TLS, SMTPUTF8, 8BITMIME, 32 MiB limit) and stores each message in
# the Maildir MAILDIR (MAILDIR/new/...). Runs in the foreground (exec: the PID is the server's);
# stop with SIGTERM. With SMTP_TLS_DIR set, a throw-away CA (SMTP_TLS_DIR/ca.pem) signs a
# certificate for 127.0.0.1 and STARTTLS is required.
[ $# -ge 2 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
PORT=$1 OUT=$2; shift 2
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is not installed (Debian: apt-get install python3-aiosmtpd)" >&2; exit 3; }
if [ -n "${SMTP_TLS_DIR:-}" ]; then
  T=$SMTP_TLS_DIR; mkdir -p "$T"
  if [ ! -s "$T/server.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" -out "$T/ca.pem" -days 3 -subj "/CN=Deskport Test CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout "$T/server.key" -out "$T/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\n' >"$T/ext"
    openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -out "$T/server.pem" -days 3 -extfile "$T/ext" 2>/dev/null
  fi
  set -- "$@" --tls-cert "$T/server.pem" --tls-key "$T/server.key"
fi
exec /usr/bin/python3 "$(dirname "$0")/smtp-sink.py" --port "$PORT" --maildir "$OUT" "$@"
