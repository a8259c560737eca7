#!/bin/sh
# The layering, checked on the sources (make test runs it): no SQL and no
# SQLite call outside src/store/; core includes no layer above it and no
# I/O library; the fronts (http, cli, sync) never include the store; the
# store never includes a layer above it. Prints every breach; exit 1.
set -u
cd "$(dirname "$0")/.."
bad=0
breach() { echo "layers: $1"; bad=1; }

# SQL text or SQLite calls outside the store
for f in $(grep -rlE "sqlite3_|sqlite3\.h|libpq|SELECT [^;]* FROM|INSERT INTO|DELETE FROM|UPDATE [a-z_]+ SET|CREATE TABLE" \
	src --include='*.c' --include='*.h' | grep -v '^src/store/'); do
	breach "$f: SQL or SQLite outside src/store/"
done

# core: pure, and only core headers
for f in $(find src/core include/vigil -name '*.[ch]' | grep -vE '^include/vigil/(store|service|http|sync|cli)/'); do
	grep -HnE '#include ["<](vigil/(store|service|http|sync|cli)/|sqlite3\.h|microhttpd\.h|curl/|libpq)' "$f" |
		while read -r line; do echo "layers: $line: core includes a layer above it or an I/O library"; done
done | grep . && bad=1

# the fronts reach the store only through the service
for f in $(find src/http src/cli src/sync -name '*.[ch]' 2>/dev/null); do
	if grep -qE '#include ["<](vigil/store/|sqlite3\.h)' "$f"; then
		breach "$f: a front includes the store"
	fi
done

# the store and the service never include the fronts
for f in $(find src/store src/service include/vigil/store include/vigil/service -name '*.[ch]'); do
	if grep -qE '#include ["<](vigil/(http|sync|cli)/|microhttpd\.h|curl/)' "$f"; then
		breach "$f: includes a front"
	fi
done
for f in $(find src/store include/vigil/store -name '*.[ch]'); do
	if grep -qE '#include ["<]vigil/service/' "$f"; then
		breach "$f: the store includes the service"
	fi
done

[ $bad = 0 ] && echo "layers: clean"
exit $bad
