#!/usr/bin/env bash
# The one test command (make test): installs what is missing, then runs every
# test: Go unit and integration tests against real peers (D-Bus +
# gnome-keyring, Dovecot, aiosmtpd, Apache mod_dav, a Nextcloud-compatible
# SabreDAV server, all started by the tests on loopback from scripts/peers/),
# the frontend's unit tests, a Windows cross-compile, and the GUI smoke test
# of the real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
# Tests write only to temp folders and artifacts/ (ignored): the tree must look
# the same afterwards (checked at the end).
tree_before=$(git status --porcelain --untracked-files=all 2>/dev/null || true)
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/deskport-test.XXXXXX")
trap 'rm -rf "$run_tmp"' EXIT
export PATH="$(go env GOPATH)/bin:$PATH"
export DESKPORT_REQUIRE_PEERS=1   # a missing peer fails the test instead of skipping it

step() { printf '\n== %s\n' "$*" >&2; }

step "frontend: unit tests and build"
(cd frontend && npm test --silent && npm run build --silent)

step "go vet"
go vet ./...

step "Windows: vet, cross-compile (CGO_ENABLED=0) and build the NSIS installer"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go vet ./...
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go vet -tags desktop,production ./...
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -tags desktop,production ./...
wails build -m -s -platform windows/amd64 -nsis -o deskport.exe >"$run_tmp/wails-windows.log" 2>&1 \
  || { cat "$run_tmp/wails-windows.log" >&2; exit 1; }
ls -l build/bin/Deskport-amd64-installer.exe >&2
desktop-file-validate build/linux/deskport.desktop

step "go test (inside a private D-Bus session with gnome-keyring)"
scripts/with-keyring.sh go test -count=1 -timeout 20m ${GOTEST_FLAGS:-} ./...

step "GUI smoke test: the real window under Xvfb"
scripts/gui-smoke.sh

# End-to-end tests of the real window against fake suites, one script each,
# all with one build of the test app.
. scripts/lib-e2e.sh
step "end-to-end: building the test app"
e2e_app
for e2e in scripts/e2e-*.sh; do
  [ -e "$e2e" ] || continue
  step "end-to-end: $e2e"
  "$e2e"
done

step "the tests left the tree as they found it (git status)"
tree_after=$(git status --porcelain --untracked-files=all 2>/dev/null || true)
if [ "$tree_after" != "$tree_before" ]; then
  echo "test.sh: FAIL: the tests changed tracked or unignored files; tests must write to temp folders or artifacts/:" >&2
  diff <(echo "$tree_before") <(echo "$tree_after") >&2 || true
  exit 1
fi
echo "test.sh: all steps passed" >&2
