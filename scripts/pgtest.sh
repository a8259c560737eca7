#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests and benchmarks.
#   pgtest.sh start DIR [PORT]  initdb in DIR/data (unless there), start the
#                               server on a Unix socket in DIR (and on
#                               127.0.0.1:PORT when given), print the
#                               location prefix to add a database name to
#   pgtest.sh stop DIR          stop it and remove DIR
#   pgtest.sh restart DIR       stop and start the server, keeping the data
#   pgtest.sh url DIR           print the location prefix again
# As root (CI), initdb refuses to run: the cluster belongs to the
# unprivileged user 'nobody'. Any failure is said and exits non-zero.
set -eu
cmd=${1:?usage: pgtest.sh start|stop|restart|url DIR [PORT]}
dir=${2:?usage: pgtest.sh start|stop|restart|url DIR [PORT]}
port=${3:-}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

url() {
  echo "postgresql:///?host=$dir&user=vigil"
}

start_server() {
  opts="-c listen_addresses='' -c unix_socket_directories='$dir'"
  if [ -n "$port" ]; then
    opts="-c listen_addresses='127.0.0.1' -c port=$port -c unix_socket_directories='$dir'"
  fi
  # the tests make and drop hundreds of small databases: no fsync there
  # (a killed vigil loses nothing without it; only the machine's crash
  # would); the benchmarks ask for it back with PGTEST_FSYNC=on
  opts="$opts -c fsync=${PGTEST_FSYNC:-off} -c full_page_writes=off"
  opts="$opts -c max_connections=300 -c shared_buffers=256MB"
  opts="$opts -c wal_level=minimal -c max_wal_senders=0"
  opts="$opts -c synchronous_commit=on -c max_wal_size=2GB"
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
       -o "$opts" start >/dev/null; then
    echo "pgtest: the PostgreSQL server did not start:" >&2
    tail -n 20 "$dir/log" >&2 || true
    exit 1
  fi
}

case "$cmd" in
start)
  if [ ! -x "$bin/initdb" ]; then
    echo "pgtest: no $bin/initdb (install postgresql-15: make deps)" >&2
    exit 1
  fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  mkdir -p "$dir"
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    if ! as_owner "$bin/initdb" -D "$dir/data" -U vigil --auth=trust \
         --locale=C -E UTF8 >"$dir/initdb.log" 2>&1; then
      echo "pgtest: initdb failed:" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    fi
  fi
  start_server
  url
  ;;
restart)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  start_server
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || \
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
  fi
  rm -rf "$dir"
  ;;
url)
  url
  ;;
*)
  echo "pgtest: unknown command '$cmd'" >&2
  exit 2
  ;;
esac
