#!/bin/bash
# Nextcloud-compatible test server (scripts/peers/ncserver/, SabreDAV 1.8 under `php -S`) on loopback.
# usage: ncserver.sh start DATADIR PORT [WORKERS=4]
#        ncserver.sh stop DATADIR
#   env: NC_USER/NC_PASS (alice/secret), NC_BULK=0 (hide bulk upload), NC_CHUNKING=0 (hide chunking v2),
#        NC_HOSTILE=1 (folder listings also carry unsafe hrefs), NC_PUSH_WS=ws://... (announce notify_push)
#   files:  DATADIR/files/$NC_USER     server-side tree (plain files, fileid = inode)
#           DATADIR/requests.log       one line per request: METHOD STATUS URI
#           DATADIR/ncserver.pid|.log  process-group id / php's own stderr
set -e
usage() { sed -n '2,10p' "$0" >&2; exit 2; }
alive() { [ -e /proc/$1 ] && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; }   # zombie = gone
probe() { curl -sf --max-time 1 -o /dev/null "http://127.0.0.1:$1/status.php"; }

cmd_start() {
  [ $# -ge 2 ] || usage
  local data port=$2 workers=${3:-4}
  data=$(mkdir -p "$1" && cd "$1" && pwd)
  local here; here=$(cd "$(dirname "$0")" && pwd)
  export NC_DATA=$data NC_LOG=$data/requests.log NC_USER=${NC_USER:-alice} NC_PASS=${NC_PASS:-secret}
  export PHP_CLI_SERVER_WORKERS=$workers
  mkdir -p "$data/files/$NC_USER"; : >> "$NC_LOG"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port already in use" >&2; exit 1; fi
  cd "$here/ncserver"
  # new session: the pid written is also the process-group id of php and its workers
  setsid sh -c 'echo $$ > "$0"; exec php -q -d memory_limit=2G -d post_max_size=0 -d upload_max_filesize=0 \
    -d opcache.enable_cli=1 -S "127.0.0.1:$1" router.php' "$data/ncserver.pid" "$port" </dev/null >"$data/ncserver.log" 2>&1 &
  for _ in $(seq 100); do probe "$port" && break; sleep 0.1; done
  if ! probe "$port"; then
    echo "ncserver did not start:" >&2; cat "$data/ncserver.log" >&2; cmd_stop "$data" >/dev/null; exit 1
  fi
  : > "$NC_LOG"   # drop the readiness probes
  echo "ncserver pid $(cat "$data/ncserver.pid") http://127.0.0.1:$port user $NC_USER data $data workers $workers"
}

cmd_stop() {
  [ $# -eq 1 ] || usage
  local f=$1/ncserver.pid pid
  [ -s "$f" ] || { echo "not running (no $f)"; return 0; }
  pid=$(cat "$f")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -f "$f"; echo "stopped ncserver $pid"
}

case "$1" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) usage ;;
esac
