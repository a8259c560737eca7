#!/bin/sh
# make run: the hub in DATA with the demo data (the STIX files of
# ../shared/data/stix, the UN and OFAC lists), then the server on 127.0.0.1:8080 with the URL and
# an admin key printed. Each run issues a fresh admin key and revokes the
# one the previous run printed (keys are shown once and stored hashed).
set -eu
vigil=$1 data=$2 shared=$3
listen=${VIGIL_LISTEN:-127.0.0.1:8080}
if [ ! -f "$data/vigil.db" ]; then
	"$vigil" --data "$data" init --org "Demo Agency" >/dev/null
	if [ -d "$shared/data/stix" ]; then
		# medallion's fixture holds one STIX 2.0 object, rejected on purpose
		"$vigil" --data "$data" import "$shared"/data/stix/*.json || true
	else
		echo "no demo data in '$shared/data/stix': generating 2,000 objects"
		"$vigil" gen --seed 1 --count 2000 | "$vigil" --data "$data" import -
	fi
	wl="$shared/data/watchlists"
	[ -f "$wl/un/consolidated-2026-02-27.xml" ] &&
		"$vigil" --data "$data" watchlist import --format un \
			"$wl/un/consolidated-2026-02-27.xml"
	[ -f "$wl/ofac/sdn.csv" ] &&
		"$vigil" --data "$data" watchlist import --format ofac "$wl/ofac"
fi
if [ -f "$data/.demo-key-id" ]; then
	"$vigil" --data "$data" key revoke "$(cat "$data/.demo-key-id")" >/dev/null 2>&1 || true
fi
json=$("$vigil" --data "$data" key new --user admin --json)
key=$(printf '%s' "$json" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
printf '%s' "$json" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' >"$data/.demo-key-id"
"$vigil" --data "$data" stats
cat <<MSG

vigil hub: http://$listen/taxii2/  (TAXII API root http://$listen/taxii2/hub/)
console:   http://$listen/ui/  (sign in as admin with the key below)
admin key: $key
try:       curl -H "Authorization: Bearer $key" http://$listen/taxii2/hub/collections/
           $vigil --data $data match "Mohammed Omar" --dob 1960
stop with Ctrl-C
MSG
exec "$vigil" --data "$data" serve --listen "$listen"
