#!/bin/sh
# bench/screen: screening speed and recall. bench_screen parses the UN and
# OFAC lists, builds the match index and screens 1,000,000 synthetic
# travellers (1% planted spelling variants of listed people, the rest
# fictional) on one core and on every core; then, in the same run, a
# brute-force reference in Python (jellyfish Jaro-Winkler of sorted-token
# names against every listed name) on part of the sample bench_screen
# writes, with vigil's figures on the same travellers beside it.
# usage: bench/screen.sh VIGIL_BINARY SHARED_DIR [TRAVELLERS] [REF_EACH]
#   TRAVELLERS  default 1000000
#   REF_EACH    planted and fictional travellers the reference screens
#               (default 300 of each: it does ~20 travellers a second)
set -eu
bin=$(dirname "$1")/bench/bench_screen
shared=$2
count=${3:-1000000}
each=${4:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "bench/screen on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" "$shared" "$work" "$count" 10
echo "load average after vigil: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 "$(dirname "$0")/screen_ref.py" "$work/names.tsv" \
	"$work/sample.tsv" "$each" "$each"
echo "targets: >= 100000 travellers/s on one core, p99 < 10 ms per" \
	"300-traveller manifest, index build < 1 s, peak RSS < 200 MB," \
	"recall above the reference's"
