#!/usr/bin/env bash
# The window's memory beside a plain Wails v2 window, measured alternately in
# one run under Xvfb: PSS and private dirty memory of the app process, WebKit's web process
# and its network process, with Deskport's shell open and with a suite page of
# the fake suite open.
#
#   bench/window/memory.sh [ROUNDS]          (default 3)
#   bench/window/memory.sh --check           Deskport alone, one round; fails above the
#       target (250 MiB PSS in all) or when the web process holds more than 64 MiB of private
#       dirty memory (about 30 with WebKit's software rendering, 90-100 with accelerated compositing)
#
# The anchor is `wails init -t vanilla` in a temp dir, built with the same
# Wails CLI and flags as Deskport (`wails build -m -s -tags webkit2_41`; its
# frontend is built with the project's own Vite, so no npm download). Nothing
# from it is kept. Deskport is built as scripts/gui-smoke.sh builds it.
#   DESKPORT_BIN=path   measure this Deskport build instead of building one
#   ANCHOR_BIN=path     reuse an anchor built before (its window title must be "vanillaw")
#   EXTRA="LABEL=BIN[@ENV=V,...] ..."   more candidates (e.g. one build with an env var set)
#   ALONE=1             also "PSS alone": each page divided among the app's own processes only, as
#                       if nothing else on the machine mapped it (reads /proc/PID/pagemap: root)
# Results: bench/window/RESULTS.md. Other WebKit processes on the machine share
# library pages and lower every PSS figure: compare PSS from the same run only. Private dirty
# memory does not depend on other processes.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$(go env GOPATH)/bin:$PATH"
check=
if [ "${1:-}" = --check ]; then check=1; shift; fi
rounds=${1:-3}
for tool in wails xvfb-run dbus-run-session xdotool import identify; do
  command -v "$tool" >/dev/null || { echo "memory.sh: $tool is missing (scripts/deps.sh --test installs the tools)" >&2; exit 1; }
done
[ -x frontend/node_modules/.bin/vite ] || { echo "memory.sh: run 'npm ci' in frontend/ first (the pages are built with the project's Vite)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/deskport-winmem.XXXXXX")
trap 'rm -rf "$work"' EXIT

anchor=${ANCHOR_BIN:-}
if [ -z "$anchor" ] && [ -z "$check" ]; then
  echo "memory.sh: building the anchor (wails init -t vanilla) in $work" >&2
  (cd "$work" && wails init -n vanillaw -t vanilla -d vanillaw >"$work/init.log" 2>&1) || { cat "$work/init.log" >&2; exit 1; }
  vite=$PWD/frontend/node_modules/.bin/vite
  (cd "$work/vanillaw/frontend" && "$vite" build >"$work/vite.log" 2>&1) || { cat "$work/vite.log" >&2; exit 1; }
  (cd "$work/vanillaw" && GOFLAGS=-mod=mod wails build -m -s -tags webkit2_41 -o vanillaw >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }
  anchor=$work/vanillaw/build/bin/vanillaw
fi

deskport=${DESKPORT_BIN:-}
[ -z "$deskport" ] && [ -n "$check" ] && [ -x build/bin/deskport ] && [ -z "${REBUILD:-}" ] && deskport=build/bin/deskport
if [ -z "$deskport" ]; then
  echo "memory.sh: building Deskport" >&2
  (cd frontend && npm run build >"$work/fe.log" 2>&1) || { cat "$work/fe.log" >&2; exit 1; }
  wails build -m -s -tags webkit2_41 -o deskport >"$work/dp.log" 2>&1 || { cat "$work/dp.log" >&2; exit 1; }
  deskport=build/bin/deskport
fi

args=(--candidate "Deskport=$deskport")
if [ -n "$check" ]; then
  args+=(--rounds 1 --max-total-pss 250 --max-web-dirty 64)
else
  args+=(--rounds "$rounds" --anchor "vanillaw=$anchor")
fi
for c in ${EXTRA:-}; do args+=(--candidate "$c"); done
[ -z "${ALONE:-}" ] || args+=(--alone)
echo "memory.sh: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), WebKitGTK $(pkg-config --modversion webkit2gtk-4.1), kernel $(uname -r)" >&2
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" python3 bench/window/measure.py "${args[@]}" 2> >(grep -v -e '^dbus-daemon' -e 'SpiRegistry' >&2)
