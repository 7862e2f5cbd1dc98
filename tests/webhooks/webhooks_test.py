#!/usr/bin/env python3
"""Webhooks end to end: a receiver that fails each delivery's first two attempts and checks
its HMAC-SHA256 signature ("t=TIMESTAMP,v1=HEX" over "TIMESTAMP.BODY" with the hook's
secret); the server started with --webhook-retry 1; every event through the API; the
delivery log; a server killed (-9) with a delivery committed and not yet delivered loses
nothing. Usage: webhooks_test.py TELEPRO WORKDIR"""
import hashlib
import hmac
import http.client
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sip"))
from sip_lib import Agent, check, finish, serve  # noqa: E402

TELEPRO, WORK = sys.argv[1:3]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Receiver(http.server.BaseHTTPRequestHandler):
    secret = None
    mode = "flaky"          # flaky: the first two attempts of each delivery fail; down: every one
    attempts = {}           # delivery id -> attempts seen
    got = []                # (delivery id, event, body) accepted, in order
    bad = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        sig = dict(p.split("=", 1) for p in self.headers.get("X-Telepro-Signature", "").split(","))
        want = hmac.new(Receiver.secret.encode(), f"{sig.get('t')}.".encode() + body, hashlib.sha256).hexdigest()
        delivery = self.headers.get("X-Telepro-Delivery")
        with Receiver.lock:
            if not hmac.compare_digest(want, sig.get("v1", "")) or abs(time.time() - int(sig.get("t", 0))) > 300:
                Receiver.bad.append(delivery)
            n = Receiver.attempts[delivery] = Receiver.attempts.get(delivery, 0) + 1
            ok = Receiver.mode == "flaky" and n > 2
            if ok:
                Receiver.got.append((delivery, self.headers.get("X-Telepro-Event"), json.loads(body)))
        self.send_response(200 if ok else 500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


rport, wport = free_port(), free_port()
receiver = http.server.ThreadingHTTPServer(("127.0.0.1", rport), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()


def start():
    return serve(TELEPRO, wport, os.path.join(WORK, "serve.log"), ("--webhook-retry", "1"))


def received(event, where=None, seconds=30):
    """Waits for an accepted delivery of event (where: a test of its body); its (id, body)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with Receiver.lock:
            for d, e, b in Receiver.got:
                if e == event and (where is None or where(b)):
                    return d, b
        time.sleep(0.05)
    return None, None


server = start()
ada, mia, ana, sam = (Agent("127.0.0.1", wport, n) for n in ("ada", "mia", "ana", "sam"))
url = f"http://127.0.0.1:{rport}/hook"
st, j = mia.call("POST", "/api/v1/webhooks", {"url": url, "events": ["call.logged"]})
check("a manager may not add a webhook", st == 403, st)
st, j = ada.call("POST", "/api/v1/webhooks", {"url": "ftp://x", "events": ["call.logged"]})
check("an address that is not http(s) refused", st == 400 and j.get("field") == "url", (st, j))
st, j = ada.call("POST", "/api/v1/webhooks", {"url": url, "events": ["call.made"]})
check("an unknown event refused, naming it", st == 400 and "'call.made'" in j.get("error", ""), (st, j))
st, hook = ada.call("POST", "/api/v1/webhooks", {"url": url, "events": [
    "call.logged", "appointment.booked", "appointment.result", "lead.opted_out", "import.finished"]})
check("an admin adds one, its secret shown once", st == 201 and hook.get("secret", "").startswith("whsec_"), (st, hook))
Receiver.secret = hook["secret"]
st, hooks = ada.call("GET", "/api/v1/webhooks")
check("the list never shows the secret", st == 200 and "secret" not in json.dumps(hooks), hooks)

# A call with an appointment: call.logged and appointment.booked, each after two failures.
st, _ = ana.call("POST", "/api/v1/sessions/start", {"campaign": "Hooks"})
cid = json.loads(subprocess.run([TELEPRO, "campaign", "list", "--format", "json"], capture_output=True, text=True,
                                check=True).stdout)[0]["id"]
st, lead = ana.call("POST", f"/api/v1/campaigns/{cid}/next", {})
st, call = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation", "talk": "3m",
                                            "outcome": "appointment", "appointment_at": "2030-01-07 10:00",
                                            "sales": "sam", "confirm": True})
check("the call logged", st == 201, (st, call))
d1, body = received("call.logged", lambda b: b["call_id"] == call["call_id"])
check("call.logged delivered, on the third attempt", d1 is not None and Receiver.attempts[d1] == 3 and
      body["lead_id"] == lead["lead_id"] and body["agent"] == "ana" and body["outcome"] == "appointment" and
      body["talk_seconds"] == 180, (d1, body))
d2, body = received("appointment.booked", lambda b: b["appointment_id"] == call["appointment_id"])
check("appointment.booked delivered with its sales person", d2 is not None and body["sales"] == "sam" and
      body["call_id"] == call["call_id"], body)
check("every signature checked out", not Receiver.bad, Receiver.bad)
# The log says it once the worker has written its round's outcomes (a state to wait for).
deadline = time.monotonic() + 30
while True:
    st, log = ada.call("GET", f"/api/v1/webhooks/{hook['id']}/deliveries")
    first = next((x for x in log if str(x["id"]) == d1), {})
    if first.get("state") != "pending" or time.monotonic() > deadline:
        break
    time.sleep(0.05)
check("the delivery log: delivered after 3 attempts, the last 200", first.get("state") == "delivered" and
      first.get("attempts") == 3 and first.get("last_status") == 200, first)

# What sales made of it; a prospect who asks not to be called; an import; a test event.
st, _ = sam.call("POST", f"/api/v1/appointments/{call['appointment_id']}/result", {"relevant": "yes"})
_, body = received("appointment.result", lambda b: b["appointment_id"] == call["appointment_id"])
check("appointment.result delivered", body is not None and body["relevant"] is True and body["by"] == "sam", body)
st, lead = ana.call("POST", f"/api/v1/campaigns/{cid}/next", {})
st, j = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "conversation", "talk": "30",
                                         "outcome": "do_not_call"})
_, body = received("lead.opted_out", lambda b: b["lead_id"] == lead["lead_id"])
check("lead.opted_out delivered with the number", body is not None and body["phone"] == lead["phone"], body)
c = http.client.HTTPConnection("127.0.0.1", wport, timeout=30)
c.request("POST", "/api/v1/imports?kind=prospects&campaign=Hooks&file=more.csv", body=b"company;last_name;phone\n"
          b"Quatre;Roux;04 78 10 00 04\n", headers={"Cookie": ada.cookie, "X-CSRF-Token": ada.csrf})
check("an import", c.getresponse().status == 200)
_, body = received("import.finished", lambda b: b["file"] == "more.csv")
check("import.finished delivered with its counts", body is not None and body["imported"] == 1, body)
st, j = ada.call("POST", f"/api/v1/webhooks/{hook['id']}/test", {})
_, body = received("test")
check("a test event on request", st == 202 and body is not None and body["by"] == "ada", (st, body))

# Killed between the commit and the delivery: the receiver down, the call logged, kill -9;
# back up, the restarted server delivers it, once.
Receiver.mode = "down"
st, lead = ana.call("POST", f"/api/v1/campaigns/{cid}/next", {})
st, call = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "busy"})
check("a call logged while the receiver is down", st == 201, (st, call))
server.kill()
server.wait()
Receiver.mode = "flaky"
server = start()
d3, body = received("call.logged", lambda b: b["call_id"] == call["call_id"], seconds=60)
check("after kill -9 and a restart, the event still arrives", d3 is not None, d3)
with Receiver.lock:
    accepted = [d for d, e, b in Receiver.got if d == d3]
check("once", len(accepted) == 1, accepted)

# Removed: nothing more is written for it (its log keeps what was).
st, j = ada.call("DELETE", f"/api/v1/webhooks/{hook['id']}")
check("removed", st == 200, (st, j))
st, log = ada.call("GET", f"/api/v1/webhooks/{hook['id']}/deliveries")
before = len(log)
st, lead = ana.call("POST", f"/api/v1/campaigns/{cid}/next", {})
check("another lead", st == 200 and lead.get("lead_id"), (st, lead))
st, j = ana.call("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "busy"})
st, log = ada.call("GET", f"/api/v1/webhooks/{hook['id']}/deliveries")
check("nothing written for a removed webhook", st == 200 and len(log) == before, (before, len(log)))
st, j = ada.call("POST", f"/api/v1/webhooks/{hook['id']}/test", {})
check("a removed webhook takes no test", st == 404, (st, j))
server.terminate()
check("the server stops cleanly", server.wait() == 0)
receiver.shutdown()
finish("webhooks")
