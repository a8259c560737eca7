#!/bin/sh
# Validation speed on the ATT&CK bundles: bench/stix_validate.sh VIGIL SHARED
set -eu
bin=$(dirname "$1")/bench/bench_stix_validate
for f in ics-attack-18.1.json mobile-attack-17.1.json oasis-poisonivy.json; do
  echo "== $f"
  "$bin" "$2/data/stix/$f"
done
