#!/usr/bin/env bash
# Installs what Deskport needs to build, run and test on Debian/Ubuntu:
# system packages (apt-get, as root or through sudo), Go (must be >= go.mod's),
# the pinned Wails CLI, and the frontend's npm packages (npm ci).
# Idempotent: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
WAILS_VERSION=v2.12.0

missing=()
while read -r p; do
  p=${p%%#*}; p=${p// /}
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done < scripts/apt-packages.txt
# Node.js may come from elsewhere (nodesource); then Debian's npm is not needed.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done; missing=("${tmp[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # Service packages (apache2, dovecot) must not start system-wide daemons; tests start their own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

command -v go >/dev/null || { [ -x /usr/local/go/bin/go ] && export PATH=/usr/local/go/bin:$PATH; }
command -v go >/dev/null || { echo "deps: Go is missing: install Go $(sed -n 's/^go //p' go.mod) or newer from go.dev/dl" >&2; exit 1; }
GOBIN=$(go env GOPATH)/bin
if ! "$GOBIN/wails" version 2>/dev/null | grep -q "$WAILS_VERSION"; then
  echo "deps: installing the Wails CLI $WAILS_VERSION" >&2
  go install github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION
fi
go mod download

if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  (cd frontend && npm ci --no-audit --no-fund >&2)
fi
