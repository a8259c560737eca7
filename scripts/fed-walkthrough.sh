#!/bin/sh
# The walkthrough of docs/federation.md: three hubs on loopback ports (A and
# B national, R regional) in the current directory; an object shared from A
# to B through R, one that stays home (TLP:RED), a deletion that follows.
# usage: VIGIL=build/vigil sh scripts/fed-walkthrough.sh  (in an empty dir)
set -eu
V=${VIGIL:-vigil}
# 1. three hubs, each its own data dir
for h in a r b; do $V --data $h init --hub-name "hub-$h" --json > $h-init.json; done
key() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["key"])' "$1"; }
# 2. partners. R pulls from A and from B; B pulls from R. A and B make a
#    record for R (direction push, no credential: R pulls from them)
$V --data a partner add R --url http://127.0.0.1:8102/taxii2/hub/ --direction push --json > a-for-r.json
key a-for-r.json | $V --data r partner add A --url http://127.0.0.1:8101/taxii2/hub/ \
        --direction pull --interval 2 --secret-file - --json > r-for-a.json
$V --data r partner add B --url http://127.0.0.1:8103/taxii2/hub/ --direction push --json > r-for-b.json
key r-for-b.json | $V --data b partner add R --url http://127.0.0.1:8102/taxii2/hub/ \
        --direction pull --interval 2 --secret-file - --json > b-for-r.json
# 3. serve (the sync loops run inside vigil serve)
for h in a:8101 r:8102 b:8103; do
        $V --data ${h%:*} serve --listen 127.0.0.1:${h#*:} > ${h%:*}.log 2>&1 &
        echo $! > ${h%:*}.pid
done
sleep 1
# 4. publish on A: one object for everyone, one that stays home (TLP:RED)
cat > objs.json <<'J'
{"type":"bundle","id":"bundle--0b7e4cf4-7a2c-4c5e-9a1f-6f3f0d6f4c11","objects":[
 {"type":"indicator","spec_version":"2.1","id":"indicator--6e0a4c1e-27b5-4c47-8c3a-1f0d1b6e2a01",
  "created":"2026-02-01T10:00:00.000Z","modified":"2026-02-01T10:00:00.000Z",
  "name":"C2 server","pattern_type":"stix","pattern":"[ipv4-addr:value = '203.0.113.9']",
  "valid_from":"2026-02-01T10:00:00Z",
  "object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
 {"type":"indicator","spec_version":"2.1","id":"indicator--6e0a4c1e-27b5-4c47-8c3a-1f0d1b6e2a02",
  "created":"2026-02-01T10:00:00.000Z","modified":"2026-02-01T10:00:00.000Z",
  "name":"informant's phone","pattern_type":"stix","pattern":"[ipv4-addr:value = '198.51.100.4']",
  "valid_from":"2026-02-01T10:00:00Z",
  "object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]}]}
J
$V --data a import --collection all objs.json
sleep 6
$V --data b get indicator--6e0a4c1e-27b5-4c47-8c3a-1f0d1b6e2a01            # there
$V --data b get indicator--6e0a4c1e-27b5-4c47-8c3a-1f0d1b6e2a02 || echo "TLP:RED stayed home"
$V --data a partner preview R
$V --data b partner status
# 5. A deletes it: the signed tombstone goes A -> R -> B
curl -s -X DELETE -H "Authorization: Bearer $(key a-init.json)" \
        -H "Accept: application/taxii+json;version=2.1" \
        http://127.0.0.1:8101/taxii2/hub/collections/all/objects/indicator--6e0a4c1e-27b5-4c47-8c3a-1f0d1b6e2a01/
sleep 6
$V --data b get indicator--6e0a4c1e-27b5-4c47-8c3a-1f0d1b6e2a01 || echo "deleted on B too"
for h in a r b; do kill $(cat $h.pid); done
