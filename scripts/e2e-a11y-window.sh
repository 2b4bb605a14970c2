#!/usr/bin/env bash
# axe-core (WCAG 2.1 A/AA) in the real window under Xvfb, on the built-in
# demo suite (e2e/a11y_window_e2e.py); the headless-Chromium audit of every
# view in both languages is scripts/e2e-a11y.sh.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app
e2e_run e2e-a11y-window e2e/a11y_window_e2e.py
