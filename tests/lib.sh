# Helpers shared by the shell tests; sourced, never run. The backend comes from
# TELEPRO_TEST_BACKEND: sqlite (default) or pg, the latter with TELEPRO_TEST_PG set to the
# directory of a cluster started by scripts/pg.sh (scripts/check.sh does both).
TEST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The CLI speaks French when the locale is French (cli_lang): the tests expect its English
# whatever the machine's locale, unless a test asks for French itself.
unset LC_ALL
export LC_MESSAGES=C
TEST_BACKEND=${TELEPRO_TEST_BACKEND:-sqlite}
test_db_seq=0

# new_db NAME: the URL of a new, empty database (a file under $work, or a PostgreSQL
# database of the test cluster).
new_db() {
  test_db_seq=$((test_db_seq + 1))
  if [ "$TEST_BACKEND" = pg ]; then
    "$TEST_ROOT/scripts/pg.sh" createdb "$TELEPRO_TEST_PG" "t_$$_${test_db_seq}_$(echo "$1" | tr -c 'a-z0-9\n' '_')"
  else
    echo "sqlite:$work/$1.db"
  fi
}

# sql URL QUERY: one query's rows, columns separated by '|', as the sqlite3 command prints.
sql() {
  case "$1" in
    sqlite:*) sqlite3 "${1#sqlite:}" "$2" ;;
    *) psql -X -q -A -t -F '|' "$(pg_conninfo "$1")" -c "$2" ;;
  esac
}

# The libpq conninfo of a postgresql:///DB?host=H&port=P&user=U URL, for psql.
pg_conninfo() {
  local url=$1 db rest
  db=${url#postgresql:///}; db=${db%%\?*}
  rest=${url#*\?}
  echo "dbname=$db $(echo "$rest" | tr '&' ' ')"
}

# free_port: a TCP port of 127.0.0.1 free now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server TELEPRO LOG [ARGS...]: `telepro serve` on a free port of 127.0.0.1 (in $web),
# its log appended to LOG, its pid in $server; returns once it answers /api/v1/health, or
# fails saying so.
start_server() {
  local t=$1 log=$2
  shift 2
  web=$(free_port)
  "$t" serve --listen "127.0.0.1:$web" --threads 2 "$@" >>"$log" 2>&1 &
  server=$!
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$web/api/v1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "FAIL: the server did not start"; tail -20 "$log"; return 1
}
