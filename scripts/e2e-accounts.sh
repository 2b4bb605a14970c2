#!/usr/bin/env bash
# End-to-end test of first run and sign-in in the real window: builds the
# test app (-tags deskport_e2e) unless DESKPORT_E2E_APP names one, then runs
# e2e/accounts_e2e.py with a private unlocked keyring under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
if [ -z "${DESKPORT_E2E_APP:-}" ]; then
  wails build -skipbindings -tags webkit2_41,deskport_e2e -o deskport-e2e >/dev/null
fi
exec timeout --kill-after=10 170 scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  python3 e2e/accounts_e2e.py
