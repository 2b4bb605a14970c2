#!/bin/bash
# usage: [VAR=value ...] bench-mail.sh N [SEED=42]
# IMAP offline-cache benchmark against a private Dovecot holding N deterministic messages (gen-mail).
# Each group runs on a FRESH Dovecot with the identical corpus:
#   limit:   imapdump headers (ENVELOPE FLAGS RFC822.SIZE BODYSTRUCTURE) and full (BODY.PEEK[]), 1 connection
#   anchor:  mbsync initial pull + no-change rerun; notmuch new on that Maildir + 3 searches (median of 5)
#   WITH_OFFLINEIMAP=1  offlineimap initial pull (+rerun if complete), capped at OI_TIMEOUT=300 s
#   candidate: CANDIDATE_SYNC, CANDIDATE_RESYNC (default: CANDIDATE_SYNC), CANDIDATE_SEARCH, run with bash -c;
#     exported: IMAP_HOST IMAP_PORT IMAP_USER IMAP_PASS, N, CACHE_DIR (empty dir for the client's cache),
#     and for searches QUERY (notmuch syntax) + QUERY_ID (subject|body|from-date).  When the last output
#     line is an integer it is reported as items (searches: matching messages, checked against notmuch).
# Env: BENCH_DIR=/tmp/deskport-bench IMAP_PORT=18543 CANDIDATE_LABEL=candidate KEEP_WORK=1 (keep Maildirs)
#      ONLY_CANDIDATE=1 (skip limit + anchors: quick iteration, no ratio rows, no hit-count check)
# TSV on stdout and $BENCH_DIR/results-mail.tsv: label wall_s items client_max_rss_MB ok  (+ ratio:* rows)
set -u
[ $# -ge 1 ] || { sed -n '2,14p' "$0"; exit 2; }
N=$1; SEED=${2:-42}
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/lib.sh"
export N IMAP_HOST=127.0.0.1 IMAP_PORT=${IMAP_PORT:-18543} IMAP_USER=${IMAP_USER:-alice} IMAP_PASS=${IMAP_PASS:-secret}
CL=${CANDIDATE_LABEL:-candidate}; OI_TIMEOUT=${OI_TIMEOUT:-300}
SRV=$BENCH_DIR/dovecot; W=$BENCH_DIR/mailwork; LOGS=$BENCH_DIR/logs/mail; TSV=$BENCH_DIR/results-mail.tsv
for t in dovecot doveadm mbsync notmuch go; do command -v $t >/dev/null || { echo "missing: $t" >&2; exit 2; }; done
mkdir -p "$LOGS" "$BENCH_DIR/bin"; rm -rf "$W"; mkdir -p "$W"
stop() { "$HERE/stop-dovecot.sh" "$SRV" >/dev/null; }
cleanup() { stop; [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$W" "$SRV"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
fresh() {   # new Dovecot + the same N messages
  stop; rm -rf "$SRV"
  "$HERE/start-dovecot.sh" "$IMAP_PORT" "$SRV" >"$LOGS/dovecot-start.out" 2>&1 || { cat "$LOGS/dovecot-start.out" >&2; exit 1; }
  "$HERE/gen-mail.sh" "$SRV" "$N" "$SEED" >"$LOGS/gen-mail.out" 2>&1 || { cat "$LOGS/gen-mail.out" >&2; exit 1; }
}
declare -A WALLS RSSS OKS HITS
declare -A Q=([subject]='subject:Rechnung' [body]='body:Zahlungserinnerung' [from-date]='from:juergen.mueller@example.de and date:2024-03..2024-04')
# rec LABEL ITEMS OK : store + print the row for the last run_timed
rec() { WALLS[$1]=$WALL; RSSS[$1]=$RSS; OKS[$1]=$3; row "$1" "$WALL" "$2" "$RSS" "$3"; }
okrc() { [ "$RC" = 0 ] && echo yes || echo "rc=$RC"; }
okn() { [ "$RC" = 0 ] || { echo "rc=$RC"; return; }; [ "$1" = "$N" ] && echo yes || echo "count!=$N"; }   # okn COUNT
nfiles() { find "$1" -type f \( -path '*/cur/*' -o -path '*/new/*' \) 2>/dev/null | wc -l; }
# search5 LABEL CMD... : 5 runs, WALL = median, RSS = max
search5() {
  local l=$1 w= r=0 bad=; shift
  for i in 1 2 3 4 5; do run_timed "$l" "$@"; w="$w $WALL"; [ "$RSS" -gt "$r" ] && r=$RSS; [ "$RC" = 0 ] || bad=$RC; done
  WALL=$(echo $w | tr ' ' '\n' | median); RSS=$r; RC=${bad:-0}
}

log "building imapdump"
(cd "$HERE/imapdump" && go build -buildvcs=false -o "$BENCH_DIR/bin/imapdump" .) || exit 1
: >"$TSV"; row label wall_s items client_max_rss_MB ok

if [ "${ONLY_CANDIDATE:-0}" != 1 ]; then
log "limit: imapdump (N=$N)"; fresh
log "corpus: $(grep -o 'generated.*MB' "$LOGS/gen-mail.out"); $(head -1 "$LOGS/dovecot-start.out")"
D=("$BENCH_DIR/bin/imapdump" -addr "127.0.0.1:$IMAP_PORT" -user "$IMAP_USER" -pass "$IMAP_PASS")
for m in headers full; do
  run_timed imapdump-$m "${D[@]}" -mode $m
  n=$(grep -o 'msgs=[0-9]*' "$LOGS/imapdump-$m.out" | cut -d= -f2); rec imapdump-$m "${n:--}" "$(okn "$n")"
done

log "anchor: mbsync + notmuch"; fresh
M=$W/mbsync; mkdir -p "$M"
cat >"$W/mbsyncrc" <<EOF
FSync no

IMAPAccount bench
Host 127.0.0.1
Port $IMAP_PORT
User $IMAP_USER
Pass $IMAP_PASS
SSLType None
AuthMechs PLAIN
PipelineDepth 50

IMAPStore remote
Account bench

MaildirStore local
Path $M/
Inbox $M/INBOX
SubFolders Verbatim

Channel all
Far :remote:
Near :local:
Patterns *
Create Near
Sync Pull
Expunge None
SyncState *
CopyArrivalDate yes
EOF
run_timed mbsync-initial mbsync -c "$W/mbsyncrc" -a; n=$(nfiles "$M"); rec mbsync-initial "$n" "$(okn "$n")"
sleep 2   # mbsync waits out a Maildir modified within the last second
run_timed mbsync-nochange mbsync -c "$W/mbsyncrc" -a; n=$(nfiles "$M"); rec mbsync-nochange "$n" "$(okn "$n")"
export NOTMUCH_CONFIG=$W/notmuch-config
printf '[database]\npath=%s\n[user]\nname=Alice\nprimary_email=alice@mailtest.local\n[new]\ntags=unread;inbox;\nignore=.mbsyncstate;.mbsyncstate.journal;.mbsyncstate.new;.mbsyncstate.lock;.uidvalidity\n[maildir]\nsynchronize_flags=true\n' "$M" >"$NOTMUCH_CONFIG"
run_timed notmuch-new notmuch new; n=$(notmuch count '*'); rec notmuch-new "$n" "$(okn "$n")"
for q in subject body from-date; do
  HITS[$q]=$(notmuch count "${Q[$q]}")
  search5 notmuch-search-$q notmuch search "${Q[$q]}"; rec notmuch-search-$q "${HITS[$q]}" "$(okrc)"
done
[ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$M"

if [ "${WITH_OFFLINEIMAP:-0}" = 1 ]; then
  log "anchor: offlineimap (cap ${OI_TIMEOUT}s)"; fresh
  printf '[general]\naccounts = b\nmetadata = %s/oi-meta\nui = basic\n[Account b]\nlocalrepository = l\nremoterepository = r\n[Repository l]\ntype = Maildir\nlocalfolders = %s/oi\nsep = /\n[Repository r]\ntype = IMAP\nremotehost = 127.0.0.1\nremoteport = %s\nremoteuser = %s\nremotepass = %s\nssl = no\nstarttls = no\nreadonly = True\nmaxconnections = 1\n' \
    "$W" "$W" "$IMAP_PORT" "$IMAP_USER" "$IMAP_PASS" >"$W/offlineimaprc"
  run_timed offlineimap-initial timeout "$OI_TIMEOUT" offlineimap -c "$W/offlineimaprc" -u quiet
  n=$(nfiles "$W/oi"); [ "$RC" = 124 ] && ok=timeout || ok=$(okn "$n")
  rec offlineimap-initial "$n" "$ok"
  if [ "$n" = "$N" ]; then
    run_timed offlineimap-nochange timeout "$OI_TIMEOUT" offlineimap -c "$W/offlineimaprc" -u quiet; n=$(nfiles "$W/oi"); rec offlineimap-nochange "$n" "$(okn "$n")"
  fi
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$W/oi" "$W/oi-meta"
fi
fi   # ONLY_CANDIDATE

if [ -n "${CANDIDATE_SYNC:-}" ]; then
  log "$CL: $CANDIDATE_SYNC"; fresh
  export CACHE_DIR=$W/cand-cache; mkdir -p "$CACHE_DIR"
  run_timed "$CL-sync" bash -c "$CANDIDATE_SYNC"; rec "$CL-sync" "$(last_int "$LOGS/$CL-sync.out")" "$(okrc)"
  sleep 2
  run_timed "$CL-resync" bash -c "${CANDIDATE_RESYNC:-$CANDIDATE_SYNC}"; rec "$CL-resync" "$(last_int "$LOGS/$CL-resync.out")" "$(okrc)"
  if [ -n "${CANDIDATE_SEARCH:-}" ]; then
    for q in subject body from-date; do
      export QUERY=${Q[$q]} QUERY_ID=$q
      search5 "$CL-search-$q" bash -c "$CANDIDATE_SEARCH"; h=$(last_int "$LOGS/$CL-search-$q.out")
      e=${HITS[$q]:-}; ok=$(okrc); [ "$ok" = yes ] && [ -n "$e" ] && [ "$h" != - ] && [ "$h" != "$e" ] && ok="hits!=$e"
      rec "$CL-search-$q" "$h" "$ok"
    done
  fi
fi
# ratio rows: candidate wall and RSS divided by the anchor's (items column: -)
[ -n "${WALLS[notmuch-new]:-}" ] && WALLS[mbsync+notmuch]=$(awk -v a="${WALLS[mbsync-initial]}" -v b="${WALLS[notmuch-new]}" 'BEGIN{print a+b}') \
  && RSSS[mbsync+notmuch]=${RSSS[notmuch-new]}
for p in sync:mbsync-initial sync:mbsync+notmuch sync:imapdump-full resync:mbsync-nochange \
         search-subject:notmuch-search-subject search-body:notmuch-search-body search-from-date:notmuch-search-from-date; do
  c=$CL-${p%%:*} a=${p#*:}
  [ -n "${WALLS[$c]:-}" ] && [ -n "${WALLS[$a]:-}" ] || continue
  if [ "${OKS[$c]}" = yes ]; then row "ratio:$c/$a" "$(ratio "${WALLS[$c]}" "${WALLS[$a]}")" - "$(ratio "${RSSS[$c]}" "${RSSS[$a]}")" -
  else row "ratio:$c/$a" - - - "candidate:${OKS[$c]}"; fi
done
log "done: $TSV (per-step output in $LOGS)"
