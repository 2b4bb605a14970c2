#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring,
# and with every per-user folder (XDG_*) in a temp dir, so tests never touch
# the real user's keyring or settings. Usage: with-keyring.sh CMD [ARGS...]
set -euo pipefail
if [ -z "${DESKPORT_IN_DBUS:-}" ]; then
  # Keep Go's caches where they are before the XDG dirs move.
  if command -v go >/dev/null; then
    export GOCACHE="${GOCACHE:-$(go env GOCACHE)}" GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}" GOPATH="${GOPATH:-$(go env GOPATH)}"
  fi
  DESKPORT_IN_DBUS=1 exec dbus-run-session -- "$0" "$@"
fi
t=$(mktemp -d /tmp/deskport-xdg.XXXXXX)
KEYRING_PID=; trap '[ -z "$KEYRING_PID" ] || kill $KEYRING_PID 2>/dev/null; rm -rf "$t"' EXIT
export XDG_DATA_HOME=$t/data XDG_CONFIG_HOME=$t/config XDG_CACHE_HOME=$t/cache XDG_RUNTIME_DIR=$t/run
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
eval "$(echo -n "${DESKPORT_KEYRING_PASSWORD:-test}" | gnome-keyring-daemon --unlock --components=secrets)"
KEYRING_PID=${GNOME_KEYRING_PID:-}
export GNOME_KEYRING_CONTROL
"$@"
