#!/usr/bin/env bash
# The wall between web pages and the desktop, attacked in the real window
# (e2e/wall_e2e.py): pages and frames flood Wails' message channel while the
# shell is loaded every way a page or the user can; no call may reach Go.
# Then the window self-check an administrator runs (deskport doctor --window).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app
E2E_TIMEOUT=540 e2e_run e2e-wall e2e/wall_e2e.py   # 30 rounds of each of nine ways: about 4-5 minutes
e2e_run e2e-wall-doctor e2e/wall_doctor_e2e.py
