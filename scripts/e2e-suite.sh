#!/usr/bin/env bash
# End-to-end test of the suite window: builds the test app (-tags
# deskport_e2e), then runs e2e/suite_e2e.py in a private D-Bus session under
# Xvfb against the fake suite (scripts/peers/fakesuite). The driver starts and
# stops every process it needs; screenshots go to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
if [ -z "${DESKPORT_E2E_APP:-}" ]; then
  # The test command has built the frontend already; build it only when missing.
  skipfe=""
  [ -f frontend/dist/index.html ] && skipfe="-s"
  wails build -skipbindings $skipfe -tags webkit2_41,deskport_e2e -o deskport-e2e >/dev/null
fi
exec timeout --kill-after=10 170 dbus-run-session -- \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  python3 e2e/suite_e2e.py
