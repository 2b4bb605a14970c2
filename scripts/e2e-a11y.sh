#!/usr/bin/env bash
# Accessibility audit (WCAG 2.1 A/AA, BITV 2.0) of the shell in headless
# Chromium with mocked Go bindings: axe-core on every view in German and
# English, keyboard walks, 200 %/400 % zoom and forced colours. Builds the
# frontend into a temp folder (frontend/dist is left alone); screenshots and
# the log go to artifacts/a11y/. About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
for c in chromium chromedriver node convert; do
  command -v "$c" >/dev/null || { echo "e2e-a11y: $c is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done
axe=frontend/node_modules/axe-core/axe.min.js
[ -f "$axe" ] || { echo "e2e-a11y: $axe is missing: run 'npm ci' in frontend/" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd frontend && npx vite build --logLevel error --outDir "$tmp/dist" --emptyOutDir)
mkdir -p artifacts/a11y
timeout --kill-after=10 300 python3 e2e/a11y_e2e.py "$tmp/dist" "$axe" artifacts/a11y ${A11Y_SCREENSHOTS:-}
