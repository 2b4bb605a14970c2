#!/usr/bin/env bash
# End-to-end test of the built-in demo (deskport demo), as a new user meets it:
#  1. the real binary without DISPLAY/WAYLAND_DISPLAY says what to do (exit 1,
#     no panic), and so does make run (exit 1 too), before it installs or
#     builds anything;
#  2. e2e/demo_e2e.py runs the window under xvfb-run WITHOUT a D-Bus session:
#     demo banner, launcher, synced folder, mail view (screenshot check), a
#     sent mail reaching the demo's Sent and INBOX, and after the window
#     closes nothing started for it is left (dbus-daemon, at-spi-bus-launcher).
# Screenshots: artifacts/screenshots/ (make screenshots: docs/screenshots, the README's pictures of the window).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app

out=$(env -u DISPLAY -u WAYLAND_DISPLAY DESKPORT_HOME="$(mktemp -d)" "$DESKPORT_E2E_APP" demo 2>&1) && status=0 || status=$?
if [ "$status" -ne 1 ] || ! grep -q "xvfb-run" <<<"$out" || grep -qiE "panic|goroutine |GTK" <<<"$out"; then
  echo "e2e-demo: FAIL: without a display: exit $status, output:" >&2
  echo "$out" >&2
  exit 1
fi
# make run, as the README says it. Every command make starts goes through a
# recording shell that refuses to install or build: the check proves that
# nothing of that kind was started, and a regression cannot start apt-get.
rec=$(mktemp -d)
printf '%s\n' '#!/bin/sh' \
  "printf '%s\\n' \"\$*\" >>'$rec/commands'" \
  'case "$*" in *scripts/deps.sh*|*"apt-get install"*|*"npm ci"*|*"wails build"*|*build/bin/deskport*) exit 97 ;; esac' \
  'exec /bin/sh "$@"' >"$rec/sh"
chmod +x "$rec/sh"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY make run SHELL="$rec/sh" 2>&1) && status=0 || status=$?
started=$(grep -E 'scripts/deps.sh|apt-get install|npm ci|wails build|build/bin/deskport' "$rec/commands" 2>/dev/null || true)
rm -rf "$rec"
if [ "$status" -ne 1 ] || ! grep -q "xvfb-run -a make run" <<<"$out" || ! grep -q "WAYLAND_DISPLAY" <<<"$out" \
   || grep -qiE 'panic|goroutine |\*\*\*|Error [0-9]' <<<"$out" || [ -n "$started" ]; then
  echo "e2e-demo: FAIL: make run without a display: exit $status (want 1), output:" >&2
  echo "$out" >&2
  [ -z "$started" ] || echo "e2e-demo: and it started: $started" >&2
  exit 1
fi
echo "e2e-demo: no display: the binary and make run exit 1 with the message (no panic); make run before installing or building anything" >&2

xlog=$(mktemp)
status=0
env -u DBUS_SESSION_BUS_ADDRESS timeout --kill-after=10 300 \
  xvfb-run -a -e "$xlog" -s "-screen 0 1280x800x24 -nolisten tcp -noreset" \
  python3 e2e/demo_e2e.py || status=$?
if [ "$status" -ne 0 ] && [ -s "$xlog" ]; then
  echo "e2e-demo: Xvfb's output:" >&2
  tail -20 "$xlog" >&2
fi
rm -f "$xlog"
exit "$status"
