#!/usr/bin/env bash
# End-to-end: launcher badges + desktop notification from the test server's
# Nextcloud notifications (recorded by e2e/notifyd.py on the private session
# bus), the mail badge from the cache of a Dovecot inbox, and sign-out
# clearing the window's web session (also after a restart).
# Builds the test app unless DESKPORT_E2E_APP names one.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app
e2e_run e2e-notify e2e/notify_e2e.py
