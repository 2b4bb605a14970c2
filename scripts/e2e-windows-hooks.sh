#!/usr/bin/env bash
# Runs the Windows test binary of internal/webview2hooks under Wine: the
# decision tables, Reach's reflection, and the COM glue driven through its
# real vtables by stand-in WebView2 objects (com_windows_test.go). WebView2
# itself does not run under Wine. Wine 8 lacks bcryptprimitives!ProcessPrng,
# which Go programs need at start: a small replacement DLL
# (scripts/wine/processprng.c) goes into a throwaway Wine prefix.
# About a minute (most of it creating the prefix).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-wine.sh
tmp=$(mktemp -d)
cleanup() {
  wine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$tmp/hooks.test.exe" ./internal/webview2hooks/
wine_prefix "$tmp"
# The source-layout tests need the go command and the module cache: they run
# on Linux in go test; everything else runs here, on Windows' ABI.
out=$(cd "$tmp" && timeout 120 "$WINE" ./hooks.test.exe -test.v -test.skip 'Layout' 2>&1) || { echo "$out" >&2; exit 1; }
echo "$out" | grep -E '^(--- |PASS|FAIL|ok)' >&2
echo "$out" | grep -q '^--- PASS: TestHandlersThroughCOM' || { echo "e2e-windows-hooks: the COM test did not run" >&2; exit 1; }
echo "$out" | tail -1 | grep -qx PASS
