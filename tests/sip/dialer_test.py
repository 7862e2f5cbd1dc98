#!/usr/bin/env python3
"""The dialer's tests against `telepro serve --sip-config` and SIPp (tests/sip/run.sh sets
them up). Each number of the campaign is a prospect SIPp plays (prospects.xml): the result,
SIP status, ring and talk seconds of each call placed are checked (times within 1 s), the
calls logged for them, one prospect line per agent, the rules checked as the number is
dialed, and who may see and end a call.

Usage: dialer_test.py BASE_URL TELEPRO WORKDIR"""
import subprocess
import sys
import time
import urllib.parse

from sip_lib import Agent as SignedIn, check, cli_json as cli_json_of, finish

BASE, TELEPRO, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
HOST, PORT = urllib.parse.urlparse(BASE).hostname, urllib.parse.urlparse(BASE).port
def near(value, expected):
    return value is not None and abs(value - expected) <= 1


def Agent(name):
    return SignedIn(HOST, PORT, name)


def cli_json(*args):
    return cli_json_of(TELEPRO, *args)


campaign = next(c for c in cli_json("campaign", "list", "--format", "json") if c["name"] == "Dial test")
cid = campaign["id"]
ana, leo, zoe, eve, mia = (Agent(n) for n in ("ana", "leo", "zoe", "eve", "mia"))

# What each number does (prospects.xml), and what Telepro must make of it: result, SIP
# status, ring and talk seconds, how it ended, whether Telepro logged it itself.
EXPECT = {
    "+33478100001": ("conversation", 200, 1, 2, "prospect_hung_up"),
    "+33478100002": ("busy", 486, 0, 0, "not_connected"),
    "+33478100003": ("no_answer", 487, 5, 0, "not_connected"),
    "+33478100004": ("invalid_number", 404, 0, 0, "not_connected"),
    "+33478100005": ("conversation", 200, 1, 1, "agent_hung_up"),
    "+33478100006": ("no_answer", 480, 0, 0, "not_connected"),
    "+33478100007": ("conversation", 200, 0, 0, "prospect_hung_up"),
}

# Ana calls the seven numbers in the order `next` gives them (the file's).
for n in range(1, 8):
    lead = ana.next_lead(cid)
    phone = lead.get("phone")
    check(f"lead {n} is the file's next", phone == f"+3347810000{n}", phone)
    result, status, ring, talk, end = EXPECT[phone]
    dial_id = ana.dial(lead["lead_id"])
    if n == 1:
        # One prospect line per agent: a second dial while the first goes on is refused.
        st, j = ana.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
        check("a second call while one goes on: 409", st == 409 and "going on" in j.get("error", ""), f"{st} {j}")
        # Another agent does not see it.
        st, _ = leo.call("GET", f"/api/v1/dialer/{dial_id}")
        check("another agent's call placed: 404", st == 404, st)
        st, _ = leo.call("POST", f"/api/v1/dialer/{dial_id}/hangup", {})
        check("another agent's hang-up: 404", st == 404, st)
        st, j = mia.call("GET", f"/api/v1/dialer/{dial_id}")
        check("a manager sees it", st == 200 and j["agent"] == "ana", f"{st} {j}")
    if phone == "+33478100005":
        j = ana.wait(dial_id, ("connected", "ended"))
        check(f"{phone}: connected", j["state"] == "connected", j)
        seen_before = j.get("seen", [])
        time.sleep(1)
        st, _ = ana.call("POST", f"/api/v1/dialer/{dial_id}/hangup", {})
        check(f"{phone}: hang-up accepted", st == 202, st)
    j = ana.wait(dial_id, ("ended",))
    if phone == "+33478100005":
        j["seen"] = seen_before + j.get("seen", [])
    check(f"{phone}: result {result}", j.get("result") == result, j)
    check(f"{phone}: SIP status {status}", j.get("sip_status") == status, j)
    check(f"{phone}: ended as {end}", j.get("end") == end, j)
    check(f"{phone}: ring {ring} s", near(j.get("ring_seconds"), ring), j)
    check(f"{phone}: talk {talk} s", near(j.get("talk_seconds"), talk), j)
    if result == "conversation":
        # A talk of a second or more is seen connected (the poll looks every 50 ms).
        if talk >= 1:
            check(f"{phone}: went through the states", j["seen"][-2:] == ["connected", "ended"], j["seen"])
        check(f"{phone}: waits for the agent's outcome", j.get("call_id") is None, j)
        # The talk time is the signalling's: the desk gives none.
        st, k = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation",
                                                  "outcome": "refused", "dial": dial_id, "talk": "40s"})
        check(f"{phone}: a talk time with a call placed is refused", st == 400 and k.get("field") == "talk", f"{st} {k}")
        st, k = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation",
                                                  "outcome": "refused", "dial": dial_id,
                                                  "idempotency_key": f"k{dial_id}"})
        check(f"{phone}: the outcome logged", st == 201 and k.get("call_id"), f"{st} {k}")
        st, again = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation",
                                                      "outcome": "refused", "dial": dial_id,
                                                      "idempotency_key": f"k{dial_id}"})
        check(f"{phone}: the same request replayed", st == 201 and again.get("replayed") is True, f"{st} {again}")
        st, other = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation",
                                                      "outcome": "refused", "dial": dial_id,
                                                      "idempotency_key": f"other{dial_id}"})
        check(f"{phone}: logged twice: 409", st == 409 and "is closed" in other.get("error", ""), f"{st} {other}")
        j = ana.wait(dial_id, ("ended",))
        check(f"{phone}: the call placed names its call", j.get("call_id") == k.get("call_id"), j)
    else:
        check(f"{phone}: logged by Telepro", isinstance(j.get("call_id"), int), j)
        st, k = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": result, "dial": dial_id})
        # An invalid number closes its lead; another leaves it, no longer held by ana.
        check(f"{phone}: logged again by hand: refused", (st, (k.get("error", "") + " is ").split(" is ", 1)[1][:6]) ==
              ((409, "closed") if result == "invalid_number" else (403, "not yo")), f"{st} {k}")

# Leo's phone hangs up itself a second after it is joined.
lead = leo.next_lead(cid)
dial_id = leo.dial(lead["lead_id"])
j = leo.wait(dial_id, ("ended",))
check("the agent's phone hangs up: agent_hung_up", j.get("end") == "agent_hung_up" and j.get("result") ==
      "conversation", j)
check("the agent's phone hangs up: talk 1 s", near(j.get("talk_seconds"), 1), j)
st, k = leo.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation",
                                          "outcome": "refused", "dial": dial_id})
check("leo logs the outcome", st == 201, f"{st} {k}")

# Eve's phone takes three seconds to answer; meanwhile her lead's number is opposed: it is
# not dialed (the rules are checked as the number is dialed, not when it was given).
lead = eve.next_lead(cid)
dial_id = eve.dial(lead["lead_id"])
time.sleep(0.5)
with open(f"{WORK}/opposed.csv", "w") as f:
    f.write("phone\n" + lead["phone"] + "\n")
subprocess.run([TELEPRO, "import", "dnc", f"{WORK}/opposed.csv", "--source", "internal"], check=True,
               capture_output=True)
j = eve.wait(dial_id, ("ended",))
check("a lead opposed between selection and dial is not dialed", j.get("end") == "refused" and j.get("result") is None
      and j.get("sip_status") == 0 and j.get("ring_seconds") == 0 and j.get("call_id") is None, j)

# Zoe's phone is nowhere: the prospect is never called, nothing is logged.
lead = zoe.next_lead(cid)
dial_id = zoe.dial(lead["lead_id"])
j = zoe.wait(dial_id, ("ended",))
check("an agent's phone that cannot be reached: agent_unreachable", j.get("end") == "agent_unreachable" and
      j.get("result") is None and j.get("call_id") is None, j)

last_before_pat = dial_id

# A manager does not dial (they hold no lead); a campaign dialed by hand refuses.
st, j = mia.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
check("a manager does not dial: 403", st == 403, f"{st} {j}")

# Progressive dialing: pat's line rings her phone once; Telepro dials the busy number, then
# the unavailable one (both logged by Telepro, no one waiting), then one who answers and
# hangs up after 2 s; pat gives the outcome, and the line goes on (nothing left: waiting).
pat = Agent("pat")
pcid = next(c for c in cli_json("campaign", "list", "--format", "json") if c["name"] == "Progressive test")["id"]
st, j = pat.call("GET", "/api/v1/line")
check("no line yet", st == 200 and j["state"] == "none", j)
st, j = mia.call("POST", f"/api/v1/campaigns/{pcid}/line", {})
check("a manager has no line: 403", st == 403, f"{st} {j}")
st, j = pat.call("POST", f"/api/v1/campaigns/{cid}/line", {})
check("a line on a click-to-call campaign: 409", st == 409 and j.get("field") == "campaign", f"{st} {j}")
st, j = pat.call("POST", "/api/v1/sessions/start", {"campaign": "Progressive test"})
check("pat's session", st == 200, f"{st} {j}")
st, j = pat.call("POST", f"/api/v1/campaigns/{pcid}/line", {})
check("pat's line is rung", st == 202 and j.get("state") == "ringing", f"{st} {j}")
states, dials, deadline = [], [], time.monotonic() + 40
while time.monotonic() < deadline:
    st, line = pat.call("GET", "/api/v1/line")
    if not states or states[-1] != line["state"]:
        states.append(line["state"])
    if line["dial"] and line["dial"] not in dials:
        # Never two prospects: the call placed before is over when the next starts.
        if dials:
            st, prev = pat.call("GET", f"/api/v1/dialer/{dials[-1]}")
            check(f"call {dials[-1]} ended before {line['dial']} started", prev["state"] == "ended", prev)
        dials.append(line["dial"])
    if line["state"] == "wrapup":
        break
    time.sleep(0.05)
check("the line: rung, then dialing, until a conversation waits for its outcome",
      states[0] in ("ringing", "ready", "dialing") and states[-1] == "wrapup", states)
# Only pat's line dials meanwhile: her calls placed are the ids after zoe's, up to the last
# the line showed (a call that fails at once may come and go between two looks).
dials = list(range(last_before_pat + 1, dials[-1] + 1)) if dials else []
got = [pat.call("GET", f"/api/v1/dialer/{x}")[1] for x in dials]
check("three calls placed, one after the other", len(got) == 3 and all(
    a["agent"] == "pat" and a["ended_ms"] <= b["started_ms"] for a, b in zip(got, got[1:])), got)
check("what each one made", [(g["mode"], g["result"], g["sip_status"]) for g in got] ==
      [("progressive", "busy", 486), ("progressive", "no_answer", 480), ("progressive", "conversation", 200)],
      [(g["mode"], g["result"], g["sip_status"]) for g in got])
check("the conversation's times", near(got[2]["ring_seconds"], 1) and near(got[2]["talk_seconds"], 2), got[2])
# Paused in the wrap-up: logging the outcome does not dial; resuming does (nothing left).
st, _ = pat.call("POST", "/api/v1/sessions/pause", {})
st, k = pat.call("POST", "/api/v1/calls", {"lead_id": got[2]["lead_id"], "result": "conversation",
                                          "outcome": "refused", "dial": dials[2]})
check("pat logs the outcome", st == 201, f"{st} {k}")
time.sleep(0.3)
st, line = pat.call("GET", "/api/v1/line")
check("paused: the line waits", line["state"] == "paused", line)
st, _ = pat.call("POST", "/api/v1/sessions/resume", {})
line = pat.wait_line("waiting")
check("resumed: nothing left to call, the line waits and says why", line["state"] == "waiting" and
      line["reason"], line)
st, j = pat.call("POST", "/api/v1/line/stop", {})
line = pat.wait_line("ended")
check("the line stops", line["state"] == "ended", line)
st, j = pat.call("POST", "/api/v1/sessions/stop", {})

# The KPIs count what was placed: ana's seven calls, leo's one.
k = cli_json("kpi", "--campaign", "Dial test", "--by", "agent", "--format", "json")
by = {g["key"]: g for g in k["groups"]}
check("kpi: ana's seven calls", by.get("ana", {}).get("calls") == 7, by.get("ana"))
check("kpi: ana's three conversations", by.get("ana", {}).get("conversations") == 3, by.get("ana"))
check("kpi: leo's one call", by.get("leo", {}).get("calls") == 1, by.get("leo"))
check("kpi: nothing for eve and zoe", "eve" not in by and "zoe" not in by, list(by))

# How the calls were dialed (kpi --by dialing): the click-to-call campaign's, and the line's.
k = cli_json("kpi", "--campaign", "Dial test", "--by", "dialing", "--format", "json")
g = {x["key"]: x for x in k["groups"]}
check("dialing: click-to-call only (ana's seven, leo's one)", list(g) == ["click"] and g["click"]["calls"] == 8 and
      g["click"]["conversations"] == 4 and g["click"]["connected"]["n"] == 8, k["groups"])
check("dialing: the mean ring of the calls placed", g.get("click", {}).get("ring_seconds_mean") is not None and
      abs(g["click"]["ring_seconds_mean"] - sum(x[2] for x in EXPECT.values()) / 8) < 1.0, g.get("click"))
k = cli_json("kpi", "--campaign", "Progressive test", "--by", "dialing", "--format", "json")
g = {x["key"]: x for x in k["groups"]}
check("dialing: the line's three calls, idle time between them", list(g) == ["progressive"] and
      g["progressive"]["calls"] == 3 and g["progressive"]["idle_gaps"] == 2 and
      0 <= g["progressive"]["idle_seconds_mean"] <= 2, k["groups"])

finish("dialer")
