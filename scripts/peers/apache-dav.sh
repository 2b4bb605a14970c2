#!/bin/bash
# Private Apache httpd with mod_dav_fs serving DIR/root over WebDAV (Basic auth) on 127.0.0.1:PORT.
# usage: apache-dav.sh start DIR PORT
#        apache-dav.sh stop DIR
#   env: DAV_USER/DAV_PASS (alice/secret)
#   files: DIR/root (served tree), DIR/logs/requests.log ("METHOD STATUS PATH"), DIR/logs/error.log,
#          DIR/run/ (pid, runtime files), DIR/httpd.conf (generated from apache-dav/httpd.conf.in)
# As root, Apache's workers run as www-data: DIR and its parents must be traversable by it.
set -e
usage() { sed -n '2,9p' "$0" >&2; exit 2; }
alive() { [ -e /proc/$1 ] && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; }   # zombie = gone
probe() { curl -s --max-time 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/" 2>/dev/null | grep -q 401; }

cmd_start() {
  [ $# -eq 2 ] || usage
  local dir port=$2 here usergroup=""
  dir=$(mkdir -p "$1" && cd "$1" && pwd)
  here=$(cd "$(dirname "$0")" && pwd)
  command -v apache2 >/dev/null || { echo "apache2 is not installed (apt-get install apache2)" >&2; exit 1; }
  command -v htpasswd >/dev/null || { echo "htpasswd is not installed (apt-get install apache2-utils)" >&2; exit 1; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port already in use" >&2; exit 1; fi
  mkdir -p "$dir/root" "$dir/lock" "$dir/run" "$dir/logs"
  htpasswd -bc "$dir/htpasswd" "${DAV_USER:-alice}" "${DAV_PASS:-secret}" 2>/dev/null
  if [ "$(id -u)" = 0 ]; then
    # Apache refuses to serve as root: its workers run as www-data, which must own the tree and lock db
    usergroup=$'User www-data\nGroup www-data'
    chown -R www-data:www-data "$dir/root" "$dir/lock"
    chmod 0644 "$dir/htpasswd"; chmod 0755 "$dir"
  fi
  sed -e "s#@DIR@#$dir#g" -e "s#@PORT@#$port#g" -e "s#@MODS@#/usr/lib/apache2/modules#g" \
      "$here/apache-dav/httpd.conf.in" | awk -v ug="$usergroup" '{ if ($0 == "@USERGROUP@") print ug; else print }' \
      > "$dir/httpd.conf"
  # new session in the foreground: the pid written is the process-group id of httpd and its children
  setsid sh -c 'echo $$ > "$0"; exec apache2 -f "$1" -DFOREGROUND' "$dir/run/group.pid" "$dir/httpd.conf" \
    </dev/null >"$dir/logs/stderr.log" 2>&1 &
  for _ in $(seq 100); do probe "$port" && break; sleep 0.1; done
  if ! probe "$port"; then
    echo "apache did not start:" >&2; cat "$dir/logs/stderr.log" "$dir/logs/error.log" >&2 2>/dev/null; cmd_stop "$dir" >/dev/null; exit 1
  fi
  : > "$dir/logs/requests.log"   # drop the readiness probes
  echo "apache-dav pid $(cat "$dir/run/group.pid") http://127.0.0.1:$port/ user ${DAV_USER:-alice} root $dir/root"
}

cmd_stop() {
  [ $# -eq 1 ] || usage
  local f=$1/run/group.pid pid
  [ -s "$f" ] || { echo "not running (no $f)"; return 0; }
  pid=$(cat "$f")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -f "$f"; echo "stopped apache-dav $pid"
}

case "$1" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) usage ;;
esac
