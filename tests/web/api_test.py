#!/usr/bin/env python3
"""API tests against a running `telepro serve` (tests/web/run.sh sets it up).

Usage: api_test.py BASE_URL TELEPRO WORKDIR. Checks status codes, JSON, errors, limits,
sessions, CSRF, roles on every route, escaping, and that the KPI JSON is the CLI's."""
import datetime
import time
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import urllib.parse

BASE, TELEPRO, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
HOST, PORT = urllib.parse.urlparse(BASE).hostname, urllib.parse.urlparse(BASE).port
PASSWORDS = {u: f"pw-{u}-12345" for u in ("ana", "bob", "sam", "mia", "root")}
ROLES = {"ana": "agent", "sam": "sales", "mia": "manager", "root": "admin"}
failures = 0
checks = 0


def check(name, cond, detail=""):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print(f"FAIL: {name} {detail}")


def request(method, path, body=None, cookie=None, csrf=None, headers=None, raw=False, port=None, remote=None):
    """One request (from the loopback address remote, default 127.0.0.1); returns (status,
    headers dict (lower-case), body text)."""
    conn = http.client.HTTPConnection(HOST, port or PORT, timeout=10,
                                      source_address=(remote, 0) if remote else None)
    h = dict(headers or {})
    if cookie:
        h["Cookie"] = cookie
    if csrf:
        h["X-CSRF-Token"] = csrf
    data = None
    if body is not None:
        if raw:
            data = body if isinstance(body, bytes) else body.encode()
        else:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=h)
    res = conn.getresponse()
    text = res.read().decode("utf-8", "replace")
    hdrs = {k.lower(): v for k, v in res.getheaders()}
    hdrs["set-cookie-all"] = res.headers.get_all("Set-Cookie") or []
    conn.close()
    return res.status, hdrs, text


def jbody(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def login(user, password=None, headers=None, remote=None):
    status, h, text = request("POST", "/api/v1/login", {"login": user, "password": password or PASSWORDS[user]},
                              headers=headers, remote=remote)
    cookie = None
    for c in h["set-cookie-all"]:
        if c.startswith("tp_session="):
            cookie = c.split(";")[0]
    j = jbody(text) or {}
    return status, cookie, j.get("csrf"), h


def cli(*args, input_text=None):
    return subprocess.run([TELEPRO, *args], check=True, capture_output=True, text=True, input=input_text).stdout


q = urllib.parse.quote

# --- health, security headers, unknown paths ---------------------------------------------
status, h, text = request("GET", "/api/v1/health")
check("health 200", status == 200, status)
check("health JSON", jbody(text) == {"status": "ok", "schema": 12}, text)
csp = h.get("content-security-policy", "")
check("CSP forbids inline script", "script-src 'self'" in csp and "unsafe-inline" not in csp, csp)
check("CSP frame-ancestors none", "frame-ancestors 'none'" in csp, csp)
check("nosniff", h.get("x-content-type-options") == "nosniff")
check("no caching of answers", h.get("cache-control") == "no-store")
status, h, text = request("GET", "/api/v1/nope")
check("unknown API path 404 JSON", status == 404 and "error" in (jbody(text) or {}), (status, text))
status, h, text = request("DELETE", "/api/v1/health")
check("wrong method 405", status == 405, status)

# --- anonymous ------------------------------------------------------------------------------
status, h, text = request("GET", "/api/v1/kpi")
check("kpi without session 401", status == 401 and (jbody(text) or {}).get("error"), (status, text))
status, h, text = request("GET", "/dashboard")
check("page without session redirects to login", status == 303 and h.get("location") == "/login?next=/dashboard",
      (status, h.get("location")))

# --- login, cookies, throttling --------------------------------------------------------------
status, cookie, csrf, h = login("ana", "not-the-password")
check("wrong password 401", status == 401, status)
status, h, text = request("POST", "/api/v1/login", {"login": "ana", "password": "nope-nope"})
check("wrong password says which field", jbody(text) == {"error": "wrong login or password", "field": "login"}, text)
status, h, text = request("POST", "/api/v1/login", {"login": "nobody", "password": "nope-nope"})
check("unknown user: the same words", jbody(text) == {"error": "wrong login or password", "field": "login"}, text)
for i in range(5):
    login("bob", "wrong-password")
status, cookie, csrf, h = login("bob")
check("6th login after 5 failures is throttled (429)", status == 429, status)
status, h, text = request("POST", "/api/v1/login", {"login": "bob", "password": PASSWORDS["bob"]})
check("throttled message", "too many failed logins: try again in" in (jbody(text) or {}).get("error", ""), text)
check("throttled: Retry-After says how long", 1 <= int(h.get("retry-after", "0")) <= 30, h.get("retry-after"))
# The guesses from one address slow that address down, not the user: bob signs in from his own.
status, cookie, csrf, h = login("bob", remote="127.0.0.2")
check("bob signs in from another address while his login is throttled from this one", status == 200, status)
# An unknown login costs the same Argon2id check as a known one: no telling accounts apart
# by the time of the answer (it took 1 ms against 150-1,000 ms).
def timed_login(user):
    t = time.monotonic()
    request("POST", "/api/v1/login", {"login": user, "password": "wrong-password-1"}, remote="127.0.0.3")
    return time.monotonic() - t
known = [timed_login("mia") for _ in range(3)]
unknown = [timed_login(f"nobody-{i}") for i in range(3)]
check("wrong password: an unknown login takes as long as a known one",
      min(unknown) > min(known) / 4 and min(known) > min(unknown) / 4, (known, unknown))
# Behind a trusted proxy (the second server trusts 127.0.0.5) the client is X-Forwarded-For's;
# from anyone else the header is ignored.
if len(sys.argv) > 4:
    port2 = int(sys.argv[4])
    xff = lambda ip: {"X-Forwarded-For": ip}
    for _ in range(5):
        request("POST", "/api/v1/login", {"login": "root", "password": "wrong-password-2"}, port=port2,
                remote="127.0.0.5", headers=xff("203.0.113.7"))
    status, h, text = request("POST", "/api/v1/login", {"login": "root", "password": PASSWORDS["root"]}, port=port2,
                              remote="127.0.0.5", headers=xff("203.0.113.7"))
    check("through the proxy, the guessing client waits", status == 429, (status, text))
    status, h, text = request("POST", "/api/v1/login", {"login": "root", "password": PASSWORDS["root"]}, port=port2,
                              remote="127.0.0.5", headers=xff("203.0.113.8"))
    check("through the proxy, another client behind it signs in", status == 200, (status, text))
    status, h, text = request("POST", "/api/v1/login", {"login": "root", "password": PASSWORDS["root"]}, port=port2,
                              remote="127.0.0.6", headers=xff("203.0.113.7"))
    check("from an untrusted peer, X-Forwarded-For is ignored", status == 200, (status, text))
    # Slow clients: 30 connections that send a header line every half second are cut at
    # the head's deadline (2 s on the second server), while others are answered.
    slow, started, cut = [], time.monotonic(), {}
    for i in range(30):
        s = socket.socket()
        s.bind(("127.0.0.7", 0))
        s.connect(("127.0.0.1", port2))
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\n")
        s.settimeout(0.05)
        slow.append(s)
    status, h, text = request("GET", "/api/v1/health", port=port2, remote="127.0.0.8")
    check("meanwhile another client is answered", status == 200, status)
    while len(cut) < len(slow) and time.monotonic() - started < 20:
        for i, s in enumerate(slow):
            if i in cut:
                continue
            try:
                s.sendall(b"X-Trickle: 1\r\n")
                if s.recv(64) == b"":
                    cut[i] = time.monotonic() - started
            except socket.timeout:
                pass
            except OSError:
                cut[i] = time.monotonic() - started
        time.sleep(0.5)
    for s in slow:
        s.close()
    check("every trickling connection is cut at the head's deadline", len(cut) == 30 and min(cut.values()) >= 1.5,
          (len(cut), sorted(cut.values())[:3]))

sessions = {}
for user in ROLES:
    status, cookie, csrf, h = login(user)
    check(f"login {user} 200", status == 200 and cookie and csrf and len(csrf) == 64, (status, cookie, csrf))
    sessions[user] = (cookie, csrf)
status, c, x, h = login("ana")
raw_cookie = [v for v in h["set-cookie-all"] if v.startswith("tp_session=")][0]
check("cookie HttpOnly", "HttpOnly" in raw_cookie, raw_cookie)
check("cookie SameSite=Lax", "SameSite=Lax" in raw_cookie, raw_cookie)
check("cookie not Secure over plain HTTP", "Secure" not in raw_cookie, raw_cookie)
check("token is 256 bits", re.match(r"tp_session=[0-9a-f]{64};", raw_cookie) is not None, raw_cookie)
status, c, x, h = login("ana", headers={"X-Forwarded-Proto": "https"})
raw_cookie = [v for v in h["set-cookie-all"] if v.startswith("tp_session=")][0]
check("cookie Secure behind TLS", "; Secure" in raw_cookie, raw_cookie)
status, h, text = request("GET", "/api/v1/me", cookie=sessions["ana"][0])
check("me", jbody(text) == {"user": {"name": "ana", "role": "agent", "lang": ""}, "csrf": sessions["ana"][1]}, text)
if len(sys.argv) > 4:
    status, h, text = request("GET", "/api/v1/me", cookie=sessions["ana"][0], port=int(sys.argv[4]))
    check("a session opened on one server works on another", status == 200 and jbody(text)["user"]["name"] == "ana",
          (status, text))
status, h, text = request("GET", "/api/v1/me", cookie="tp_session=" + "0" * 64)
check("made-up token 401", status == 401, status)

# --- CSRF ------------------------------------------------------------------------------------
cookie, csrf = sessions["ana"]
status, h, text = request("POST", "/api/v1/sessions/start", {"campaign": "Web test"}, cookie=cookie)
check("state change without CSRF token 403", status == 403 and "CSRF" in text, (status, text))
status, h, text = request("POST", "/api/v1/sessions/start", {"campaign": "Web test"}, cookie=cookie, csrf="1" * 64)
check("wrong CSRF token 403", status == 403, status)
status, h, text = request("POST", "/api/v1/sessions/start", {"campaign": "Web test"}, cookie=cookie, csrf=csrf)
check("session start with token", status == 200 and jbody(text)["session_id"] > 0, (status, text))

status, h, text = request("POST", "/api/v1/sessions/pause", {}, cookie=cookie, csrf=csrf,
                          headers={"Origin": "https://evil.example"})
check("a state change from another site (Origin) 403", status == 403, status)
status, h, text = request("POST", "/api/v1/login", {"login": "ana", "password": PASSWORDS["ana"]},
                          headers={"Origin": "https://evil.example"})
check("a login posted from another site 403", status == 403, status)
status, h, text = request("POST", "/api/v1/login", {"login": "sam", "password": PASSWORDS["sam"]},
                          headers={"Origin": BASE})
check("a login from this site's own pages", status == 200, (status, text))

# --- bodies: JSON errors and limits ------------------------------------------------------------
status, h, text = request("POST", "/api/v1/calls", "{not json", cookie=cookie, csrf=csrf, raw=True,
                          headers={"Content-Type": "application/json"})
check("bad JSON 400 with position", status == 400 and "not JSON" in text and "line 1" in text, (status, text))
status, h, text = request("POST", "/api/v1/calls", {"lead_id": "x", "result": "no_answer"}, cookie=cookie, csrf=csrf)
check("lead_id must be a number", status == 400 and jbody(text).get("field") == "lead_id", text)
status, h, text = request("POST", "/api/v1/calls", {"lead_id": 1}, cookie=cookie, csrf=csrf)
check("a call needs a result", status == 400 and jbody(text) == {"error": "le résultat de l'appel est requis",
                                                                 "field": "result"}, text)
status, h, text = request("POST", "/api/v1/calls", {"result": "busy"}, cookie=cookie, csrf=csrf)
check("a call needs a lead", status == 400 and jbody(text)["field"] == "lead_id", text)
status, h, text = request("POST", "/api/v1/calls", {"lead_id": 1, "result": "ringing"}, cookie=cookie, csrf=csrf)
check("bad result 400 names the field", status == 400 and jbody(text).get("field") == "result", text)


def raw_http(data, timeout=5):
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.sendall(data)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    finally:
        s.close()
    return got.decode("latin-1")


answer = raw_http(b"POST /api/v1/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100000000\r\n\r\n")
check("413 from Content-Length before the body is sent", answer.startswith("HTTP/1.1 413"), answer[:40])
answer = raw_http(b"POST /api/v1/imports?kind=prospects HTTP/1.1\r\nHost: x\r\nContent-Length: 40000000\r\n\r\n")
check("413 for a file over the upload limit", answer.startswith("HTTP/1.1 413"), answer[:40])
big = b"x" * 70000
cookie_hdr = ("Cookie: " + sessions["ana"][0] + "\r\nX-CSRF-Token: " + sessions["ana"][1] + "\r\n").encode()
answer = raw_http(b"POST /api/v1/calls HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + cookie_hdr +
                  b"Content-Type: application/json\r\n\r\n" + (b"%x\r\n" % len(big)) + big + b"\r\n0\r\n\r\n")
check("413 for a chunked body over the limit", answer.startswith("HTTP/1.1 413"), answer[:40])
answer = raw_http(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
check("oversized headers refused", re.match(r"HTTP/1\.1 4(13|31)", answer) is not None, answer[:40])

# --- roles on every route ----------------------------------------------------------------------
EXPECTED = {
    "GET /api/v1/health": "public", "POST /api/v1/login": "public", "POST /api/v1/logout": "signed-in",
    "GET /api/v1/me": "signed-in", "GET /api/v1/campaigns": "signed-in", "POST /api/v1/campaigns": "manager,admin",
    "GET /api/v1/campaigns/{id}": "signed-in", "PATCH /api/v1/campaigns/{id}": "manager,admin",
    "GET /api/v1/campaigns/{id}/outcomes": "signed-in", "GET /api/v1/campaigns/{id}/now": "signed-in",
    "GET /api/v1/campaigns/{id}/agents-now": "manager,admin", "GET /api/v1/campaigns/{id}/scripts": "signed-in",
    "PUT /api/v1/campaigns/{id}/scripts": "manager,admin",
    "GET /api/v1/campaigns/{id}/scripts/{variant}/versions": "manager,admin",
    "POST /api/v1/campaigns/{id}/next": "agent,manager,admin", "POST /api/v1/calls": "agent,manager,admin",
    "GET /api/v1/leads/{id}/why": "agent,manager,admin", "GET /api/v1/campaigns/{id}/why": "agent,manager,admin",
    "POST /api/v1/leads/{id}/consent": "agent,manager,admin",
    "POST /api/v1/leads/{id}/dial": "agent", "GET /api/v1/dialer": "manager,admin",
    "POST /api/v1/campaigns/{id}/line": "agent", "GET /api/v1/line": "agent", "POST /api/v1/line/stop": "agent",
    "GET /api/v1/dialer/{id}": "agent,manager,admin", "POST /api/v1/dialer/{id}/hangup": "agent,manager,admin",
    "POST /api/v1/sessions/{action}": "agent,manager,admin", "GET /api/v1/appointments": "sales,manager,admin",
    "POST /api/v1/appointments/{id}/result": "sales,manager,admin", "GET /api/v1/kpi": "signed-in",
    "GET /api/v1/appointments/{id}/ics": "sales,manager,admin", "POST /api/v1/users/{name}/calendar": "signed-in",
    "DELETE /api/v1/users/{name}/calendar": "signed-in", "GET /calendar/{token}": "public",
    "GET /api/v1/report": "manager,admin", "GET /api/v1/webhooks": "admin", "POST /api/v1/webhooks": "admin",
    "DELETE /api/v1/webhooks/{id}": "admin", "GET /api/v1/webhooks/{id}/deliveries": "admin",
    "POST /api/v1/webhooks/{id}/test": "admin", "GET /webhooks": "admin",
    "GET /api/v1/prospects": "manager,admin", "POST /api/v1/imports": "manager,admin", "GET /api/v1/insights/{kind}": "signed-in", "GET /api/v1/users": "manager,admin", "POST /api/v1/users": "admin",
    "PATCH /api/v1/users/{name}": "signed-in", "GET /": "public", "GET /login": "public", "POST /login": "public",
    "POST /logout": "signed-in", "POST /lang": "signed-in", "GET /static/app.css": "public",
    "GET /static/app.js": "public", "GET /desk": "agent,manager,admin", "GET /team": "manager,admin",
    "GET /dashboard": "signed-in", "GET /campaigns": "manager,admin", "POST /campaigns": "manager,admin",
    "GET /campaigns/{id}": "manager,admin", "POST /campaigns/{id}": "manager,admin",
    "GET /appointments": "sales,manager,admin", "POST /appointments/{id}": "sales,manager,admin",
    "GET /users": "manager,admin", "POST /users": "admin", "POST /users/{name}": "admin",
    "GET /account": "signed-in", "POST /account": "signed-in",
}
routes = {}
for line in open(os.path.join(WORK, "routes.txt")):
    method, pattern, who = line.split()
    routes[f"{method} {pattern}"] = who
check("the route table is the one this test expects", routes == EXPECTED,
      set(routes.items()) ^ set(EXPECTED.items()))

campaign_id = [c for c in json.loads(request("GET", "/api/v1/campaigns", cookie=sessions["mia"][0])[2])
               if c["name"] == "Web test"][0]["id"]
for route, who in EXPECTED.items():
    method, pattern = route.split(" ")
    if route in ("POST /api/v1/logout", "POST /logout", "POST /api/v1/login", "POST /login"):
        continue  # sessions are checked on their own
    for user in [None, *ROLES]:
        path = pattern.replace("{id}", str(campaign_id)).replace("{action}", "pause").replace("{name}", user or "x") \
            .replace("{variant}", "A").replace("{token}", "x.ics")
        if user is None:
            status, h, text = request(method, path, {} if method != "GET" else None)
            if who == "public":
                check(f"{route} anonymous allowed", status not in (401, 403), status)
            elif path.startswith("/api/"):
                check(f"{route} anonymous 401", status == 401, status)
            else:
                check(f"{route} anonymous to login", status == 303 and h["location"].startswith("/login"), status)
            continue
        cookie, csrf = sessions[user]
        status, h, text = request(method, path, {} if method != "GET" else None, cookie=cookie, csrf=csrf)
        allowed = who in ("public", "signed-in") or ROLES[user] in who.split(",")
        if allowed:
            check(f"{route} {ROLES[user]} allowed", status not in (401, 403), (status, text[:120]))
        else:
            check(f"{route} {ROLES[user]} 403", status == 403, status)

# --- the calling desk through the API -------------------------------------------------------
now = jbody(request("GET", f"/api/v1/campaigns/{campaign_id}/agents-now", cookie=sessions["mia"][0])[2])
check("team: ana paused (the walk paused her session)", [(x["agent"], x["state"]) for x in now["agents"]] ==
      [("ana", "paused")], now)
cookie, csrf = sessions["ana"]
request("POST", "/api/v1/sessions/resume", {}, cookie=cookie, csrf=csrf)
now = jbody(request("GET", f"/api/v1/campaigns/{campaign_id}/agents-now", cookie=sessions["mia"][0])[2])
check("team: ana calling again", [(x["agent"], x["state"]) for x in now["agents"]] == [("ana", "calling")], now)
status, h, text = request("POST", f"/api/v1/campaigns/{campaign_id}/next?script=html", {}, cookie=cookie, csrf=csrf)
lead = jbody(text)
check("next gives a lead", status == 200 and lead.get("lead_id"), text[:200])
check("script merged and rendered", "<h1>Bonjour " in lead.get("script_html", "") and
      "<strong>ana</strong>" in lead["script_html"], lead.get("script_html"))
check("raw HTML of a script is not passed through", "<script>" not in lead["script_html"], lead["script_html"])
status, h, text = request("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "no_answer",
                                                    "idempotency_key": "k-1"}, cookie=cookie, csrf=csrf)
call = jbody(text)
check("call logged 201", status == 201 and call["call_id"] > 0 and call["appointment_id"] is None, text)
status, h, text = request("POST", "/api/v1/calls", {"lead_id": lead["lead_id"], "result": "no_answer",
                                                    "idempotency_key": "k-1"}, cookie=cookie, csrf=csrf)
check("same idempotency key: replayed", jbody(text) == {"call_id": call["call_id"], "appointment_id": None,
                                                        "replayed": True}, text)
status, h, text = request("POST", "/api/v1/calls", {"agent": "bob", "lead_id": lead["lead_id"], "result": "busy"},
                          cookie=cookie, csrf=csrf)
check("an agent logs only their own calls", status == 403, (status, text))

# The lead with a script tag for a company gets an appointment with sam.
export = json.loads(cli("export", "prospects", "--campaign", "Web test", "--format", "json"))
xss = [p for p in export if p.get("company") == "<script>alert(1)</script>"][0]
# Each person acts on what is theirs: ana holds no such lead, so she may not log a call on it.
# The call was two days ago and the appointment yesterday: sales can record what took place.
days_ago = lambda n, hm: (datetime.datetime.now() - datetime.timedelta(days=n)).strftime("%Y-%m-%d ") + hm
appt_call = {"lead_id": xss["lead_id"], "result": "conversation", "outcome": "appointment", "talk": "270",
             "at": days_ago(2, "10:00"), "appointment_at": days_ago(1, "15:00"), "sales": "sam",
             "qualification": {"sector": "industry"}}
status, h, text = request("POST", "/api/v1/calls", appt_call, cookie=cookie, csrf=csrf)
check("an agent may not log a call on a lead she does not hold", status == 403 and
      "n'est pas la vôtre" in jbody(text)["error"], (status, text))
# A manager may, for her (audited as such); an appointment goes to a sales person only.
mcookie, mcsrf = sessions["mia"]
status, h, text = request("POST", "/api/v1/calls", {**appt_call, "agent": "ana", "sales": "bob"},
                          cookie=mcookie, csrf=mcsrf)
check("an appointment goes to a sales person only", status == 400 and jbody(text) ==
      {"error": "« bob » n'est pas commercial (rôle : téléprospecteur)", "field": "sales"}, (status, text))
status, h, text = request("POST", "/api/v1/calls", {**appt_call, "agent": "ana"}, cookie=mcookie, csrf=mcsrf)
appt = jbody(text)
check("appointment set by the manager for the agent", status == 201 and appt["appointment_id"], text)
status, h, text = request("POST", "/api/v1/calls", {"lead_id": xss["lead_id"], "agent": "ana", "result": "conversation",
                                                    "outcome": "appointment"}, cookie=mcookie, csrf=mcsrf)
check("a call on a closed lead: 409", status == 409 and jbody(text) == {
    "error": f"la fiche {xss['lead_id']} est close (rendez-vous) : aucun appel ne s'y enregistre",
    "field": "lead_id"}, text)
status, h, text = request("POST", f"/api/v1/campaigns/{campaign_id}/next", {}, cookie=cookie, csrf=csrf)
held = jbody(text)
check("ana holds a lead", status == 200 and held.get("lead_id"), text[:200])
status, h, text = request("POST", "/api/v1/calls", {"lead_id": held["lead_id"], "result": "conversation",
                                                    "outcome": "appointment"}, cookie=cookie, csrf=csrf)
check("appointment without a date refused", status == 400 and jbody(text)["field"] == "appointment_at", text)
# Another agent may not log on the lead ana holds, nor reuse her idempotency key to record hers.
status, bcookie, bcsrf, h = login("bob", remote="127.0.0.2")
status, h, text = request("POST", "/api/v1/calls", {"lead_id": held["lead_id"], "result": "busy"},
                          cookie=bcookie, csrf=bcsrf)
check("an agent may not log a call on the lead another holds", status == 403 and
      jbody(text)["error"] == f"la fiche {held['lead_id']} est tenue par ana : un agent enregistre ses appels sur la"
      " fiche qu'il tient",
      (status, text))
status, h, text = request("POST", "/api/v1/calls", {"lead_id": held["lead_id"], "result": "no_answer",
                                                    "idempotency_key": "k-2"}, cookie=cookie, csrf=csrf)
first = jbody(text)
check("ana's call with her key", status == 201, text)
status, h, text = request("POST", "/api/v1/calls", {"lead_id": held["lead_id"], "result": "busy",
                                                    "idempotency_key": "k-2"}, cookie=cookie, csrf=csrf)
check("the same key for another call: 409", status == 409 and jbody(text)["field"] == "idempotency_key" and
      f"(appel {first['call_id']})" in jbody(text)["error"], (status, text))
status, h, text = request("POST", f"/api/v1/campaigns/{campaign_id}/next", {}, cookie=bcookie, csrf=bcsrf)
bheld = jbody(text)
status, h, text = request("POST", "/api/v1/calls", {"lead_id": bheld["lead_id"], "result": "no_answer",
                                                    "idempotency_key": "k-2"}, cookie=bcookie, csrf=bcsrf)
check("bob's key k-2 is his own: a new call, not ana's", status == 201 and jbody(text)["call_id"] != first["call_id"]
      and "replayed" not in jbody(text), text)

status, h, text = request("GET", f"/api/v1/leads/{lead['lead_id']}/why", cookie=cookie)
w = jbody(text)
check("why: the B2B test campaign has no rules of the trade", status == 200 and w["rules_set"] == "none" and
      [v["rule"] for v in w["rules"]] == ["lead.state", "lead.due", "lead.held", "opposition", "campaign.windows"], text)
status, h, text = request("POST", f"/api/v1/leads/{lead['lead_id']}/consent",
                          {"source": "web form", "date": "2026-09-01", "wording": "J'accepte d'être appelé"},
                          cookie=cookie, csrf=csrf)
check("consent recorded", status == 201 and jbody(text) == {"lead_id": lead["lead_id"], "recorded": True}, text)
status, h, text = request("POST", f"/api/v1/leads/{lead['lead_id']}/consent", {"date": "2026-09-01"},
                          cookie=cookie, csrf=csrf)
check("a consent needs its source", status == 400 and jbody(text)["field"] == "source", text)
status, h, text = request("POST", f"/api/v1/leads/{lead['lead_id']}/consent", {"source": "x", "date": "2099-01-01"},
                          cookie=cookie, csrf=csrf)
check("no consent from the future", status == 400 and jbody(text) == {"error": "un consentement ne se donne pas dans le futur",
                                                                      "field": "date"}, text)
status, h, text = request("GET", "/api/v1/leads/99999/why", cookie=cookie)
check("why of no lead 404", status == 404 and jbody(text)["field"] == "lead", text)

# --- appointments ------------------------------------------------------------------------------
# A callback outside the calling hours is asked again, then kept once confirmed; an
# appointment names its sales person.
cli("campaign", "add", "Heures", "--kind", "appointment", "--audience", "b2b")
with open(os.path.join(WORK, "heures.csv"), "w", encoding="utf-8") as f:
    f.write("company;phone\nAlpha;04 78 12 35 01\nBeta;04 78 12 35 02\n")
cli("import", "prospects", os.path.join(WORK, "heures.csv"), "--campaign", "Heures")
hours = json.loads(cli("export", "prospects", "--campaign", "Heures", "--format", "json"))
night = (datetime.date.today() + datetime.timedelta(days=1)).strftime("%Y-%m-%d") + " 03:00"
late_call = {"lead_id": hours[0]["lead_id"], "agent": "ana", "result": "conversation", "outcome": "callback",
             "callback_at": night}
status, h, text = request("POST", "/api/v1/calls", late_call, cookie=mcookie, csrf=mcsrf)
check("a callback at 03:00 is asked again", status == 409 and jbody(text).get("confirm") is True and
      jbody(text).get("field") == "callback_at" and "en dehors des heures d'appel" in jbody(text)["error"],
      (status, text))
status, h, text = request("POST", "/api/v1/calls", {**late_call, "confirm": True}, cookie=mcookie, csrf=mcsrf)
check("a callback at 03:00, confirmed", status == 201, (status, text))
# Nothing to call on a Sunday night: said in the reader's language, the windows' days too.
heures_id = [c for c in jbody(request("GET", "/api/v1/campaigns", cookie=mcookie)[2]) if c["name"] == "Heures"][0]["id"]
status, h, text = request("POST", f"/api/v1/campaigns/{heures_id}/next", {"agent": "ana", "at": "2026-12-06 23:00"},
                          cookie=mcookie, csrf=mcsrf)
check("no lead outside the windows, in French", status == 200 and jbody(text)["lead_id"] is None and
      jbody(text)["reason"] == "en dehors des plages autorisées (mon-fri 09:00-19:00) ; elles rouvrent le 2026-12-07 09:00",
      (status, text))
status, h, text = request("POST", "/api/v1/calls", {"lead_id": hours[1]["lead_id"], "agent": "ana",
                                                    "result": "conversation", "outcome": "appointment",
                                                    "appointment_at": night.replace("03:00", "10:00")},
                          cookie=mcookie, csrf=mcsrf)
# (in the reader's language: French, this user's default)
check("an appointment without its sales person", status == 400 and jbody(text) ==
      {"error": "choisissez le commercial qui tiendra le rendez-vous", "field": "sales"}, (status, text))
cookie, csrf = sessions["sam"]
status, h, text = request("GET", "/api/v1/appointments", cookie=cookie)
mine = jbody(text)
check("sales sees the appointment", status == 200 and [a["id"] for a in mine] == [appt["appointment_id"]], text)
check("appointment JSON", mine and mine[0]["company"] == "<script>alert(1)</script>" and mine[0]["sales"] == "sam", text)
check("sales see the call: the qualification answers and the notes", mine and
      mine[0]["qualification"] == {"sector": "industry"} and mine[0]["notes"] == "" and
      mine[0]["phone_display"] == "04 78 12 34 01", text)
status, h, text = request("GET", "/appointments", cookie=cookie)
check("appointments page escapes", "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text,
      text[:200])
status, h, text = request("POST", f"/api/v1/appointments/{appt['appointment_id']}/result",
                          {"status": "held", "relevant": True, "result": "won", "amount": "1 200,50"},
                          cookie=cookie, csrf=csrf)
check("appointment won", status == 200, (status, text))
status, h, text = request("POST", f"/api/v1/appointments/{appt['appointment_id']}/result", {"amount": "12,345"},
                          cookie=cookie, csrf=csrf)
check("bad amount names the field", status == 400 and jbody(text)["field"] == "amount", text)
# Sales record the results of their own appointments only.
cli("user", "add", "sue", "--role", "sales", "--password-stdin", input_text=PASSWORDS["ana"])
status, scookie, scsrf, h = login("sue", password=PASSWORDS["ana"])
status, h, text = request("POST", f"/api/v1/appointments/{appt['appointment_id']}/result", {"result": "lost"},
                          cookie=scookie, csrf=scsrf)
check("a sales person may not record another's appointment", status == 403 and
      jbody(text)["error"] == f"le rendez-vous {appt['appointment_id']} est celui de sam : un commercial enregistre"
      " les résultats de ses propres rendez-vous", (status, text))

# --- KPIs: the same JSON as the CLI ---------------------------------------------------------
for query, cli_args in ((f"campaign={q('Web test')}&by=hour", ["--campaign", "Web test", "--by", "hour"]),
                        ("by=agent", ["--by", "agent"]), ("from=2020-01-01&to=2040-12-31",
                                                          ["--from", "2020-01-01", "--to", "2040-12-31"])):
    status, h, text = request("GET", "/api/v1/kpi?" + query, cookie=sessions["mia"][0])
    expected = json.loads(cli("kpi", *cli_args, "--format", "json"))
    got = jbody(text)
    if got and "objectives" in got:
        got["objectives"].pop("day", None)
        expected.get("objectives", {}).pop("day", None)
    check(f"kpi {query} equals the CLI's JSON", status == 200 and got == expected,
          (status, [(k, got["totals"].get(k), v) for k, v in expected["totals"].items() if got["totals"].get(k) != v]))
status, h, text = request("GET", "/api/v1/kpi", cookie=sessions["mia"][0])
k = jbody(text)
check("kpi counts the calls (ana's three, bob's one, the callback confirmed)", k["totals"]["calls"] == 5 and k["totals"]["appointments"] == 1 and
      k["totals"]["sales"] == 1, k["totals"])
status, h, text = request("GET", "/api/v1/kpi?campaign=" + q("Web test"), cookie=sessions["mia"][0])
obj = jbody(text)["objectives"]["daily_calls"]
# Today's calls: the appointment's call was two days ago.
check("the team's objective: the target times the agents who called", obj == {
    "target": 40, "done": 3, "progress": 0.0375, "agents": 2, "team_target": 80}, obj)
status, h, text = request("GET", "/api/v1/kpi?agent=bob", cookie=sessions["ana"][0])
check("an agent may not see another's KPIs", status == 403, status)
status, h, text = request("GET", "/api/v1/kpi?campaign=" + q("Web test"), cookie=sessions["ana"][0])
k = jbody(text)
check("an agent sees their own KPIs and objectives", status == 200 and k["totals"]["calls"] == 3 and
      k["objectives"]["daily_calls"]["target"] == 40, text[:300])
status, h, text = request("GET", "/api/v1/insights/slots?campaign=" + q("Web test"), cookie=sessions["mia"][0])
check("insights over the API: the CLI's JSON", status == 200 and jbody(text) == json.loads(
    cli("insights", "slots", "--campaign", "Web test", "--format", "json")), text[:200])
status, h, text = request("GET", "/api/v1/insights/agents", cookie=sessions["ana"][0])
check("insights agents: managers only", status == 403, status)
status, h, text = request("GET", "/api/v1/insights/tea-leaves", cookie=sessions["mia"][0])
check("unknown insight 404", status == 404 and jbody(text)["field"] == "kind", text)
status, h, text = request("GET", "/api/v1/kpi?by=minute", cookie=sessions["mia"][0])
check("bad grouping 400", status == 400 and jbody(text)["field"] == "by", text)

# --- imports -----------------------------------------------------------------------------------
csv_text = ("entreprise;nom;telephone\nAlpha;Un;04 72 00 00 01\nBeta;Deux;04 72 00\n"
            "Gamma;Trois;04 72 00 00 03\nAlpha;Un;04 72 00 00 01\n")
cookie, csrf = sessions["mia"]
status, h, text = request("POST", "/api/v1/imports?kind=prospects&campaign=" + q("Web test") + "&file=web.csv",
                          csv_text, cookie=cookie, csrf=csrf, raw=True, headers={"Content-Type": "text/csv"})
r = jbody(text)
check("import counts", status == 200 and (r["rows"], r["added"], r["duplicates"], r["rejected"]) == (4, 2, 1, 1), text)
check("reject report names line and field", r and r["rejects"] and r["rejects"][0]["line"] == 3 and
      r["rejects"][0]["field"] == "phone", text)
# A number of another campaign's contact: said, in the reader's language, with what differs.
status, h, text = request("POST", "/api/v1/imports?kind=prospects&campaign=Heures&file=again.csv",
                          "entreprise;nom;telephone\nAlpha;Autre;04 72 00 00 01\n", cookie=cookie, csrf=csrf, raw=True,
                          headers={"Content-Type": "text/csv"})
r = jbody(text)
check("a contact found again, said in French", status == 200 and r["added"] == 1 and r["notes"] and
      r["notes"][0]["reason"].startswith("le numéro est celui du contact") and "campagne « Web test »" in
      r["notes"][0]["reason"] and "il garde nom « Un » (le fichier : « Autre »)" in r["notes"][0]["reason"], text)
status, h, text = request("POST", "/api/v1/imports?kind=prospects&campaign=Nope", csv_text, cookie=cookie, csrf=csrf,
                          raw=True)
check("import into an unknown campaign", status == 404 and "Nope" in text, (status, text))

status, h, text = request("GET", "/api/v1/prospects?campaign=" + q("Web test") + "&offset=7&limit=1", cookie=cookie)
page = jbody(text)
check("a page of prospects", status == 200 and page["more"] is True and len(page["prospects"]) == 1 and
      page["prospects"][0]["company"] == "Alpha" and page["prospects"][0]["phone"] == "+33472000001", text[:300])
status, h, text = request("GET", "/api/v1/prospects?campaign=" + q("Web test") + "&offset=9", cookie=cookie)
check("the last page", status == 200 and jbody(text)["more"] is False and jbody(text)["prospects"] == [], text[:200])
export = json.loads(cli("export", "prospects", "--campaign", "Web test", "--format", "json"))
status, h, text = request("GET", "/api/v1/prospects?campaign=" + q("Web test"), cookie=cookie)
check("prospects as the CLI exports them", jbody(text)["prospects"] == export, text[:200])
status, h, text = request("GET", "/api/v1/prospects?campaign=" + q("Web test") + "&limit=0", cookie=cookie)
check("bad limit", status == 400 and jbody(text)["field"] == "limit", text)
status, h, text = request("GET", "/api/v1/prospects", cookie=cookie)
check("prospects need a campaign", status == 400 and jbody(text)["field"] == "campaign", text)
# Input that is not understood is refused, with an answer.
status, h, text = request("GET", "/api/v1/prospects?campaign=" + q("Web test") + "&offset=99999999999999999999",
                          cookie=cookie)
check("an offset out of range: 400, not a wrap to -1", status == 400 and jbody(text) ==
      {"error": "a whole number from 0 to 100000000", "field": "offset"}, text)
status, h, text = request("GET", f"/api/v1/campaigns/{campaign_id}%00", cookie=cookie)
check("a NUL byte in the path: 400", status == 400 and "not text" in jbody(text)["error"], (status, text))
status, h, text = request("GET", f"/api/v1/campaigns/{campaign_id}%ff", cookie=cookie)
check("invalid UTF-8 in the path: 400", status == 400, (status, text))
status, h, text = request("GET", "/api/v1/campaigns?x=%00", cookie=cookie)
check("a NUL byte in a query parameter: 400", status == 400 and "query parameter" in jbody(text)["error"], text)
status, h, text = request("GET", "/api/v1/campaigns?" + "&".join(f"p{i}=1" for i in range(2000)), cookie=cookie)
check("2,000 query parameters: an answer (414), not a closed connection", status == 414, (status, text))
status, h, text = request("GET", "/api/v1/campaigns?" + "&".join(f"p{i}=1" for i in range(100)), cookie=cookie)
check("100 query parameters: 414 too many", status == 414 and jbody(text)["error"] ==
      "too many query parameters (at most 64)", (status, text))

# --- campaigns and users -----------------------------------------------------------------------
status, h, text = request("POST", "/api/v1/campaigns", {"name": "API camp", "kind": "event", "daily-calls": 30,
                                                        "block": ["mon-fri 09:00-11:00", "mon-fri 14:00-16:00"]},
                          cookie=cookie, csrf=csrf)
c = jbody(text)
check("campaign created 201", status == 201 and c["kind"] == "event" and c["objectives"]["daily_calls"] == 30 and
      len(c["calling_blocks"]) == 10, text[:300])
status, h, text = request("PATCH", f"/api/v1/campaigns/{c['id']}", {"daily-calls": 35, "audience": "b2c"},
                          cookie=cookie, csrf=csrf)
check("campaign patched", status == 200 and jbody(text)["objectives"]["daily_calls"] == 35 and
      jbody(text)["audience"] == "b2c", text[:200])
status, h, text = request("PATCH", f"/api/v1/campaigns/{c['id']}", {"colour": "red"}, cookie=cookie, csrf=csrf)
check("unknown setting 400", status == 400 and jbody(text)["field"] == "colour", text)
status, h, text = request("PATCH", f"/api/v1/campaigns/{c['id']}", {"daily-calls": "many"}, cookie=cookie, csrf=csrf)
check("bad objective 400", status == 400 and jbody(text)["field"] == "daily-calls", text)
form = urllib.parse.urlencode({"csrf": csrf, "kind": "event", "daily-calls": "25", "block": "mon-fri 09:00-11:00\r\n",
                               "outcome": "already_customer=Déjà client|Already a customer;final\r\n"})
status, h, text = request("POST", f"/campaigns/{c['id']}", form, cookie=cookie, raw=True,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
check("campaign form saved", status == 303 and h["location"] == f"/campaigns/{c['id']}?saved=1", (status, text[:200]))
got = jbody(request("GET", f"/api/v1/campaigns/{c['id']}", cookie=cookie)[2])
check("the form's settings applied", got["objectives"]["daily_calls"] == 25 and len(got["calling_blocks"]) == 5 and
      got["outcomes"] == [{"code": "already_customer", "label_fr": "Déjà client", "label_en": "Already a customer",
                           "flags": ["final"]}], got)
check("the campaign's own outcome is offered on the desk",
      any(o["code"] == "already_customer" for o in
          jbody(request("GET", f"/api/v1/campaigns/{c['id']}/outcomes", cookie=cookie)[2])))
form = urllib.parse.urlencode({"csrf": csrf, "daily-calls": "lots"})
status, h, text = request("POST", f"/campaigns/{c['id']}", form, cookie=cookie, raw=True,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
check("a bad value shows the form again with the field", status == 400 and "daily-calls" in text and
      'id="form-error"' in text, (status, text[:100]))
status, h, text = request("GET", "/api/v1/campaigns/99999", cookie=cookie)
check("no such campaign 404", status == 404, status)
cookie, csrf = sessions["root"]
status, h, text = request("POST", "/api/v1/users", {"name": "zoe", "role": "agent", "password": "pw-zoe-12345"},
                          cookie=cookie, csrf=csrf)
check("admin adds a user", status == 201 and jbody(text)["name"] == "zoe", text)
status, h, text = request("POST", "/api/v1/users", {"name": "zoe", "role": "agent", "password": "pw-zoe-12345"},
                          cookie=cookie, csrf=csrf)
check("same name 409", status == 409, status)
status, h, text = request("POST", "/api/v1/users", {"name": "yan", "role": "agent", "password": "short"},
                          cookie=cookie, csrf=csrf)
check("short password 400", status == 400 and jbody(text)["field"] == "password", text)
# Unknown fields are refused, never silently dropped (the agent "making herself admin").
cookie, csrf = sessions["ana"]
status, h, text = request("PATCH", "/api/v1/users/ana", {"role": "admin"}, cookie=cookie, csrf=csrf)
check("an agent may not give herself a role", status == 403, (status, text))
status, h, text = request("PATCH", "/api/v1/users/ana", {"rank": "admin"}, cookie=cookie, csrf=csrf)
check("an unknown field: 400 naming it", status == 400 and jbody(text) == {
    "error": "unknown field 'rank' (this request takes password, current_password, role, disabled, lang, phone)",
    "field": "rank"}, text)
# The phone that rings for an agent when Telepro dials: their own, a SIP address.
status, h, text = request("PATCH", "/api/v1/users/ana", {"phone": "sip:201@pbx.example"}, cookie=cookie, csrf=csrf)
check("an agent sets her own phone", status == 200, (status, text))
status, h, text = request("PATCH", "/api/v1/users/ana", {"phone": "201"}, cookie=cookie, csrf=csrf)
check("a phone is a SIP address: 400 in French", status == 400 and jbody(text)["field"] == "phone" and
      "adresse SIP" in jbody(text)["error"], text)
status, h, text = request("PATCH", "/api/v1/users/root", {"phone": "sip:999@pbx.example"}, cookie=cookie, csrf=csrf)
check("nobody else's phone", status == 403, (status, text))
status, h, text = request("POST", "/api/v1/calls", {"lead_id": 1, "result": "busy", "talk_time": 3},
                          cookie=cookie, csrf=csrf)
check("an unknown call field: 400", status == 400 and jbody(text)["field"] == "talk_time", text)
# The last admin may not demote or disable themself; roles change on the API.
cookie, csrf = sessions["root"]
status, h, text = request("PATCH", "/api/v1/users/root", {"disabled": True}, cookie=cookie, csrf=csrf)
check("the last admin cannot disable themself: 409", status == 409 and "the last admin" in jbody(text)["error"], text)
status, h, text = request("PATCH", "/api/v1/users/root", {"role": "manager"}, cookie=cookie, csrf=csrf)
check("nor demote themself", status == 409, (status, text))
status, h, text = request("PATCH", "/api/v1/users/zoe", {"role": "sales"}, cookie=cookie, csrf=csrf)
check("the admin sees the agents' phones", [u["phone"] for u in jbody(request("GET", "/api/v1/users", cookie=cookie)[2])
                                            if u["name"] == "ana"] == ["sip:201@pbx.example"], text)
check("an admin changes a role", status == 200 and
      [u["role"] for u in jbody(request("GET", "/api/v1/users", cookie=cookie)[2]) if u["name"] == "zoe"] == ["sales"],
      text)
# A password change asks for the current one and ends the user's other sessions.
status, zc1, zx1, h = login("zoe", password="pw-zoe-12345")
status, zc2, zx2, h = login("zoe", password="pw-zoe-12345")
status, h, text = request("PATCH", "/api/v1/users/zoe", {"password": "pw-zoe-67890"}, cookie=zc1, csrf=zx1)
check("a new password needs the current one", status == 400 and jbody(text)["field"] == "current_password", text)
status, h, text = request("PATCH", "/api/v1/users/zoe", {"password": "pw-zoe-67890", "current_password": "guess-1234"},
                          cookie=zc1, csrf=zx1)
check("a wrong current password: 400", status == 400 and jbody(text) ==
      {"error": "le mot de passe actuel est faux", "field": "current_password"}, text)
status, h, text = request("PATCH", "/api/v1/users/zoe", {"password": "pw-zoe-67890", "current_password": "pw-zoe-12345"},
                          cookie=zc1, csrf=zx1)
check("password changed", status == 200, (status, text))
check("the session that changed it goes on", request("GET", "/api/v1/me", cookie=zc1)[0] == 200)
check("her other session is over", request("GET", "/api/v1/me", cookie=zc2)[0] == 401)
cookie, csrf = sessions["ana"]
status, h, text = request("PATCH", "/api/v1/users/bob", {"password": "pw-bob-99999"}, cookie=cookie, csrf=csrf)
check("an agent may not change another's password", status == 403, status)
status, h, text = request("PATCH", "/api/v1/users/ana", {"lang": "en"}, cookie=cookie, csrf=csrf)
check("a user sets their language", status == 200, (status, text))
status, h, text = request("GET", "/desk", cookie=cookie)
check("pages follow the user's language", '<html lang="en">' in text, text[:80])
status, h, text = request("GET", "/desk", cookie=sessions["mia"][0], headers={"Accept-Language": "en-GB,en;q=0.8"})
check("else the browser's", '<html lang="en">' in text, text[:80])
status, h, text = request("GET", "/desk", cookie=sessions["mia"][0], headers={"Accept-Language": "de-DE"})
check("French by default", '<html lang="fr">' in text and "Poste d&#39;appel" in text, text[:80])

# --- logout ---------------------------------------------------------------------------------------
cookie, csrf = sessions["ana"]
status, h, text = request("POST", "/api/v1/logout", {}, cookie=cookie, csrf=csrf)
check("logout 200 clears the cookie", status == 200 and any(c.startswith("tp_session=;") and "Max-Age=0" in c
                                                           for c in h["set-cookie-all"]), h["set-cookie-all"])
status, h, text = request("GET", "/api/v1/me", cookie=cookie)
check("the session is gone", status == 401, status)

# --- a server without a SIP account does not dial (tests/sip: one that does) -----------------
_, ana_cookie, ana_csrf, _ = login("ana")   # ana chose English above
_, mia_cookie, _, _ = login("mia")
status, h, text = request("GET", "/api/v1/dialer", cookie=mia_cookie)
check("no SIP account: the dialer says so", status == 200 and jbody(text) == {"sip": False}, text)
status, h, text = request("POST", "/api/v1/campaigns/%d/next" % campaign_id, {}, cookie=ana_cookie, csrf=ana_csrf)
lead_id = (jbody(text) or {}).get("lead_id")
status, h, text = request("POST", f"/api/v1/leads/{lead_id}/dial", {}, cookie=ana_cookie, csrf=ana_csrf)
check("no SIP account: dial is refused, in ana's English", status == 409 and (jbody(text) or {}).get("error", "") ==
      "Telepro does not dial here: the server has no SIP account (telepro serve --sip-config)", f"{status} {text}")
status, h, text = request("GET", "/api/v1/dialer/1", cookie=ana_cookie)
check("no call placed: 404", status == 404 and "no call placed with id 1" in text, f"{status} {text}")

# --- what a page reads is kept while nothing it was read from changed (docs/KPI.md) --------
# Read on every thread (the server keeps its KPI answers per thread), then a call: every
# thread's answer, the dashboard's and the objectives' count it.
kq = "/api/v1/kpi?campaign=" + q("Web test")
dash = "/dashboard?campaign=" + q("Web test")
calls_tile = lambda page: re.search(r'data-kpi="calls"><span class="label">[^<]*</span><span class="value">([^<]*)<',
                                    page).group(1)
first = jbody(request("GET", kq, cookie=mia_cookie)[2])
kept = [jbody(request("GET", kq, cookie=mia_cookie)[2]) for _ in range(8)]
check("kpi read again and again: the same answer", all(k == first for k in kept), first["totals"]["calls"])
tiles = {calls_tile(request("GET", dash, cookie=mia_cookie)[2]) for _ in range(4)}
check("the dashboard's calls, as the KPIs count them", tiles == {str(first["totals"]["calls"])},
      (tiles, first["totals"]["calls"]))
status, h, text = request("POST", "/api/v1/calls", {"lead_id": lead_id, "result": "busy"}, cookie=ana_cookie,
                          csrf=ana_csrf)
check("a call logged", status == 201, f"{status} {text}")
after = [jbody(request("GET", kq, cookie=mia_cookie)[2]) for _ in range(8)]
check("after a call, every answer counts it (totals and today's objective)", all(
    k["totals"]["calls"] == first["totals"]["calls"] + 1 and
    k["objectives"]["daily_calls"]["done"] == first["objectives"]["daily_calls"]["done"] + 1 for k in after),
    [(k["totals"]["calls"], k["objectives"]["daily_calls"]["done"]) for k in after])
tiles = {calls_tile(request("GET", dash, cookie=mia_cookie)[2]) for _ in range(4)}
check("after a call, the dashboard counts it", tiles == {str(first["totals"]["calls"] + 1)},
      (tiles, first["totals"]["calls"]))

print(f"api: {checks - failures}/{checks} checks passed")
sys.exit(1 if failures else 0)
