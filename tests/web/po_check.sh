#!/bin/sh
# Every string the pages translate (T(), N_(), i18n(), the rules' reasons, RULES_MSG, and
# the messages of core's errors, TP_MSG)
# has a French translation in
# po/fr.po: xgettext extracts them, msgcmp fails on any without one.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
pot=$(mktemp /tmp/telepro-pot.XXXXXX)
trap 'rm -f "$pot"' EXIT
xgettext --from-code=UTF-8 --keyword=T:2 --keyword=N_ --keyword=forbidden:2 --keyword=i18n:2 \
  --keyword=RULES_MSG --keyword=TP_MSG -o "$pot" "$root"/src/http/*.c "$root"/src/core/*.c "$root"/src/core/*.cc "$root"/src/app/*.c "$root"/src/store/*.c
msgcmp "$root/po/fr.po" "$pot"
echo "catalogue: every string of src/http has its French translation"
