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
