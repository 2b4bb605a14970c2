#!/usr/bin/env bash
# End-to-end test of first run and sign-in in the real window: builds the
# test app unless DESKPORT_E2E_APP names one (scripts/lib-e2e.sh), then runs
# e2e/accounts_e2e.py with a private unlocked keyring under Xvfb.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app
e2e_run e2e-accounts e2e/accounts_e2e.py
