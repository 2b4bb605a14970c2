#!/bin/bash
# Idle cost of `deskport files sync` (watching) on a synced, unchanged folder, with and without
# Nextcloud notify_push, both at once against two Nextcloud-compatible servers (scripts/peers/):
# CPU seconds (utime+stime from /proc/PID/stat, like pidstat) and the server's requests.
#   bench/files/idle.sh                 10 minutes, 1,000 files in 50 folders
#   IDLE_S=60 N_FILES=200 bench/files/idle.sh     quick check
# Needs: php-cli php-sabre-dav curl (apt), Go. Writes only under BENCH_DIR (default /tmp/deskport-idle).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
IDLE_S=${IDLE_S:-600}; N_FILES=${N_FILES:-1000}; SAMPLE_S=${SAMPLE_S:-60}
B=${BENCH_DIR:-/tmp/deskport-idle}
rm -rf "$B"; mkdir -p "$B/bin"
(cd "$REPO" && go build -o "$B/bin/deskport" . && go build -o "$B/push/notifypushd" ./internal/testpeer/notifypushd)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=(); SERVERS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  "$REPO/scripts/peers/notifypush.sh" stop "$B/push" >/dev/null 2>&1 || true
  for s in "${SERVERS[@]}"; do "$REPO/scripts/peers/ncserver.sh" stop "$s" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

# one corpus, copied to both servers
mkdir -p "$B/corpus"
for i in $(seq 1 "$N_FILES"); do
  d=$B/corpus/dir$((i % 50)); mkdir -p "$d"; head -c $((1024 + (i * 37) % 15360)) /dev/urandom > "$d/f$i.bin"
done

start() { # name, push(0|1)
  local name=$1 push=$2 port pport env=()
  port=$(free_port)
  mkdir -p "$B/$name-srv/files/alice" "$B/$name-local" "$B/$name-state"
  cp -a "$B/corpus/." "$B/$name-srv/files/alice/"
  if [ "$push" = 1 ]; then pport=$(free_port); env=(NC_PUSH_WS="ws://127.0.0.1:$pport/ws"); fi
  env "${env[@]}" NC_USER=alice NC_PASS=secret "$REPO/scripts/peers/ncserver.sh" start "$B/$name-srv" "$port" 2 >/dev/null
  SERVERS+=("$B/$name-srv")
  if [ "$push" = 1 ]; then
    "$REPO/scripts/peers/notifypush.sh" start "$B/push" "$pport" "http://127.0.0.1:$port" "$B/$name-srv/requests.log" >/dev/null
  fi
  local url=http://127.0.0.1:$port/remote.php/dav/files/alice/
  DESKPORT_PASSWORD=secret "$B/bin/deskport" files sync --once --quiet --local "$B/$name-local" --url "$url" \
    --user alice --state "$B/$name-state" >/dev/null
  DESKPORT_PASSWORD=secret "$B/bin/deskport" files sync --local "$B/$name-local" --url "$url" --user alice \
    --state "$B/$name-state" >"$B/$name.out" 2>&1 &
  PIDS+=($!); echo $! > "$B/$name.pid"
}
start poll 0
start push 1
sleep 10   # the start-up pass and the push login
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
reqs() { grep -c . "$B/$1-srv/requests.log" || true; }
TCK=$(getconf CLK_TCK)
declare -A T0 R0
for n in poll push; do T0[$n]=$(cpu "$(cat "$B/$n.pid")"); R0[$n]=$(reqs $n); done
echo "# every ${SAMPLE_S}s: cumulative CPU ticks (1/$TCK s) and server requests since the start of the window"
echo -e "t_s\tpoll_ticks\tpoll_requests\tpush_ticks\tpush_requests"
for ((t = SAMPLE_S; t <= IDLE_S; t += SAMPLE_S)); do
  sleep "$SAMPLE_S"
  line="$t"
  for n in poll push; do
    line+=$'\t'$(( $(cpu "$(cat "$B/$n.pid")") - T0[$n] ))$'\t'$(( $(reqs $n) - R0[$n] ))
  done
  echo "$line"
done
for n in poll push; do
  p=$(cat "$B/$n.pid"); dt=$(( $(cpu "$p") - T0[$n] )); dr=$(( $(reqs $n) - R0[$n] ))
  rss=$(awk '/VmRSS/{print $2}' "/proc/$p/status")
  echo -e "deskport-idle-$n-${IDLE_S}s\tcpu_s=$(echo "scale=2; $dt/$TCK" | bc)\tcpu_pct=$(echo "scale=3; 100*$dt/$TCK/$IDLE_S" | bc)\trequests=$dr\trss_kb=$rss"
done
echo "# what the push server saw:"; cat "$B/push/push-events.log" | sed 's/^/#   /'
echo "# requests of the push variant's server in the window:"; tail -n +$((R0[push] + 1)) "$B/push-srv/requests.log" | sort | uniq -c | sed 's/^/#   /'
