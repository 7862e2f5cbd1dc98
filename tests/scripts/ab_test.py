#!/usr/bin/env python3
"""Scripts compared (docs/SCRIPTS.md), through the API as the desk uses it.

A campaign runs two scripts, A and B, 50/50. Two agents take their next lead (which gives
the lead its variant) and log each call with the script they had on screen. The effects are
planted exactly, per variant: five calls in six are conversations; A books an appointment
in 2 conversations of 10, B in 3 (1.5x); sales find 9 of A's appointments in 10 relevant,
5 of B's. The comparison must show B ahead on appointments per conversation and behind on
relevant appointments, and its verdict must follow the primary rate the manager chose:
"decided, B" for appointments per conversation, "stop B" for the share of relevant ones.

Then: versions (a changed text is a new version, the same text is not), a stopped variant
(new leads all get the other; the comparison keeps its calls), a lead's variant kept over
its callback, the version a call says checked, and a consumer campaign refusing a variant
without the opening the law asks for.

Usage: ab_test.py BASE_URL TELEPRO WORKDIR"""
import datetime
import json
import os
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sip"))
from sip_lib import Agent, check, cli_json, finish  # noqa: E402

BASE, TELEPRO, WORK = sys.argv[1:4]
url = urllib.parse.urlparse(BASE)
HOST, PORT = url.hostname, url.port

A_TEXT = "## Ouverture\n\nBonjour {{first_name}}, {{agent}} de Solaire. Avez-vous deux minutes ?\n"
B_TEXT = ("## Ouverture\n\nBonjour {{first_name}}, je suis {{agent}}. Une question : votre toiture est-elle orientée"
          " au sud ? Nos clients réduisent leur facture de 40 %.\n")

mia = Agent(HOST, PORT, "mia")
sam = Agent(HOST, PORT, "sam")
agents = [Agent(HOST, PORT, "ana"), Agent(HOST, PORT, "leo")]
cid = next(c["id"] for c in cli_json(TELEPRO, "campaign", "list", "--format", "json") if c["name"] == "AB test")

st, j = mia.call("PUT", f"/api/v1/campaigns/{cid}/scripts",
                 {"variants": [{"variant": "A", "text": A_TEXT}, {"variant": "B", "text": B_TEXT}],
                  "weights": [50, 50], "primary": "appointments_per_conversation"})
check("two variants set, 50/50", st == 200 and [(v["variant"], v["weight"], v["version"]) for v in j["variants"]] ==
      [("A", 50, 1), ("B", 50, 1)], f"{st} {j}")
check("words and reading time beside the expected call length",
      j["variants"][1]["words"] == 21 and j["variants"][1]["reading_seconds"] == 8 and j["expected_call_seconds"] == 300,
      j["variants"][1])
st, j = agents[0].call("PUT", f"/api/v1/campaigns/{cid}/scripts", {"variants": [{"variant": "A", "text": "x"}]})
check("an agent may not change the scripts", st == 403, st)

for a in agents:
    st, j = a.call("POST", "/api/v1/sessions/start", {"campaign": "AB test"})
    check(f"{a.name}: session", st == 200, f"{st} {j}")

appointment_day = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
calls = {"A": 0, "B": 0}
conversations = {"A": 0, "B": 0}
booked = {"A": [], "B": []}
leads_by_variant = {"A": 0, "B": 0}
no_answer_leads = []
for i in range(1500):
    a = agents[i % 2]
    st, lead = a.call("POST", f"/api/v1/campaigns/{cid}/next", {})
    if st != 200:
        check("next gives a lead", False, f"{st} {lead}")
        break
    v = lead.get("script_variant")
    if v not in ("A", "B") or lead.get("script_version") != 1 or not lead.get("script", "").startswith("## Ouverture"):
        check("next says the lead's variant, its version and its text", False, lead)
        break
    if (v == "A") != (lead["script"] == A_TEXT):
        check("the text is the variant's", False, lead)
        break
    leads_by_variant[v] += 1
    body = {"lead_id": lead["lead_id"], "script_variant": v, "script_version": 1}
    k = calls[v]
    calls[v] += 1
    if k % 6 == 5:
        body["result"] = "no_answer"
        no_answer_leads.append((lead["lead_id"], v))
    else:
        m = conversations[v]
        conversations[v] += 1
        body.update({"result": "conversation", "talk": "3m"})
        if m % 10 < (2 if v == "A" else 3):
            body.update({"outcome": "appointment", "appointment_at": f"{appointment_day} 10:00", "sales": "sam",
                         "confirm": True})
        else:
            body["outcome"] = "refused"
    st, j = a.call("POST", "/api/v1/calls", body)
    if st != 201:
        check("the call is logged", False, f"{st} {j} {body}")
        break
    if j.get("appointment_id"):
        booked[v].append(j["appointment_id"])
check("1,500 calls logged", calls["A"] + calls["B"] == 1500, calls)
check("leads given to both variants, about half each (weights 50/50)",
      min(leads_by_variant.values()) >= 650, leads_by_variant)

# Sales say which appointments were worth going to.
for v, ids in booked.items():
    for j_, appointment in enumerate(ids):
        st, r = sam.call("POST", f"/api/v1/appointments/{appointment}/result",
                         {"relevant": "yes" if j_ % 10 < (9 if v == "A" else 5) else "no"})
        if st != 200:
            check("sales record relevance", False, f"{st} {r}")
            break


def compare():
    st, j = mia.call("GET", "/api/v1/insights/scripts?campaign=" + urllib.parse.quote("AB test"))
    check("the comparison answers", st == 200, f"{st} {j}")
    return j, {v["variant"]: v for v in j.get("variants", [])}


j, by = compare()
check("each variant's calls and conversations as logged",
      [(by[v]["calls"], by[v]["conversations"]) for v in "AB"] == [(calls[v], conversations[v]) for v in "AB"],
      [(by[v]["calls"], by[v]["conversations"]) for v in "AB"])
check("every rate with its interval and n", all(set(by["A"][r]) == {"value", "low", "high", "n"} for r in
      ("contact_rate", "conversations_per_hour", "qualification_rate", "appointments_per_conversation",
       "relevant_appointments_per_conversation", "relevant_appointment_rate", "sales_per_appointment",
       "avg_conversation_seconds")), by["A"])
apc = {v: by[v]["appointments_per_conversation"]["value"] for v in "AB"}
rel = {v: by[v]["relevant_appointment_rate"]["value"] for v in "AB"}
check("B ahead on appointments per conversation (1.5x)", abs(apc["B"] / apc["A"] - 1.5) < 0.06, apc)
check("B behind on relevant appointments (5 in 10 against 9)", abs(rel["A"] - 0.9) < 0.03 and abs(rel["B"] - 0.5) < 0.03,
      rel)
verdict = j["verdict"]
check("primary appointments per conversation: decided, B", verdict["state"] == "decided" and verdict["winner"] == "B"
      and abs(verdict["ratio"] - 1.5) < 0.06 and verdict["needed"] == 0, verdict)
check("the verdict in French", verdict["summary"].startswith("B : 1,") and
      verdict["summary"].endswith("× les rendez-vous par conversation de A — décidé"), verdict["summary"])
secondary = {s["rate"]: s for s in j["secondary"]}
check("secondary: the share of relevant appointments, B significantly worse",
      secondary["relevant_appointment_rate"]["significant"] and secondary["relevant_appointment_rate"]["ratio"] < 0.6,
      secondary.get("relevant_appointment_rate"))
check("secondary: the contact rate is the same, not significant",
      not secondary["contact_rate"]["significant"], secondary.get("contact_rate"))

# The manager's primary rate decides: the share of relevant appointments says stop B.
st, j = mia.call("PUT", f"/api/v1/campaigns/{cid}/scripts",
                 {"variants": [{"variant": "A", "text": A_TEXT}, {"variant": "B", "text": B_TEXT}],
                  "primary": "relevant_appointment_rate"})
check("the same texts: no new version", st == 200 and [v["version"] for v in j["variants"]] == [1, 1], j)
j, by = compare()
verdict = j["verdict"]
check("primary relevant appointments: stop B", verdict["state"] == "stop" and verdict["variant"] == "B" and
      verdict["winner"] == "A" and verdict["ratio"] < 0.6, verdict)
check("said so in English", verdict["summary_en"].startswith("stop B: 0."), verdict["summary_en"])

# A lead keeps its variant over its callback.
a = agents[0]
st, lead = a.call("POST", f"/api/v1/campaigns/{cid}/next", {})
callback_day = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
st, j = a.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation", "talk": "1m",
                                          "outcome": "callback", "callback_at": f"{callback_day} 11:00",
                                          "confirm": True})
check("a callback booked", st == 201, f"{st} {j}")
calls[lead["script_variant"]] += 1
again = cli_json(TELEPRO, "next", "--agent", "ana", "--campaign", "AB test", "--at", f"{callback_day} 11:05",
                 "--format", "json")
check("the callback: the same lead, the same variant", again["lead_id"] == lead["lead_id"] and
      again["script_variant"] == lead["script_variant"] and again["script_version"] == 1, (lead, again))

# A new version of A; B stopped: every new lead reads A's version 2.
st, j = mia.call("PUT", f"/api/v1/campaigns/{cid}/scripts",
                 {"variants": [{"variant": "A", "text": A_TEXT + "\nMerci !\n"}]})
check("A's new version, B stopped", st == 200 and [(v["variant"], v["version"], v["stopped"]) for v in j["variants"]]
      == [("A", 2, False), ("B", 1, True)], j)
st, h = mia.call("GET", f"/api/v1/campaigns/{cid}/scripts/A/versions")
check("A's versions, newest first, with their author", st == 200 and [(x["version"], x["author"]) for x in
      h["versions"]] == [(2, "mia"), (1, "mia")] and h["versions"][1]["text"] == A_TEXT, h)
a = agents[1]
seen = set()
for _ in range(5):
    st, lead = a.call("POST", f"/api/v1/campaigns/{cid}/next", {})
    seen.add((lead.get("script_variant"), lead.get("script_version")))
    st, j = a.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "busy"})
check("new leads all read A's version 2", seen == {("A", 2)}, seen)
j, by = compare()
check("the comparison keeps B's calls", by["B"]["stopped"] and by["B"]["calls"] == calls["B"],
      (by["B"]["calls"], calls))

# The version a call says must be one the campaign has.
st, lead = a.call("POST", f"/api/v1/campaigns/{cid}/next", {})
st, j = a.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "busy", "script_variant": "A",
                                          "script_version": 7})
check("an unknown version refused", st == 400 and "no such script variant and version" in json.dumps(j), f"{st} {j}")
st, j = a.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "busy", "script_variant": "A"})
check("a variant without its version refused", st == 400, f"{st} {j}")

# A consumer campaign's variants open as the law asks (who calls, for whom, commercial).
conso = next(c["id"] for c in cli_json(TELEPRO, "campaign", "list", "--format", "json") if c["name"] == "Conso")
st, j = mia.call("PUT", f"/api/v1/campaigns/{conso}/scripts",
                 {"variants": [{"variant": "A", "text": "## Bonjour\n{{agent}} pour le compte de Solaire, appel"
                                " commercial.\n"}, {"variant": "B", "text": "## Bonjour\nC'est {{agent}} !\n"}]})
check("a consumer variant without the opening refused, naming it", st == 400 and j.get("field") == "B" and
      "its opening lacks for whom" in j.get("error", ""), f"{st} {j}")
st, j = mia.raw("PUT", f"/api/v1/campaigns/{conso}/scripts",
                {"variants": [{"variant": "B", "text": "## Bonjour\nC'est {{agent}} !\n"}]}, lang="fr")[::2]
check("said in French", st == 400 and "l'ouverture" in j, f"{st} {j}")

# The CLI says the same.
out = subprocess.run([TELEPRO, "insights", "scripts", "--campaign", "AB test", "--format", "json"], capture_output=True,
                     text=True, check=True)
cli, api = json.loads(out.stdout)["verdict"], compare()[0]["verdict"]
check("the CLI's comparison is the API's", {k: v for k, v in cli.items() if k not in ("lambda", "ratio")} ==
      {k: v for k, v in api.items() if k not in ("lambda", "ratio")} and abs(cli["ratio"] - api["ratio"]) < 1e-9 and
      abs(cli["lambda"] / api["lambda"] - 1) < 1e-9, (cli, api))

# A call history says which script each call was made with: a variant, or a variant and
# its version; an unknown one is a rejected row naming the column.
before = compare()[1]
with open(f"{WORK}/history.csv", "w") as f:
    f.write("quand;qui;resultat;issue;rdv;pitch\n2026-11-02 10:00;zoe;conversation;appointment;2026-11-09 10:00;A@1\n"
            "2026-11-02 10:05;zoe;no_answer;;;B\n2026-11-02 10:10;zoe;conversation;refused;;C\n"
            "2026-11-02 10:15;zoe;conversation;refused;;A@9\n")
with open(f"{WORK}/history.mapping", "w") as f:
    f.write("[columns]\nquand = datetime\nqui = agent\nresultat = result\nissue = outcome\nrdv = appointment_at\n"
            "pitch = script\n")
out = subprocess.run([TELEPRO, "import", "calls", f"{WORK}/history.csv", "--campaign", "AB test", "--mapping",
                      f"{WORK}/history.mapping", "--format", "json"], capture_output=True, text=True)
summary = json.loads(out.stdout)
check("history: two calls with their script, two refused", (summary["imported"], summary["rejected"]) == (2, 2),
      summary)
check("history: the refusals name the column and the script",
      "history.csv:4: pitch (script): 'C': no such script variant and version in campaign 'AB test'" in out.stderr and
      "history.csv:5: pitch (script): 'A@9': no such script variant" in out.stderr, out.stderr)
after = compare()[1]
check("history: counted with their variants", (after["A"]["calls"] - before["A"]["calls"],
      after["B"]["calls"] - before["B"]["calls"], after["A"]["appointments"] - before["A"]["appointments"]) == (1, 1, 1),
      (before["A"]["calls"], after["A"]["calls"]))

# The CLI's call log says the script on screen too.
lead = cli_json(TELEPRO, "next", "--agent", "leo", "--campaign", "AB test", "--format", "json")
bad = subprocess.run([TELEPRO, "call", "log", "--agent", "leo", "--lead", str(lead["lead_id"]), "--result", "busy",
                      "--script", "Z"], capture_output=True, text=True)
check("call log --script Z: refused", bad.returncode == 2 and "'Z': no such script variant and version" in bad.stderr,
      (bad.returncode, bad.stderr))
before = compare()[1]
subprocess.run([TELEPRO, "call", "log", "--agent", "leo", "--lead", str(lead["lead_id"]), "--result", "busy",
                "--script", "A@1"], check=True, capture_output=True)
check("call log --script A@1: counted for A", compare()[1]["A"]["calls"] == before["A"]["calls"] + 1)

finish("scripts")
