#!/bin/sh
# bench/import: generate 200,000 objects with `vigil gen`, import them into a
# fresh store, and print objects/s, MB/s and peak RSS beside the time of
# `jq -c . FILE > /dev/null` on the same file, in the same run. A second,
# twice larger file shows that memory does not grow with the input.
# usage: bench/import.sh VIGIL_BINARY [SHARED_DIR] [COUNT]
set -eu
vigil=$(realpath "$1")
count=${3:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jq_time() { # file -> seconds of jq -c . FILE > /dev/null
	start=$(date +%s.%N)
	jq -c . "$1" >/dev/null
	echo "$(date +%s.%N) - $start" | bc
}

measure() { # label file count [warn] -> prints the jq reference and vigil rows
	jq_secs=$(jq_time "$2")
	bytes=$(stat -c %s "$2")
	awk -v s="$jq_secs" -v n="$3" -v b="$bytes" 'BEGIN {
		printf "%-22s %9d objects %7.1f MB %6.2f s %9.0f objects/s %6.1f MB/s  (reference)\n",
			"jq -c . > /dev/null", n, b / 1e6, s, n / s, b / 1e6 / s }'
	rm -rf "$work/store"
	"$vigil" --data "$work/store" init >/dev/null
	# early warning's keys and watches at ingest, on by default; "off"
	# measures the store without them (a binary without it ignores this)
	if [ "${4:-}" = off ]; then
		"$vigil" --data "$work/store" warn set index off >/dev/null
	fi
	/usr/bin/time -f "%e %M" -o "$work/time" \
		"$vigil" --data "$work/store" import "$2" >"$work/out"
	read -r secs rss_kb <"$work/time"
	bytes=$(stat -c %s "$2")
	awk -v l="$1" -v s="$secs" -v n="$3" -v b="$bytes" -v r="$rss_kb" -v j="$jq_secs" 'BEGIN {
		printf "%-22s %9d objects %7.1f MB %6.2f s %9.0f objects/s %6.1f MB/s  peak RSS %5.1f MB  %4.2fx jq\n",
			l, n, b / 1e6, s, n / s, b / 1e6 / s, r / 1024, s / j }'
}

"$vigil" gen --seed 1 --count "$count" >"$work/gen.json"
echo "bench/import on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
measure "vigil import" "$work/gen.json" "$count"
cat "$work/out"
if "$vigil" help warn >/dev/null 2>&1; then
	measure "import, no early warn" "$work/gen.json" "$count" off
fi
"$vigil" gen --seed 2 --count $((count * 2)) >"$work/gen2.json"
measure "vigil import (2x file)" "$work/gen2.json" $((count * 2))
echo "targets: >= 50000 objects/s, <= 3x jq's time, peak RSS < 200 MB"
