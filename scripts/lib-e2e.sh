# lib-e2e.sh - sourced by scripts/e2e-*.sh and test.sh (not run directly; not named e2e-* so test.sh does not run it as a test).
#
# e2e_app: the test app (-tags deskport_e2e, with its loopback control
# endpoint) in $DESKPORT_E2E_APP. test.sh builds it once for every e2e
# script; a script run alone builds it itself. The frontend is built only
# when frontend/dist is missing. A failed build shows why.
e2e_app() {
  [ -n "${DESKPORT_E2E_APP:-}" ] && return 0
  export PATH="$(go env GOPATH)/bin:$PATH"
  local skipfe="" log
  [ -f frontend/dist/index.html ] && skipfe="-s"
  log=$(mktemp)
  if ! wails build -skipbindings $skipfe -tags webkit2_41,deskport_e2e -o deskport-e2e >"$log" 2>&1; then
    tail -40 "$log" >&2; rm -f "$log"
    echo "e2e: building the test app failed" >&2
    return 1
  fi
  rm -f "$log"
  export DESKPORT_E2E_APP=$PWD/build/bin/deskport-e2e
}

# e2e_run NAME DRIVER.py: the driver in a private D-Bus session with an
# unlocked keyring, under Xvfb, at most E2E_TIMEOUT seconds (170). -noreset: the X server does not
# reset when the app, its only client, quits for a restart (once in about 40
# runs a restarted app found no display, "failed to init GTK"; the cause is
# not pinned down, hence also Xvfb's own output when the test fails).
e2e_run() {
  local name=$1 driver=$2 xlog status=0
  xlog=$(mktemp)
  timeout --kill-after=10 "${E2E_TIMEOUT:-170}" scripts/with-keyring.sh \
    xvfb-run -a -e "$xlog" -s "-screen 0 1280x800x24 -nolisten tcp -noreset" \
    python3 "$driver" || status=$?
  if [ "$status" -ne 0 ] && [ -s "$xlog" ]; then
    echo "$name: Xvfb's output:" >&2
    tail -20 "$xlog" >&2
  fi
  rm -f "$xlog"
  return "$status"
}
