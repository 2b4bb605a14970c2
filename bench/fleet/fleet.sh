#!/bin/bash
# A simulated fleet: N real `deskport files sync` processes idle against one Nextcloud-compatible
# server (scripts/peers/ncserver.sh) and its notify_push stand-in (scripts/peers/notifypush.sh), and
# what the server sees: requests per client per hour with and without push, server CPU, client CPU,
# and the reconnect storm after the push daemon is killed -9 and restarted.
#   bench/fleet/fleet.sh                    200 clients, about 25 minutes
#   N=10 FAST_WINDOW_S=30 DEFAULT_WINDOW_S=60 PUSH_WINDOW_S=30 SIM_S=30 bench/fleet/fleet.sh   quick check
# Phases (the same clients and server data throughout; the server is restarted with push announced):
#   fast    no push, filesPollSeconds=FAST_POLL_S (time compressed), FAST_WINDOW_S
#   default no push, default settings (poll 60 s), DEFAULT_WINDOW_S: checks the scaling of "fast"
#   push    push announced and up, default settings, PUSH_WINDOW_S
#   storm   notifypushd killed -9 and restarted at once; requests in the following STORM_S
#   walk    one client: a no-change --once, then one with the safety walk forced (cost per walk)
#   sim     one client under bench/fleet/fleetsim, every engine timer ÷ SPEEDUP, SIM_S, with and
#           without push: a day of idle life (polls, 10-min local rescans, hourly full pass, daily
#           walk) measured (SPEEDUP 600 × 150 s = 25 simulated hours)
# Each client is its own Unix user (uid UID_BASE+i, via setpriv; needs root): inotify allows 128
# watchers per user, and a fleet under one uid would also eat the other users' budget on this machine.
# The fake server has one account: each client syncs its own folder alice/cNNN/ (one root ETag each).
# Needs: php-cli php-sabre-dav curl bc (apt), Go, setpriv (util-linux). Writes only under BENCH_DIR.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-200}
FAST_POLL_S=${FAST_POLL_S:-10}; FAST_WINDOW_S=${FAST_WINDOW_S:-180}
DEFAULT_WINDOW_S=${DEFAULT_WINDOW_S:-240}; PUSH_WINDOW_S=${PUSH_WINDOW_S:-180}; STORM_S=${STORM_S:-60}
SIM_S=${SIM_S:-150}; SPEEDUP=${SPEEDUP:-600}
TOP=${TOP:-4}; SUB=${SUB:-2}; FILES=${FILES:-3}   # per client: TOP folders, each with SUB subfolders, FILES files everywhere
WORKERS=${WORKERS:-4}; UID_BASE=${UID_BASE:-61000}
B=${BENCH_DIR:-/tmp/deskport-fleet}
[ "$(id -u)" = 0 ] || { echo "fleet.sh runs each client as its own uid (setpriv): run it as root" >&2; exit 2; }
command -v setpriv >/dev/null || { echo "setpriv missing: apt-get install util-linux" >&2; exit 2; }
for t in php curl bc python3; do command -v $t >/dev/null || { echo "$t missing: apt-get install php-cli php-sabre-dav curl bc python3" >&2; exit 2; }; done

rm -rf "$B"; mkdir -p "$B/bin" "$B/c" "$B/push"; chmod 755 "$B"
echo "# building (CGO_ENABLED=0, the headless CLI as shipped without the window)" >&2
(cd "$REPO" && CGO_ENABLED=0 go build -o "$B/bin/deskport" . && go build -o "$B/push/notifypushd" ./internal/testpeer/notifypushd \
  && go build -o "$B/bin/fleetsim" ./bench/fleet/fleetsim)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); PPORT=$(free_port)
SRV=$B/srv; LOG=$SRV/requests.log
BASE=http://127.0.0.1:$PORT
CPIDS=()
stop_clients() {
  local p; for p in "${CPIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${CPIDS[@]}"; do while [ -e "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]; do sleep 0.1; done; done
  wait 2>/dev/null || true; CPIDS=()
}
cleanup() {
  stop_clients
  "$REPO/scripts/peers/notifypush.sh" stop "$B/push" >/dev/null 2>&1 || true
  "$REPO/scripts/peers/ncserver.sh" stop "$SRV" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- one client tree (deterministic), copied into every client's server folder ---
T=$B/tree; mkdir -p "$T"
mkfiles() { local d=$1 k; for ((k = 1; k <= FILES; k++)); do head -c $((1024 + (k * 997 + ${#d} * 131) % 7168)) /dev/urandom > "$d/file$k.bin"; done; }
mkfiles "$T"
for ((t = 1; t <= TOP; t++)); do
  mkdir -p "$T/folder$t"; mkfiles "$T/folder$t"
  for ((s = 1; s <= SUB; s++)); do mkdir -p "$T/folder$t/sub$s"; mkfiles "$T/folder$t/sub$s"; done
done
FOLDERS=$((TOP + TOP * SUB)); TREE_FILES=$(find "$T" -type f | wc -l)
mkdir -p "$SRV/files/alice"
for ((i = 1; i <= N; i++)); do
  c=$(printf c%03d "$i"); cp -a "$T" "$SRV/files/alice/$c"
  d=$B/c/$c; mkdir -p "$d/local" "$d/state" "$d/home/config"; chown -R $((UID_BASE + i)):$((UID_BASE + i)) "$d"
done

start_server() { # push 0|1
  local env=()
  [ "$1" = 1 ] && env=(NC_PUSH_WS="ws://127.0.0.1:$PPORT/ws")
  env "${env[@]}" NC_USER=alice NC_PASS=secret "$REPO/scripts/peers/ncserver.sh" start "$SRV" "$PORT" "$WORKERS" >/dev/null
}
client_cmd() { # i, then the deskport arguments after "files sync"; execs: call it in a subshell or with &
  local i=$1; shift
  local c; c=$(printf c%03d "$i"); local d=$B/c/$c u=$((UID_BASE + i))
  exec setpriv --reuid=$u --regid=$u --clear-groups env -i PATH=/usr/bin:/bin HOME="$d/home" DESKPORT_HOME="$d/home" \
    DESKPORT_PASSWORD=secret "$B/bin/deskport" files sync --local "$d/local" --url "$BASE/remote.php/dav/files/alice/$c/" \
    --user alice --state "$d/state" "$@"
}
settings() { # poll seconds (0: default settings)
  local i c
  for ((i = 1; i <= N; i++)); do
    c=$(printf c%03d "$i"); f=$B/c/$c/home/config/settings.json
    if [ "$1" = 0 ]; then rm -f "$f"; else echo "{\"filesPollSeconds\": $1}" > "$f"; chmod 644 "$f"; fi
  done
}
start_clients() { # spread the starts over SPREAD seconds, as desktops start at different times
  local spread=$1 i c
  for ((i = 1; i <= N; i++)); do
    c=$(printf c%03d "$i")
    client_cmd "$i" --quiet >>"$B/c/$c/run.log" 2>&1 &
    CPIDS+=($!)
    sleep "$(echo "scale=3; $spread / $N" | bc)"
  done
}
TCK=$(getconf CLK_TCK)
ticks_of() { local p s=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && s=$((s + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done; echo $s; }
php_pids() { ps -eo pid=,pgid= | awk -v pg="$(cat "$SRV/ncserver.pid")" '$2 == pg {print $1}'; }
push_pid() { cat "$B/push/notifypush.pid" 2>/dev/null || true; }
reqs() { wc -l < "$LOG"; }
rss_kb() { local p s=0; for p in "$@"; do s=$((s + $(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo $s; }
kinds() { # requests of log lines FROM..TO by kind (client folders folded into cNNN)
  sed -n "$1,$2p" "$LOG" | sed -E 's#/c[0-9]{3}/#/cNNN/#; s#\?.*##' | sort | uniq -c | sort -rn | sed 's/^/#     /'
}
per_client() { # spread of the requests per client folder in lines FROM..TO: min median max
  sed -n "$1,$2p" "$LOG" | grep -oE '/files/alice/c[0-9]{3}/' | sort | uniq -c | awk '{print $1}' | sort -n |
    awk -v n="$N" '{a[NR] = $1} END {printf "clients_seen=%d min=%d median=%d max=%d", NR, (NR < n ? 0 : a[1]), a[int((NR + 1) / 2)], a[NR]}'
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' /; }

declare -A PER_H AT60_H
# window NAME SECONDS POLL_S: idle window over the running clients; one RESULT line
window() {
  local name=$1 secs=$2 poll=$3 php r0 r1 c0 c1 p0 p1 q0 q1 l0
  php=$(php_pids | tr '\n' ' ')
  r0=$(reqs); c0=$(ticks_of "${CPIDS[@]}"); p0=$(ticks_of $php); q0=$(ticks_of $(push_pid)); l0=$(loadavg)
  sleep "$secs"
  r1=$(reqs); c1=$(ticks_of "${CPIDS[@]}"); p1=$(ticks_of $php); q1=$(ticks_of $(push_pid))
  local n=$((r1 - r0))
  PER_H[$name]=$(echo "scale=1; $n * 3600 / $secs / $N" | bc); AT60_H[$name]=$(echo "scale=1; $n * 3600 / $secs / $N * $poll / 60" | bc)
  echo -e "RESULT\t$name\tclients=$N\twindow_s=$secs\tpoll_s=$poll\trequests=$n\tper_client=$(echo "scale=2; $n / $N" | bc)\tper_client_h_measured=${PER_H[$name]}\tper_client_h_at_60s_poll=${AT60_H[$name]}\tserver_cpu_s=$(echo "scale=2; ($p1 - $p0) / $TCK" | bc)\tpush_cpu_s=$(echo "scale=2; ($q1 - $q0) / $TCK" | bc)\tclient_cpu_s_per_client=$(echo "scale=4; ($c1 - $c0) / $TCK / $N" | bc)\tclient_rss_mb_avg=$(( $(rss_kb "${CPIDS[@]}") / N / 1024 ))\t$(per_client $((r0 + 1)) "$r1")\tload=$l0..$(loadavg)"
  echo "#   $name: requests in the window by kind:"; kinds $((r0 + 1)) "$r1"
}
alive_clients() { local p k=0; for p in "${CPIDS[@]}"; do [ -e "/proc/$p" ] && k=$((k + 1)); done; echo $k; }
connections() { curl -sf "http://127.0.0.1:$PPORT/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])' 2>/dev/null || echo 0; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(loadavg); N=$N clients, each $TREE_FILES files in $FOLDERS folders (+ its root); PHP workers $WORKERS"
echo "# deskport $(git -C "$REPO" rev-parse --short HEAD)"

# --- first sync of every client (downloads its tree), 4 at a time ---
start_server 0
r0=$(reqs); t0=$(date +%s.%N)
export -f client_cmd; export B BASE UID_BASE
seq 1 "$N" | xargs -P 4 -I{} bash -c 'client_cmd {} --once --quiet >/dev/null 2>>"$B/once.err"' || { echo "a first sync failed:" >&2; tail "$B/once.err" >&2; exit 1; }
echo -e "SETUP\tfirst_sync_all_s=$(echo "$(date +%s.%N) - $t0" | bc | cut -c1-6)\trequests=$(( $(reqs) - r0 ))\tload=$(loadavg)"
bad=0; for ((i = 1; i <= N; i++)); do c=$(printf c%03d "$i"); diff -rq "$T" "$B/c/$c/local" >/dev/null || bad=$((bad + 1)); done
[ "$bad" = 0 ] || { echo "$bad clients' folders differ from the server tree after the first sync" >&2; exit 1; }

# --- no push: compressed poll, then the default settings ---
settings "$FAST_POLL_S"; start_clients "$FAST_POLL_S"; sleep $((FAST_POLL_S + 10))
[ "$(alive_clients)" = "$N" ] || { echo "clients died:" >&2; cat "$B"/c/*/run.log | sort | uniq -c | head >&2; exit 1; }
window nopush-fast "$FAST_WINDOW_S" "$FAST_POLL_S"
stop_clients
settings 0; start_clients 60; sleep 40
window nopush-default "$DEFAULT_WINDOW_S" 60
stop_clients

# --- push announced and up ---
"$REPO/scripts/peers/ncserver.sh" stop "$SRV" >/dev/null
start_server 1
"$REPO/scripts/peers/notifypush.sh" start "$B/push" "$PPORT" "$BASE" "$LOG" >/dev/null
start_clients 60
for _ in $(seq 120); do [ "$(connections)" = "$N" ] && break; sleep 1; done
echo "# push connections before the window: $(connections) of $N"
sleep 10   # the check each client makes on connecting
window push "$PUSH_WINDOW_S" 60
echo "# push connections after the window: $(connections) of $N"

# --- storm: kill -9 the push daemon, restart it at once ---
r0=$(reqs); php=$(php_pids | tr '\n' ' '); p0=$(ticks_of $php); l0=$(loadavg)
"$REPO/scripts/peers/notifypush.sh" kill "$B/push" >/dev/null
tk=$(date +%s.%N)
"$REPO/scripts/peers/notifypush.sh" start "$B/push" "$PPORT" "$BASE" "$LOG" >/dev/null
echo "# storm: killed -9 and restarted in $(echo "$(date +%s.%N) - $tk" | bc | cut -c1-5) s; every 10 s: requests since the kill, push connections"
all_back=""
for ((t = 10; t <= STORM_S; t += 10)); do
  sleep "$(echo "x = $tk + $t - $(date +%s.%N); if (x < 0) x = 0; x" | bc)"
  k=$(connections); echo "#   t=${t}s requests=$(( $(reqs) - r0 )) connections=$k"
  [ -z "$all_back" ] && [ "$k" = "$N" ] && all_back=$t
done
r1=$(reqs); p1=$(ticks_of $php)
t=$STORM_S; while [ -z "$all_back" ] && [ "$t" -lt 300 ]; do sleep 5; t=$((t + 5)); [ "$(connections)" = "$N" ] && all_back=$t; done
echo -e "RESULT\tstorm\tclients=$N\twindow_s=$STORM_S\trequests=$((r1 - r0))\tper_client=$(echo "scale=2; ($r1 - $r0) / $N" | bc)\tserver_cpu_s=$(echo "scale=2; ($p1 - $p0) / $TCK" | bc)\tall_reconnected_within_s=${all_back:-never}\tload=$l0..$(loadavg)"
echo "#   storm: requests in the ${STORM_S} s after the kill by kind:"; kinds $((r0 + 1)) "$r1"
stop_clients

# --- the cost of one pass and of one safety walk, for one client (c001) ---
r0=$(reqs); (client_cmd 1 --once --quiet) > "$B/walk-plain.out"; r1=$(reqs)
echo "# one no-change --once run of c001 ($(cat "$B/walk-plain.out")):"; sed -n "$((r0 + 1)),${r1}p" "$LOG" | sed 's/^/#     /'
echo '*.fleet-never-matches' >> "$B/c/c001/state/ignore.txt"   # a new filter: the next pass walks the whole server tree, as the daily safety walk does
r2=$(reqs); (client_cmd 1 --once --quiet) > "$B/walk-full.out"; r3=$(reqs)
echo "# one --once run of c001 with the full walk ($(cat "$B/walk-full.out")):"; sed -n "$((r2 + 1)),${r3}p" "$LOG" | sed -E 's#/c[0-9]{3}/#/cNNN/#' | sort | uniq -c | sed 's/^/#     /'
PASS_LISTS=$(sed -n "$((r0 + 1)),${r1}p" "$LOG" | grep -c PROPFIND); WALK_LISTS=$(sed -n "$((r2 + 1)),${r3}p" "$LOG" | grep -c PROPFIND)
echo -e "RESULT\twalk\tfolders=$FOLDERS\tplain_once_requests=$((r1 - r0))\tpass_listings=$PASS_LISTS\tfull_walk_once_requests=$((r3 - r2))\tfull_walk_listings=$WALK_LISTS"

# --- an hour of one client's idle life, every engine timer ÷ SPEEDUP (fleetsim), push up and not ---
sim() { # name
  local r0 r1 u=$((UID_BASE + 1))
  r0=$(reqs)
  setpriv --reuid=$u --regid=$u --clear-groups env -i PATH=/usr/bin:/bin HOME="$B/c/c001/home" DESKPORT_HOME="$B/c/c001/home" \
    DESKPORT_PASSWORD=secret "$B/bin/fleetsim" -local "$B/c/c001/local" -url "$BASE/remote.php/dav/files/alice/c001/" \
    -user alice -state "$B/c/c001/state" -speedup "$SPEEDUP" -for "${SIM_S}s" 2>"$B/sim-$1.log" | sed "s/^/#   $1: /"
  r1=$(reqs)
  echo -e "RESULT\tsim-$1\tspeedup=$SPEEDUP\twall_s=$SIM_S\tsimulated_h=$(echo "scale=2; $SIM_S * $SPEEDUP / 3600" | bc)\trequests=$((r1 - r0))\tper_simulated_h=$(echo "scale=1; ($r1 - $r0) * 3600 / $SIM_S / $SPEEDUP" | bc)"
  echo "#   sim-$1 requests by kind:"; kinds $((r0 + 1)) "$r1"
}
sim push
"$REPO/scripts/peers/notifypush.sh" stop "$B/push" >/dev/null
"$REPO/scripts/peers/ncserver.sh" stop "$SRV" >/dev/null
start_server 0
sim nopush
# Per client per hour at the default settings. Measured: the polls (nopush-default) and what the
# push window saw; added from the walk phase, per the engine's timers (internal/filesync/watch.go):
# without push a local-rescan pass every 10 min (its root listing on top of that poll's; the hourly
# full pass is one of them), with push the hourly full pass, and with or without push the daily
# safety walk (every folder listed, /24). The sim lines check the sum.
echo -e "SUMMARY\tnopush_per_client_h=$(echo "scale=1; ${PER_H[nopush-default]} + 6 * $PASS_LISTS + $WALK_LISTS / 24" | bc) (polls ${PER_H[nopush-default]} measured at 60 s, ${AT60_H[nopush-fast]} from the ${FAST_POLL_S}-s poll scaled; + 6 x $PASS_LISTS local rescans + $WALK_LISTS/24 safety walk)\tpush_per_client_h=$(echo "scale=1; ${PER_H[push]} + $PASS_LISTS + $WALK_LISTS / 24" | bc) (${PER_H[push]} measured + $PASS_LISTS hourly full pass + $WALK_LISTS/24 safety walk)"
echo "# done $(date -u +%FT%TZ), load $(loadavg)"
