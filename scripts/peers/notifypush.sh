#!/bin/bash
# notify_push stand-in (internal/testpeer/notifypushd, Go) on loopback beside ncserver.sh.
# usage: notifypush.sh start DIR PORT NC_URL NC_REQUEST_LOG [PING=30s]
#        notifypush.sh stop DIR        (TERM)
#        notifypush.sh kill DIR        (kill -9: the push service dies as in a crash)
#   The Nextcloud server announces it when started with NC_PUSH_WS=ws://127.0.0.1:PORT/ws.
#   files:  DIR/notifypushd            the binary (built once from this checkout)
#           DIR/push-events.log        logins and messages, no passwords
#           DIR/notifypush.pid|.log    process id / stderr
set -e
usage() { sed -n '2,9p' "$0" >&2; exit 2; }
# A killed Go program's main thread can be a zombie while its other threads still hold the
# listening socket: gone means no /proc entry, or a zombie with no thread left but it.
alive() {
  [ -e /proc/$1 ] || return 1
  [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ] && return 0
  [ "$(ls /proc/$1/task 2>/dev/null | wc -l)" -gt 1 ]
}
probe() { curl -sf --max-time 1 -o /dev/null "http://127.0.0.1:$1/stats"; }

cmd_start() {
  [ $# -ge 4 ] || usage
  local dir port=$2 nc=$3 reqlog=$4 ping=${5:-30s}
  dir=$(mkdir -p "$1" && cd "$1" && pwd)
  local root; root=$(cd "$(dirname "$0")/../.." && pwd)
  if [ ! -x "$dir/notifypushd" ]; then
    (cd "$root" && go build -o "$dir/notifypushd" ./internal/testpeer/notifypushd)
  fi
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.1; done
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port already in use" >&2; exit 1; fi
  setsid "$dir/notifypushd" -listen "127.0.0.1:$port" -nc "$nc" -nc-log "$reqlog" -ping "$ping" \
    -events "$dir/push-events.log" </dev/null >"$dir/notifypush.log" 2>&1 &
  echo $! > "$dir/notifypush.pid"
  for _ in $(seq 100); do probe "$port" && break; sleep 0.1; done
  if ! probe "$port"; then
    echo "notifypushd did not start:" >&2; cat "$dir/notifypush.log" >&2; cmd_stop "$dir" >/dev/null; exit 1
  fi
  echo "notifypushd pid $(cat "$dir/notifypush.pid") ws://127.0.0.1:$port/ws"
}

cmd_stop() {
  [ $# -ge 1 ] || usage
  local f=$1/notifypush.pid pid sig=${2:-TERM}
  [ -s "$f" ] || { echo "not running (no $f)"; return 0; }
  pid=$(cat "$f")
  kill -"$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$f"; echo "stopped notifypushd $pid"
}

case "$1" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$1" ;;
  kill) shift; cmd_stop "$1" KILL ;;
  *) usage ;;
esac
