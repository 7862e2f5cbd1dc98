#!/usr/bin/env bash
# The prospect import gives the same leads, contacts, companies and qualification values on
# the test backend as on SQLite: PostgreSQL settles set-based what SQLite does row by row
# (src/store/store_import.c), and the two must agree on every dedupe rule. A file shaped like a
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
# c.csv: b.csv, and a row that calls the number an earlier row gave as Martin's mobile:
# row by row (SQLite), his contact is found again. (The set-based import of PostgreSQL
# finds only contacts that were in the database before the file: a known difference.)
{ cat "$work/b.csv"; echo ';;;Lemobile;06 12 34 56 78;;75001;Services'; } > "$work/c.csv"
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

# A first import into a database (SQLite, no contact or company yet) finds its own earlier
# rows in memory and builds nine indexes after the rows (store_import.c, fresh_begin): each file
# gives the same campaign as in a database that already held a contact, and the indexes
# are back after it.
printf 'Nom;Téléphone\nAilleurs;+32 2 555 12 34\n' > "$work/z.csv"
indexes="SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name)"
"$T" --db "sqlite:$work/new.db" campaign add A >/dev/null
shape="SELECT COUNT(*), COUNT(DISTINCT l.contact_id), COUNT(DISTINCT c.company_id), COUNT(c.mobile),
  SUM(l.source_line), COUNT(DISTINCT q.id) FROM leads l JOIN contacts c ON c.id = l.contact_id
  LEFT JOIN qualification_values q ON q.contact_id = c.id WHERE l.campaign_id = (SELECT id FROM campaigns WHERE name = 'A')"
for f in c a; do
  for w in fresh warm; do
    u="sqlite:$work/$w-$f.db"
    "$T" --db "$u" campaign add A >/dev/null
    "$T" --db "$u" campaign add Z >/dev/null
    [ $w = warm ] && "$T" --db "$u" import prospects "$work/z.csv" --campaign Z >/dev/null 2>&1
    "$T" --db "$u" import prospects "$work/$f.csv" --campaign A > "$work/$w-$f.out" 2>&1
    "$T" --db "$u" export prospects --campaign A > "$work/$w-$f.csv"
  done
  expect_eq "$f.csv: a first import says the same" "$(cat "$work/warm-$f.out")" "$(cat "$work/fresh-$f.out")"
  expect_eq "$f.csv: a first import exports the same" "$(md5sum < "$work/warm-$f.csv")" "$(md5sum < "$work/fresh-$f.csv")"
  expect_eq "$f.csv: a first import gives the same rows" "$(sql "sqlite:$work/warm-$f.db" "$shape")" \
    "$(sql "sqlite:$work/fresh-$f.db" "$shape")"
  expect_eq "$f.csv: every row's parents exist (checks off during imports)" "" \
    "$(sql "sqlite:$work/fresh-$f.db" "PRAGMA foreign_key_check")$(sql "sqlite:$work/warm-$f.db" "PRAGMA foreign_key_check")"
  expect_eq "$f.csv: the indexes are back" "$(sql "sqlite:$work/new.db" "$indexes")" \
    "$(sql "sqlite:$work/fresh-$f.db" "$indexes")"
done
# c.csv's last row calls the number that is Martin's mobile: his contact, found again.
expect_eq "a number found as a mobile in a first import" "Martin" \
  "$(sql "sqlite:$work/fresh-c.db" "SELECT c.last_name FROM leads l JOIN contacts c ON c.id = l.contact_id
    WHERE l.phone = '+33612345678'")"
expect_eq "c.csv's companies in a first import" "Dupont SA|Durand|Durand" \
  "$(sql "sqlite:$work/fresh-c.db" "SELECT name FROM companies WHERE name IN ('Dupont SA', 'Dupont', 'Durand')
    ORDER BY name, postcode" | paste -sd'|')"
# b.csv as a first import (SIREN, SIRET, a mobile, a company by name and postcode, a
# repeated number): PostgreSQL writes it straight into the tables, SQLite finds its rows
# in memory; the same rows either way.
first_ref="sqlite:$work/first-b.db"
first_db=$(new_db first_b)
for u in "$first_ref" "$first_db"; do
  "$T" --db "$u" campaign add B >/dev/null
  "$T" --db "$u" import prospects "$work/b.csv" --campaign B >/dev/null 2>&1
done
expect_eq "b.csv as a first import exports the same" "$("$T" --db "$first_ref" export prospects --campaign B | md5sum)" \
  "$("$T" --db "$first_db" export prospects --campaign B | md5sum)"
for q in "SELECT id, name, siren, siret, postcode, sector FROM companies ORDER BY id" \
  "SELECT id, company_id, last_name, phone, mobile, address, postcode FROM contacts ORDER BY id" \
  "SELECT id, contact_id, phone, source_line FROM leads ORDER BY id" \
  "SELECT contact_id, key, value FROM qualification_values ORDER BY id"; do
  expect_eq "b.csv as a first import: $q" "$(sql "$first_ref" "$q")" "$(sql "$first_db" "$q")"
done
expect_eq "b.csv as a first import has its companies" "3" "$(sql "$first_db" "SELECT COUNT(*) FROM companies")"
# A first import of more rows than one batch of the bulk path (20,000: PostgreSQL writes
# them straight into the tables, a batch at a time): the same rows, ids and next ids as
# SQLite's, and a second import after it takes the ids that follow.
"$root/bench/gen_realistic.py" 25000 11 > "$work/big.csv"
printf 'Nom;Téléphone;Société\nNouveau;+33 4 78 00 00 01;Neuve SA\n' > "$work/after.csv"
big_ref="sqlite:$work/big.db"
big_db=$(new_db big)
for u in "$big_ref" "$big_db"; do
  "$T" --db "$u" campaign add A >/dev/null
  "$T" --db "$u" import prospects "$work/big.csv" --campaign A > "$work/big-out-${u%%:*}.txt" 2>/dev/null
  "$T" --db "$u" import prospects "$work/after.csv" --campaign A >/dev/null 2>&1
done
expect_eq "a big first import says the same" "$(cat "$work/big-out-sqlite.txt")" "$(cat "$work/big-out-${big_db%%:*}.txt")"
expect_eq "a big first import exports the same" "$("$T" --db "$big_ref" export prospects --campaign A | md5sum)" \
  "$("$T" --db "$big_db" export prospects --campaign A | md5sum)"
for q in "SELECT COUNT(*), SUM(id), SUM(company_id), COUNT(address) FROM contacts" \
  "SELECT COUNT(*), SUM(id), SUM(contact_id), SUM(source_line) FROM leads" \
  "SELECT COUNT(*), SUM(id), COUNT(siren) FROM companies" "SELECT COUNT(*), SUM(contact_id) FROM qualification_values" \
  "SELECT c.id, co.id FROM contacts c JOIN companies co ON co.id = c.company_id WHERE c.last_name = 'Nouveau'"; do
  expect_eq "a big first import: $q" "$(sql "$big_ref" "$q")" "$(sql "$big_db" "$q")"
done
expect_eq "a big first import has its rows" 1 "$([ "$(sql "$big_ref" "SELECT COUNT(*) FROM leads")" -gt 24000 ] && echo 1)"
echo "import_same: $pass passed, $fail failed"
[ $fail -eq 0 ]
