#!/bin/sh
# bench/pg: the PostgreSQL backend beside SQLite, in the same run.
#  1. import: COUNT objects (default 200,000) of `vigil gen --seed 1` into a
#     fresh SQLite store and a fresh PostgreSQL database.
#  2. GET one objects page (limit=100) of the community collection of a hub
#     of 100,000 objects, wrk -c64 for SECONDS: SQLite with one `vigil
#     serve`, PostgreSQL with one, PostgreSQL with two on the same database
#     (two wrk, 32 connections each, their requests/s added), and two
#     again without the read cache (read_cache_mb=0).
#  3. POST envelopes of 1,000 objects (INGEST objects, default 200,000) from
#     4 clients: SQLite, PostgreSQL with one process, with two (2 clients
#     each); objects acknowledged in status resources that say "complete".
# The PostgreSQL server is a throwaway cluster (scripts/pgtest.sh) on a
# Unix socket with fsync on: an acknowledged write is on disk, as SQLite's
# synchronous=FULL. Its tuning is printed.
# usage: bench/pg.sh VIGIL_BINARY [SHARED_DIR]
# Only 127.0.0.1 and the socket are used; every load is bounded; servers
# and the cluster are stopped and the temporary directory removed on exit.
set -eu
vigil=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
seconds=${BENCH_SECONDS:-20}
count=${BENCH_IMPORT:-200000}
ingest_count=${BENCH_INGEST:-200000}
work=$(mktemp -d)
chmod 755 "$work"
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	sh "$here/../scripts/pgtest.sh" stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in wrk jq curl python3; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench/pg: '$tool' is missing (make bench installs it)" >&2; exit 1; }
done

# the tuning of the run's server, beside pgtest.sh's defaults
export PGTEST_FSYNC=on
url=$(sh "$here/../scripts/pgtest.sh" start "$work/pg")
pgloc() { echo "$url" | sed "s|:///?|:///$1?|"; }
psql=/usr/lib/postgresql/15/bin/psql
export VIGIL_KEY_DIR="$work/keys"

echo "bench/pg on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL $("$psql" -X -A -t "$(pgloc postgres)" -c 'SHOW server_version'):" \
	"$("$psql" -X -A -t "$(pgloc postgres)" -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'wal_level', 'full_page_writes', 'max_wal_size', 'max_connections')")"

# ---- 1. import ------------------------------------------------------------
"$vigil" gen --seed 1 --count "$count" >"$work/gen.json"
import_rate() { # label location
	"$vigil" --data "$2" init >/dev/null
	start=$(date +%s.%N)
	"$vigil" --data "$2" import "$work/gen.json" >"$work/import.out"
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	awk -v l="$1" -v s="$secs" -v n="$count" 'BEGIN {
		printf "%-36s %9.0f objects/s  %d objects, %.2f s\n", l, n / s, n, s }'
}
import_rate "import, SQLite (reference)" "$work/sqlite-import"
rm -rf "$work/sqlite-import"
import_rate "import, PostgreSQL" "$(pgloc imp)"
rm -rf "$VIGIL_KEY_DIR"

# ---- hubs of 100,000 objects --------------------------------------------
"$vigil" gen --seed 1 --count 100000 >"$work/hub.json"
make_hub() { # location -> the admin's key
	k=$("$vigil" --data "$1" init --json | jq -r .key)
	"$vigil" --data "$1" import "$work/hub.json" >/dev/null
	echo "$k"
}
serve() { # location [threads] [--set ...] -> "PID BASE"
	out="$work/serve.$(date +%s%N)"
	s_loc=$1 threads=${2:-4}
	shift $(($# < 2 ? $# : 2))
	"$vigil" --data "$s_loc" serve --listen 127.0.0.1:0 --threads "$threads" \
		--set per_ip_connection_limit=1024 "$@" >"$out" 2>"$out.err" &
	p=$!
	i=0
	until grep -q "serving on" "$out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$out.err" >&2; exit 1; }
		sleep 0.1
	done
	echo "$p $(sed -n 's|vigil serving on \(http://[^/]*\)/taxii2/|\1|p' "$out")"
}
wrk_rps() { awk '/Requests\/sec:/ { print $2 } /Non-2xx/ { print "bad" }' "$1"; }

sq_key=$(make_hub "$work/sq")
export VIGIL_KEY_DIR="$work/keys-pg"
pg_key=$(make_hub "$(pgloc hub)")
cid_of() { curl -sf -H "Authorization: Bearer $2" \
	-H "Accept: application/taxii+json;version=2.1" \
	"$1/taxii2/hub/collections/community/" | jq -r .id; }

get_bench() { # label key base... (one wrk per base, 64 connections shared)
	label=$1 key=$2
	shift 2
	cat >"$work/headers.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $key"
wrk.headers["Accept"] = "application/taxii+json;version=2.1"
EOF
	n=$#
	conns=$((64 / n))
	i=0
	wpids=""
	for b in "$@"; do
		i=$((i + 1))
		cid=$(cid_of "$b" "$key")
		wrk -t$((3 - n)) -c$conns -d"${seconds}s" -s "$work/headers.lua" \
			"$b/taxii2/hub/collections/$cid/objects/?limit=100" >"$work/wrk.$i" &
		wpids="$wpids $!"
	done
	for p in $wpids; do wait "$p"; done
	total=0
	for k in $(seq 1 "$n"); do
		r=$(wrk_rps "$work/wrk.$k")
		case "$r" in *bad*) echo "bench/pg: non-2xx answers" >&2; cat "$work/wrk.$k" >&2; exit 1;; esac
		total=$(echo "$total + $r" | bc)
	done
	awk -v l="$label" -v r="$total" 'BEGIN { printf "%-36s %9.0f requests/s\n", l, r }'
}

post_bench() { # label key count seed base...
	label=$1 key=$2 n=$3 seed=$4
	shift 4
	creator=$("$vigil" --data "$loc" org list --json | jq -r '.orgs[0].identity')
	"$vigil" gen --seed "$seed" --count "$n" --created-by "$creator" >"$work/ingest.json"
	python3 "$here/post.py" "$label" 36 "$key" "$work/ingest.json" "$@"
}

# ---- 2. GET ------------------------------------------------------------------
echo "GET one page (limit=100, 100,000 objects), ${seconds} s, 64 connections:"
set -- $(serve "$work/sq"); sq_pid=$1 sq_base=$2; pids="$pids $1"
get_bench "GET, SQLite, 1 process (reference)" "$sq_key" "$sq_base"
# a reader waits for the database on every statement: more threads than
# SQLite's 4 keep the cores busy (PG_THREADS)
pg_threads=${PG_THREADS:-12}
echo "PostgreSQL servers: --threads $pg_threads"
set -- $(serve "$(pgloc hub)" "$pg_threads"); a_pid=$1 a_base=$2; pids="$pids $1"
get_bench "GET, PostgreSQL, 1 process" "$pg_key" "$a_base"
set -- $(serve "$(pgloc hub)" "$pg_threads"); b_pid=$1 b_base=$2; pids="$pids $1"
get_bench "GET, PostgreSQL, 2 processes" "$pg_key" "$a_base" "$b_base"
# the same without the read cache (read_cache_mb=0): every page asked of
# the database, as before the cache
set -- $(serve "$(pgloc hub)" "$pg_threads" --set read_cache_mb=0)
c_pid=$1 c_base=$2; pids="$pids $1"
set -- $(serve "$(pgloc hub)" "$pg_threads" --set read_cache_mb=0)
d_pid=$1 d_base=$2; pids="$pids $1"
get_bench "GET, PostgreSQL, 2, no read cache" "$pg_key" "$c_base" "$d_base"
kill $c_pid $d_pid 2>/dev/null; wait $c_pid $d_pid 2>/dev/null || true

# ---- 3. POST -----------------------------------------------------------------
echo "POST envelopes of 1,000 objects, 4 clients:"
loc="$work/sq"
post_bench "POST, SQLite, 1 process (reference)" "$sq_key" "$ingest_count" 2 "$sq_base"
loc=$(pgloc hub)
post_bench "POST, PostgreSQL, 1 process" "$pg_key" "$ingest_count" 3 "$a_base"
post_bench "POST, PostgreSQL, 2 processes" "$pg_key" "$ingest_count" 4 "$a_base" "$b_base"
echo "targets: GET with 2 processes >= SQLite; POST >= 20000 objects/s; import >= 50000 objects/s"
echo "load after the run $(cut -d' ' -f1-3 /proc/loadavg)"
