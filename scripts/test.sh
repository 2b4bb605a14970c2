#!/usr/bin/env bash
# The one test command (make test): installs what is missing, then runs every
# test: Go unit and integration tests against real peers (D-Bus +
# gnome-keyring, Dovecot, aiosmtpd, Apache mod_dav, a Nextcloud-compatible
# SabreDAV server, all started by the tests on loopback from scripts/peers/),
# the frontend's unit tests, a Windows cross-compile, and the GUI smoke test
# of the real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
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
wails build -m -s -platform windows/amd64 -nsis -o deskport.exe >/tmp/deskport-wails-windows.log 2>&1 \
  || { cat /tmp/deskport-wails-windows.log >&2; exit 1; }
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
echo "test.sh: all steps passed" >&2
