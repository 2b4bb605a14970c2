#!/usr/bin/env bash
# End-to-end test of the suite window: builds the test app (-tags
# deskport_e2e), then runs e2e/suite_e2e.py in a private D-Bus session with an
# unlocked gnome-keyring (the mail account signed in and out at the end)
# under Xvfb against the fake suite (scripts/peers/fakesuite) and Dovecot.
# The driver starts and stops every process it needs; screenshots go to
# artifacts/screenshots/ (the README's pictures come from the demo: scripts/e2e-demo.sh).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app
e2e_run e2e-suite e2e/suite_e2e.py
