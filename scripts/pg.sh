#!/usr/bin/env bash
# scripts/pg.sh start DIR | stop DIR | createdb DIR NAME | pause DIR | resume DIR
# A throw-away PostgreSQL cluster for the tests: initialised in DIR, listening only on a
# unix socket in DIR (no TCP port, so nothing collides), run by a non-root user (the
# "postgres" system user when we are root), fsync off. `start` prints the base URL;
# `createdb` creates a database and prints its URL. Installs PostgreSQL when missing.
set -euo pipefail
cmd=${1:?usage: pg.sh start|stop|createdb DIR [NAME]}
dir=${2:?usage: pg.sh start|stop|createdb DIR [NAME]}
here=$(cd "$(dirname "$0")" && pwd)
port=5432

bindir() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$b" ] && [ -x "$b/initdb" ] || return 1
  echo "$b"
}
as_owner() { # runs a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url() { echo "postgresql:///$1?host=$dir&port=$port&user=postgres"; }

case "$cmd" in
start)
  if ! bin=$(bindir); then
    "$here/deps.sh" pg
    bin=$(bindir) || { echo "pg.sh: PostgreSQL is not installed and could not be installed" >&2; exit 1; }
  fi
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { echo "pg.sh: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses= -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null ||
    { echo "pg.sh: the server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }
  url postgres
  ;;
pause)   # a clean shutdown (every acknowledged commit on disk), the cluster kept
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  ;;
resume)
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses= -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  ;;
stop)
  if bin=$(bindir) && [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
createdb)
  name=${3:?usage: pg.sh createdb DIR NAME}
  bin=$(bindir)
  "$bin/createdb" -h "$dir" -p "$port" -U postgres "$name"
  url "$name"
  ;;
*)
  echo "usage: pg.sh start|stop|createdb DIR [NAME]" >&2; exit 2 ;;
esac
