#!/usr/bin/env bash
# CLI behaviour: init, users, campaigns, opposition lists, exit codes and messages.
# Each check compares a value; the first failure is reported with what was expected.
set -uo pipefail
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"
cd "$work"
TELEPRO_DB=$(new_db cli)
export TELEPRO_DB
pass=0 fail=0

expect_eq() { # what expected actual
  if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

# init creates, then is idempotent
expect_eq "init creates" "$TELEPRO_DB: schema version 12 (12 migrations applied)" "$("$T" init)"
expect_eq "init again" "$TELEPRO_DB: schema version 12, up to date" "$("$T" init)"
expect_eq "--db wins over TELEPRO_DB" "sqlite:other.db: schema version 12 (12 migrations applied)" "$("$T" --db sqlite:other.db init)"

# TELEPRO_NOW fixes the clock (scripted days, golden tests); anything but seconds is refused
TELEPRO_NOW=soon "$T" user list 2>err >/dev/null
expect_eq "bad TELEPRO_NOW rc" 2 $?
expect_eq "bad TELEPRO_NOW message" "telepro: TELEPRO_NOW: 'soon': seconds since 1970 (UTC)" "$(cat err)"

# users
echo "correct horse" | "$T" user add alice --role agent --password-stdin >/dev/null
expect_eq "user add rc" 0 $?
echo "correct horse" | "$T" user add alice --role sales --password-stdin 2>err >/dev/null
expect_eq "duplicate user rc" 2 $?
expect_eq "duplicate user message" "telepro: name: a user named 'alice' exists already" "$(cat err)"
echo "short" | "$T" user add bob --role agent --password-stdin 2>err >/dev/null
expect_eq "short password rc" 2 $?
expect_eq "short password message" "telepro: password: at least 8 characters" "$(cat err)"
echo "correct horse" | "$T" user add bob --role boss --password-stdin 2>err >/dev/null
expect_eq "bad role rc" 2 $?
expect_eq "bad role message" "telepro user: --role agent|sales|manager|admin is required (see telepro user --help)" "$(cat err)"
echo "battery staple" | TELEPRO_NOW=1796144400 "$T" user add bob --role sales --password-stdin >/dev/null
expect_eq "TELEPRO_NOW is the clock" 1796144400 "$("$T" user list --format json | json "d[1]['created_at']")"
expect_eq "user list json" "alice agent False|bob sales False" \
  "$("$T" user list --format json | json "'|'.join(f\"{u['name']} {u['role']} {u['disabled']}\" for u in d)")"
"$T" user disable bob >/dev/null
expect_eq "disabled" "True" "$("$T" user list --format json | json "d[1]['disabled']")"
echo "new password" | "$T" user passwd alice --password-stdin >/dev/null
expect_eq "passwd rc" 0 $?
# the password is stored as an Argon2id hash, never in clear
expect_eq "argon2id hash" "1" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM users WHERE name='alice' AND password_hash LIKE '\$argon2id\$%' AND password_hash NOT LIKE '%new password%'")"
# roles change; the last enabled admin is never disabled nor demoted
expect_eq "user set role" "user alice is now manager" "$("$T" user set alice --role manager)"
"$T" user set alice --role boss 2>err >/dev/null
expect_eq "user set bad role" "2 telepro: role: 'boss': agent, sales, manager or admin" "$? $(cat err)"
echo "correct horse" | "$T" user add root --role admin --password-stdin >/dev/null
"$T" user disable root 2>err >/dev/null
expect_eq "the last admin stays" "2 telepro: user: 'root' is the last admin: make another user admin before disabling or demoting them" "$? $(cat err)"
"$T" user set root --role agent 2>err >/dev/null
expect_eq "nor is demoted" 2 $?
expect_eq "role change audited" "user.role|manager" "$(sql "$TELEPRO_DB" "SELECT action, detail FROM audit_log WHERE action = 'user.role'")"
"$T" user set alice --role agent >/dev/null
# The phone that rings for an agent when Telepro dials (docs/TELEPHONY.md).
expect_eq "user set phone" "user alice: phone sip:201@pbx.example" "$("$T" user set alice --phone sip:201@pbx.example)"
expect_eq "phone listed" "sip:201@pbx.example" "$("$T" user list --format json | python3 -c 'import json,sys; print([u["phone"] for u in json.load(sys.stdin) if u["name"] == "alice"][0])')"
"$T" user set alice --phone 201 2>err >/dev/null
expect_eq "a phone is a SIP address" "2 telepro: phone: '201': the agent's phone is a SIP address, e.g. sip:201@pbx.example, or tel:+33..." "$? $(cat err)"
"$T" --as alice user set root --phone sip:999@pbx.example 2>err >/dev/null
expect_eq "an agent sets their own phone only" "2 telepro: user phone: your role may not do that (alice)" "$? $(cat err)"
expect_eq "phone change audited" "user.phone|sip:201@pbx.example" "$(sql "$TELEPRO_DB" "SELECT action, detail FROM audit_log WHERE action = 'user.phone'")"
"$T" user passwd nobody --password-stdin </dev/null 2>err >/dev/null
expect_eq "passwd unknown rc" 2 $?
expect_eq "passwd unknown message" "telepro: user: no user named 'nobody'" "$(cat err)"
"$T" user passwd alice --password-stdin </dev/null 2>err >/dev/null
expect_eq "empty password rc" 2 $?
expect_eq "empty password message" "telepro: no password on standard input (one line, at most 254 bytes)" "$(cat err)"

# the actor: the operating-system user, or --as LOGIN with that user's role
USER=carol "$T" campaign add "Audit" >/dev/null
# How a campaign dials and the number it presents (ARCEP, décision n° 2022-1583).
"$T" campaign set Audit --dialing progressive 2>err >/dev/null
expect_eq "progressive dialing needs a caller ID" "2 telepro: caller-id: progressive dialing presents a number of the ranges for automated calling systems (ARCEP, décision n° 2022-1583 du 1er septembre 2022 (plan national de numérotation)): set the campaign's --caller-id" "$? $(cat err)"
"$T" campaign set Audit --dialing progressive --caller-id "06 12 34 56 78" 2>err >/dev/null
expect_eq "never a mobile" "2" "$?"
expect_eq "never a mobile, said" "telepro: caller-id: +33612345678 is a mobile number: an automated calling system never presents one" "$(cut -d';' -f1 err)"
"$T" campaign set Audit --dialing progressive --caller-id "01 62 12 34 56" --ring-timeout 30s >/dev/null
expect_eq "a number of the ranges" "progressive +33162123456 30" "$("$T" campaign show Audit --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["dialing"], d["caller_id"], d["ring_timeout_seconds"])')"
"$T" campaign set Audit --dialing click --caller-id "04 78 12 34 56" >/dev/null
expect_eq "click-to-call from another number: a word" "True" "$("$T" campaign show Audit --format json | python3 -c 'import json,sys; print("click-to-call" in json.load(sys.stdin)["caller_id_warning"])')"
"$T" campaign set Audit --dialing predictive 2>err >/dev/null
expect_eq "dialing modes" "2 telepro: dialing: 'predictive': manual, click or progressive" "$? $(cat err)"
"$T" campaign set Audit --dialing manual --caller-id none >/dev/null
expect_eq "audit names the OS user" "carol" "$(sql "$TELEPRO_DB" "SELECT actor FROM audit_log WHERE action='campaign.add' ORDER BY id DESC LIMIT 1")"
"$T" --as alice campaign add "Forbidden" 2>err >/dev/null
expect_eq "agent may not add a campaign rc" 2 $?
expect_eq "agent may not add a campaign message" "telepro: campaign add: your role may not do that (alice)" "$(cat err)"
"$T" --as ghost campaign list 2>err >/dev/null
expect_eq "--as unknown message" "telepro: as: no user named 'ghost' to act as" "$(cat err)"
echo "manager pass" | "$T" user add maud --role manager --password-stdin >/dev/null
"$T" --as maud campaign set "Audit" --daily-calls 12 >/dev/null
expect_eq "audit names --as" "maud campaign.set" "$(sql "$TELEPRO_DB" "SELECT actor || ' ' || action FROM audit_log ORDER BY id DESC LIMIT 1")"
"$T" campaign set "Audit" --hold 2w 2>err >/dev/null
expect_eq "bad duration message" "telepro: hold: '2w': expected a duration such as 90 (seconds), 90s, 15m, 2h or 3d" "$(cat err)"
"$T" campaign set "Audit" --idle-limit 2d 2>err >/dev/null
expect_eq "duration range message" "telepro: idle-limit: '2d': the duration must be from 1m to 1d" "$(cat err)"
"$T" campaign set "Audit" --hourly-cost 28.505 2>err >/dev/null
expect_eq "money decimals message" "telepro: hourly-cost: '28.505': at most two decimals (cents)" "$(cat err)"

# campaigns
"$T" campaign add "Salon Lyon 2027" --kind event --audience b2b --timezone Europe/Paris >/dev/null
expect_eq "campaign add rc" 0 $?
"$T" campaign add "Salon Lyon 2027" --kind event 2>err >/dev/null
expect_eq "duplicate campaign rc" 2 $?
"$T" campaign add "X" --kind party 2>err >/dev/null
expect_eq "bad kind rc" 2 $?
expect_eq "bad kind message" "telepro: kind: 'party': use appointment, event, qualification, survey, sales or custom" "$(cat err)"
"$T" campaign add "Y" --timezone Mars/Olympus 2>/dev/null >/dev/null
expect_eq "bad timezone rc" 2 $?
"$T" campaign set "Salon Lyon 2027" --daily-calls 40 --weekly-calls 180 --block 14:00-16:00 --block "sat 10:00-12:00" \
  --hourly-cost 28,50 --call-length 2m --max-attempts 4 >/dev/null
expect_eq "campaign set rc" 0 $?
show=$("$T" campaign show "Salon Lyon 2027" --format json)
expect_eq "objectives" "40 180 None" "$(echo "$show" | json "f\"{d['objectives']['daily_calls']} {d['objectives']['weekly_calls']} {d['objectives']['daily_appointments']}\"")"
expect_eq "blocks" "6 1 14:00 16:00 6 10:00" "$(echo "$show" | json "f\"{len(d['calling_blocks'])} {d['calling_blocks'][0]['weekday']} {d['calling_blocks'][0]['start']} {d['calling_blocks'][0]['end']} {d['calling_blocks'][5]['weekday']} {d['calling_blocks'][5]['start']}\"")"
expect_eq "cost, length, attempts" "2850 120 4 event" "$(echo "$show" | json "f\"{d['hourly_cost_cents']} {d['expected_call_seconds']} {d['max_attempts']} {d['kind']}\"")"
"$T" campaign set "Salon Lyon 2027" --daily-calls 0 --no-blocks >/dev/null
expect_eq "objective removed" "None 0" "$("$T" campaign show "Salon Lyon 2027" --format json | json "f\"{d['objectives']['daily_calls']} {len(d['calling_blocks'])}\"")"
"$T" campaign set "Salon Lyon 2027" --daily-calls lots 2>err >/dev/null
expect_eq "bad number rc" 2 $?
expect_eq "bad number message" "telepro: daily-calls: 'lots': a whole number from 0 to 1000000 (0 removes it)" "$(cat err)"
"$T" campaign show "Nope" 2>err >/dev/null
expect_eq "unknown campaign rc" 2 $?
expect_eq "campaign list" "Audit|Salon Lyon 2027" "$("$T" campaign list --format json | json "'|'.join(c['name'] for c in d)")"

# import errors that make the file unusable: exit 2 with a message saying what to do
"$T" import prospects missing.csv --campaign "Salon Lyon 2027" 2>err >/dev/null
expect_eq "missing file rc" 2 $?
expect_eq "missing file message" "telepro: missing.csv: No such file or directory" "$(cat err)"
printf 'nom,tel\nA,0142685300\n' > p.csv
"$T" import prospects p.csv --campaign "Nope" 2>err >/dev/null
expect_eq "import unknown campaign rc" 2 $?
"$T" import prospects p.csv 2>err >/dev/null
expect_eq "import without campaign rc" 2 $?
"$T" import prospects p.csv --campaign "Salon Lyon 2027" --encoding ebcdic 2>err >/dev/null
expect_eq "bad encoding rc" 2 $?
"$T" import prospects . --campaign "Salon Lyon 2027" 2>err >/dev/null
expect_eq "directory rc" 2 $?
expect_eq "text summary" "p.csv: 1 imported, 0 duplicates, 0 rejected into Salon Lyon 2027" \
  "$("$T" import prospects p.csv --campaign "Salon Lyon 2027")"
expect_eq "leads counted" "1" "$("$T" campaign show "Salon Lyon 2027" --format json | json "d['leads']")"
expect_eq "leads in the list" "Audit:0|Salon Lyon 2027:1" \
  "$("$T" campaign list --format json | json "'|'.join(f\"{c['name']}:{c['leads']}\" for c in d)")"
expect_eq "json export" "None +33142685300 A" \
  "$("$T" export prospects --campaign "Salon Lyon 2027" --format json | json "f\"{d[0]['company']} {d[0]['phone']} {d[0]['last_name']}\"")"
expect_eq "import audited" "1" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM audit_log WHERE action='import.prospects'")"

# opposition lists: a bare list, and a CSV with a phone column
printf '01 42 68 53 00\n0612345678\nnot a number\n+33 1 42 68 53 00\n' > bloctel.txt
out=$("$T" import dnc bloctel.txt --source bloctel --format json 2>err)
expect_eq "dnc rc" 0 $?
expect_eq "dnc summary" "2 1 1" "$(echo "$out" | json "f\"{d['added']} {d['already_listed']} {d['rejected']}\"")"
expect_eq "dnc error" "bloctel.txt:3: phone: 'not a number': not a phone number" "$(cat err)"
printf 'Nom;Téléphone\nDupont;04 72 00 11 22\n' > internal.csv
expect_eq "dnc csv" "internal.csv: 1 added, 0 already listed, 0 rejected (source internal)" \
  "$("$T" import dnc internal.csv --source internal)"
expect_eq "dnc stored" "+33142685300 bloctel|+33472001122 internal|+33612345678 bloctel" \
  "$(sql "$TELEPRO_DB" "SELECT phone || ' ' || source FROM opposition ORDER BY phone" | paste -sd'|')"
"$T" import dnc bloctel.txt --source friends 2>/dev/null
expect_eq "dnc bad source rc" 2 $?
"$T" import dnc bloctel.txt --source bloctel --campaign X 2>err
expect_eq "dnc takes no campaign rc" 2 $?
expect_eq "dnc takes no campaign message" "telepro import: import dnc does not take --campaign (see telepro import --help)" "$(cat err)"

# call histories: a row is known by its content, not by its file's name and line
"$T" campaign add "Hist" >/dev/null
printf '[columns]\nagent = agent\ndate = date\ntime = time\nresult = result\n' > h.mapping
mkdir -p a b
printf 'agent,date,time,result\nzoe,2026-11-02,10:00,busy\nzoe,2026-11-02,10:05,busy\n' > a/history.csv
printf 'agent,date,time,result\nyann,2026-11-03,11:00,no_answer\nyann,31/04/2026,11:05,busy\nyann,2026-02-31,11:06,busy\n' > b/history.csv
expect_eq "history a" "a/history.csv: 2 calls imported, 0 duplicates, 0 rejected into Hist" \
  "$("$T" import calls a/history.csv --campaign Hist --mapping h.mapping)"
expect_eq "history b, same file name" "b/history.csv: 1 calls imported, 0 duplicates, 2 rejected into Hist" \
  "$("$T" import calls b/history.csv --campaign Hist --mapping h.mapping 2>err)"
expect_eq "impossible dates named" "b/history.csv:3: date: '31/04/2026': there is no such day in that month|b/history.csv:4: date: '2026-02-31': there is no such day in that month" \
  "$(paste -sd'|' err)"
expect_eq "history a again: duplicates" "a/history.csv: 0 calls imported, 2 duplicates, 0 rejected into Hist" \
  "$("$T" import calls a/history.csv --campaign Hist --mapping h.mapping)"
expect_eq "history calls stored" "3" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM calls c JOIN campaigns k ON k.id = c.campaign_id WHERE k.name = 'Hist'")"
# Longer histories are stored by batches of rows (looked up together): a file that
# shares its first 300 rows with an earlier one counts them as duplicates, across batches;
# rejects, found while reading or while storing, come in file order.
printf '[columns]\nagent = agent\ndate = date\ntime = time\nresult = result\noutcome = outcome\n' > h2.mapping
rows() { awk -v from="$1" -v to="$2" 'BEGIN { print "agent,date,time,result,outcome"
  for (i = from; i <= to; i++) {
    t = sprintf("%02d:%02d", 8 + int(i / 60), i % 60)
    if (i == 300) print "zoe,2026-11-04," t ",conversation,nope"
    else if (i == 301) print "zoe,2026-11-31," t ",busy,"
    else print "zoe,2026-11-04," t ",busy," } }'; }
rows 1 600 > c.csv
rows 301 900 > d.csv
expect_eq "history by batches" "c.csv: 598 calls imported, 0 duplicates, 2 rejected into Hist" \
  "$("$T" import calls c.csv --campaign Hist --mapping h2.mapping 2>err)"
expect_eq "history by batches: rejects in file order" "c.csv:301: outcome: 'nope' is not an outcome of this campaign (built in: refused hot_short hot_medium hot_long callback appointment sale do_not_call not_target)|c.csv:302: date: '2026-11-31': there is no such day in that month" \
  "$(paste -sd'|' err)"
expect_eq "overlapping history" "d.csv: 300 calls imported, 299 duplicates, 1 rejected into Hist" \
  "$("$T" import calls d.csv --campaign Hist --mapping h2.mapping 2>/dev/null)"
# Notes are kept as written (a history's calls go by COPY on PostgreSQL: escapes).
printf '[columns]\nagent = agent\ndate = date\ntime = time\nresult = result\nnotes = notes\n' > h3.mapping
printf 'agent,date,time,result,notes\nzoe,2026-11-05,09:00,busy,"back\\slash\tand tab"\nzoe,2026-11-05,09:01,busy,"two\nlines"\nzoe,2026-11-05,09:02,busy,\n' > e.csv
expect_eq "history with notes" "e.csv: 3 calls imported, 0 duplicates, 0 rejected into Hist" \
  "$("$T" import calls e.csv --campaign Hist --mapping h3.mapping)"
q=$(printf "SELECT COUNT(*) FROM calls WHERE local_day = 20261105 AND (notes = 'back\\\\slash\\tand tab' OR notes = 'two\\nlines')")
expect_eq "history notes as written" "2" "$(sql "$TELEPRO_DB" "$q")"
expect_eq "history empty note" "1" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM calls WHERE local_day = 20261105 AND notes IS NULL")"
# A phone column links each call to its lead, looked up a batch at a time, agents taking
# turns row by row (a dialer's export in time order); each call counts one attempt.
"$T" campaign add "HistP" >/dev/null
printf 'Nom;Téléphone\nA;01 42 68 53 00\nB;01 42 68 53 01\nC;01 42 68 53 02\n' > hp.csv
"$T" import prospects hp.csv --campaign HistP >/dev/null
printf '[columns]\nagent = agent\ndate = date\ntime = time\nresult = result\nphone = phone\n' > hp.mapping
awk 'BEGIN { print "agent,date,time,result,phone"
  for (i = 1; i <= 300; i++) {
    p = i % 4 == 0 ? "05 56 00 00 09" : (i % 2 ? "+33 1 42 68 53 0" : "01.42.68.53.0") (i % 3)
    printf "%s,2026-11-06,%02d:%02d,busy,%s\n", i % 2 ? "ana" : "ben", 8 + int(i / 60), i % 60, p } }' > hp_calls.csv
expect_eq "history with phones" "hp_calls.csv: 300 calls imported, 0 duplicates, 0 rejected into HistP" \
  "$("$T" import calls hp_calls.csv --campaign HistP --mapping hp.mapping)"
expect_eq "history with phones: calls on leads" "225" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM calls c JOIN campaigns k ON k.id = c.campaign_id WHERE k.name = 'HistP' AND c.lead_id IS NOT NULL")"
expect_eq "history with phones: attempts" "+33142685300:75|+33142685301:75|+33142685302:75" \
  "$(sql "$TELEPRO_DB" "SELECT l.phone || ':' || l.attempts FROM leads l JOIN campaigns k ON k.id = l.campaign_id WHERE k.name = 'HistP' ORDER BY l.phone" | paste -sd'|')"
expect_eq "history with phones: the agents added" "ana|ben" "$(sql "$TELEPRO_DB" "SELECT name FROM users WHERE name IN ('ana', 'ben') ORDER BY name" | paste -sd'|')"
expect_eq "overlapping history: calls stored" "904" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM calls c JOIN campaigns k ON k.id = c.campaign_id WHERE k.name = 'Hist'")"

# every subcommand has --help
for c in init user campaign "import" "export" session next call appointment kpi demo migrate; do
  "$T" $c --help >help.txt; rc=$?
  expect_eq "$c --help rc" 0 $rc
  expect_eq "$c --help usage" "usage: telepro" "$(head -c 14 help.txt)"
done
"$T" frobnicate 2>/dev/null
expect_eq "unknown command rc" 2 $?
"$T" --db mysql://x init 2>err
expect_eq "bad url rc" 2 $?

# demo: deterministic for a seed, and only into a database without its campaigns
# (the same seed on the other backend gives the same report: scripts/check.sh compares)
demo1=$(new_db demo1) demo3=$(new_db demo3) demo_sqlite="sqlite:$work/demo2.db"
"$T" --db "$demo1" demo --seed 3 --weeks 1 >demo.txt
expect_eq "demo rc" 0 $?
"$T" --db "$demo_sqlite" demo --seed 3 --weeks 1 >/dev/null
for by in agent hour weekday-hour week block outcome campaign; do
  expect_eq "demo deterministic, and the same on SQLite (--by $by)" \
    "$("$T" --db "$demo1" kpi --by $by --format json --to 2026-10-09)" \
    "$("$T" --db "$demo_sqlite" kpi --by $by --format json --to 2026-10-09)"
done
expect_eq "demo totals the same on SQLite" "$("$T" --db "$demo1" kpi --campaign "RDV PME Rhône" --format csv --to 2026-10-09)" \
  "$("$T" --db "$demo_sqlite" kpi --campaign "RDV PME Rhône" --format csv --to 2026-10-09)"
expect_eq "demo has calls" "True" "$("$T" --db "$demo1" kpi --format json | json "d['totals']['calls'] > 1000 and d['totals']['appointments'] > 0")"
expect_eq "demo other seed differs" "True" "$("$T" --db "$demo3" demo --seed 4 --weeks 1 >/dev/null;
  [ "$("$T" --db "$demo3" kpi --format json)" != "$("$T" --db "$demo1" kpi --format json)" ] && echo True)"
# Backups: a consistent copy of a SQLite database (never over a file), restored into a new
# database of the run's backend with every KPI the same; a PostgreSQL database says to use
# pg_dump; a restore never goes into a database that has data, nor reads a non-backup.
expect_eq "backup" "backed up $demo_sqlite to $work/backup.db" "$("$T" --db "$demo_sqlite" backup --output "$work/backup.db")"
"$T" --db "$demo_sqlite" backup --output "$work/backup.db" 2>err >/dev/null
expect_eq "a backup never overwrites" "2 telepro: output: '$work/backup.db' exists already: a backup never overwrites a file" "$? $(cat err)"
restored=$(new_db restored)
expect_eq "restore" "restored $work/backup.db into $restored: row counts and KPIs checked (2763 calls)" \
  "$("$T" --db "$restored" restore "$work/backup.db")"
for by in agent hour weekday-hour day outcome campaign block; do
  expect_eq "restored: the same KPIs (--by $by)" "$("$T" --db "$demo_sqlite" kpi --by $by --format json)" \
    "$("$T" --db "$restored" kpi --by $by --format json)"
done
"$T" --db "$restored" restore "$work/backup.db" 2>err >/dev/null
expect_eq "restore into a database with data rc" 2 $?
printf "nom;telephone\n" >notdb.csv
"$T" --db "$(new_db restored2)" restore notdb.csv 2>err >/dev/null
expect_eq "restore of something else" "2 telepro: notdb.csv: not a backup made by telepro backup (not a SQLite file)" "$? $(cat err)"
if [ "$TEST_BACKEND" = pg ]; then
  "$T" --db "$demo1" backup --output "$work/pg.db" 2>err >/dev/null
  expect_eq "PostgreSQL: pg_dump" "2 telepro: a postgresql database is backed up with its own tools: pg_dump -Fc, and pg_restore into a new database (docs/DEPLOY.md)" "$? $(cat err)"
fi
"$T" --db "$demo1" demo --seed 3 --weeks 1 >/dev/null 2>err
expect_eq "demo twice rc" 2 $?
# Into a new PostgreSQL database, or one with only its first users, the demo is made in a
# scratch SQLite database (those users copied in first) and what it added copied in; into
# one that has more (here a campaign) it is written call after call: the same data.
demo4=$(new_db demo4) demo5=$(new_db demo5)
printf 'admin-demo-2026\n' | "$T" --db "$demo4" user add admin --role admin --password-stdin >/dev/null
admin_row=$(sql "$demo4" "SELECT id, name, role, password_hash FROM users")
"$T" --db "$demo4" demo --seed 3 --weeks 1 >/dev/null
expect_eq "demo into a database with a user rc" 0 $?
"$T" --db "$demo5" campaign add "Autre" --kind event --audience b2b --timezone Europe/Paris >/dev/null
"$T" --db "$demo5" demo --seed 3 --weeks 1 >/dev/null
expect_eq "demo into a database with a campaign rc" 0 $?
for db in "$demo4" "$demo5"; do
  for by in agent hour outcome; do
    expect_eq "demo into a database with a user or a campaign: the same (--by $by)" \
      "$("$T" --db "$demo1" kpi --by $by --format json --to 2026-10-09)" \
      "$("$T" --db "$db" kpi --by $by --format json --to 2026-10-09)"
  done
  expect_eq "demo into a database with a user or a campaign: the same sessions" \
    "$(sql "$demo1" "SELECT COUNT(*), SUM(ended_at - started_at), SUM(paused_seconds) FROM agent_sessions")" \
    "$(sql "$db" "SELECT COUNT(*), SUM(ended_at - started_at), SUM(paused_seconds) FROM agent_sessions")"
done
expect_eq "demo keeps the first user as it was" "$admin_row" "$(sql "$demo4" "SELECT id, name, role, password_hash FROM users WHERE name = 'admin'")"
expect_eq "demo's users after the first" "1|$(sql "$demo1" "SELECT COUNT(*) + 1 FROM users")" \
  "$(sql "$demo4" "SELECT MIN(id), COUNT(*) FROM users")"
expect_eq "demo's audit after the first user's" "user.add|$(sql "$demo1" "SELECT COUNT(*) + 1 FROM audit_log")" \
  "$(sql "$demo4" "SELECT (SELECT action FROM audit_log ORDER BY id LIMIT 1), COUNT(*) FROM audit_log")"
printf 'pw-later-12345\n' | "$T" --db "$demo4" user add later --role agent --password-stdin >/dev/null
expect_eq "a user added after the demo: the next id" "$(sql "$demo4" "SELECT COUNT(*) FROM users")" \
  "$(sql "$demo4" "SELECT id FROM users WHERE name = 'later'")"

# migrate: a whole database into a new one (here from SQLite to this run's backend)
# Text is copied as it is (PostgreSQL: by COPY, escapes), an empty text apart from none.
q=$(printf "UPDATE calls SET notes = 'back\\\\slash\\tand tab\\nline' WHERE id = 1; UPDATE contacts SET email = '' WHERE id = 1; UPDATE contacts SET email = NULL WHERE id = 2")
sql "$demo_sqlite" "$q"
target=$(new_db migrated)
"$T" migrate --from "$demo_sqlite" --to "$target" >migrate.txt
expect_eq "migrate rc" 0 $?
expect_eq "migrate checked" "copied $demo_sqlite to $target: row counts and KPIs checked" "$(tail -n 1 migrate.txt | sed 's/ ([0-9]* calls)$//')"
expect_eq "migrated KPIs" "$("$T" --db "$demo_sqlite" kpi --by hour --format json --to 2026-10-09)" \
  "$("$T" --db "$target" kpi --by hour --format json --to 2026-10-09)"
expect_eq "migrated users" "$(sql "$demo_sqlite" "SELECT COUNT(*) FROM users")" "$(sql "$target" "SELECT COUNT(*) FROM users")"
q=$(printf "SELECT COUNT(*) FROM calls WHERE id = 1 AND notes = 'back\\\\slash\\tand tab\\nline'")
expect_eq "migrated notes as written" "1" "$(sql "$target" "$q")"
expect_eq "migrated empty and missing text" "1:|2:none" \
  "$(sql "$target" "SELECT id || ':' || COALESCE(email, 'none') FROM contacts WHERE id <= 2 ORDER BY id" | paste -sd'|')"
"$T" migrate --from "$demo_sqlite" --to "$target" >/dev/null 2>err
expect_eq "migrate into a non-empty target rc" 2 $?
expect_eq "migrate refusal" "telepro: to: the target database is not empty (users has 11 rows): migrate copies into a new database only" "$(cat err)"
# ids go on after the copy: a new call gets the next id
expect_eq "ids follow" "$(( $(sql "$target" "SELECT MAX(id) FROM calls") + 1 ))" \
  "$("$T" --db "$target" call log --agent alice --lead "$(sql "$target" "SELECT MIN(id) FROM leads WHERE state IN ('new', 'in_progress')")" --result busy --at 2026-10-09T10:00 --format json | json "d['call_id']")"

# A campaign's own outcomes: added with their flags, counted by outcome, relabelled, but
# their flags are fixed once calls have them; built-in codes and unknown flags refused.
TELEPRO_DB=$(new_db outcomes)
"$T" campaign add Own --window "mon-sun 00:00-24:00" \
  --outcome "already_customer=Déjà client|Already a customer;final" >/dev/null
expect_eq "own outcome json" "already_customer|Déjà client|Already a customer|final" \
  "$("$T" campaign show Own --format json | json "'|'.join([d['outcomes'][0]['code'], d['outcomes'][0]['label_fr'], d['outcomes'][0]['label_en']] + d['outcomes'][0]['flags'])")"
expect_eq "own outcome shown" "own outcomes           already_customer=Déjà client|Already a customer;final" \
  "$("$T" campaign show Own | grep '^own outcomes')"
"$T" campaign set Own --outcome "refused=Non" 2>err >/dev/null
expect_eq "built-in code rc" 2 $?
expect_eq "built-in code message" "telepro: outcome: 'refused' is a built-in outcome: choose another code" "$(cat err)"
"$T" campaign set Own --outcome "x=Y;hot" 2>err >/dev/null
expect_eq "unknown flag message" \
  "telepro: outcome: 'hot': flags are refusal, final, callback, appointment, sale and do_not_call" "$(cat err)"
"$T" campaign set Own --outcome "x=Y;callback,appointment" 2>err >/dev/null
expect_eq "callback and appointment message" "telepro: outcome: 'x': a callback or an appointment, not both" "$(cat err)"
echo "correct horse" | "$T" user add alice --role agent --password-stdin >/dev/null
printf 'company;phone\nAlpha;0478123401\n' >own.csv
"$T" import prospects own.csv --campaign Own >/dev/null
"$T" call log --agent alice --lead 1 --result conversation --outcome already_customer --talk 60 >/dev/null
expect_eq "own outcome counted" "already_customer 1" \
  "$("$T" kpi --campaign Own --by outcome --format json | json "' '.join(str(x) for g in d['groups'] for x in (g['key'], g['conversations']))")"
expect_eq "a final outcome ends the lead" "done" "$(sql "$TELEPRO_DB" "SELECT state FROM leads WHERE id = 1")"
"$T" campaign set Own --outcome "already_customer=Déjà client;refusal,final" 2>err >/dev/null
expect_eq "flags of a used outcome rc" 2 $?
expect_eq "flags of a used outcome message" \
  "telepro: outcome: 'already_customer' has calls already: its flags cannot change (its labels can)" "$(cat err)"
"$T" campaign set Own --outcome "already_customer=Client existant|Existing customer;final" >/dev/null
expect_eq "relabelled" "Client existant" "$("$T" campaign show Own --format json | json "d['outcomes'][0]['label_fr']")"

# telepro serve refuses bad options before it listens
"$T" serve --threads 0 2>err >/dev/null
expect_eq "serve bad threads rc" 2 $?
expect_eq "serve bad threads message" "telepro serve: --threads: '0': a whole number from 1 to 256" "$(cat err)"
"$T" serve --listen localhost 2>err >/dev/null
expect_eq "serve bad listen rc" 2 $?
expect_eq "serve bad listen message" "telepro serve: listen: 'localhost': HOST:PORT, e.g. 127.0.0.1:8080" "$(cat err)"
"$T" serve --call-link "sip:pbx" 2>err >/dev/null
expect_eq "serve bad call link" "telepro serve: --call-link: 'sip:pbx' must contain {phone}" "$(cat err)"

# The rules of the trade: a B2C campaign in France calls consumers on working days,
# 10:00-13:00 and 14:00-20:00 in their own time zone; why says which rule refuses
TELEPRO_DB=$(new_db rules)
export TELEPRO_NOW=1795078800   # 2026-11-19 10:00 in Paris: the file comes in, then is screened
"$T" campaign add Conso --audience b2c --kind sales >/dev/null
expect_eq "b2c default rules" "rules                  fr-b2c (of the audience)" "$("$T" campaign show Conso | grep '^rules')"
expect_eq "b2c script opens with the legal announcement" "## Présentation (obligatoire)" \
  "$("$T" campaign show Conso --format json | json "d['script'].splitlines()[0]")"
expect_eq "it says the call is commercial" "1" \
  "$("$T" campaign show Conso --format json | json "int('appel commercial' in d['script'] and 'L.221-16' in d['script'])")"
printf 'nom;telephone;code postal;date_consentement;source_consentement\nMartin;0262 20 00 01;97400;02/09/2026;jeu concours\nDurand;01 42 68 53 01;75001;2026-09-03;formulaire web\nPetit;01 42 68 53 02;75002;;\nBernard;01 42 68 53 03;75003;31/04/2026;formulaire web\nRoux;01 42 68 53 04;75004;2026-09-03;\n' >conso.csv
"$T" import prospects conso.csv --campaign Conso 2>err >/dev/null
expect_eq "consents imported, bad ones rejected" "conso.csv:5: consent_date: '31/04/2026': there is no such day in that month|conso.csv:6: consent_source: missing: a consent needs where it was given" "$(paste -sd'|' err)"
expect_eq "consents kept" "formulaire web|jeu concours" \
  "$(sql "$TELEPRO_DB" "SELECT source FROM consents ORDER BY source" | paste -sd'|')"
printf '+33100000000\n' >bloctel.txt
"$T" why 2 --at 2026-11-23T11:00 --format json >out
expect_eq "not screened, not called" "fr.bloctel" "$(json "','.join(v['rule'] for v in d['rules'] if not v['ok'])" <out)"
expect_eq "screening exported, overseas numbers in the French plan" "0262200001|0142685301|0142685302" \
  "$("$T" export screening --campaign Conso 2>/dev/null | tr -d '\r' | paste -sd'|')"
TELEPRO_NOW=1795165200 "$T" import dnc bloctel.txt --source bloctel --screened 2026-11-20 >/dev/null
expect_eq "screening recorded" "bloctel|1|1795132800" "$(sql "$TELEPRO_DB" "SELECT source, numbers, screened_at FROM screenings")"
"$T" import dnc bloctel.txt --source internal --screened 2026-11-20 2>err >/dev/null
expect_eq "screened is for bloctel" "telepro: screened: the day of a Bloctel list (--source bloctel)" "$(cat err)"
expect_eq "no consent, no call" "fr.consent" \
  "$("$T" why 3 --at 2026-11-23T11:00 --format json | json "','.join(v['rule'] for v in d['rules'] if not v['ok'])")"
expect_eq "consent recorded" "consent of lead 3 recorded" "$(TELEPRO_NOW=1796144400 "$T" consent 3 --source "salon" --date 2026-11-20 --wording "Appelez-moi")"
expect_eq "then callable" "" \
  "$("$T" why 3 --at 2026-11-23T11:00 --format json | json "','.join(v['rule'] for v in d['rules'] if not v['ok'])")"
expect_eq "consent audited, by the lead's id, without its number" "consent.add|3|2026-11-20, salon" \
  "$(sql "$TELEPRO_DB" "SELECT action, entity_id, detail FROM audit_log WHERE action = 'consent.add'")"
"$T" consent 3 --date 2026-11-20 2>err >/dev/null
expect_eq "consent needs a source" "telepro: source: where the consent was given: 1 to 200 bytes" "$(cat err)"
"$T" why 1 --at 2026-11-23T17:30 >out
expect_eq "why refused rc" 3 $?
expect_eq "why names the rule" \
  "  NO  fr.hours: 20:30 in Indian/Reunion: consumers are called 10:00-13:00 and 14:00-20:00 only (Code de la consommation, art. D.223-9 (décret 2022-1313))" \
  "$(grep 'NO' out)"
"$T" why 2 --at 2026-11-23T17:30 >/dev/null
expect_eq "why allowed rc" 0 $?
expect_eq "11 November" "2026-11-11 is a public holiday where the consumer lives: Armistice Day (11 novembre)" \
  "$("$T" why 2 --at 2026-11-11T11:00 --format json | json "[v['reason'] for v in d['rules'] if v['rule'] == 'fr.holidays'][0]")"
echo "correct horse" | "$T" user add alice --role agent --password-stdin >/dev/null
"$T" session start --agent alice --campaign Conso --at 2026-11-11T10:30 >/dev/null
"$T" next --agent alice --campaign Conso --at 2026-11-11T11:00 2>err >/dev/null
expect_eq "next on a holiday rc" 3 $?
expect_eq "next on a holiday says why" "telepro: no lead may be called now under the rules of the trade (fr-b2c): 3 passed over; lead 1: 2026-11-11 is a public holiday where the consumer lives: Armistice Day (11 novembre)" "$(cat err)"
env -u LC_MESSAGES LANG=fr_FR.UTF-8 "$T" next --agent alice --campaign Conso --at 2026-11-11T11:00 2>err >/dev/null
expect_eq "next on a holiday says why, in French" "telepro: aucune fiche ne peut être appelée maintenant selon les règles (fr-b2c) : 3 écartées ; fiche 1 : le 2026-11-11 est férié là où vit le consommateur : Armistice Day (11 novembre)" "$(cat err)"
"$T" campaign set Conso --rules none >/dev/null
expect_eq "rules none" "rules                  none" "$("$T" campaign show Conso | grep '^rules')"
"$T" campaign set Conso --rules us 2>err >/dev/null
expect_eq "unknown rules" "telepro: rules: 'us': fr-b2c, none or default (of the audience)" "$(cat err)"
"$T" why 7 2>err >/dev/null
expect_eq "why no lead rc" 2 $?
expect_eq "why no lead" "telepro: lead: no lead 7" "$(cat err)"
unset TELEPRO_NOW

# A period whose start is after its end is refused, not answered with zeros.
"$T" --db "$demo_sqlite" kpi --from 2026-12-10 --to 2026-12-01 2>err >/dev/null
expect_eq "from after to" "2 telepro: from: 2026-12-10 is after the end of the period (2026-12-01): no day in between" "$? $(cat err)"
"$T" --db "$demo_sqlite" insights agents --from 2026-12-10 --to 2026-12-01 2>err >/dev/null
expect_eq "from after to (insights)" 2 $?

# SQLite, a writer that holds the database past the busy timeout: the desk's operation is
# tried again (app.h, APP_TRIES) and goes in once the other writer is done; past the
# bound, a clear error, nothing recorded. (Busy timeout shortened for the test; the
# other writer waits for a state, the flag file, not for time.)
if [ "$TEST_BACKEND" = sqlite ]; then
  TELEPRO_DB=$(new_db busy)
  "$T" campaign add B --window "mon-sun 00:00-24:00" >/dev/null
  printf 'nom;telephone\nA;04 72 00 00 01\nB;04 72 00 00 02\n' >busy.csv
  "$T" import prospects busy.csv --campaign B >/dev/null
  echo "correct horse" | "$T" user add alice --role agent --password-stdin >/dev/null
  hold() { # SECONDS: holds the write lock that long, from the moment busy.flag appears
    rm -f busy.flag
    python3 -c "import sqlite3, time, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN IMMEDIATE'); open('busy.flag', 'w').close(); time.sleep(float(sys.argv[2])); c.execute('COMMIT')" \
      "${TELEPRO_DB#sqlite:}" "$1" &
    for _ in $(seq 500); do [ -e busy.flag ] && break; sleep 0.01; done
  }
  hold 1.0
  expect_eq "busy for a while: the call goes in on another try" "call 1 recorded" \
    "$(TELEPRO_SQLITE_BUSY_MS=700 "$T" call log --agent alice --lead 1 --result busy --at 2026-12-01T10:00 2>&1)"
  wait
  hold 3
  TELEPRO_SQLITE_BUSY_MS=200 "$T" call log --agent alice --lead 2 --result busy --at 2026-12-01T10:00 >/dev/null 2>err
  expect_eq "busy past the bound: a clear error" "1 telepro: sqlite:$work/busy.db: database busy: another writer held it too long" "$? $(cat err)"
  wait
  expect_eq "busy past the bound: nothing recorded" 1 "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM calls")"
fi

# Cells a spreadsheet would run as formulas leave a CSV export as text (an apostrophe
# first), numbers stay numbers; the import takes the apostrophe off; --raw writes them as
# they are.
TELEPRO_DB=$(new_db csv_injection)
"$T" campaign add X >/dev/null
printf 'société;nom;téléphone;note\n=HYPERLINK("http://evil.example","clic");@SUM(A1:A9);01 42 68 53 00;+cmd|x\nDupont;-Martin;01 42 68 53 01;-12,5\n' >inj.csv
"$T" import prospects inj.csv --campaign X >/dev/null
"$T" export prospects --campaign X >out.csv
expected=$(printf '%s' "'=HYPERLINK(\"http://evil.example\",\"clic\")|'@SUM(A1:A9)|+33142685300|'+cmd|x")
expect_eq "export: formulas as text" "$expected" \
  "$(sed -n 2p out.csv | tr -d '\r' | python3 -c "import csv,sys; r=next(csv.reader(sys.stdin)); print('|'.join([r[0], r[1], r[5], r[17]]))")"
expect_eq "export: a name with a dash is neutralised, a number is not" "'-Martin|-12,5" \
  "$(sed -n 3p out.csv | tr -d '\r' | python3 -c "import csv,sys; r=next(csv.reader(sys.stdin)); print(r[1] + '|' + r[17])")"
expect_eq "export --raw: as stored" '=HYPERLINK("http://evil.example","clic")' \
  "$("$T" export prospects --campaign X --raw | sed -n 2p | python3 -c "import csv,sys; print(next(csv.reader(sys.stdin))[0])")"
"$T" campaign add Y >/dev/null
"$T" import prospects out.csv --campaign Y >/dev/null
expect_eq "the export imports again to the same data" "$("$T" export prospects --campaign X --format json | json "[{k: v for k, v in p.items() if k != 'lead_id'} for p in d]")" \
  "$("$T" export prospects --campaign Y --format json | json "[{k: v for k, v in p.items() if k != 'lead_id'} for p in d]")"

# Overseas consumers, written every way a French file writes them: each is offered only
# inside their own legal hours (10:00-13:00, 14:00-20:00 where they live), winter and
# summer. The Paris times of each edge come from Python's zoneinfo, not from Telepro.
TELEPRO_DB=$(new_db overseas)
export TELEPRO_NOW=1795078800
"$T" campaign add Dom --audience b2c --kind sales --window "mon-sun 00:00-24:00" >/dev/null
cat >dom.csv <<'CSV'
nom;telephone;code postal;pays;date_consentement;source_consentement
Payet;0262 41 00 00;97400;France;2026-09-02;salon
Hoarau;0692 00 00 01;;Réunion;2026-09-02;salon
Grondin;0693 00 00 02;;RE;2026-09-02;salon
Madi;0639 00 00 03;97600;;2026-09-02;salon
Ali;0269 61 00 04;;Mayotte;2026-09-02;salon
Jean-Baptiste;0590 82 00 05;97110;FR;2026-09-02;salon
Lubin;0690 00 00 06;;Guadeloupe;2026-09-02;salon
Gréaux;0590 27 12 07;97133;Guadeloupe;2026-09-02;salon
Fleming;0690 77 00 08;97150;France;2026-09-02;salon
Joseph-Angélique;0596 00 00 09;97200;FRA;2026-09-02;salon
Mathurin;0696 00 00 10;;Martinique;2026-09-02;salon
Horth;0594 00 00 11;97300;;2026-09-02;salon
Ho-A-Chuck;0694 00 00 12;;Guyane française;2026-09-02;salon
Detcheverry;05 08 41 12 13;97500;Saint-Pierre-et-Miquelon;2026-09-02;salon
Martin;01 42 68 53 14;75001;France;2026-09-02;salon
CSV
"$T" import prospects dom.csv --campaign Dom --format json >out 2>err
expect_eq "overseas file: every row in" "15 0" "$(json "f\"{d['imported']} {d['rejected']}\"" <out)"
expect_eq "overseas file: the postcode wins, said" "dom.csv:9: country: 'Guadeloupe' (Guadeloupe) and postcode 97133 (Saint-Barthélemy) disagree: the postcode wins" "$(json "'|'.join(f\"dom.csv:{n['line']}: {n['field']}: {n['reason']}\" for n in d['notes'])" <out)"
expect_eq "overseas numbers in E.164" "+262262410000 +262692000001 +262693000002 +262639000003 +262269610004 +590590820005 +590690000006 +590590271207 +590690770008 +596596000009 +596696000010 +594594000011 +594694000012 +508411213 +33142685314" \
  "$(sql "$TELEPRO_DB" "SELECT phone FROM leads ORDER BY id" | paste -sd' ')"
printf '+33100000000\n' >bloctel.txt
TELEPRO_NOW=1795165200 "$T" import dnc bloctel.txt --source bloctel --screened 2026-11-20 >/dev/null
TELEPRO_NOW=1810800000 "$T" import dnc bloctel.txt --source bloctel --screened 2027-05-20 >/dev/null
TELEPRO_NOW=1814515200 "$T" import dnc bloctel.txt --source bloctel --screened 2027-07-01 >/dev/null
# lead:zone of each row, in file order
zones="1:Indian/Reunion 2:Indian/Reunion 3:Indian/Reunion 4:Indian/Mayotte 5:Indian/Mayotte 6:America/Guadeloupe 7:America/Guadeloupe 8:America/St_Barthelemy 9:America/Marigot 10:America/Martinique 11:America/Martinique 12:America/Cayenne 13:America/Cayenne 14:America/Miquelon 15:Europe/Paris"
# Wednesday 2 December 2026 (winter) and Wednesday 7 July 2027 (summer: Miquelon and Paris
# change their clocks, the others do not), each edge as the consumer's wall clock.
python3 - "$zones" >edges.txt <<'PY'
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
for item in sys.argv[1].split():
    lead, zone = item.split(":", 1)
    for day in ("2026-12-02", "2027-07-07"):
        for hm, ok in (("09:59", 0), ("10:00", 1), ("12:59", 1), ("13:00", 0), ("13:59", 0), ("14:00", 1), ("19:59", 1), ("20:00", 0)):
            local = datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=ZoneInfo(zone))
            paris = local.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M")
            print(lead, zone, day, hm, paris, ok)
PY
wrong=0 checked=0
while read -r lead zone day hm paris ok; do
  got=$("$T" why "$lead" --at "$paris" --format json | json "(int(d['callable']), d['consumer_zone'])")
  checked=$((checked + 1))
  if [ "$got" != "($ok, '$zone')" ]; then
    wrong=$((wrong + 1)); echo "lead $lead ($zone) $day $hm local = $paris in Paris: expected ($ok, '$zone'), got $got"
  fi
done <edges.txt
expect_eq "overseas consumers at every edge, winter and summer ($checked answers)" "0 240" "$wrong $checked"
expect_eq "Saint-Martin's own abolition day (28 May), not Guadeloupe's (27 May)" "0 1 1 0" \
  "$(for l in 9 6; do for d in 2027-05-28 2027-05-27; do "$T" why $l --at "${d}T17:00" --format json | json "int(d['callable'])"; done; done | paste -sd' ')"
unset TELEPRO_NOW

# GDPR: a person's export, erasure (the counters stay), and the review of old contacts
TELEPRO_DB=$(new_db gdpr)
export TELEPRO_NOW=1795078800   # 2026-11-19 10:00 in Paris
"$T" campaign add G --window "mon-sun 00:00-24:00" >/dev/null
printf 'nom;prénom;telephone;email;effectif\nMartin;Zoé;01 42 68 53 01;zoe@example.fr;12\nDurand;Luc;01 42 68 53 02;luc@example.fr;40\n' >g.csv
"$T" import prospects g.csv --campaign G >/dev/null
echo "correct horse" | "$T" user add alice --role agent --password-stdin >/dev/null
"$T" call log --agent alice --lead 1 --result conversation --outcome do_not_call --talk 60 --note "aime le golf" >/dev/null
"$T" person export --phone "01.42.68.53.01" >export.json
expect_eq "export: the person, their call and note, qualification, opposition" \
  "Martin|zoe@example.fr|aime le golf|effectif=12|internal" \
  "$(json "'|'.join([d['people'][0]['contact']['last_name'], d['people'][0]['contact']['email'], d['people'][0]['calls'][0]['notes'], d['people'][0]['qualification'][0]['key'] + '=' + d['people'][0]['qualification'][0]['value'], d['people'][0]['opposition'][0]['source']])" <export.json)"
before=$("$T" kpi --format json | json "(d['totals']['calls'], d['totals']['conversations'], d['totals']['talk_seconds'], d['totals']['refusals'])")
expect_eq "erase" "1 contact erased" "$("$T" person erase --email ZOE@example.fr)"
expect_eq "the counters stay exact" "$before" \
  "$("$T" kpi --format json | json "(d['totals']['calls'], d['totals']['conversations'], d['totals']['talk_seconds'], d['totals']['refusals'])")"
expect_eq "nothing left of her" "[]" "$("$T" person export --email zoe@example.fr | json "d['people']")"
expect_eq "identity, notes and qualification gone" "||erased:1|0|0" \
  "$(sql "$TELEPRO_DB" "SELECT COALESCE(c.last_name, ''), COALESCE(c.email, ''), l.phone, (SELECT COUNT(*) FROM calls WHERE notes IS NOT NULL), (SELECT COUNT(*) FROM qualification_values WHERE contact_id = 1) FROM contacts c JOIN leads l ON l.contact_id = c.id WHERE c.id = 1")"
expect_eq "the opposition list keeps a keyed hash, not the number" "#|65|internal|1" \
  "$(sql "$TELEPRO_DB" "SELECT substr(phone, 1, 1), length(phone), source, hashed FROM opposition")"
expect_eq "audited" "person.export|person.erase|person.export" "$(sql "$TELEPRO_DB" "SELECT action FROM audit_log WHERE action LIKE 'person.%' ORDER BY id" | paste -sd'|')"
expect_eq "review: not yet" "0 people not contacted for 3 years" "$("$T" person review | tail -1)"
expect_eq "review: 3 years on" "contact 2  Durand  +33142685302  never called, in since 2026-11-19 10:00" \
  "$(TELEPRO_NOW=$((1795078800 + 1100 * 86400)) "$T" person review | head -1)"
"$T" person erase --phone 0142685399 2>err >/dev/null
expect_eq "erase nobody rc" 2 $?
expect_eq "erase nobody" "telepro: nobody with that number" "$(cat err)"
"$T" person export --phone 0142685301 --email a@b.fr 2>err >/dev/null
expect_eq "one of phone or email" "telepro: give the person's --phone or --email (one of them)" "$(cat err)"
"$T" --as alice person export --phone 0142685302 2>err >/dev/null
expect_eq "admins only rc" 2 $?
unset TELEPRO_NOW
# The next purchased file does not bring an erased person back (she asked not to be
# called); --keep-callable erases without that, and the number may come back.
"$T" campaign add G2 --window "mon-sun 00:00-24:00" >/dev/null
"$T" import prospects g.csv --campaign G2 2>err >out
expect_eq "an erased person is refused (the other found again)" "g.csv:2: phone: left out: this person's data was erased at their request and they asked not to be called again (docs/PRIVACY.md)|note: g.csv:3: phone: the number is contact 2's (Luc Durand, campaign 'G'): the row is a lead of that contact, kept as it is" "$(paste -sd'|' err)"
expect_eq "the others come in" "g.csv: 1 imported, 0 duplicates, 1 rejected into G2" "$(cat out)"
expect_eq "erase, callable" "1 contact erased" "$("$T" person erase --phone 0142685302 --keep-callable)"
expect_eq "no hash of a callable erasure" "1" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM opposition")"
"$T" campaign add G3 --window "mon-sun 00:00-24:00" >/dev/null
expect_eq "a callable erasure may come back" "g.csv: 1 imported, 0 duplicates, 1 rejected into G3" \
  "$("$T" import prospects g.csv --campaign G3 2>/dev/null)"
"$T" --as alice person erase --phone 0142685302 --keep-callable 2>/dev/null >/dev/null
expect_eq "erase: admins only" 2 $?

# A consumer (B2C): their address is theirs, not their employer's; the export carries
# every field stored about them (the appointment's amount, relevance and sales person);
# once erased, nothing of them is left in the database file.
TELEPRO_DB=$(new_db erase_b2c)
export TELEPRO_NOW=1795078800
"$T" campaign add C --audience b2c --rules none --window "mon-sun 00:00-24:00" >/dev/null
printf 'société;nom;prénom;téléphone;email;adresse;code postal;ville;pays;date_consentement;source_consentement\nEmployeur SA;Zythomanie;Berthilde;0262 41 00 00;berthilde@zytho.re;12 rue des Goyaviers;97400;Saint-Denis;France;2026-09-02;salon des Goyaviers\n' >c.csv
"$T" import prospects c.csv --campaign C >/dev/null
expect_eq "a consumer's address is theirs" "12 rue des Goyaviers|97400|RE|+262262410000" \
  "$(sql "$TELEPRO_DB" "SELECT address, postcode, country, phone FROM contacts")"
expect_eq "not the company's" "Employeur SA||" "$(sql "$TELEPRO_DB" "SELECT name, COALESCE(address, ''), COALESCE(postcode, '') FROM companies")"
echo "correct horse" | "$T" user add alice --role agent --password-stdin >/dev/null
echo "correct horse" | "$T" user add sam --role sales --password-stdin >/dev/null
"$T" call log --agent alice --lead 1 --result conversation --outcome appointment --appointment-at 2026-11-26T15:00 --sales sam --talk 300 --note "Zythomanie: cave à bières" >/dev/null
TELEPRO_NOW=1795712400 "$T" appointment result 1 --status held --relevant yes --result won --amount 1200.50 >/dev/null
expect_eq "the export carries the appointment's amount, relevance and sales person" "120050|1|sam|alice|won|12 rue des Goyaviers" \
  "$("$T" person export --phone "0262 41 00 00" | json "'|'.join(str(x) for x in [d['people'][0]['appointments'][0]['amount_cents'], d['people'][0]['appointments'][0]['relevant'], d['people'][0]['appointments'][0]['sales_person'], d['people'][0]['appointments'][0]['agent'], d['people'][0]['appointments'][0]['result'], d['people'][0]['contact']['address']])")"
if [ "$TEST_BACKEND" = sqlite ]; then
  sqlite3 "${TELEPRO_DB#sqlite:}" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  expect_eq "before the erasure, the person is in the file" 1 \
    "$([ "$(grep -c -a -F Zythomanie "${TELEPRO_DB#sqlite:}")" -gt 0 ] && echo 1)"
fi
"$T" person erase --phone "+262 262 41 00 00" >/dev/null
expect_eq "erased: the counters stay" "1|1|1" "$("$T" kpi --format json | json "'|'.join(str(d['totals'][k]) for k in ['calls', 'appointments', 'sales'])")"
if [ "$TEST_BACKEND" = sqlite ]; then
  f=${TELEPRO_DB#sqlite:}
  for s in Zythomanie Berthilde berthilde@zytho.re Goyaviers 262410000 "26241 00 00"; do
    expect_eq "nothing of the person in the database file: $s" 0 "$(cat "$f" "$f-wal" 2>/dev/null | grep -c -a -F "$s")"
  done
else
  expect_eq "nothing of the person in any table" "0" "$(sql "$TELEPRO_DB" "SELECT COUNT(*) FROM contacts c WHERE c.last_name IS NOT NULL OR c.address IS NOT NULL OR c.email IS NOT NULL")"
fi
unset TELEPRO_NOW

# insights slots: the CLI's parse and print over the app (the statistics: test_stats,
# test_insights)
TELEPRO_DB=$(new_db insights)
"$T" demo --seed 7 --weeks 1 >/dev/null   # one week: the demo is slow on PostgreSQL (issue 9)
"$T" insights slots --campaign "RDV PME Rhône" --format json >out
expect_eq "insights json keys" "by,groups,pairs,rate,summary,summary_en,test,too_few" "$(json "','.join(sorted(d))" <out)"
expect_eq "insights groups are kpi's keys" \
  "$("$T" kpi --campaign "RDV PME Rhône" --by hour --format json | json "','.join(g['key'] for g in d['groups'] if g['calls'] >= 30)")" \
  "$(json "','.join(g['key'] for g in d['groups'])" <out)"
expect_eq "insights weekday keys" "mon,tue,wed,thu,fri" \
  "$("$T" insights slots --campaign "RDV PME Rhône" --by weekday --format json | json "','.join(g['key'] for g in d['groups'])")"
"$T" insights slots --campaign "RDV PME Rhône" --by block --format json >out
expect_eq "insights by block" "inside,outside" "$(json "','.join(sorted(g['key'] for g in d['groups']))" <out)"
expect_eq "insights by block: productivity" "inside,outside,p_value,ratio" "$(json "','.join(sorted(d['productivity']))" <out)"
"$T" insights slots --campaign "RDV PME Rhône" --by season 2>err >/dev/null
expect_eq "insights bad by" "telepro: by: 'season': hour, weekday, weekday-hour, block or month" "$(cat err)"
expect_eq "insights agents: one row an agent, by name" \
  "$("$T" kpi --by agent --format json | json "','.join(sorted(g['key'] for g in d['groups'] if g['calls']))")" \
  "$("$T" insights agents --format json | json "','.join(a['agent'] for a in d['agents'])")"
expect_eq "insights objectives keys" "daily_calls,weekly_calls" \
  "$("$T" insights objectives --campaign "RDV PME Rhône" --format json | json "','.join(k for k in sorted(d) if k.endswith('_calls'))")"
expect_eq "insights followups keys" "campaign,followups,won_appointments" \
  "$("$T" insights followups --campaign "RDV PME Rhône" --format json | json "','.join(sorted(d))")"
"$T" campaign add Fichier >/dev/null
(cd "$TEST_ROOT/examples" && TELEPRO_NOW=1795078800 "$T" import prospects prospects.csv --campaign Fichier >/dev/null 2>&1)
expect_eq "insights file: leads, import rates" "6 new=6 prospects.csv 6/1/1" \
  "$(TELEPRO_NOW=1795078800 "$T" insights file --campaign Fichier --format json | json "'%d %s %s %d/%d/%d' % (d['leads'], ','.join('%s=%d' % kv for kv in d['states'].items()), d['imports'][0]['file'], d['imports'][0]['imported'], d['imports'][0]['duplicates'], d['imports'][0]['rejected'])")"
expect_eq "insights file: stale after 90 days" "0.0 1.0" \
  "$(TELEPRO_NOW=1795078800 "$T" insights file --campaign Fichier --format json | json "d['stale_share']") $(TELEPRO_NOW=$((1795078800 + 91 * 86400)) "$T" insights file --campaign Fichier --format json | json "d['stale_share']")"
"$T" insights slots 2>err >/dev/null
expect_eq "insights needs a campaign" "telepro: campaign: which campaign: --campaign NAME" "$(cat err)"

# Call histories carry appointments and what sales made of them, qualification, the
# campaign and the attempt of each row
TELEPRO_DB=$(new_db history)
"$T" campaign add A >/dev/null
"$T" campaign add B >/dev/null
cat >h.csv <<'EOT'
agent;date;heure;resultat;issue;rdv;statut;pertinent;vente;montant;effectif;campagne;tentative
alice;2026-11-02;10:00;conversation;appointment;2026-11-09 14:00;held;oui;won;1200,50;50;A;1
alice;2026-11-02;10:05;conversation;appointment;2026-11-09 15:00;no_show;;;;;B;2
bruno;2026-11-02;10:10;conversation;refused;;;;;;12;;1
bruno;2026-11-02;10:15;conversation;appointment;2026-11-31 15:00;held;;;;;;1
bruno;2026-11-02;10:20;conversation;appointment;2026-11-10 15:00;held;peut-être;;;;;1
bruno;2026-11-02;10:25;conversation;refused;;held;;;;;;1
bruno;2026-11-02;10:30;conversation;refused;;;;;;;Z;1
EOT
cat >h.mapping <<'EOT'
[columns]
agent = agent
date = date
heure = time
resultat = result
issue = outcome
rdv = appointment_at
statut = appointment_status
pertinent = appointment_relevant
vente = appointment_result
montant = amount
campagne = campaign
tentative = attempt
EOT
"$T" import calls h.csv --campaign A --mapping h.mapping >out 2>err
expect_eq "history with appointments: imported" "h.csv: 3 calls imported, 0 duplicates, 4 rejected into A" "$(cat out)"
expect_eq "history with appointments: rejects" "h.csv:5: rdv (appointment_at): '2026-11-31 15:00': there is no such day in that month|h.csv:6: pertinent (appointment_relevant): 'peut-être': yes or no|h.csv:7: rdv (appointment_at): an appointment's result needs the appointment (its date and time)|h.csv:8: campagne (campaign): no campaign named 'Z' (telepro campaign list shows them)" "$(paste -sd'|' err)"
expect_eq "history with appointments: results" "A held True won 120050|B no_show None pending None" \
  "$("$T" appointment list --format json | json "'|'.join(' '.join(str(a[k]) for k in ('campaign', 'status', 'relevant', 'result', 'amount_cents')) for a in d)")"
expect_eq "history with appointments: campaign and attempt per row" "1:1|2:2|1:1" \
  "$(sql "$TELEPRO_DB" "SELECT campaign_id || ':' || attempt FROM calls ORDER BY id" | paste -sd'|')"
expect_eq "history with appointments: sales counted" "1" "$("$T" kpi --campaign A --format json | json "d['totals']['appointments_won']")"
printf '[columns]\nx = qualify.\n' >bad.mapping
"$T" import calls h.csv --campaign A --mapping bad.mapping 2>err >/dev/null
expect_eq "qualify needs a key" "2" "$?"

# Fields that would mislead are left out with a note, the row kept: an e-mail that is not
# one, a French postcode that is not one (a Swiss one stays).
TELEPRO_DB=$(new_db checked_fields)
"$T" campaign add F >/dev/null
printf 'société;téléphone;email;code postal\nAlpha;04 78 12 36 01;pas-un-mail;ABCDE\nBeta;04 78 12 36 02;a@b.fr, c@d.fr;69001\nGamma;+41 22 345 67 89;contact@gamma.ch;1204\n' >f.csv
"$T" import prospects f.csv --campaign F --format json >out 2>err
expect_eq "checked fields: rows kept" "3 0" "$(json "f\"{d['imported']} {d['rejected']}\"" <out)"
expect_eq "checked fields: notes" "f.csv:2: email: 'pas-un-mail' is not an e-mail address: left out, the row is kept|f.csv:2: postcode: 'ABCDE' is not a French postcode (five digits): left out, the row is kept|f.csv:3: email: 'a@b.fr, c@d.fr' is not an e-mail address: left out, the row is kept" \
  "$(json "'|'.join(f\"f.csv:{n['line']}: {n['field']}: {n['reason']}\" for n in d['notes'])" <out)"
expect_eq "checked fields: what is kept" "Alpha||,Beta|69001|,Gamma|1204|contact@gamma.ch" \
  "$("$T" export prospects --campaign F --format json | json "','.join(f\"{p['company']}|{p.get('postcode') or ''}|{p.get('email') or ''}\" for p in d)")"

# A row whose number is a contact of another campaign becomes a lead of that contact, and
# the import says so: which contact, its campaign, what the file says otherwise.
TELEPRO_DB=$(new_db merged)
"$T" campaign add A >/dev/null
"$T" campaign add B >/dev/null
printf 'société;nom;prénom;téléphone;email\nAlpha;Durand;Anne;04 78 12 37 01;anne@alpha.fr\nBeta;Martin;Paul;04 78 12 37 02;\n' >ma.csv
printf 'société;nom;prénom;téléphone;email\nAlpha;Dupont;Anne;04 78 12 37 01;a.dupont@alpha.fr\nBeta;Martin;Paul;04 78 12 37 02;\nGamma;Roux;Léa;04 78 12 37 03;\n' >mb.csv
"$T" import prospects ma.csv --campaign A >/dev/null
"$T" import prospects mb.csv --campaign B --format json >out 2>/dev/null
expect_eq "merged: three leads" "3 2" "$(json "f\"{d['imported']} {d['noted']}\"" <out)"
expect_eq "merged: said with what differs" "2: the number is contact 1's (Anne Durand, campaign 'A'): the row is a lead of that contact, kept as it is; it keeps last_name 'Durand' (the file: 'Dupont'); it keeps email 'anne@alpha.fr' (the file: 'a.dupont@alpha.fr')|3: the number is contact 2's (Paul Martin, campaign 'A'): the row is a lead of that contact, kept as it is" \
  "$(json "'|'.join(f\"{n['line']}: {n['reason']}\" for n in d['notes'] if n['field'] == 'phone')" <out)"
expect_eq "merged: the contact kept as it is" "Durand|anne@alpha.fr" \
  "$("$T" export prospects --campaign B --format json | json "'|'.join([d[0]['last_name'], d[0]['email']])")"
# Or, by choice, the contact takes the file's names and e-mail, or the row is rejected.
"$T" campaign add C >/dev/null
"$T" campaign add D >/dev/null
"$T" import prospects mb.csv --campaign C --existing update --format json >out 2>/dev/null
expect_eq "merged, updated: said" "2: the number is contact 1's (Anne Durand, campaign 'A'): the row is a lead of that contact, updated from the file; now last_name 'Dupont' (was 'Durand'); now email 'a.dupont@alpha.fr' (was 'anne@alpha.fr')" \
  "$(json "'|'.join(f\"{n['line']}: {n['reason']}\" for n in d['notes'] if n['line'] == 2)" <out)"
expect_eq "merged, updated: the contact took the file's" "Dupont|a.dupont@alpha.fr" \
  "$("$T" export prospects --campaign A --format json | json "'|'.join([d[0]['last_name'], d[0]['email']])")"
"$T" import prospects mb.csv --campaign D --existing reject --format json >out 2>/dev/null
expect_eq "merged, rejected: nothing imported" "0 3" "$(json "f\"{d['imported']} {d['rejected']}\"" <out)"
expect_eq "merged, rejected: why" "4: the number is contact 3's (Léa Roux, campaign 'B'): the row is rejected (--existing reject)" \
  "$(json "'|'.join(f\"{e['line']}: {e['reason']}\" for e in d['errors'] if e['line'] == 4)" <out)"
# With a French locale, the CLI says its messages in French (its JSON stays English).
"$T" campaign add Fr >/dev/null
env -u LC_MESSAGES LANG=fr_FR.UTF-8 "$T" import prospects f.csv --campaign Fr --format json >out 2>err
expect_eq "the CLI in French" "note: f.csv:2: e-mail: « pas-un-mail » n'est pas une adresse e-mail : écartée, la ligne est gardée" \
  "$(grep -m1 'e-mail' err)"
expect_eq "its JSON in English" "'pas-un-mail' is not an e-mail address: left out, the row is kept" \
  "$(json "d['notes'][0]['reason']" <out)"
# A file bought twice: the first thousand rows found again are listed, the others counted.
python3 -c "
print('société;téléphone')
for i in range(1005): print(f'Société {i};04 78 {i // 100:02d} {i % 100:02d} 11')" >big.csv
"$T" campaign add E >/dev/null
"$T" campaign add F2 >/dev/null
"$T" import prospects big.csv --campaign E >/dev/null 2>&1
"$T" import prospects big.csv --campaign F2 --format json >out 2>/dev/null
expect_eq "a file bought twice: counted, the first 1000 listed and one line for the rest" "1005 1005 1001" \
  "$(json "f\"{d['imported']} {d['noted']} {len(d['notes'])}\"" <out)"
"$T" campaign add G3 >/dev/null
"$T" import prospects big.csv --campaign G3 2>err >/dev/null
expect_eq "a file bought twice: the others said in one line" "big.csv: phone: and 5 more rows whose numbers are contacts of other campaigns (kept as they are; the first 1000 are listed)" \
  "$(grep -v '^note: big.csv:[0-9]' err | sed 's/^note: //')"
"$T" import prospects mb.csv --campaign D --existing maybe 2>err >/dev/null
expect_eq "--existing takes keep, update or reject" "2|telepro: existing: 'maybe': keep, update or reject" "$?|$(cat err)"

# Callbacks and appointments an agent sets: after the call, with a sales person when there
# is one, inside the calling hours or confirmed; what sales record follows the state.
TELEPRO_DB=$(new_db booking)
export TELEPRO_NOW=1795078800   # Thursday 2026-11-19 10:00 in Paris
"$T" campaign add B --kind appointment >/dev/null
(cd "$TEST_ROOT/examples" && "$T" import prospects prospects.csv --campaign B >/dev/null 2>&1)
echo "correct horse" | "$T" user add ana --role agent --password-stdin >/dev/null
echo "correct horse" | "$T" user add sam --role sales --password-stdin >/dev/null
booking() { # NAME RC MESSAGE ARGS...
  local name=$1 rc=$2 msg=$3
  shift 3
  "$T" call log --agent ana --result conversation --talk 60 "$@" >/dev/null 2>err
  expect_eq "$name: exit" "$rc" "$?"
  expect_eq "$name: why" "$msg" "$(cat err)"
}
booking "an appointment in the past" 2 "telepro: appointment-at: the appointment must be after the call" \
  --lead 1 --outcome appointment --appointment-at 2026-11-18T10:00 --sales sam
booking "an appointment with nobody to hold it" 2 "telepro: sales: choose the sales person who will hold the appointment" \
  --lead 1 --outcome appointment --appointment-at 2026-11-20T10:00
booking "an appointment on a Sunday" 2 "telepro: appointment-at: 2026-11-22 10:00 is outside the campaign's calling hours: confirm to keep it" \
  --lead 1 --outcome appointment --appointment-at 2026-11-22T10:00 --sales sam
booking "a callback at 03:00" 2 "telepro: callback-at: 2026-11-20 03:00 is outside the campaign's calling hours: confirm to keep it" \
  --lead 2 --outcome callback --callback-at 2026-11-20T03:00
booking "a callback before the call" 2 "telepro: callback-at: the callback must be after the call" \
  --lead 2 --outcome callback --callback-at 2026-11-19T09:00
expect_eq "nothing recorded" 0 "$("$T" kpi --format json | json "d['totals']['calls']")"
booking "an appointment on a Sunday, confirmed" 0 "" --lead 1 --outcome appointment --appointment-at 2026-11-22T10:00 --sales sam --confirm
booking "a callback the next morning" 0 "" --lead 2 --outcome callback --callback-at 2026-11-20T09:30
"$T" appointment result 1 --status held >/dev/null 2>err
expect_eq "held before its time: exit" 2 $?
expect_eq "held before its time: why" "telepro: status: the appointment is on 2026-11-22 10:00: it cannot be held before then" "$(cat err)"
TELEPRO_NOW=1795870800 "$T" appointment result 1 --result won >/dev/null 2>err
expect_eq "won before held: why" "telepro: result: an appointment is won once held, and this one is scheduled: record it held first (or with its status held)" "$(cat err)"
expect_eq "held and won once its time has come" "appointment 1 updated" \
  "$(TELEPRO_NOW=1795870800 "$T" appointment result 1 --status held --result won --amount 900)"
# A sales person's own appointments by default, from the CLI as from the pages.
expect_eq "a sales person's own appointments by default" "1 sam" \
  "$("$T" --as sam appointment list --format json | json "f\"{len(d)} {d[0]['sales']}\"")"
unset TELEPRO_NOW

# Nothing to call: why, in the CLI's language (a message and its sentences).
TELEPRO_DB=$(new_db nothing)
export TELEPRO_NOW=1795078800   # Thursday 2026-11-19 10:00 in Paris
"$T" campaign add N >/dev/null
printf 'société;téléphone\nAlpha;04 78 12 39 01\n' >n.csv
"$T" import prospects n.csv --campaign N >/dev/null
echo "correct horse" | "$T" user add ana --role agent --password-stdin >/dev/null
"$T" next --agent ana --campaign N >/dev/null
"$T" call log --agent ana --lead 1 --result no_answer >/dev/null
"$T" next --agent ana --campaign N 2>err >/dev/null
expect_eq "nothing to call, why" "3|telepro: nothing to call now; 1 leads wait for their retry delay" "$?|$(cat err)"
env -u LC_MESSAGES LANG=fr_FR.UTF-8 "$T" next --agent ana --campaign N 2>err >/dev/null
expect_eq "nothing to call, why, in French" "telepro: rien à appeler maintenant ; 1 fiches attendent leur délai de relance" "$(cat err)"
unset TELEPRO_NOW

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
