#!/bin/sh
# bench/serve: TAXII serving and ingest of a real `vigil serve`, each read
# authenticated, access-checked and audited before its answer.
#  1. GET one objects page (limit=100) of the community collection of a hub
#     of 100,000 objects, with wrk (2 threads, 64 connections, 20 s), beside
#     the same page saved to a file and served by nginx in the same run.
#  2. POST envelopes of 1,000 objects from 4 concurrent clients (200,000
#     objects in all) and count the objects acknowledged in status
#     resources that say "complete": into that hub (early warning on, as
#     by default), then into a second hub of 100,000 objects with early
#     warning off (`vigil warn set index off`), in the same run.
# usage: bench/serve.sh VIGIL_BINARY [SHARED_DIR]
# Only 127.0.0.1 is used; every load is bounded in time or count; the
# servers are stopped and the temporary directory removed on any exit.
set -eu
vigil=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
seconds=${BENCH_SECONDS:-20}
ingest_count=${BENCH_INGEST:-200000}
work=$(mktemp -d)
vigil_pid=""
nginx_pid=""
cleanup() {
	[ -n "$vigil_pid" ] && kill "$vigil_pid" 2>/dev/null && wait "$vigil_pid" 2>/dev/null
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in wrk nginx jq curl python3; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
		{ echo "bench/serve: '$tool' is missing (make bench installs it)" >&2; exit 1; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wrk's figures: "REQ_PER_S P99_MS NON_2XX" from its --latency output
wrk_figures() {
	awk '
	/Requests\/sec:/ { rps = $2 }
	/^ +99%/ { v = $2; ms = v + 0
		if (v ~ /us$/) ms = ms / 1000; else if (v ~ /ms$/) ms = ms; else if (v ~ /s$/) ms = ms * 1000
		p99 = ms }
	/Non-2xx/ { bad = $NF }
	END { printf "%s %.2f %d\n", rps, p99, bad + 0 }' "$1"
}

echo "bench/serve on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -r)"

# ---- a hub of 100,000 objects ---------------------------------------------
key=$("$vigil" --data "$work/hub" init --json | jq -r .key)
start=$(date +%s.%N)
"$vigil" gen --seed 1 --count 100000 | "$vigil" --data "$work/hub" import - >"$work/import.out"
echo "loaded 100000 objects in $(echo "$(date +%s.%N) - $start" | bc | xargs printf %.1f) s: $(tail -1 "$work/import.out")"

# start `vigil serve` on hub $1; sets vigil_pid and base
serve() {
	"$vigil" --data "$1" serve --listen 127.0.0.1:0 \
		--set per_ip_connection_limit=1024 >"$work/serve.out" 2>"$work/serve.err" &
	vigil_pid=$!
	i=0
	until grep -q "serving on" "$work/serve.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$work/serve.err" >&2; exit 1; }
		sleep 0.1
	done
	base=$(sed -n 's|vigil serving on \(http://[^/]*\)/taxii2/|\1|p' "$work/serve.out")
}
serve "$work/hub"
auth="Authorization: Bearer $key"
accept="Accept: application/taxii+json;version=2.1"
cid=$(curl -sf -H "$auth" -H "$accept" "$base/taxii2/hub/collections/community/" | jq -r .id)
path="/taxii2/hub/collections/$cid/objects/?limit=100"

# ---- 1. one page, vigil and nginx -----------------------------------------
cat >"$work/headers.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $key"
wrk.headers["Accept"] = "application/taxii+json;version=2.1"
EOF
mkdir -p "$work/www"
curl -sf -H "$auth" -H "$accept" "$base$path" >"$work/www/page.json"
objects=$(jq '.objects | length' "$work/www/page.json")
bytes=$(stat -c %s "$work/www/page.json")
[ "$objects" = 100 ] || { echo "bench/serve: the page has $objects objects" >&2; exit 1; }

port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $work/nginx/body;
	proxy_temp_path $work/nginx/proxy;
	fastcgi_temp_path $work/nginx/fastcgi;
	uwsgi_temp_path $work/nginx/uwsgi;
	scgi_temp_path $work/nginx/scgi;
	server {
		listen 127.0.0.1:$port;
		location / { root $work/www; default_type application/taxii+json; }
	}
}
EOF
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/page.json"
"$nginx" -c "$work/nginx.conf" -p "$work/nginx" 2>"$work/nginx/stderr" &
nginx_pid=$!
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$port/page.json"; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$work/nginx/stderr" "$work/nginx/error.log" >&2; exit 1; }
	sleep 0.1
done
echo "page: $objects objects, $bytes bytes; wrk -t2 -c64 -d${seconds}s, one URL"

wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/headers.lua" "$base$path" >"$work/wrk-vigil.txt"
wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/headers.lua" "http://127.0.0.1:$port/page.json" >"$work/wrk-nginx.txt"
set -- $(wrk_figures "$work/wrk-vigil.txt")
v_rps=$1 v_p99=$2 v_bad=$3
set -- $(wrk_figures "$work/wrk-nginx.txt")
n_rps=$1 n_p99=$2 n_bad=$3
if [ "$v_bad" != 0 ] || [ "$n_bad" != 0 ]; then
	echo "bench/serve: non-2xx answers: vigil $v_bad, nginx $n_bad" >&2
	cat "$work/wrk-vigil.txt" "$work/serve.err" >&2
	exit 1
fi
awk -v vr="$v_rps" -v vp="$v_p99" -v nr="$n_rps" -v np="$n_p99" 'BEGIN {
	printf "%-34s %10.0f requests/s  p99 %8.2f ms  (reference)\n", "nginx, the page as a static file", nr, np
	printf "%-34s %10.0f requests/s  p99 %8.2f ms  %.2fx nginx\n", "vigil GET objects (audited)", vr, vp, vr / nr }'
kill "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || true
nginx_pid=""

# ---- 2. ingest: 4 clients, envelopes of 1,000 objects ---------------------
# posted by the admin of hub $2 (key $3): the objects name the admin's
# organisation as their creator (members post only what they create)
post() { # label hub key
	creator=$("$vigil" --data "$2" org list --json | jq -r '.orgs[0].identity')
	"$vigil" gen --seed 2 --count "$ingest_count" --created-by "$creator" >"$work/ingest.json"
	python3 "$here/post.py" "vigil POST, 4 clients, $1" 42 "$3" \
		"$work/ingest.json" "$base"
}
post "early warning on" "$work/hub" "$key"
kill "$vigil_pid" && wait "$vigil_pid" 2>/dev/null || true
vigil_pid=""
# the same on a second hub of 100,000 objects with early warning off: what
# correlation keys and watches cost beside the ingest alone
key2=$("$vigil" --data "$work/hub2" init --json | jq -r .key)
"$vigil" gen --seed 1 --count 100000 | "$vigil" --data "$work/hub2" import - >/dev/null
"$vigil" --data "$work/hub2" warn set index off >/dev/null
serve "$work/hub2"
post "early warning off" "$work/hub2" "$key2"
echo "targets: vigil >= 0.3x nginx requests/s; ingest >= 20000 objects/s"
