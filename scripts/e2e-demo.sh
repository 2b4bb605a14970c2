#!/usr/bin/env bash
# End-to-end test of the built-in demo (deskport demo), as a new user meets it:
#  1. the real binary without DISPLAY/WAYLAND_DISPLAY says what to do (exit 1,
#     no panic), and so does make run, before it installs or builds anything;
#  2. e2e/demo_e2e.py runs the window under xvfb-run WITHOUT a D-Bus session:
#     demo banner, launcher, synced folder, mail view (screenshot check), a
#     sent mail reaching the demo's Sent and INBOX, and after the window
#     closes nothing started for it is left (dbus-daemon, at-spi-bus-launcher).
# Screenshots: artifacts/screenshots/demo-*.png (make screenshots: docs/screenshots).
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
out=$(env -u DISPLAY -u WAYLAND_DISPLAY make -s display 2>&1) && status=0 || status=$?
if [ "$status" -eq 0 ] || ! grep -q "xvfb-run" <<<"$out"; then
  echo "e2e-demo: FAIL: make run without a display did not stop before building: exit $status, output:" >&2
  echo "$out" >&2
  exit 1
fi
echo "e2e-demo: no display: the binary exits 1 with the message (no panic); make run stops before building" >&2

xlog=$(mktemp)
status=0
env -u DBUS_SESSION_BUS_ADDRESS timeout --kill-after=10 170 \
  xvfb-run -a -e "$xlog" -s "-screen 0 1280x800x24 -nolisten tcp -noreset" \
  python3 e2e/demo_e2e.py || status=$?
if [ "$status" -ne 0 ] && [ -s "$xlog" ]; then
  echo "e2e-demo: Xvfb's output:" >&2
  tail -20 "$xlog" >&2
fi
rm -f "$xlog"
exit "$status"
