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
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64 || true)
for c in "$wine" x86_64-w64-mingw32-gcc; do
  [ -n "$c" ] && command -v "$c" >/dev/null || { echo "e2e-windows-hooks: ${c:-wine64} is missing (scripts/deps.sh installs wine64 and gcc-mingw-w64-x86-64)" >&2; exit 1; }
done
tmp=$(mktemp -d)
cleanup() {
  WINEPREFIX="$tmp/prefix" "$(dirname "$wine")/wineserver" -k 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml="
x86_64-w64-mingw32-gcc -shared -O2 -o "$tmp/bcryptprimitives.dll" scripts/wine/processprng.c scripts/wine/processprng.def -ladvapi32
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$tmp/hooks.test.exe" ./internal/webview2hooks/
timeout 180 "$wine" wineboot -i >"$tmp/wineboot.log" 2>&1 || { cat "$tmp/wineboot.log" >&2; exit 1; }
cp "$tmp/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
# The source-layout tests need the go command and the module cache: they run
# on Linux in go test; everything else runs here, on Windows' ABI.
out=$(cd "$tmp" && timeout 120 "$wine" ./hooks.test.exe -test.v -test.skip 'Layout' 2>&1) || { echo "$out" >&2; exit 1; }
echo "$out" | grep -E '^(--- |PASS|FAIL|ok)' >&2
echo "$out" | grep -q '^--- PASS: TestHandlersThroughCOM' || { echo "e2e-windows-hooks: the COM test did not run" >&2; exit 1; }
echo "$out" | tail -1 | grep -qx PASS
