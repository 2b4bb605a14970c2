#!/bin/bash
# What real events cost the RUNNING client (`deskport files sync` without --once: fsnotify watcher +
# Engine.Run) on the 100,000-file tree of gen-tree.py, against the shared harness's fake Nextcloud.
# Dev tooling, not part of the tests. Per binary and round:
#   setup      fresh seeded server, `files sync --once` download into an empty folder, one --once rerun
#   start      the running client started; its first pass until idle (CPU includes process start and
#              putting inotify watches on the 11,111 folders)
#   idle       IDLE_S seconds with nothing changing
#   append     one file appended to in a deep folder      → until the server has the new content
#   create     a new file in a deep folder                 → until the server has it
#   delete     a file deleted                              → until the server no longer has it
#   rename     a file renamed within its folder            → until the server has the new name only
#   copydir    `cp -r` of a folder holding 100 files (11 folders) to a new name → until the server has all
#   server-new a new file PUT to the server by another client (curl) → until it is in the local folder
#   server-mod an existing file overwritten on the server (curl PUT)   → until the local copy matches
#   restart    the client killed with -9 and started again: its first pass until idle
#   check      the local folder and the server's tree compared with diff -r
# Per step: latency (s until the effect is visible; for idle the window; for start/restart until idle),
# client CPU (utime+stime from /proc/PID/stat over the step, until the client is idle again), server
# requests (by method; the curl PUTs of the server-* steps are not counted), VmHWM / VmRSS of the
# client after the step, load average. "Idle" = no new server request and at most IDLE_TICKS clock
# ticks of client CPU for QUIET_S seconds (that window's CPU is in the step's figure).
# Direct writes into the server's data dir are not used: the fake server (ncdav.php) derives the ETag
# of a file or folder changed out of band from its own stat, so a write in a deep folder moves no
# ancestor's ETag and a Nextcloud client never sees it (real Nextcloud: same without a files:scan).
#
#   BENCH_DIR=/dev/shm/deskport-live100k   everything is written below it (server, folders, logs, TSV)
#   TREE_DIR=/dev/shm/deskport-bench100k   bench-100k.sh's tree is reused (read only) when its stamp
#                                          matches, else the tree is generated in BENCH_DIR/tree
#   N_FILES=100000 N_BIG=3 BIG_MB=20  PORT=18487 WORKERS=8  POLL_S=10 (the client's filesPollSeconds,
#   10 is the lowest it takes; default 60)  IDLE_S=60  QUIET_S=3  IDLE_TICKS=2  TIMEOUT_S=300  ROUNDS=1
#   BIN=path/to/deskport       one binary (default: built here with CGO_ENABLED=0, as the .deb ships it)
#   BINS="label=path label2=path2"  several binaries: each round runs all of them, the order reversed
#                              every other round
# Needs: php-cli php-sabre-dav curl python3 (apt), Go (only to build the default binary).
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd); HERE=$REPO/bench/files
HARNESS=${BENCH_HARNESS:-$REPO/../shared/bench/files/bench-files.sh}
[ -x "$HARNESS" ] || HARNESS=/work/shared/bench/files/bench-files.sh
[ -x "$HARNESS" ] || { echo "bench-files.sh (shared harness with ncserver/) not found: set BENCH_HARNESS" >&2; exit 2; }
HDIR=$(cd "$(dirname "$HARNESS")" && pwd)
BENCH_DIR=${BENCH_DIR:-/dev/shm/deskport-live100k}; mkdir -p "$BENCH_DIR"; BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
TREE_DIR=${TREE_DIR:-/dev/shm/deskport-bench100k}
N_FILES=${N_FILES:-100000}; N_BIG=${N_BIG:-3}; BIG_MB=${BIG_MB:-20}; PORT=${PORT:-18487}; WORKERS=${WORKERS:-8}
POLL_S=${POLL_S:-10}; IDLE_S=${IDLE_S:-60}; QUIET_S=${QUIET_S:-3}; IDLE_TICKS=${IDLE_TICKS:-2}
TIMEOUT_S=${TIMEOUT_S:-300}; ROUNDS=${ROUNDS:-1}
# an account of its own with a fresh password: another client pointed at this port by mistake (seen
# once: a full download from a client of someone else's) is refused, and its requests (401/404) are
# counted apart and flag the step instead of inflating its figures
USR=${BENCH_USER:-live100k}; PASS=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n'); URL=http://127.0.0.1:$PORT; FURL=$URL/remote.php/dav/files/$USR/
SRV=$BENCH_DIR/srv; SFILES=$SRV/files/$USR; L=$BENCH_DIR/local; ST=$BENCH_DIR/state; HOME_D=$BENCH_DIR/home
LOGS=$BENCH_DIR/logs; TSV=$BENCH_DIR/results-live-100k.tsv
TCK=$(getconf CLK_TCK)
for t in php curl diff python3 cmp; do command -v $t >/dev/null || { echo "missing: $t" >&2; exit 2; }; done
log() { echo "[$(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CLIENT_PID=
stop_client() {
  [ -n "$CLIENT_PID" ] || return 0
  kill "$CLIENT_PID" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$CLIENT_PID" 2>/dev/null; wait "$CLIENT_PID" 2>/dev/null; CLIENT_PID=
}
stop_server() { "$HDIR/stop-ncserver.sh" "$SRV" >/dev/null 2>&1 || true; }
cleanup() { stop_client; stop_server; rm -rf "$SRV" "$L" "$ST"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# binaries: "label=path" list
if [ -n "${BINS:-}" ]; then read -r -a BINLIST <<<"$BINS"
elif [ -n "${BIN:-}" ]; then BINLIST=("$(basename "$BIN")=$BIN")
else
  b=$BENCH_DIR/deskport; rev=$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null)$(cd "$REPO" && git diff --quiet HEAD 2>/dev/null || echo -dirty)
  log "building $b (CGO_ENABLED=0, $rev)"
  (cd "$REPO" && CGO_ENABLED=0 go build -o "$b" .) || die "go build failed"
  BINLIST=("$rev=$b")
fi
for e in "${BINLIST[@]}"; do p=${e#*=}; [ -x "$p" ] || die "not an executable: $p (BIN / BINS)"; done

stamp="$N_FILES $N_BIG $BIG_MB"
if [ "$(cat "$TREE_DIR/tree.stamp" 2>/dev/null)" = "$stamp" ] && [ -d "$TREE_DIR/tree" ]; then T=$TREE_DIR/tree
else
  T=$BENCH_DIR/tree
  if [ "$(cat "$BENCH_DIR/tree.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "generating the tree ($stamp) in $T"; rm -rf "$T"
    python3 "$HERE/gen-tree.py" "$T" "$N_FILES" "$N_BIG" "$BIG_MB" >&2 || die "gen-tree.py failed"
    echo "$stamp" >"$BENCH_DIR/tree.stamp"
  fi
fi
# the client reads its poll interval from the settings below DESKPORT_HOME
mkdir -p "$HOME_D/config" "$LOGS"
printf '{"filesPollSeconds": %d}\n' "$POLL_S" >"$HOME_D/config/settings.json"

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
ticks() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -1; return; }; s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
secs() { awk -v t="$1" -v k="$TCK" 'BEGIN { printf "%.2f", t / k }'; }
nreq() { grep -c . "$SRV/requests.log"; }
memkb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
mb() { echo $(( ${1:-0} / 1024 )); }
load1() { cut -d' ' -f1 /proc/loadavg; }
alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$CLIENT_PID/stat" 2>/dev/null)" != Z ]; }

# wait_for WHAT CMD...: polls CMD every 50 ms until it succeeds; fails after TIMEOUT_S with a message
wait_for() {
  local what=$1 t0; shift; t0=$(now)
  until "$@"; do
    alive || { log "the client (pid $CLIENT_PID) died while waiting for: $what (see $LOGS/$LABEL.err)"; return 1; }
    if (( $(awk -v a="$t0" -v b="$(now)" -v m="$TIMEOUT_S" 'BEGIN { print (b - a > m) }') )); then
      log "timeout: $what not seen after ${TIMEOUT_S}s (client output: $LOGS/$LABEL.err)"; return 1
    fi
    sleep 0.05
  done
}
# wait_idle: no new request and <= IDLE_TICKS ticks for QUIET_S seconds
wait_idle() {
  local t0 c0 r0 c r start; start=$(now); t0=$start; c0=$(ticks "$CLIENT_PID"); r0=$(nreq)
  while :; do
    sleep 0.25
    alive || { log "the client (pid $CLIENT_PID) died while waiting for it to be idle (see $LOGS/$LABEL.err)"; return 1; }
    c=$(ticks "$CLIENT_PID"); r=$(nreq)
    if [ "$r" != "$r0" ] || (( c - c0 > IDLE_TICKS )); then t0=$(now); c0=$c; r0=$r; fi
    (( $(awk -v a="$t0" -v b="$(now)" -v q="$QUIET_S" 'BEGIN { print (b - a >= q) }') )) && return 0
    if (( $(awk -v a="$start" -v b="$(now)" -v m="$TIMEOUT_S" 'BEGIN { print (b - a > m) }') )); then
      log "timeout: the client still busy (CPU or requests) after ${TIMEOUT_S}s (client output: $LOGS/$LABEL.err)"; return 1
    fi
  done
}

# requests R0 NAME [EXCLUDE_REGEX]: the server's requests since line R0 → LOGS/LABEL-NAME.requests
# (ours) and .foreign (refused: 401/404); sets NREQ, METHODS, FOREIGN
requests() {
  local f=$LOGS/$LABEL-$2
  tail -n "+$(($1 + 1))" "$SRV/requests.log" | grep -Ev "${3:-^\$}" >"$f.all"
  awk '$2 != 401 && $2 != 404' "$f.all" >"$f.requests"; awk '$2 == 401 || $2 == 404' "$f.all" >"$f.foreign"; rm -f "$f.all"
  NREQ=$(grep -c . "$f.requests"); FOREIGN=$(grep -c . "$f.foreign")
  METHODS=$(awk '{ m[$1]++ } END { for (k in m) printf "%s=%d ", k, m[k] }' "$f.requests"); METHODS=${METHODS% }
  [ "$FOREIGN" = 0 ] || METHODS="$METHODS; $FOREIGN refused requests of another client (see $f.foreign)"
}
row() { local IFS=$'\t'; echo "$*" >>"$TSV"; echo "$*" >&2; }
# step bookkeeping: begin; ...; finish NAME LATENCY OK [EXCLUDE_REGEX]
begin() { C0=$(ticks "$CLIENT_PID"); R0=$(nreq); LD=$(load1); }
finish() {
  local name=$1 lat=$2 ok=$3 c1
  c1=$(ticks "$CLIENT_PID")
  requests "$R0" "$name" "${4:-}"; [ "$FOREIGN" = 0 ] || ok="$ok,foreign-requests"
  row "$BL" "$R" "$name" "$lat" "$(secs $((c1 - C0)))" "$NREQ" "$(mb "$(memkb "$CLIENT_PID" VmHWM)")" \
    "$(mb "$(memkb "$CLIENT_PID" VmRSS)")" "$LD" "$ok" "$METHODS"
}

start_client() {
  DESKPORT_HOME=$HOME_D DESKPORT_PASSWORD=$PASS "$BINP" files sync --local "$L" --url "$FURL" --user $USR --state "$ST" \
    >>"$LOGS/$LABEL.out" 2>>"$LOGS/$LABEL.err" &
  CLIENT_PID=$!
}
new_requests() { [ "$(nreq)" -gt "$R0" ]; }
# first pass of a (re)started client: from its start until idle, after at least one request
first_pass() {
  local name=$1 t0 ok=yes; t0=$(now); C0=0; R0=$(nreq); LD=$(load1)
  start_client
  wait_for "the first request of the started client" new_requests || ok=no-request
  [ $ok = yes ] && { wait_idle || ok=not-idle; }
  finish "$name" "$(awk -v a="$(since "$t0")" -v q="$QUIET_S" 'BEGIN { printf "%.2f", a - q }')" "$ok"
}
once() { # once NAME: a one-shot sync, timed like bench-100k.sh
  local name=$1 r0 wall u s rss ok=yes; r0=$(nreq); LD=$(load1)
  DESKPORT_HOME=$HOME_D DESKPORT_PASSWORD=$PASS /usr/bin/time -f '%e %U %S %M' -o "$LOGS/$LABEL-$name.time" \
    "$BINP" files sync --once --quiet --local "$L" --url "$FURL" --user $USR --state "$ST" \
    >"$LOGS/$LABEL-$name.out" 2>&1 || ok="rc=$?"
  sleep 0.3
  read -r wall u s rss <"$LOGS/$LABEL-$name.time" || { wall=-; u=0; s=0; rss=0; }
  requests "$r0" "$name"; local okrow=$ok; [ "$FOREIGN" = 0 ] || okrow="$ok,foreign-requests"
  row "$BL" "$R" "$name" "$wall" "$(awk -v a="$u" -v b="$s" 'BEGIN { printf "%.2f", a + b }')" \
    "$NREQ" "$((rss / 1024))" - "$LD" "$okrow" "$METHODS"
  [ "$ok" = yes ]
}

# local STEP: run CHANGE (a command string), wait until CHECK succeeds, then until the client is idle
local_step() {
  local name=$1 change=$2 check=$3 t0 ok=yes lat
  begin; t0=$(now)
  eval "$change" || ok=change-failed
  wait_for "$name on the server" eval "$check" || ok=timeout
  lat=$(since "$t0")
  [ $ok = yes ] && { wait_idle || ok=not-idle; }
  finish "$name" "$lat" "$ok"
}
# server STEP REMOTE_PATH CONTENT_FILE: curl PUT as another client would, then wait for the local copy
server_step() {
  local name=$1 rel=$2 src=$3 t0 ok=yes lat uri
  uri=/remote.php/dav/files/$USR/$rel
  begin; t0=$(now)
  curl -sf -u "$USR:$PASS" -T "$src" -H "X-OC-Mtime: $(date +%s)" "$URL$uri" -o /dev/null || ok=put-failed
  wait_for "$name in the local folder" cmp -s "$src" "$L/$rel" || ok=timeout
  lat=$(since "$t0")
  [ $ok = yes ] && { wait_idle || ok=not-idle; }
  finish "$name" "$lat" "$ok" "^PUT [0-9]+ $uri\$"
}

run_one() {
  LABEL=$BL-r$R; : >"$LOGS/$LABEL.out"; : >"$LOGS/$LABEL.err"
  log "[$BL round $R] setup: seeded server, download with --once (≈ 2 min); load $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_client; stop_server; rm -rf "$SRV" "$L" "$ST"; mkdir -p "$SFILES" "$L" "$ST"
  cp -a "$T/." "$SFILES/" || die "seeding the server failed"
  NC_USER=$USR NC_PASS=$PASS "$HDIR/start-ncserver.sh" "$PORT" "$SRV" "$WORKERS" >/dev/null || die "the fake server did not start on port $PORT"
  once download || die "the --once download failed (see $LOGS/$LABEL-download.out)"
  once rerun || die "the --once rerun failed (see $LOGS/$LABEL-rerun.out)"

  log "[$BL round $R] running client (poll ${POLL_S}s)"
  first_pass start
  alive || die "the running client exited (see $LOGS/$LABEL.err)"

  begin; sleep "$IDLE_S"; finish idle "$IDLE_S" "$(alive && echo yes || echo died)"

  # folders picked from the leaves (depth 4, gen-tree.py), the same for any N_FILES: at 100,000 files
  # append/create/delete in d03/e05/f00/g00, rename in d06/e05/f00/g00, copydir d04/e05/f00 (100 files),
  # server-new in d07/e05/f00/g00, server-mod in d08/e05/f00/g00
  local leaves leaf mvdir cpdir snew smod deep mv_from mv_to
  mapfile -t leaves < <(cd "$L" && find . -mindepth 4 -maxdepth 4 -type d | sed 's|^\./||' | sort)
  (( ${#leaves[@]} >= 10 )) || die "the tree has not the expected layout (gen-tree.py: d0X/e0X/f0X/g0X leaves)"
  pick() { echo "${leaves[$(( ${#leaves[@]} * $1 / 100 ))]}"; }
  leaf=$(pick 35); mvdir=$(pick 65); cpdir=$(dirname "$(pick 45)"); snew=$(pick 75); smod=$(pick 85)
  deep=$(cd "$L/$leaf" && ls | sort | tail -1); mv_from=$(cd "$L/$mvdir" && ls | sort | head -1); mv_to=${mv_from%.bin}-renamed.bin
  [ -n "$deep" ] && [ -n "$mv_from" ] || die "empty leaf folders in the tree ($leaf, $mvdir)"
  log "append/create/delete in $leaf ($deep), rename in $mvdir, copydir $cpdir ($(find "$L/$cpdir" -type f | wc -l) files), server-new in $snew, server-mod in $smod"
  printf 'appended in round %s by %s at %s\n' "$R" "$BL" "$(date +%T.%N)" >"$BENCH_DIR/append.txt"
  local_step append "cat '$BENCH_DIR/append.txt' >>'$L/$leaf/$deep'" "cmp -s '$L/$leaf/$deep' '$SFILES/$leaf/$deep'"
  local_step create "head -c 5000 /dev/urandom >'$L/$leaf/new-$R.bin'" "cmp -s '$L/$leaf/new-$R.bin' '$SFILES/$leaf/new-$R.bin' 2>/dev/null"
  local_step delete "rm '$L/$leaf/new-$R.bin'" "test ! -e '$SFILES/$leaf/new-$R.bin'"
  local_step rename "mv '$L/$mvdir/$mv_from' '$L/$mvdir/$mv_to'" \
    "test -e '$SFILES/$mvdir/$mv_to' -a ! -e '$SFILES/$mvdir/$mv_from'"
  local_step copydir "cp -r '$L/$cpdir' '$L/$cpdir-copy'" \
    "test -d '$SFILES/$cpdir-copy' && diff -rq '$L/$cpdir-copy' '$SFILES/$cpdir-copy' >/dev/null 2>&1"

  head -c 7000 /dev/urandom >"$BENCH_DIR/server-new.bin"
  server_step server-new "$snew/server-new-$R.bin" "$BENCH_DIR/server-new.bin"
  smod=$smod/$(cd "$SFILES/$smod" && ls | sort | head -1)
  { cat "$SFILES/$smod"; echo "changed on the server in round $R"; } >"$BENCH_DIR/server-mod.bin"
  server_step server-mod "$smod" "$BENCH_DIR/server-mod.bin"

  local hwm; hwm=$(mb "$(memkb "$CLIENT_PID" VmHWM)")
  kill -9 "$CLIENT_PID"; wait "$CLIENT_PID" 2>/dev/null; CLIENT_PID=
  first_pass restart

  local ok=yes
  diff -r "$L" "$SFILES" >"$LOGS/$LABEL-check.diff" 2>&1 || ok="trees-differ(see $LOGS/$LABEL-check.diff)"
  row "$BL" "$R" check - - - "$hwm" - "$(load1)" "$ok" "peak RSS of the running client before kill -9: $hwm MB"
  stop_client; stop_server
}

[ -s "$TSV" ] || row bin round step latency_s cpu_s requests hwm_MB rss_MB load1 ok methods
FIRST=$(( $(wc -l <"$TSV") + 1 ))
log "tree $T; BENCH_DIR $BENCH_DIR; poll ${POLL_S}s; binaries: ${BINLIST[*]}"
for R in $(seq "$ROUNDS"); do
  order=("${BINLIST[@]}")
  if [ $((R % 2)) = 0 ]; then order=(); for ((i = ${#BINLIST[@]} - 1; i >= 0; i--)); do order+=("${BINLIST[i]}"); done; fi
  for e in "${order[@]}"; do BL=${e%%=*}; BINP=${e#*=}; run_one; done
done
echo
echo "Running client at $N_FILES files (poll ${POLL_S}s; latency = s until the change is visible on the other side;"
echo "cpu = client CPU s until idle again; hwm/rss = client MB after the step; setup rows: --once runs, hwm = peak RSS)"
{ head -1 "$TSV"; tail -n "+$FIRST" "$TSV"; } | cut -f1-10 | column -t -s $'\t'
log "done: $TSV (per-step requests, client output and diffs in $LOGS); load $(cut -d' ' -f1-3 /proc/loadavg)"
