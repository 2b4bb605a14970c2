#!/bin/bash
# Folder-sync benchmark of `deskport files sync` beside nextcloudcmd (and rclone with
# WITH_RCLONE=1), through the shared harness (dev tooling, not needed by the tests):
#   bench/files/bench.sh                      full size: 5,000 small files + 5 x 50 MiB
#   N_SMALL=300 N_BIG=1 BIG_MB=5 bench/files/bench.sh    quick check
#   ONLY_CANDIDATE=1 ...                      skip the anchors
# Then an idle check: `deskport files sync` (watching) on an unchanged folder for IDLE_S
# seconds (default 60): CPU seconds used and server requests made.
# Needs: nextcloud-desktop-cmd php-cli php-sabre-dav curl (apt), Go.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HARNESS=${BENCH_HARNESS:-$REPO/../shared/bench/files/bench-files.sh}
[ -x "$HARNESS" ] || HARNESS=/work/shared/bench/files/bench-files.sh
[ -x "$HARNESS" ] || { echo "bench-files.sh not found: set BENCH_HARNESS" >&2; exit 2; }
HDIR=$(cd "$(dirname "$HARNESS")" && pwd)
export BENCH_DIR=${BENCH_DIR:-/tmp/deskport-bench}
BIN=$BENCH_DIR/bin/deskport
mkdir -p "$BENCH_DIR/bin"
(cd "$REPO" && go build -o "$BIN" .)
export BIN
SYNC='DESKPORT_PASSWORD="$DAV_PASS" "$BIN" files sync --once --quiet --local "$LOCAL_DIR" --url "$DAV_FILES_URL/" --user "$DAV_USER" --state "$STATE_DIR"'
CANDIDATE_LABEL=deskport CANDIDATE_UPLOAD="$SYNC" CANDIDATE_DOWNLOAD="$SYNC" "$HARNESS"

# Idle: a synced folder, the watcher running, nothing changing.
IDLE_S=${IDLE_S:-60}; PORT=${PORT:-18480}
SRV=$BENCH_DIR/idle-srv; L=$BENCH_DIR/idle-local; ST=$BENCH_DIR/idle-state
"$HDIR/stop-ncserver.sh" "$SRV" >/dev/null 2>&1 || true
rm -rf "$SRV" "$L" "$ST"; mkdir -p "$SRV/files/alice" "$L" "$ST"
cp -a "$BENCH_DIR/corpus/." "$SRV/files/alice/"
NC_USER=alice NC_PASS=secret "$HDIR/start-ncserver.sh" "$PORT" "$SRV" >/dev/null
trap '"$HDIR/stop-ncserver.sh" "$SRV" >/dev/null 2>&1; rm -rf "$SRV" "$L" "$ST"' EXIT
URL=http://127.0.0.1:$PORT/remote.php/dav/files/alice/
DESKPORT_PASSWORD=secret "$BIN" files sync --once --quiet --local "$L" --url "$URL" --user alice --state "$ST" >/dev/null
: > "$SRV/requests.log"
DESKPORT_PASSWORD=secret "$BIN" files sync --quiet --local "$L" --url "$URL" --user alice --state "$ST" >/dev/null 2>&1 &
PID=$!
sleep 5   # startup pass
T0=$(awk '{print $14+$15}' /proc/$PID/stat); R0=$(grep -c . "$SRV/requests.log" || true)
sleep "$IDLE_S"
T1=$(awk '{print $14+$15}' /proc/$PID/stat); R1=$(grep -c . "$SRV/requests.log" || true)
kill $PID; wait $PID 2>/dev/null || true
TCK=$(getconf CLK_TCK)
echo -e "deskport-idle-${IDLE_S}s\tcpu_s=$(echo "scale=2; ($T1-$T0)/$TCK" | bc)\trequests=$((R1-R0))"
