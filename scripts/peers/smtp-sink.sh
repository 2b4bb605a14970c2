#!/bin/bash
# usage: smtp-sink.sh PORT MAILDIR [smtp-sink.py options, e.g. --user alice:secret --require-auth]
# Loopback SMTP server on 127.0.0.1:PORT (Debian's python3-aiosmtpd) that accepts everything
# (AUTH PLAIN/LOGIN without TLS, SMTPUTF8, 8BITMIME, 32 MiB limit) and stores each message in
# the Maildir MAILDIR (MAILDIR/new/...). Runs in the foreground (exec: the PID is the server's);
# stop with SIGTERM.
[ $# -ge 2 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
PORT=$1 OUT=$2; shift 2
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is not installed (Debian: apt-get install python3-aiosmtpd)" >&2; exit 3; }
exec /usr/bin/python3 "$(dirname "$0")/smtp-sink.py" --port "$PORT" --maildir "$OUT" "$@"
