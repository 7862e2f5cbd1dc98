#!/usr/bin/env bash
# The dialer's tests (docs/TELEPHONY.md): SIPp plays the agents' phones (phone.xml) and the
# prospects (prospects.xml) on loopback; `telepro serve --sip-config` dials them for a
# click-to-call campaign; dialer_test.py drives the API and checks the calls placed, their
# results, ring and talk times and the calls logged. The SIPp processes must end with
# every call they expected completed (exit 0): each line Telepro opened was closed.
# Usage: tests/sip/run.sh TELEPRO
set -euo pipefail
T=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
work=$(mktemp -d /tmp/telepro-sip.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${TELEPRO_TEST_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
command -v sipp >/dev/null || { echo "FAIL: sipp (Debian sip-tester) is not installed"; exit 1; }

free_port() {
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}
phones=$(free_port udp)
prospects=$(free_port udp)
sip=$(free_port udp)
dead=$(free_port udp)
phones2=$(free_port udp)
prospects2=$(free_port udp)
registrar=$(free_port udp)
trunk=$(free_port udp)
phones_tcp=$(free_port tcp)
prospects_tcp=$(free_port tcp)
sip_tcp=$(free_port tcp)
phones_tls=$(free_port tcp)      # SIPp over TCP, behind the TLS proxy's ports
prospects_tls=$(free_port tcp)
phones_tls_proxy=$(free_port tcp)
prospects_tls_proxy=$(free_port tcp)
misnamed_tls_proxy=$(free_port tcp)
sip_tls=$(free_port tcp)
web=$(free_port tcp)

export TELEPRO_DB
TELEPRO_DB=$(new_db sip)
"$T" init >/dev/null
for u in ana:agent leo:agent zoe:agent eve:agent kim:agent max:agent pat:agent pia:agent tom:agent una:agent mia:manager; do
  printf '%s\n' "pw-${u%%:*}-12345" | "$T" user add "${u%%:*}" --role "${u#*:}" --password-stdin >/dev/null
done
"$T" user set ana --phone "sip:201@127.0.0.1:$phones" >/dev/null
"$T" user set leo --phone "sip:hangs-202@127.0.0.1:$phones" >/dev/null
"$T" user set zoe --phone "sip:203@127.0.0.1:$dead" >/dev/null
"$T" user set eve --phone "sip:slow-204@127.0.0.1:$phones" >/dev/null
"$T" user set kim --phone "sip:205@127.0.0.1:$phones" >/dev/null
"$T" user set max --phone "sip:206@127.0.0.1:$phones2" >/dev/null
"$T" user set pat --phone "sip:207@127.0.0.1:$phones" >/dev/null
"$T" user set pia --phone "sip:208@127.0.0.1:$phones" >/dev/null
"$T" user set tom --phone "sip:209@127.0.0.1:$phones_tcp;transport=tcp" >/dev/null
"$T" user set una --phone "sip:210@127.0.0.1:$phones_tls_proxy;transport=tls" >/dev/null
"$T" campaign add "Dial test" --kind appointment --audience b2b --window "mon-sun 00:00-24:00" \
  --block "mon-sun 00:00-24:00" --dialing click --caller-id "01 62 00 00 01" --ring-timeout 5s >/dev/null
{
  echo "company;last_name;phone"
  for n in 01 02 03 04 05 06 07 08 09 10 15 12; do echo "Société $n;Nom$n;04 78 10 00 $n"; done
} >"$work/prospects.csv"
"$T" import prospects "$work/prospects.csv" --campaign "Dial test" >/dev/null
# Progressive dialing, from a number of the ranges for automated calling systems (ARCEP).
"$T" campaign add "Progressive test" --kind appointment --audience b2b --window "mon-sun 00:00-24:00" \
  --block "mon-sun 00:00-24:00" --dialing progressive --caller-id "01 62 00 00 01" >/dev/null
printf 'company;last_name;phone\nSociété 52;Nom52;04 78 10 00 52\nSociété 56;Nom56;04 78 10 00 56\nSociété 51;Nom51;04 78 10 00 51\n' \
  >"$work/progressive.csv"
"$T" import prospects "$work/progressive.csv" --campaign "Progressive test" >/dev/null

cat >"$work/sip.conf" <<CONF
[sip]
register = no
uri = sip:{e164}@127.0.0.1:$prospects
local = 127.0.0.1:$sip
transport = udp
ring_timeout = 25
CONF

# The phones: ana's seven calls, leo's and eve's one each (zoe's rings nowhere), kim's two
# at the desk, pat's and pia's lines; the prospects: ana's seven, leo's one (eve's lead is
# refused as it is dialed), kim's two, the three pat's line dials and pia's two.
sipp -sf "$here/phone.xml" -i 127.0.0.1 -p "$phones" -m 13 -d 1000 -recv_timeout 60000 \
  -trace_err -error_file "$work/phone_errors.log" -nostdin >"$work/phones.out" 2>&1 &
phones_pid=$!
pids+=("$phones_pid")
sipp -sf "$here/prospects.xml" -i 127.0.0.1 -p "$prospects" -m 15 -recv_timeout 60000 \
  -trace_err -error_file "$work/prospect_errors.log" -nostdin >"$work/prospects.out" 2>&1 &
prospects_pid=$!
pids+=("$prospects_pid")

# TLS: two authorities, the PBX's (it signs the trunk's certificate, the one in front of the
# prospects) and the phones' (the phones' and Telepro's own); each certificate names
# 127.0.0.1, the host Telepro connects to. tls holds both authorities; tls-phones-only trusts
# the phones' alone, so the trunk's certificate is refused.
tls=$work/tls
mkdir -p "$tls/tls" "$tls/tls-phones-only" "$tls/no-agent"
authority() { # NAME
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Telepro test $1" -keyout "$tls/$1.key" \
    -out "$tls/$1.pem" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
}
certificate() { # NAME AUTHORITY [HOST]: NAME.pem, the certificate and its key, for 127.0.0.1 or HOST
  openssl req -newkey rsa:2048 -nodes -subj "/CN=${3:-127.0.0.1}" -keyout "$tls/$1.key" -out "$tls/$1.csr" 2>/dev/null
  if [ -n "${3:-}" ]; then printf 'subjectAltName=DNS:%s\n' "$3"; else printf 'subjectAltName=IP:127.0.0.1\n'; fi >"$tls/ext"
  openssl x509 -req -in "$tls/$1.csr" -CA "$tls/$2.pem" -CAkey "$tls/$2.key" -CAcreateserial -days 2 \
    -extfile "$tls/ext" -out "$tls/$1.crt" 2>/dev/null
  cat "$tls/$1.crt" "$tls/$1.key" >"$tls/$1.pem"
}
authority pbx-ca && authority phones-ca && certificate trunk pbx-ca && certificate phones phones-ca &&
  certificate telepro phones-ca && certificate misnamed pbx-ca pbx.example || { echo "FAIL: openssl could not make the test certificates"; exit 1; }
cat "$tls/pbx-ca.pem" "$tls/phones-ca.pem" >"$tls/tls/cafile.pem"
cp "$tls/phones-ca.pem" "$tls/tls-phones-only/cafile.pem"
cp "$tls/phones-ca.pem" "$tls/no-agent/cafile.pem"
cp "$tls/telepro.pem" "$tls/tls/agent.pem"
cp "$tls/telepro.pem" "$tls/tls-phones-only/agent.pem"
tls_conf() { # DIR [TRUNK-PORT]
  printf '[sip]\nregister = no\nuri = sip:{e164}@127.0.0.1:%s;transport=tls\nlocal = 127.0.0.1:%s\ntransport = tls\ntls_certificates = %s\n' \
    "${2:-$prospects_tls_proxy}" "$sip_tls" "$1"
}
tls_conf "$tls/tls" >"$work/sip5.conf"
tls_conf "$tls/tls-phones-only" >"$work/sip6.conf"
tls_conf "$tls/tls" "$misnamed_tls_proxy" >"$work/sip7.conf"  # a trunk whose certificate names another host
tls_conf "$tls/no-agent" >"$work/tls-no-agent.conf"
# A TLS account without its own certificate is refused at start, saying which file.
if "$T" serve --listen "127.0.0.1:$web" --sip-config "$work/tls-no-agent.conf" >"$work/tls.out" 2>&1; then
  echo "FAIL: a TLS account without agent.pem was accepted"; exit 1
fi
grep -q "sip: tls_certificates: $tls/no-agent/agent.pem: No such file or directory (Telepro's certificate and its key, PEM)" \
  "$work/tls.out" || { echo "FAIL: the TLS refusal does not say why"; cat "$work/tls.out"; exit 1; }

serve() {
  "$T" serve --listen "127.0.0.1:$web" --threads 2 --sip-config "$work/sip.conf" >>"$work/serve.log" 2>&1 &
  server=$!
  pids+=("$server")
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$web/api/v1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "FAIL: the server did not start"; cat "$work/serve.log"; exit 1
}
serve

rc=0
python3 "$here/dialer_test.py" "http://127.0.0.1:$web" "$T" "$work" || rc=$?
# The desk in a browser: the live states, the outcome saved with the signalling's time;
# then pia's progressive line on two more numbers (one busy, one who answers).
printf 'company;last_name;phone\nSociété 62;Nom62;04 78 10 00 62\nSociété 65;Nom65;04 78 10 00 65\n' >"$work/pia.csv"
"$T" import prospects "$work/pia.csv" --campaign "Progressive test" >/dev/null
"$here/../web/setup.sh" >/dev/null
out=${TELEPRO_WEB_ARTEFACTS:-$work}
mkdir -p "$out"
node "$here/desk_test.js" "http://127.0.0.1:$web" "$out" "$T" || rc=$?

kill -TERM "$server"; wait "$server" || { echo "FAIL: the server did not exit 0"; rc=1; }

# A server killed mid-call: its own SIPp (calls cut by the kill never complete there).
sipp -sf "$here/phone.xml" -i 127.0.0.1 -p "$phones2" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
sipp -sf "$here/prospects.xml" -i 127.0.0.1 -p "$prospects2" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
sed "s/127.0.0.1:$prospects/127.0.0.1:$prospects2/" "$work/sip.conf" >"$work/sip2.conf"
printf 'company;last_name;phone\nSociété 25;Nom25;04 78 10 00 25\nSociété 23;Nom23;04 78 10 00 23\n' >"$work/more.csv"
"$T" import prospects "$work/more.csv" --campaign "Dial test" >/dev/null
# Digest on the account: a registrar (401) and a trunk (407) that check the password.
sipp -sf "$here/registrar.xml" -i 127.0.0.1 -p "$registrar" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
sipp -sf "$here/trunk.xml" -i 127.0.0.1 -p "$trunk" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
cat >"$work/sip3.conf" <<CONF
[sip]
register = yes
registrar = sip:127.0.0.1:$registrar
uri = sip:{e164}@127.0.0.1:$trunk
local = 127.0.0.1:$sip
user = telepro
password_env = TELEPRO_SIP_PASSWORD
CONF
# TCP: the same click-to-call, every message over TCP.
sipp -sf "$here/phone.xml" -t t1 -i 127.0.0.1 -p "$phones_tcp" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
sipp -sf "$here/prospects.xml" -t t1 -i 127.0.0.1 -p "$prospects_tcp" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
cat >"$work/sip4.conf" <<CONF
[sip]
register = no
uri = sip:{e164}@127.0.0.1:$prospects_tcp;transport=tcp
local = 127.0.0.1:$sip_tcp
transport = tcp
CONF
# TLS: SIPp over TCP behind tls_proxy.py; the scenarios' own Contact and Via name the
# proxy's TLS port, as a PBX reached over TLS would.
for who in phone:$phones_tls_proxy prospects:$prospects_tls_proxy; do
  sed -e "s|Contact: <sip:\[local_ip\]:\[local_port\];transport=\[transport\]>|Contact: <sip:[local_ip]:${who#*:};transport=tls>|" \
    -e "s|Via: SIP/2.0/\[transport\] \[local_ip\]:\[local_port\]|Via: SIP/2.0/TLS [local_ip]:${who#*:}|" \
    "$here/${who%%:*}.xml" >"$work/${who%%:*}-tls.xml"
done
sipp -sf "$work/phone-tls.xml" -t t1 -i 127.0.0.1 -p "$phones_tls" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
sipp -sf "$work/prospects-tls.xml" -t t1 -i 127.0.0.1 -p "$prospects_tls" -recv_timeout 20000 -nostdin >/dev/null 2>&1 &
pids+=($!)
python3 -u "$here/tls_proxy.py" "$phones_tls_proxy:$phones_tls:$tls/phones.pem" \
  "$prospects_tls_proxy:$prospects_tls:$tls/trunk.pem" "$misnamed_tls_proxy:$prospects_tls:$tls/misnamed.pem" \
  >"$work/tls-proxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/tls-proxy.log" && break; sleep 0.1; done
python3 "$here/server_test.py" "$T" "$work" "$web" "$work/sip2.conf" "$work/sip3.conf" "$work/sip4.conf" \
  "$work/sip5.conf" "$work/sip6.conf" "$work/sip7.conf" "$work/tls-proxy.log" ||
  { rc=1; tail -30 "$work/restart-serve.log"; }
# Every call each SIPp expected came and went through its scenario's end.
for who in phones prospects; do
  pid=${who}_pid
  for _ in $(seq 300); do kill -0 "${!pid}" 2>/dev/null || break; sleep 0.1; done
  # Still waiting for a call after 30 s: one never came or never ended.
  kill "${!pid}" 2>/dev/null && echo "FAIL: SIPp's $who still waited for calls"
  if ! wait "${!pid}"; then
    echo "FAIL: SIPp's $who did not complete every call"; cat "$work/$who.out" "$work/"*_errors.log 2>/dev/null | tail -40; rc=1
  fi
done
[ $rc -eq 0 ] || { echo "--- serve.log"; tail -40 "$work/serve.log"; }
exit $rc
