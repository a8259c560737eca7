#!/bin/sh
# STIX pattern matching: 1,000 generated patterns against 100,000
# generated observations through the indexed set, beside the reference (a
# plain loop of vg_pattern_match over every pattern, same program, same
# evaluation code); both must find the same matches. One observation at a
# time (a watch run on each arrival), then in batches of 10 (so that
# FOLLOWEDBY and REPEATS have several observations to bind). The target
# is 100,000 observations/s.
# Usage: bench/pattern.sh VIGIL_BINARY SHARED_DIR
set -eu
[ $# -eq 2 ] || { echo "usage: $0 VIGIL_BINARY SHARED_DIR" >&2; exit 2; }
build=$(dirname "$1")
prog=""
for p in "$build/bench_pattern" "$build/bench/bench_pattern"; do
  [ -x "$p" ] && { prog=$p; break; }
done
[ -n "$prog" ] || { echo "pattern.sh: bench_pattern not found in $build" >&2; exit 1; }
echo "== STIX pattern matcher (target: 100000 observations/s)"
"$prog" "${PATTERNS:-1000}" "${OBSERVATIONS:-100000}" 1 10
echo "load: $(uptime)"
