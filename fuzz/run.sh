#!/bin/sh
# Runs every fuzz target briefly on its seed corpus: fuzz/run.sh BUILD SECONDS
set -eu
build=$1 seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
n=0
for t in "$build"/fuzz/fuzz_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  work=$(mktemp -d)
  cp -r "$here/corpus/$name/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  "$t" -max_total_time="$seconds" -max_len=65536 -print_final_stats=0 \
      "$work" >"$work.log" 2>&1 || { tail -40 "$work.log"; rm -rf "$work"; exit 1; }
  rm -rf "$work" "$work.log"
  n=$((n + 1))
done
echo "fuzz: $n targets ran clean"
