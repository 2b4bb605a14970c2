#!/usr/bin/env bash
# The window with a suite page open stays within its memory budget (issue #20):
# at most 250 MiB PSS in all, and WebKit's web process without accelerated
# compositing's ~70 MiB (bench/window/memory.sh --check; figures in bench/window/RESULTS.md).
exec "$(dirname "$0")/../bench/window/memory.sh" --check
