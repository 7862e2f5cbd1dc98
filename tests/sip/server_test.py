#!/usr/bin/env python3
"""The dialer's server: killed mid-call, and its SIP account's digest authentication
(tests/sip/run.sh sets up the database and SIPp; this script runs the server itself).

Restart: max's first call is answered when the server dies (kill -9): at restart it is
ended ("interrupted"), not logged, and max gives its outcome. His second call is ringing
when the server dies: at restart Telepro logs it (no answer), once, however often the
server restarts.

Account: the server registers (401, digest) and its calls are authenticated by the trunk
(407); with a wrong password, the registration fails (403) and so does the call, which
reached nobody and is not logged.

TCP: tom's click-to-call with every message over TCP (his phone, the prospect, Telepro).

TLS: una's click-to-call with every message over TLS (tls_proxy.py in front of SIPp),
each certificate checked; then with an account that does not trust the trunk's authority,
and with a trunk whose certificate names another host: the call fails on our side (no
network answer came), nothing is logged.

Usage: server_test.py TELEPRO WORKDIR WEB_PORT RESTART_CONF ACCOUNT_CONF TCP_CONF TLS_CONF
       TLS_UNTRUSTED_CONF TLS_MISNAMED_CONF TLS_PROXY_LOG"""
import os
import http.client
import subprocess
import sys
import time

from sip_lib import Agent, check, cli_json, finish, serve

TELEPRO, WORK, PORT, CONF, ACCOUNT, TCP, TLS, TLS_UNTRUSTED, TLS_MISNAMED, TLS_LOG = sys.argv[1:11]
PORT = int(PORT)
def start(conf=CONF, password=None):
    env = dict(os.environ)
    if password:
        env["TELEPRO_SIP_PASSWORD"] = password
    return serve(TELEPRO, PORT, f"{WORK}/restart-serve.log", ("--sip-config", conf), env)


def login(user="max"):
    return Agent("127.0.0.1", PORT, user)


def calls_of_max():
    k = cli_json(TELEPRO, "kpi", "--campaign", "Dial test", "--by", "agent", "--format", "json")
    return next((g["calls"] for g in k["groups"] if g["key"] == "max"), 0)


cid = next(c["id"] for c in cli_json(TELEPRO, "campaign", "list", "--format", "json") if c["name"] == "Dial test")

# 1. Answered when the server dies.
server = start()
session = login()
st, lead = session.call("POST", f"/api/v1/campaigns/{cid}/next", {})
check("max's first lead", lead.get("phone") == "+33478100025", lead)
st, d = session.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
dial_id = d["id"]
session.wait(dial_id, ("connected",))
server.kill()
server.wait()
server = start()
session = login()
j = session.wait(dial_id, ("ended",))
check("answered, then the server died: ended as interrupted, a conversation waiting for its outcome",
      j.get("end") == "interrupted" and j.get("result") == "conversation" and j.get("call_id") is None, j)
st, k = session.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation", "outcome": "refused",
                                         "dial": dial_id})
check("its outcome logged after the restart", st == 201, f"{st} {k}")
check("one call for max", calls_of_max() == 1, calls_of_max())

# 2. Ringing when the server dies: logged by the restart, once.
st, lead = session.call("POST", f"/api/v1/campaigns/{cid}/next", {})
check("max's second lead", lead.get("phone") == "+33478100023", lead)
st, d = session.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
dial_id = d["id"]
session.wait(dial_id, ("ringing_prospect",))
time.sleep(0.5)
server.kill()
server.wait()
for restart in range(2):
    server = start()
    session = login()
    j = session.wait(dial_id, ("ended",))
    check(f"ringing, then the server died (restart {restart + 1}): logged as no answer",
          j.get("end") == "interrupted" and j.get("result") == "no_answer" and isinstance(j.get("call_id"), int), j)
    check(f"restart {restart + 1}: two calls for max, never three", calls_of_max() == 2, calls_of_max())
    server.terminate()
    check("the server stops cleanly", server.wait() == 0)

# 3. The account: registered with digest, calls authenticated by the trunk.
with open(f"{WORK}/auth.csv", "w") as f:
    f.write("company;last_name;phone\nSociété 32;Nom32;04 78 10 00 32\nSociété 42;Nom42;04 78 10 00 42\n")
subprocess.run([TELEPRO, "import", "prospects", f"{WORK}/auth.csv", "--campaign", "Dial test"], check=True,
               capture_output=True)
for password, registered, lead_phone in (("s3cret-Pass", ("registered", 200), "+33478100032"),
                                         ("wrong", ("failed", 403), "+33478100042")):
    server = start(ACCOUNT, password)
    mia = login("mia")
    deadline = time.monotonic() + 20
    while True:
        st, reg = mia.call("GET", "/api/v1/dialer")
        if reg.get("register") not in ("trying",) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    check(f"password {password}: registration {registered}", (reg.get("register"), reg.get("status")) == registered,
          reg)
    # The users page says it too, in French.
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    c.request("GET", "/users", headers={"Cookie": mia.cookie, "Accept-Language": "fr"})
    page = c.getresponse().read().decode()
    said = {"registered": "enregistré — 200 OK", "failed": "enregistrement refusé — 403 Forbidden"}[registered[0]]
    check(f"password {password}: the users page says '{said}'", f'data-register="{registered[0]}"' in page and
          said in page, page[page.find('id="sip-status"'):][:200])
    session = login()
    st, lead = session.call("POST", f"/api/v1/campaigns/{cid}/next", {})
    check(f"password {password}: the lead", lead.get("phone") == lead_phone, lead)
    st, d = session.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
    j = session.wait(d.get("id"), ("ended",))
    if registered[1] == 200:
        check("the trunk's 407 answered: the call goes through (busy)", j.get("result") == "busy" and
              j.get("sip_status") == 486 and isinstance(j.get("call_id"), int), j)
    else:
        check("a wrong password: the call fails on our side, nothing logged", j.get("end") == "failed" and
              j.get("result") is None and j.get("sip_status") == 403 and j.get("call_id") is None, j)
    server.terminate()
    check(f"password {password}: the server stops cleanly", server.wait() == 0)

# 4. TCP: a prospect who answers and hangs up after 2 s, over TCP end to end.
with open(f"{WORK}/tcp.csv", "w") as f:
    f.write("company;last_name;phone\nSociété 71;Nom71;04 78 10 00 71\n")
subprocess.run([TELEPRO, "import", "prospects", f"{WORK}/tcp.csv", "--campaign", "Dial test"], check=True,
               capture_output=True)
server = start(TCP)
session = login("tom")
st, lead = session.call("POST", f"/api/v1/campaigns/{cid}/next", {})
check("tom's lead", lead.get("phone") == "+33478100071", lead)
st, d = session.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
j = session.wait(d.get("id"), ("ended",))
check("over TCP: answered, joined, hung up by the prospect", j.get("result") == "conversation" and
      j.get("end") == "prospect_hung_up" and abs(j.get("talk_seconds", -9) - 2) <= 1, j)
server.terminate()
check("over TCP: the server stops cleanly", server.wait() == 0)

# 5. TLS: a prospect who answers and hangs up after 2 s; then the trunk's certificate refused.
with open(f"{WORK}/tls.csv", "w") as f:
    f.write("company;last_name;phone\nSociété 81;Nom81;04 78 10 00 81\nSociété 82;Nom82;04 78 10 00 82\n")
subprocess.run([TELEPRO, "import", "prospects", f"{WORK}/tls.csv", "--campaign", "Dial test"], check=True,
               capture_output=True)


def proxy_said(what):
    with open(TLS_LOG) as f:
        return [line.split()[1:] for line in f if line.startswith(what)]


def handshakes():
    return proxy_said("handshake")


server = start(TLS)
session = login("una")
st, lead = session.call("POST", f"/api/v1/campaigns/{cid}/next", {})
check("una's first lead", lead.get("phone") == "+33478100081", lead)
st, d = session.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
j = session.wait(d.get("id"), ("ended",))
check("over TLS: answered, joined, hung up by the prospect", j.get("result") == "conversation" and
      j.get("end") == "prospect_hung_up" and abs(j.get("talk_seconds", -9) - 2) <= 1, j)
st, k = session.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation", "outcome": "refused",
                                         "dial": d.get("id")})
check("over TLS: its outcome logged", st == 201, f"{st} {k}")
seen = handshakes()
check("over TLS: one handshake with the phone's side, one with the trunk's, both TLS 1.2 or later",
      sorted(h[1] for h in seen) == ["ok", "ok"] and all(h[2] in ("TLSv1.2", "TLSv1.3") for h in seen), seen)
server.terminate()
check("over TLS: the server stops cleanly", server.wait() == 0)

# The trunk's certificate refused: Telepro checks it once the handshake is over, and
# closes the connection before a byte of SIP goes through it. No call was made: una keeps
# the lead for the next try.
for case, conf in (("untrusted authority", TLS_UNTRUSTED), ("another host's name", TLS_MISNAMED)):
    server = start(conf)
    session = login("una")
    st, lead = session.call("POST", f"/api/v1/campaigns/{cid}/next", {})
    check(f"{case}: una's lead", lead.get("phone") == "+33478100082", lead)
    st, d = session.call("POST", f"/api/v1/leads/{lead['lead_id']}/dial", {})
    j = session.wait(d.get("id"), ("ended",))
    check(f"{case}: the call fails on our side, nothing logged", j.get("end") == "failed" and
          j.get("result") is None and j.get("call_id") is None and j.get("sip_status") == 503, j)
    calls = cli_json(TELEPRO, "kpi", "--campaign", "Dial test", "--by", "agent", "--format", "json")
    check(f"{case}: una has one call logged, the conversation",
          next((g["calls"] for g in calls["groups"] if g["key"] == "una"), 0) == 1, calls["groups"])
    trunk_port = next(line for line in open(conf) if line.startswith("uri")).split("127.0.0.1:")[1].split(";")[0]
    for _ in range(100):
        if [trunk_port, "0"] in proxy_said("closed"):
            break
        time.sleep(0.05)
    check(f"{case}: the trunk's side saw its connection closed before any SIP",
          [trunk_port, "0"] in proxy_said("closed"), proxy_said("closed"))
    server.terminate()
    check(f"{case}: the server stops cleanly", server.wait() == 0)

finish("server")
