#!/bin/bash
# usage: bench/mail/run.sh [N=10000] [SEED=42]
# Deskport's offline mail cache beside the anchors (raw go-imap fetch, mbsync, notmuch) on the same
# private Dovecot and the same deterministic corpus: bench-mail.sh (copied from the team's shared
# harness) with the deskport CLI as the candidate. Results: TSV on stdout and
# $BENCH_DIR/results-mail.tsv (BENCH_DIR=/tmp/deskport-bench); see RESULTS.md for figures.
# Needs: dovecot-imapd isync notmuch (apt-get install), Go. ONLY_CANDIDATE=1 skips the anchors.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-10000}; SEED=${2:-42}
export BENCH_DIR=${BENCH_DIR:-/tmp/deskport-bench}
mkdir -p "$BENCH_DIR/bin"
# the headless CLI, built like the Windows binary (no cgo): it does not load WebKitGTK
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$BENCH_DIR/bin/deskport" .)
D=$BENCH_DIR/bin/deskport
# bodies of every message (what mbsync fetches), plaintext loopback, password from the environment
export CANDIDATE_LABEL=${CANDIDATE_LABEL:-deskport}
export CANDIDATE_SYNC="DESKPORT_PASSWORD=\"\$IMAP_PASS\" $D mail sync --once --cache \"\$CACHE_DIR\" --host \"\$IMAP_HOST\" --port \"\$IMAP_PORT\" --plain-loopback --user \"\$IMAP_USER\" --body-days -1"
export CANDIDATE_SEARCH="$D mail search --cache \"\$CACHE_DIR\" --limit 50 --total \"\$QUERY\""
exec "$HERE/bench-mail.sh" "$N" "$SEED"
