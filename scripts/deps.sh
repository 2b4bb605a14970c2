#!/usr/bin/env bash
# Installs what Deskport needs on Debian/Ubuntu: system packages (apt-get, as
# root or through sudo), Go (must be >= go.mod's), the pinned Wails CLI and the
# frontend's npm packages (npm ci). Idempotent: it only installs what is missing.
#   scripts/deps.sh          what building and running need (make run)
#   scripts/deps.sh --test   that and what the tests add (make test)
# One line per step; the tools' own output goes to artifacts/logs/deps.log.
set -euo pipefail
cd "$(dirname "$0")/.."
WAILS_VERSION=v2.12.0

lists=(scripts/apt-packages.txt)
[ "${1:-}" = --test ] && lists+=(scripts/apt-packages-test.txt)
mkdir -p artifacts/logs
log=$PWD/artifacts/logs/deps.log
: >"$log"
step() { printf 'deps: %s\n' "$*" >&2; }
quiet() {
  if ! "$@" >>"$log" 2>&1; then
    echo "deps: failed: $*" >&2
    echo "deps: the last lines of $log:" >&2
    tail -25 "$log" >&2
    exit 1
  fi
}

missing=()
while read -r p; do
  p=${p%%#*}; p=${p// /}
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done < <(cat "${lists[@]}")
# Node.js may come from elsewhere (nodesource); then Debian's npm is not needed.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done; missing=("${tmp[@]}")
fi
did=""
if [ ${#missing[@]} -gt 0 ]; then
  did=1
  step "installing ${#missing[@]} system packages with apt-get (a few minutes the first time; details in $log)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # name:i386 packages (Wine's 32-bit half) need Debian's i386 architecture.
  if printf '%s\n' "${missing[@]}" | grep -q ':i386$' && ! dpkg --print-foreign-architectures | grep -qx i386; then
    quiet $SUDO dpkg --add-architecture i386
  fi
  quiet $SUDO apt-get update -qq
  # Service packages (apache2, dovecot) must not start system-wide daemons; tests start their own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  quiet $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v go >/dev/null || { [ -x /usr/local/go/bin/go ] && export PATH=/usr/local/go/bin:$PATH; }
command -v go >/dev/null || { echo "deps: Go is missing: install Go $(sed -n 's/^go //p' go.mod) or newer from go.dev/dl" >&2; exit 1; }
GOBIN=$(go env GOPATH)/bin
if ! "$GOBIN/wails" version 2>/dev/null | grep -q "$WAILS_VERSION"; then
  did=1
  step "installing the Wails CLI $WAILS_VERSION (about a minute)"
  quiet go install github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION
fi
if ! go list -m all >/dev/null 2>&1; then
  did=1
  step "downloading Go modules"
fi
quiet go mod download

if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  did=1
  step "installing the frontend's npm packages (npm ci)"
  (cd frontend && quiet npm ci --no-audit --no-fund)
fi
[ -n "$did" ] || step "everything is installed"
