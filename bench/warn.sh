#!/bin/sh
# bench/warn: early warning's figures, each beside its reference in the
# same run.
#  1. `vigil import` of COUNT `vigil gen` objects into a fresh store with
#     early warning on (correlation keys, and WATCHES watches of every
#     kind made first) beside the same import with early warning off
#     (`vigil warn set index off`): three rounds, alternating; target
#     >= 70% of the objects/s without.
#  2. POST acknowledged -> alert on the live stream (SSE), 500 posts:
#     target p99 < 1 s.
#  3. correlation lookup of one object with BIG objects stored (1,000
#     sampled): target median < 1 ms.
#  4. the STIX pattern matcher (bench/pattern.sh), beside a plain loop.
# usage: bench/warn.sh VIGIL_BINARY [SHARED_DIR]
# WARN_PARTS picks the parts to run (default "1 2 3 4"), e.g. WARN_PARTS=1.
set -eu
vigil=$(realpath "$1")
shared=${2:-../shared}
build=$(dirname "$vigil")
count=${WARN_COUNT:-200000}
watches=${WARN_WATCHES:-10000}
big=${WARN_BIG:-1000000}
rounds=${WARN_ROUNDS:-3}
parts=${WARN_PARTS:-1 2 3 4}
part() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
work=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
prog=""
for p in "$build/bench_warn" "$build/bench/bench_warn"; do
	[ -x "$p" ] && { prog=$p; break; }
done
[ -n "$prog" ] || { echo "warn.sh: bench_warn not found in $build" >&2; exit 1; }

echo "bench/warn on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- 1. ingest with and without early warning ------------------------------
secs() { echo "$(date +%s.%N) - $1" | bc; }
if part 1; then
"$vigil" gen --seed 1 --count "$count" >"$work/gen.json"
import_rate() { # store -> objects/s
	start=$(date +%s.%N)
	"$vigil" --data "$1" import "$work/gen.json" >"$work/import.out"
	s=$(secs "$start")
	echo "$count / $s" | bc
}
off="" on="" ratios=""
for round in $(seq 1 "$rounds"); do
	rm -rf "$work/off" "$work/on"
	"$vigil" --data "$work/off" init >/dev/null
	"$vigil" --data "$work/off" warn set index off >/dev/null
	r_off=$(import_rate "$work/off")
	"$vigil" --data "$work/on" init >/dev/null
	"$prog" watches "$work/on" "$watches" >"$work/watches.out"
	r_on=$(import_rate "$work/on")
	alerts=$(sqlite3 "$work/on/vigil.db" "select count(*) from warn_alerts")
	keys=$(sqlite3 "$work/on/vigil.db" "select count(*) from warn_keys")
	printf "round %d: without %7.0f objects/s  with %7.0f objects/s (%d watches, %d keys, %d alerts)  %.2fx   load %s\n" \
		"$round" "$r_off" "$r_on" "$watches" "$keys" "$alerts" \
		"$(echo "$r_on / $r_off" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
	off="$off $r_off" on="$on $r_on"
	ratios="$ratios $(echo "$r_on / $r_off" | bc -l)"
done
median() { echo "$@" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
median_f() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_off=$(median $off) m_on=$(median $on)
printf "ingest (median of %d rounds): without %.0f objects/s, with %.0f objects/s; median of the rounds' ratios %.2fx (target >= 0.70)\n" \
	"$rounds" "$m_off" "$m_on" "$(median_f $ratios)"
fi

# ---- 2. POST -> SSE ---------------------------------------------------------
if part 2; then
"$vigil" --data "$work/sse" init >/dev/null
for org in alpha beta; do "$vigil" --data "$work/sse" org add $org >/dev/null; done
"$vigil" --data "$work/sse" user add ann --org alpha --role analyst >/dev/null
"$vigil" --data "$work/sse" user add bob --org beta --role analyst >/dev/null
ka=$("$vigil" --data "$work/sse" key new --user ann --json | jq -r .key)
kb=$("$vigil" --data "$work/sse" key new --user bob --json | jq -r .key)
"$prog" watches "$work/sse" "$watches" >/dev/null
"$vigil" --data "$work/sse" watch add value 198.18.0.0/15 --as ann >/dev/null
"$vigil" --data "$work/sse" serve --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
i=0
while ! grep -q "serving on" "$work/serve.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/serve.err"; exit 1; }; sleep 0.1
done
base=$(sed -n 's|.*serving on \(http://[^/]*\)/.*|\1|p' "$work/serve.out")
coll=$(curl -s -H "Authorization: Bearer $kb" "$base/taxii2/hub/collections/community/" | jq -r .id)
python3 "$(dirname "$0")/warn_sse.py" "$base" "$kb" "$ka" "$coll" "${WARN_POSTS:-500}"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "  (target p99 < 1000 ms; load $(cut -d' ' -f1-3 /proc/loadavg))"
fi

# ---- 3. correlation lookups with BIG objects --------------------------------
if part 3; then
"$vigil" --data "$work/big" init >/dev/null
"$vigil" --data "$work/big" org add alpha >/dev/null
"$vigil" --data "$work/big" user add reader --org alpha --role reader >/dev/null
start=$(date +%s.%N)
"$vigil" gen --seed 3 --count "$big" | "$vigil" --data "$work/big" import - >/dev/null
echo "stored $big objects in $(secs "$start" | xargs printf %.1f) s ($(du -sh "$work/big" | cut -f1))"
"$prog" correlate "$work/big" "${WARN_LOOKUPS:-1000}" reader
echo "  (target median < 1 ms; load $(cut -d' ' -f1-3 /proc/loadavg))"
fi

# ---- 4. the pattern matcher ------------------------------------------------
if part 4; then
sh "$(dirname "$0")/pattern.sh" "$vigil" "$shared"
fi
