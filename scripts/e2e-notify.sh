#!/usr/bin/env bash
# End-to-end: launcher badge + desktop notification from the test server's
# Nextcloud notifications (recorded by e2e/notifyd.py on the private session
# bus) and sign-out clearing the window's web session (also after a restart).
# Builds the test app unless DESKPORT_E2E_APP names one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
if [ -z "${DESKPORT_E2E_APP:-}" ]; then
  wails build -skipbindings -tags webkit2_41,deskport_e2e -o deskport-notify-e2e >/dev/null
  export DESKPORT_E2E_APP=$PWD/build/bin/deskport-notify-e2e
fi
exec timeout --kill-after=10 170 scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  python3 e2e/notify_e2e.py
