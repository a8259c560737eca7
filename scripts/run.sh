#!/bin/sh
# make run: scripts/run.sh VIGIL DATA SHARED [--no-serve]
# The demo hub in DATA: made once, with the demo data (the STIX files of
# SHARED/data/stix, the UN and OFAC lists) and an admin key printed once;
# reused as it is by every later run (its key stays valid). Then the
# server on $VIGIL_LISTEN (default 127.0.0.1:8080), unless --no-serve
# (tests/integration/test_tour.py builds the README's hub this way). A
# port that something answers on already is refused before anything is
# done, so a second 'make run' never starts a second server.
set -eu
vigil=$1 data=$2 shared=$3 serve=${4:-}
listen=${VIGIL_LISTEN:-127.0.0.1:8080}
host=${listen%:*} port=${listen##*:}
host=${host#[} host=${host%]}

# 0 when something accepts TCP connections on host:port (perl-base is
# part of every Debian system)
answers() {
	command -v perl >/dev/null 2>&1 || return 1
	perl -MIO::Socket::INET -e 'exit(IO::Socket::INET->new(PeerAddr => $ARGV[0],
		PeerPort => $ARGV[1], Proto => "tcp", Timeout => 2) ? 0 : 1)' \
		"$1" "$2" 2>/dev/null
}

if [ "$serve" != --no-serve ] && [ "$port" != 0 ] && answers "$host" "$port"; then
	echo "make run: $listen is taken (a server answers there: an earlier 'make run'?); use it, stop it, or serve on another port: make run VIGIL_LISTEN=127.0.0.1:8081" >&2
	exit 1
fi

key=""
if [ -f "$data/vigil.db" ]; then
	echo "reusing the demo hub in $data (made by an earlier 'make run'; its admin key, printed then, still works)"
	echo "a new admin key:  $vigil --data $data key new --user admin"
else
	log="$data/demo.log"
	echo "creating the demo hub in $data (details in $log)"
	json=$("$vigil" --data "$data" init --org "Demo Agency" --json)
	key=$(printf '%s' "$json" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
	: >"$log"
	if [ -d "$shared/data/stix" ]; then
		# medallion's fixture holds one STIX 2.0 object, refused on
		# purpose: the import exits 1 for it
		"$vigil" --data "$data" import "$shared"/data/stix/*.json >>"$log" 2>&1 || true
		echo "  STIX files of $shared/data/stix: $(sed -n 's/^total: //p' "$log")"
	else
		echo "  no demo data in '$shared/data/stix': 2,000 generated objects instead"
		"$vigil" gen --seed 1 --count 2000 | "$vigil" --data "$data" import - >>"$log" 2>&1
	fi
	wl="$shared/data/watchlists"
	if [ -f "$wl/un/consolidated-2026-02-27.xml" ]; then
		"$vigil" --data "$data" watchlist import --format un \
			"$wl/un/consolidated-2026-02-27.xml" | tee -a "$log" | sed 's/^/  list /'
	fi
	if [ -f "$wl/ofac/sdn.csv" ]; then
		"$vigil" --data "$data" watchlist import --format ofac "$wl/ofac" |
			tee -a "$log" | sed 's/^/  list /'
	fi
fi
[ "$serve" = --no-serve ] && { [ -n "$key" ] && echo "admin key: $key"; exit 0; }

url="http://$listen/taxii2/"
echo
echo "vigil hub:  $url  (TAXII API root ${url}hub/)"
echo "console:    http://$listen/ui/  (sign in as admin with the admin key)"
if [ -n "$key" ]; then
	echo "admin key:  $key  (shown this once; keep it)"
else
	key='$KEY'
fi
cat <<MSG
try:        curl -H "Authorization: Bearer $key" ${url}hub/collections/
            $vigil --data $data match "Mohamed bin Omar" --dob 1960 --nationality AF
            (README.md, "A short tour"; 'make install PREFIX=\$HOME/.local' puts vigil on your PATH)
stop with Ctrl-C
MSG
exec "$vigil" --data "$data" serve --listen "$listen"
