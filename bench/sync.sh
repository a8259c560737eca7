#!/bin/sh
# bench/sync: federation between real hubs on 127.0.0.1, beside the same
# objects moved by `vigil export` and `vigil import` in the same run (the
# local limit).
#  1. initial pull of COUNT objects (default 1,000,000) hub to hub: objects/s
#     end to end and the peak RSS of both sides;
#  2. an incremental round against that partner with nothing new;
#  3. publish on A to visible on B through R (push, A -> R -> B): p50, p99
#     over LATENCY_N objects (default 50).
# usage: bench/sync.sh VIGIL_BINARY [SHARED_DIR]
# Only 127.0.0.1 is used; the servers are stopped and the temporary
# directory removed on any exit.
set -eu
vigil=$(realpath "$1")
count=${BENCH_SYNC_COUNT:-1000000}
lat_n=${BENCH_SYNC_LATENCY:-50}
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in python3 bc; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench/sync: '$tool' is missing (make bench installs it)" >&2; exit 1; }
done

now() { date +%s.%N; }
key() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["key"])' "$1"; }
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# serve DIR PORT: start `vigil serve` and wait for it
serve() {
	"$vigil" --data "$1" serve --listen "127.0.0.1:$2" >"$1.out" 2>"$1.err" &
	pids="$pids $!"
	eval "pid_$(basename "$1")=$!"
	i=0
	until grep -q "serving on" "$1.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$1.err" >&2; exit 1; }
		sleep 0.1
	done
}
hwm_kb() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }
# the machine is shared: the load when a phase starts, and the CPU time each
# side used (user + system, seconds), which the load does not change much
load1() { cut -d' ' -f1 /proc/loadavg; }
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
cpu_of() { awk '{ print $2 + $3 }' "$1"; }

echo "bench/sync on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$work"
"$vigil" gen --seed 1 --count "$count" >gen.json
for h in A B C; do "$vigil" --data $h init --json >$h.json; done
"$vigil" --data A import --collection all gen.json >/dev/null

# ---- the local limit: export from A, import into C --------------------------
load_local=$(load1)
t0=$(now)
/usr/bin/time -f "%M %U %S" -o exp.rss "$vigil" --data A export >exp.json
t1=$(now)
/usr/bin/time -f "%M %U %S" -o imp.rss "$vigil" --data C import --collection all exp.json >/dev/null
t2=$(now)
local_s=$(echo "$t2 - $t0" | bc)

# ---- 1. the initial pull, A -> B --------------------------------------------
pa=$(free_port)
"$vigil" --data A partner add B --url http://127.0.0.1:9/taxii2/hub/ --direction push --json >a-for-b.json
key a-for-b.json | "$vigil" --data B partner add A --url "http://127.0.0.1:$pa/taxii2/hub/" \
	--direction pull --collection all --secret-file - >/dev/null
serve A "$pa"
load_pull=$(load1)
server_cpu0=$(cpu_s "$pid_A")
t0=$(now)
/usr/bin/time -f "%M %U %S" -o pull.rss "$vigil" --data B partner sync A --json >pull.json
t1=$(now)
server_cpu=$(echo "$(cpu_s "$pid_A") - $server_cpu0" | bc)
pull_s=$(echo "$t1 - $t0" | bc)
server_kb=$(hwm_kb "$pid_A")
got=$(python3 -c 'import json;print(json.load(open("pull.json"))["accepted"])')
[ "$got" = "$count" ] || { echo "bench/sync: pulled $got of $count" >&2; cat pull.json >&2; exit 1; }

# ---- 2. an incremental round with nothing new -------------------------------
t0=$(now)
"$vigil" --data B partner sync A --json >again.json
t1=$(now)
again_s=$(echo "$t1 - $t0" | bc)

awk -v n="$count" -v ls="$local_s" -v ps="$pull_s" -v er="$(cut -d' ' -f1 exp.rss)" \
    -v ir="$(cut -d' ' -f1 imp.rss)" -v cr="$(cut -d' ' -f1 pull.rss)" -v sr="$server_kb" -v as="$again_s" \
    -v lc="$(cpu_of exp.rss) + $(cpu_of imp.rss)" -v pc="$(cpu_of pull.rss)" -v sc="$server_cpu" \
    -v ll="$load_local" -v lp="$load_pull" 'BEGIN {
	split(lc, c, " [+] ")
	printf "%-40s %9d objects %7.2f s %8.0f objects/s  peak RSS export %.0f MB, import %.0f MB  (reference)\n",
		"vigil export | vigil import (local)", n, ls, n / ls, er / 1024, ir / 1024
	printf "%-40s %9d objects %7.2f s %8.0f objects/s  peak RSS puller %.0f MB, server %.0f MB  %.2fx local\n",
		"initial pull A -> B (partner sync)", n, ps, n / ps, cr / 1024, sr / 1024, ps / ls
	printf "%-40s %7.3f s\n", "incremental round, nothing new", as
	printf "%-40s local %.1f s CPU (load %s at its start); pull %.1f s puller + %.1f s server (load %s)\n",
		"CPU time (user + system)", c[1] + c[2], ll, pc, sc, lp }'

# ---- 3. publish on A, visible on B through R (push) -------------------------
for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
pids=""
rm -rf A B C exp.json gen.json
for h in a r b; do "$vigil" --data $h init --json >$h-init.json; done
qa=$(free_port); qr=$(free_port); qb=$(free_port)
# R gives A a key, B gives R a key; A pushes to R, R pushes to B
"$vigil" --data r partner add a --url "http://127.0.0.1:$qa/taxii2/hub/" --direction pull --interval 3600 --json >r-for-a.json
"$vigil" --data b partner add r --url "http://127.0.0.1:$qr/taxii2/hub/" --direction pull --interval 3600 --json >b-for-r.json
key r-for-a.json | "$vigil" --data a partner add r --url "http://127.0.0.1:$qr/taxii2/hub/" \
	--direction push --secret-file - >/dev/null
key b-for-r.json | "$vigil" --data r partner add b --url "http://127.0.0.1:$qb/taxii2/hub/" \
	--direction push --secret-file - >/dev/null
serve a "$qa"; serve r "$qr"; serve b "$qb"
python3 - "$qa" "$qb" "$(key a-init.json)" "$(key b-init.json)" "$lat_n" <<'EOF'
import http.client, json, sys, time, uuid
qa, qb, ka, kb, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
H = {"Accept": "application/taxii+json;version=2.1",
     "Content-Type": "application/taxii+json;version=2.1"}
def req(port, key, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
    c.request(method, path, body=body, headers=dict(H, Authorization="Bearer " + key))
    r = c.getresponse(); d = r.read(); c.close()
    return r.status, d
st, d = req(qa, ka, "GET", "/api/v1/orgs")
ident = [o["identity"] for o in json.loads(d)["orgs"] if o["name"] == "hub"][0]
waits = []
for i in range(n):
    oid = "indicator--%s" % uuid.uuid4()
    o = {"type": "indicator", "spec_version": "2.1", "id": oid,
         "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
         "name": "latency %d" % i, "pattern_type": "stix",
         "pattern": "[ipv4-addr:value = '198.51.100.%d']" % (i % 250),
         "valid_from": "2026-01-01T00:00:00Z", "created_by_ref": ident}
    t0 = time.monotonic()
    st, d = req(qa, ka, "POST", "/taxii2/hub/collections/all/objects/",
                json.dumps({"objects": [o]}))
    assert st == 202, d
    while True:
        st, d = req(qb, kb, "GET", "/taxii2/hub/collections/all/objects/?match[id]=" + oid)
        if json.loads(d).get("objects"):
            break
        if time.monotonic() - t0 > 60:
            sys.exit("bench/sync: not on B after 60 s")
        time.sleep(0.02)
    waits.append(time.monotonic() - t0)
    time.sleep(0.2)
waits.sort()
p = lambda q: waits[min(len(waits) - 1, int(q * len(waits)))]
print("%-40s p50 %.3f s  p99 %.3f s  max %.3f s  (%d objects)" % (
      "publish on A -> visible on B through R", p(0.5), p(0.99), waits[-1], n))
EOF
echo "targets: pull >= 30000 objects/s, peak RSS < 300 MB both sides; incremental < 0.5 s; p50 < 2 s, p99 < 5 s"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
