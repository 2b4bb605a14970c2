#!/usr/bin/env bash
# Runs the engines' Windows test binaries (GOOS=windows) under Wine, in one
# throwaway prefix: internal/secrets (the real Credential Manager API through
# wincred, with the chunking of large secrets), internal/store, internal/config
# (Windows paths), internal/filesync/names, internal/filesync and
# internal/mailcache. Prints one line per test and "N passed, N failed,
# N skipped" at the end; fails if any test fails or a package does not finish.
#
# What Wine cannot stand in for, and so is not proven here:
# - Credential Manager is Wine's registry, not Windows' vault;
# - file names are emulated on a Linux file system (case-insensitivity by
#   Wine, symlinks are a stub in Wine 8): the name rules are plain functions
#   (internal/filesync/names) tested on Linux too;
# - tests against real peers (Dovecot, SabreDAV, Apache) skip: the peers are
#   Linux programs a Windows test binary cannot start. They run on Linux in
#   go test.
# Wine 8 specifics handled in the tests: internal/testwine (t.TempDir's
# cleanup), needLink / the case-only rename check in internal/filesync.
# About 2 minutes (a minute of it creating the prefix).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-wine.sh
packages=(secrets store config filesync/names filesync mailcache)
# The tests that run the watcher (Engine.Run): under Wine its directory
# handle keeps the folder from being removed at cleanup ("Directory is not
# empty") although the test itself passes; they run on Linux in go test.
skip='^(TestRunPicksUpLocalChangesAndPauses|TestFolderOfAnUnscannedChangeIsNotSynced|TestFolderOfAChangeDuringABusyPassIsNotSynced|TestFoldersAreSyncedAfterDownloadsSettle)$'
tmp=$(mktemp -d)
cleanup() {
  wine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
for p in "${packages[@]}"; do
  # -checklinkname=0: internal/testwine reaches one variable of the standard library.
  GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -ldflags=-checklinkname=0 \
    -o "$tmp/${p//\//_}.test.exe" "./internal/$p/"
done
wine_prefix "$tmp"
unset DESKPORT_REQUIRE_PEERS DBUS_SESSION_BUS_ADDRESS
passed=0 failed=0 skipped=0 broken=()
for p in "${packages[@]}"; do
  exe=${p//\//_}.test.exe status=0
  out=$(cd "$tmp" && timeout 300 "$WINE" "./$exe" -test.v -test.count=1 -test.skip "$skip" 2>&1) || status=$?
  echo "$out" | grep -E '^\s*--- (PASS|FAIL|SKIP)' | sed "s|^|windows internal/$p: |" >&2
  echo "$out" | grep -E '^\s*--- FAIL' -B30 | grep -vE '^\s*(=== |--- PASS)' >&2 || true
  passed=$((passed + $(echo "$out" | grep -cE '^--- PASS' || true)))
  failed=$((failed + $(echo "$out" | grep -cE '^--- FAIL' || true)))
  skipped=$((skipped + $(echo "$out" | grep -cE '^--- SKIP' || true)))
  if [ "$status" -ne 0 ] || [ "$(echo "$out" | tail -1)" != PASS ]; then
    broken+=("internal/$p (exit $status)")
    echo "$out" | tail -5 >&2
  fi
done
echo "e2e-windows-engines: $passed passed, $failed failed, $skipped skipped (GOOS=windows under Wine)" >&2
[ "${#broken[@]}" -eq 0 ] || { echo "e2e-windows-engines: did not pass: ${broken[*]}" >&2; exit 1; }
