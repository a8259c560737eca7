#!/bin/sh
# make run: a store in DATA with the demo data, then its statistics.
set -eu
vigil=$1 data=$2 shared=$3
"$vigil" --data "$data" stats
