#!/usr/bin/env bash
# GUI smoke test: builds the real app, runs it under Xvfb inside a private
# D-Bus session with gnome-keyring, waits for its window, screenshots it and
# fails if the window is blank. Also checks single-instance (a second launch
# hands over and exits) and that size and position survive a restart, and
# prints the memory of all the app's processes (PSS).
# Screenshot: artifacts/gui-smoke.png (the README's picture is docs/screenshots/shell.png).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
if [ -z "${DESKPORT_SMOKE_INNER:-}" ]; then
  [ -x build/bin/deskport ] && [ -z "${DESKPORT_SMOKE_REBUILD:-1}" ] || { [ -f frontend/dist/index.html ] || (cd frontend && npm run build); blog=$(mktemp); wails build -m -s -tags webkit2_41 -o deskport >"$blog" 2>&1 || { cat "$blog" >&2; rm -f "$blog"; exit 1; }; rm -f "$blog"; }
  mkdir -p artifacts
  DESKPORT_SMOKE_INNER=1 exec scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0"
fi

home=$(mktemp -d "${TMPDIR:-/tmp}/deskport-smoke.XXXXXX")
export DESKPORT_HOME=$home DESKPORT_DEFAULTS=$home/none.json
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
fail() { echo "gui-smoke: FAIL: $*" >&2; echo "--- app log:" >&2; tail -30 "$home/app.log" >&2; exit 1; }

start() {
  ./build/bin/deskport >"$home/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    win=$(xdotool search --onlyvisible --name '^Deskport' 2>/dev/null | head -1 || true)
    [ -n "$win" ] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$home/app.log" >&2; fail "the app exited before showing a window"; }
    sleep 0.5
  done
  cat "$home/app.log" >&2; fail "no window titled Deskport after 60 s"
}

colours() { import -window root "$1" 2>/dev/null; identify -format '%k' "$1"; }

start
# Wait until the shell has painted: a blank or half-drawn window has few colours.
n=0
for _ in $(seq 1 60); do
  n=$(colours artifacts/gui-smoke.png)
  [ "$n" -ge 200 ] && break
  sleep 0.5
done
echo "gui-smoke: window $win shows $n colours" >&2
[ "$n" -ge 200 ] || fail "the window looks blank ($n colours); see artifacts/gui-smoke.png"

# Memory of the whole app: deskport and its WebKit processes, PSS, once settled.
sleep 3
pss=0
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
for p in $pid $(descendants "$pid"); do
  kb=$(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup 2>/dev/null || echo 0)
  pss=$((pss + ${kb:-0}))
done
echo "gui-smoke: memory with the shell open: $((pss / 1024)) MiB PSS (deskport + WebKit processes)" >&2

# Single instance: a second launch hands over to the first and exits.
# (Wails makes the handing-over instance exit with status 1; only a hang is a failure.)
rc=0; timeout 20 ./build/bin/deskport >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 124 ] || fail "the second launch did not exit (single-instance lock)"
count=$(xdotool search --onlyvisible --name '^Deskport' 2>/dev/null | wc -l)
[ "$count" -eq 1 ] || fail "$count Deskport windows after a second launch, want 1"
kill -0 "$pid" || fail "the first instance died when the second was launched"
win=$(xdotool search --onlyvisible --name '^Deskport' | head -1)

# The window manager gets the icon (a 1024 px one was never handed over, and
# stayed decoded in memory).
xprop -id "$win" -f _NET_WM_ICON 32c _NET_WM_ICON | grep -q '= 256, 256' || fail "the window has no 256 px icon (_NET_WM_ICON)"

# Size survives a restart: resize, close, start again.
xdotool windowsize "$win" 900 600
for _ in $(seq 1 40); do grep -q '"Width":900' "$home/data/window.json" 2>/dev/null && break; sleep 0.25; done
xdotool key --window "$win" ctrl+q 2>/dev/null || true  # the window may be gone before the key-up
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
kill -0 "$pid" 2>/dev/null && fail "the app did not close"
wait "$pid" 2>/dev/null || true; pid=
[ -s "$home/data/window.json" ] || fail "window state not saved on close"
start
sleep 1
geo=$(xdotool getwindowgeometry "$win" | awk '/Geometry/ {print $2}')
echo "gui-smoke: window after restart: $geo (saved: $(cat "$home/data/window.json"))" >&2
[ "$geo" = "900x600" ] || fail "window size after restart is $geo, want 900x600"
echo "gui-smoke: ok" >&2
