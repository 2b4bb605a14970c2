#!/bin/bash
# 100,000-file benchmark of `deskport files sync --once` beside nextcloudcmd, same fake Nextcloud
# (the shared harness's ncserver: SabreDAV 1.8 under `php -S`), same run, alternating which client
# goes first. Dev tooling, not part of the tests. Steps per client, each on its own fresh server:
#   upload      empty server, local copy of the tree, first sync
#   rerun       the first no-change run after it (nextcloudcmd re-lists here), then
#   nochange    a second no-change run
#   onechange   one file appended to in a deep folder (the last file below d03, at depth 5)
#   rename      the last top folder (d09: N_FILES/10 files) renamed to d09-renamed
#   download    seeded server, empty local folder, first sync; then download-rerun
# Per step: wall s, client CPU s (user+sys), client peak RSS MB, server requests (and per method),
# trees checked with diff -r after upload, rename and download.
#   BENCH_DIR=/dev/shm/deskport-bench100k  N_FILES=100000 N_BIG=3 BIG_MB=20  PORT=18485 WORKERS=8
#   ROUNDS=1 (round 1: nextcloudcmd first; round 2: deskport first; ...)
#   BIN=path/to/deskport (default: built from this tree with -tags webkit2_41)
#   ONLY=deskport|ncc  run one client only
# Needs: nextcloud-desktop-cmd php-cli php-sabre-dav curl python3 (apt), Go.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd); HERE=$REPO/bench/files
HARNESS=${BENCH_HARNESS:-$REPO/../shared/bench/files/bench-files.sh}
[ -x "$HARNESS" ] || HARNESS=/work/shared/bench/files/bench-files.sh
[ -x "$HARNESS" ] || { echo "bench-files.sh (shared harness with ncserver/) not found: set BENCH_HARNESS" >&2; exit 2; }
HDIR=$(cd "$(dirname "$HARNESS")" && pwd)
BENCH_DIR=${BENCH_DIR:-/dev/shm/deskport-bench100k}; mkdir -p "$BENCH_DIR"
N_FILES=${N_FILES:-100000}; N_BIG=${N_BIG:-3}; BIG_MB=${BIG_MB:-20}; PORT=${PORT:-18485}; WORKERS=${WORKERS:-8}
ROUNDS=${ROUNDS:-1}; ONLY=${ONLY:-}
USR=alice PASS=secret; URL=http://127.0.0.1:$PORT; FURL=$URL/remote.php/dav/files/$USR/
T=$BENCH_DIR/tree; SRV=$BENCH_DIR/srv; W=$BENCH_DIR/work; LOGS=$BENCH_DIR/logs; TSV=$BENCH_DIR/results-100k.tsv
for t in nextcloudcmd php curl diff python3; do command -v $t >/dev/null || { echo "missing: $t" >&2; exit 2; }; done
if [ -z "${BIN:-}" ]; then BIN=$BENCH_DIR/deskport; (cd "$REPO" && go build -tags webkit2_41 -o "$BIN" .) || exit 1; fi
log() { echo "[$(date +%T)] $*" >&2; }
stop() { "$HDIR/stop-ncserver.sh" "$SRV" >/dev/null 2>&1 || true; }
trap 'stop; rm -rf "$W" "$SRV"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$LOGS"
stamp="$N_FILES $N_BIG $BIG_MB"
if [ "$(cat "$BENCH_DIR/tree.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "generating the tree ($stamp)"; rm -rf "$T"; python3 "$HERE/gen-tree.py" "$T" $N_FILES $N_BIG $BIG_MB >&2 || exit 1
  echo "$stamp" >"$BENCH_DIR/tree.stamp"
fi
fresh() { # fresh [seed]
  stop; rm -rf "$SRV"; mkdir -p "$SRV/files/$USR"
  [ -n "${1:-}" ] && cp -a "$T/." "$SRV/files/$USR/"
  NC_USER=$USR NC_PASS=$PASS "$HDIR/start-ncserver.sh" "$PORT" "$SRV" "$WORKERS" >/dev/null || exit 1
}
nreq() { sleep 0.3; grep -c . "$SRV/requests.log"; }
# client LOCALDIR STATEDIR : the command line of the current client
client() {
  case $C in
    ncc) echo nextcloudcmd -s --non-interactive -u $USR -p $PASS "$1" "$URL" ;;
    deskport) echo env DESKPORT_PASSWORD=$PASS "$BIN" files sync --once --quiet --local "$1" --url "$FURL" --user $USR --state "$2" ;;
  esac
}
row() { local IFS=$'\t'; echo "$*" | tee -a "$TSV"; }
# step NAME LOCAL STATE CHECK(- or dir to diff against the server tree)
step() {
  local name=$1 l=$2 s=$3 chk=$4 r0 r1 ok=yes label=$C-$1-r$R
  r0=$(nreq)
  /usr/bin/time -f '%e %U %S %M' -o "$LOGS/$label.time" $(client "$l" "$s") >"$LOGS/$label.out" 2>&1 || ok="rc=$?"
  r1=$(nreq)
  tail -n "+$((r0 + 1))" "$SRV/requests.log" >"$LOGS/$label.requests"
  if [ "$chk" != - ] && ! diff -r -x '.sync_*' -x '.nextcloudsync.log' -x '.sync-exclude.lst' "$chk" "$SRV/files/$USR" >"$LOGS/$label.diff" 2>&1; then ok="${ok/yes/}trees-differ"; fi
  read -r wall u s rss <"$LOGS/$label.time" 2>/dev/null || { wall=-; u=0; s=0; rss=0; }
  local methods; methods=$(awk '{ m[$1]++ } END { for (k in m) printf "%s=%d ", k, m[k] }' "$LOGS/$label.requests")
  row "$C" "$name" "$R" "$wall" "$(awk -v a="$u" -v b="$s" 'BEGIN { printf "%.2f", a + b }')" "$((rss / 1024))" "$((r1 - r0))" "$ok" "$methods"
}
run_client() {
  local l=$W/$C-up s=$W/$C-state-up
  log "$C upload (round $R)"; fresh; rm -rf "$l" "$s"; mkdir -p "$s"; cp -a "$T" "$l"
  step upload "$l" "$s" "$l"
  step rerun "$l" "$s" -
  step nochange "$l" "$s" -
  local deep ren; deep=$(cd "$l" && find d03 -type f 2>/dev/null | sort | tail -1); ren=$(ls "$l" | grep '^d' | tail -1)
  printf 'changed in round %s by %s\n' "$R" "$C" >>"$l/${deep:-changed.bin}"
  step onechange "$l" "$s" -
  log "$C: renaming $ren ($(find "$l/$ren" -type f | wc -l) files); changed ${deep:-changed.bin}"
  mv "$l/$ren" "$l/$ren-renamed"
  step rename "$l" "$s" "$l"
  rm -rf "$l" "$s"
  l=$W/$C-down; s=$W/$C-state-down
  log "$C download (round $R)"; fresh seed; rm -rf "$l" "$s"; mkdir -p "$l" "$s"
  step download "$l" "$s" "$l"
  step download-rerun "$l" "$s" -
  rm -rf "$l" "$s"
}
: >"$TSV"; row client step round wall_s cpu_s rss_MB requests ok methods
log "tree: $(find "$T" -type f | wc -l) files, $(du -sm "$T" | cut -f1) MB in $T; load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$W"
for R in $(seq "$ROUNDS"); do
  if [ $((R % 2)) = 1 ]; then order="ncc deskport"; else order="deskport ncc"; fi
  for C in $order; do
    [ -n "$ONLY" ] && [ "$ONLY" != "$C" ] && continue
    run_client
  done
done
log "done: $TSV (per-step output, requests and diffs in $LOGS); load $(cut -d' ' -f1-3 /proc/loadavg)"
