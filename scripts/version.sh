#!/usr/bin/env bash
# Prints Deskport's version for builds and packages.
#   scripts/version.sh            full version: 1.2.0 on tag v1.2.0; 1.2.0+3.gabc1234 three
#                                 commits after it; 0.1.0~dev.412.gabc1234 with no tag yet
#                                 (wails.json's productVersion, ~ so the release sorts after
#                                 it in dpkg); .dirty when the tree has uncommitted changes
#   scripts/version.sh --numeric  X.Y.Z only (Windows version resources, NSIS)
set -euo pipefail
cd "$(dirname "$0")/.."
base=$(sed -n 's/.*"productVersion": *"\([0-9][0-9.]*\)".*/\1/p' wails.json)
if desc=$(git describe --tags --match 'v[0-9]*' --long --dirty 2>/dev/null); then
  # v1.2.0-3-gabc1234[-dirty]
  dirty=""; [[ $desc == *-dirty ]] && { dirty=.dirty; desc=${desc%-dirty}; }
  sha=${desc##*-}; rest=${desc%-*}; count=${rest##*-}; tag=${rest%-*}; base=${tag#v}
  if [ "$count" = 0 ] && [ -z "$dirty" ]; then full=$base; else full="$base+$count.$sha$dirty"; fi
elif sha=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  dirty=""; [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && dirty=.dirty
  full="$base~dev.$(git rev-list --count HEAD).g$sha$dirty"
else
  full="$base~dev"
fi
if [ "${1:-}" = --numeric ]; then
  num=$(echo "$base" | grep -oE '^[0-9]+(\.[0-9]+){0,2}')
  while [ "$(echo "$num" | tr -cd . | wc -c)" -lt 2 ]; do num=$num.0; done
  echo "$num"
else
  echo "$full"
fi
