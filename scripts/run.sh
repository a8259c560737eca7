#!/bin/sh
# make run: a store in DATA with the demo data (the STIX files of
# ../shared/data/stix), then its statistics.
set -eu
vigil=$1 data=$2 shared=$3
"$vigil" --data "$data" init
if [ -d "$shared/data/stix" ]; then
	# medallion's fixture holds one STIX 2.0 object, rejected on purpose
	"$vigil" --data "$data" import "$shared"/data/stix/*.json || true
else
	echo "no demo data in '$shared/data/stix': generating 2,000 objects"
	"$vigil" gen --seed 1 --count 2000 | "$vigil" --data "$data" import -
fi
"$vigil" --data "$data" stats
