#!/usr/bin/env bash
# The prospect import gives the same leads, contacts, companies and qualification values on
# the test backend as on SQLite: PostgreSQL settles set-based what SQLite does row by row
# (src/store/store.c), and the two must agree on every dedupe rule. A file shaped like a
# real one (bench/gen_realistic.py), then one with SIREN, SIRET and mobile numbers, each
# into a new campaign and again into the first, on both.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$root/tests/lib.sh"
pass=0 fail=0
expect_eq() { if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi; }

"$root/bench/gen_realistic.py" 6000 7 > "$work/a.csv"
head -n 2001 "$work/a.csv" > "$work/a_first.csv"
cat > "$work/b.csv" <<'CSV'
Société;SIREN;SIRET;Nom;Téléphone;Mobile;Code postal;Secteur
Dupont SA;552100554;;Martin;01 42 68 53 00;06 12 34 56 78;75008;Banque
Dupont;;55210055400013;Bernard;01 42 68 53 01;;69001;Banque
Durand;;;Petit;04 72 00 11 22;06 12 34 56 78;69002;Industrie
Durand;;;Robert;04 72 00 11 23;;69002;Industrie
Durand;;;Richard;04 72 00 11 24;;69003;
;;;Seul;05 56 00 00 01;;33000;Services
Dupont SA;552100554;;Martin;+33 1 42 68 53 00;;75008;Autre
CSV
ref="sqlite:$work/ref.db"
db=$(new_db same)
for u in "$ref" "$db"; do
  for c in A B; do "$T" --db "$u" campaign add "$c" >/dev/null; done
  "$T" --db "$u" import prospects "$work/a_first.csv" --campaign A >/dev/null 2>&1
  "$T" --db "$u" import prospects "$work/a.csv" --campaign A >/dev/null 2>&1
  "$T" --db "$u" import prospects "$work/b.csv" --campaign B >/dev/null 2>&1
  "$T" --db "$u" import prospects "$work/b.csv" --campaign A >/dev/null 2>&1
  "$T" --db "$u" import prospects "$work/a.csv" --campaign B >/dev/null 2>&1
done
for c in A B; do
  "$T" --db "$ref" export prospects --campaign "$c" > "$work/ref-$c.csv"
  "$T" --db "$db" export prospects --campaign "$c" > "$work/db-$c.csv"
  expect_eq "campaign $c exported the same" "$(md5sum < "$work/ref-$c.csv")" "$(md5sum < "$work/db-$c.csv")"
done
expect_eq "campaign A has leads" 1 "$([ "$(wc -l < "$work/ref-A.csv")" -gt 5000 ] && echo 1)"
for q in "SELECT COUNT(*) FROM companies" "SELECT COUNT(*) FROM contacts" "SELECT COUNT(*) FROM leads" \
  "SELECT COUNT(*) FROM qualification_values" "SELECT COUNT(DISTINCT company_id) FROM contacts" \
  "SELECT COUNT(*) FROM contacts WHERE mobile IS NOT NULL" "SELECT COUNT(*) FROM companies WHERE siren IS NOT NULL" \
  "SELECT SUM(source_line) FROM leads"; do
  expect_eq "$q" "$(sql "$ref" "$q")" "$(sql "$db" "$q")"
done
# The hand-made file's dedupe, spelled out: Dupont SA by SIREN (the SIRET's too), Durand
# by name and postcode (69002 twice, 69003 another), the repeated number a duplicate.
expect_eq "companies of b.csv" "Dupont SA|Durand|Durand" \
  "$(sql "$ref" "SELECT name FROM companies WHERE name IN ('Dupont SA', 'Dupont', 'Durand') ORDER BY name, postcode" | paste -sd'|')"
echo "import_same: $pass passed, $fail failed"
[ $fail -eq 0 ]
