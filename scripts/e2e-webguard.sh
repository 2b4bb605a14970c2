#!/usr/bin/env bash
# End-to-end test of the Windows page guard (internal/webguard) in headless
# Chromium (WebView2 is Chromium) through chromedriver, against the fake
# suite and a stand-in for the shell origin: e2e/webguard_e2e.py starts and
# stops every process it needs. A few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
for c in chromium chromedriver; do
  command -v "$c" >/dev/null || { echo "e2e-webguard: $c is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/guardscript" ./internal/webguard/guardscript
# Chromium writes beside its profile too (~/.pki, ~/.cache, crash reports): a home of its own.
mkdir "$tmp/home"
HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_CACHE_HOME=$tmp/home/.cache XDG_DATA_HOME=$tmp/home/.local/share \
  timeout --kill-after=10 90 python3 e2e/webguard_e2e.py "$tmp/guardscript"
