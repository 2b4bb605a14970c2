#!/bin/bash
# Random kill -9 of a real two-way file sync, many rounds (issue 16):
#   bench/files/randomkill.sh [ROUNDS=200] [SEED=1] [FILES=2000]
# Each round the user changes the local folder and another client the server
# (the Nextcloud-compatible test server, scripts/peers/ncserver.sh), then the
# sync engine runs in a child process and gets SIGKILL at a random moment.
# After the last round a run to the end, and both trees are checked against a
# model of every version written: nothing lost, no spurious conflict, no
# older version at a path, no resurrected delete, identical trees
# (internal/filesync/randomkill_test.go; go test runs a short version).
# Prints one RANDOMKILL line with the counts; exits 1 on any FAIL or WARN.
# Needs: php-cli php-sabre-dav curl (apt), Go.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-200} SEED=${2:-1} FILES=${3:-2000}
OUT=${OUT:-$REPO/artifacts/randomkill}
mkdir -p "$OUT"
LOG=$OUT/randomkill-$ROUNDS-$SEED-$FILES.log
cd "$REPO"
go test -c -o "$OUT/filesync.test" ./internal/filesync/
cd internal/filesync   # the test binary finds scripts/peers from the package folder
set +e
RANDOMKILL_ROUNDS=$ROUNDS RANDOMKILL_SEED=$SEED RANDOMKILL_FILES=$FILES DESKPORT_REQUIRE_PEERS=1 \
  "$OUT/filesync.test" -test.run '^TestRandomKill$' -test.v -test.timeout 0 >"$LOG" 2>&1
rc=$?
set -e
grep -E '^RANDOMKILL ' "$LOG" || true
grep -E 'WARN|FAIL' "$LOG" | head -40 || true
echo "log: $LOG"
exit $rc
