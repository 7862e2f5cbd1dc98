#!/bin/sh
# Installs the Debian packages Telepro needs to build, test and benchmark, when missing.
# Usage: scripts/deps.sh [build|check|bench|pg]   (check and bench include build)
# Runs apt-get as root, or through sudo; does nothing when everything is present.
set -eu

build="build-essential g++ pkg-config meson ninja-build libsqlite3-dev libpq-dev
 libjansson-dev libcsv-dev libsodium-dev libphonenumber-dev libmicrohttpd-dev libcmark-dev
 libsofia-sip-ua-dev libical-dev libxlsxwriter-dev libcairo2-dev librsvg2-dev libcurl4-openssl-dev fonts-dejavu-core gettext tzdata"
check="libcmocka-dev sip-tester openssl python3-icalendar python3-openpyxl poppler-utils clang libclang-rt-14-dev sqlite3 python3 postgresql postgresql-client curl chromium"
bench="sqlite3 time python3 postgresql postgresql-client wrk curl sip-tester poppler-utils"
pg="postgresql postgresql-client"

want=$build
case "${1:-build}" in
  build) ;;
  check) want="$build $check" ;;
  bench) want="$build $bench" ;;
  pg) want="$pg" ;;
  *) echo "usage: $0 [build|check|bench|pg]" >&2; exit 2 ;;
esac

# The browser tests run on Node.js; Debian's, unless the machine has one already.
if [ "${1:-build}" = check ] && ! command -v node >/dev/null 2>&1; then
  want="$want nodejs npm"
fi

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "deps: missing packages:$missing; run as root or install sudo" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
