#!/bin/sh
# Name matching: quality on the labelled name pairs (beside a plain
# sorted-token Jaro-Winkler reference), the UN self-test on the UN list
# alone and with UN and OFAC indexed together, false hits on the outside
# negatives (fictional people, a third with name particles), and index
# build and query speed over UN + OFAC (beside a brute-force scan).
# Usage: bench/names.sh VIGIL_BINARY SHARED_DIR
set -eu
[ $# -eq 2 ] || { echo "usage: $0 VIGIL_BINARY SHARED_DIR" >&2; exit 2; }
build=$(dirname "$1") shared=$2
# the bench programs sit beside the binary, or in the build's bench/
find_prog() {
  for p in "$build/$1" "$build/bench/$1"; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  echo "names.sh: $1 not found beside $1 in $build" >&2
  return 1
}
names=$(find_prog bench_names)
names_un=$(find_prog bench_names_un)
echo "== name pairs (name-bench-cases.csv)"
"$names" "$shared/data/names/name-bench-cases.csv"
echo
echo "== UN self-test (UN alone, UN + OFAC), outside negatives, speed over UN + OFAC"
"$names_un" "$shared" "${NAMES_QUERIES:-20000}"
