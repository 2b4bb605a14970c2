#!/bin/bash
# usage: bench/mail/pairs.sh [N=50000] [PAIRS=5]
# First syncs of deskport and mbsync in pairs on one private Dovecot holding the deterministic
# N-message corpus, alternating which tool goes first (mbsync's time depends on what the file
# system did just before: see RESULTS.md, session 7). Before every run its target is removed,
# written out (sync) and left SETTLE seconds (default 8) for the journal and discards to settle.
# Prints one line per run and the ratio of each adjacent pair; the whole-machine CPU of each run
# (all processes, from /proc/stat) shows what the 2 cores allowed.
# Needs: dovecot-imapd isync (apt-get install), Go. KEEP=1 keeps Dovecot and the corpus running
# in $BENCH_DIR/pairs for another round (the corpus takes minutes to generate at 50,000).
set -euo pipefail; shopt -s inherit_errexit
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-50000}; PAIRS=${2:-5}; SETTLE=${SETTLE:-8}; PORT=${IMAP_PORT:-18620}
export BENCH_DIR=${BENCH_DIR:-/tmp/deskport-bench}
W=$BENCH_DIR/pairs; mkdir -p "$W" "$BENCH_DIR/bin"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$BENCH_DIR/bin/deskport" .)
D=$BENCH_DIR/bin/deskport
if [ ! -f "$W/srv/ready-$N" ]; then
  "$HERE/stop-dovecot.sh" "$W/srv" 2>/dev/null || true
  rm -rf "$W/srv"; "$HERE/start-dovecot.sh" "$PORT" "$W/srv" >/dev/null
  "$HERE/gen-mail.sh" "$W/srv" "$N" >/dev/null
  touch "$W/srv/ready-$N"
elif ! pgrep -f "$W/srv/dovecot.conf" >/dev/null; then
  "$HERE/start-dovecot.sh" "$PORT" "$W/srv" >/dev/null
fi
[ "${KEEP:-}" = 1 ] || trap '"$HERE/stop-dovecot.sh" "$W/srv" >/dev/null 2>&1 || true' EXIT
# the anchor exactly as bench-mail.sh (the team harness, kept verbatim) configures it
cat >"$W/mbsyncrc" <<EOF
FSync no

IMAPAccount bench
Host 127.0.0.1
Port $PORT
User alice
Pass secret
SSLType None
AuthMechs PLAIN
PipelineDepth 50

IMAPStore remote
Account bench

MaildirStore local
Path $W/mb/
Inbox $W/mb/INBOX
SubFolders Verbatim

Channel all
Far :remote:
Near :local:
Patterns *
Create Near
Sync Pull
SyncState *
EOF

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
run() { # run TOOL: prints its wall time; details on stderr
  local target=$W/mb; [ "$1" = deskport ] && target=$W/cache
  rm -rf "$target"; mkdir -p "$target"; sync; sleep "$SETTLE"
  local b0; b0=$(busy)
  if [ "$1" = mbsync ]; then
    /usr/bin/time -o "$W/t" -f "%e %U %S %M" mbsync -q -c "$W/mbsyncrc" all
  else
    DESKPORT_PASSWORD=secret /usr/bin/time -o "$W/t" -f "%e %U %S %M" "$D" mail sync --once \
      --cache "$W/cache" --host 127.0.0.1 --port "$PORT" --plain-loopback --user alice --body-days -1 >/dev/null 2>&1
  fi
  local b1 wall user sys rss; b1=$(busy); read -r wall user sys rss <"$W/t"
  printf '%-8s wall %6.2f s  user %5.2f  sys %5.2f  rss %4d MB  machine CPU %5.1f s\n' \
    "$1" "$wall" "$user" "$sys" $((rss / 1024)) "$(echo "($b1-$b0)/100" | bc -l)" >&2
  echo "$wall"
}
for i in $(seq 1 "$PAIRS"); do
  if [ $((i % 2)) = 1 ]; then m=$(run mbsync); d=$(run deskport); else d=$(run deskport); m=$(run mbsync); fi
  printf 'pair %d: deskport %.2f s / mbsync %.2f s = %.2f\n' "$i" "$d" "$m" "$(echo "$d/$m" | bc -l)" >&2
done
