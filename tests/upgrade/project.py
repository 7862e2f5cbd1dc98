#!/usr/bin/env python3
"""The KPI figures every schema version reports alike, from `telepro kpi --format json` on
stdin: the totals' and each group's counts and seconds, one line per group, keys sorted.
Newer versions add rates and fields; these stay the same for the same history."""
import json
import sys

FIELDS = ("calls", "conversations", "appointments", "sales", "calling_seconds", "talk_seconds")
d = json.load(sys.stdin)
rows = [("totals", d["totals"])] + [(g["key"], g) for g in d.get("groups", [])]
for key, g in sorted(rows, key=lambda r: str(r[0])):
    print(key, " ".join(f"{f}={g.get(f)}" for f in FIELDS))
