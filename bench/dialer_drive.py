#!/usr/bin/env python3
"""The agents of bench/dialer.sh: each opens a progressive line and, whenever the line waits
for a conversation's outcome, saves one at once, then notes when the next prospect's INVITE
left (the call placed's invited_ms): the time from "agent saves the call" to the next
INVITE. Prints one JSON line of results.

Usage: dialer_drive.py HOST PORT CAMPAIGN_ID TOKENS_FILE SECONDS"""
import http.client
import json
import sys
import threading
import time

HOST, PORT, CAMPAIGN, TOKENS, SECONDS = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
lock = threading.Lock()
save_to_invite = []     # ms
errors = []
saves = 0


def request(conn, method, path, token, csrf, body=None):
    h = {"Cookie": f"tp_session={token}", "X-CSRF-Token": csrf}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    text = r.read()
    return r.status, json.loads(text) if text else None


def agent(token, csrf, stop_at):
    global saves
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    st, _ = request(conn, "POST", f"/api/v1/campaigns/{CAMPAIGN}/line", token, csrf, {})
    if st != 202:
        with lock:
            errors.append(f"line {st}")
        return
    pending = None      # (time of the save, the call placed saved)
    while time.time() < stop_at:
        st, line = request(conn, "GET", "/api/v1/line", token, csrf)
        if st != 200:
            with lock:
                errors.append(f"line state {st}")
            time.sleep(0.5)
            continue
        if pending and line["dial"] and line["dial"] != pending[1]:
            st, d = request(conn, "GET", f"/api/v1/dialer/{line['dial']}", token, csrf)
            if st == 200 and d.get("invited_ms"):
                with lock:
                    save_to_invite.append(d["invited_ms"] - pending[0])
                pending = None
            elif st == 200 and d["state"] == "ended":
                pending = None      # refused by the rules: no INVITE for this one
        if line["state"] == "wrapup" and line["dial"] and not pending:
            st, d = request(conn, "GET", f"/api/v1/dialer/{line['dial']}", token, csrf)
            saved_at = time.time() * 1000
            st, k = request(conn, "POST", "/api/v1/calls", token, csrf, {"lead_id": d["lead_id"],
                            "result": "conversation", "outcome": "refused", "dial": line["dial"]})
            with lock:
                if st == 201:
                    saves += 1
                else:
                    errors.append(f"save {st} {k}")
            pending = (saved_at, line["dial"])
            continue
        time.sleep(0.1)    # the desk looks every 400 ms; a tenth of a second is plenty
    request(conn, "POST", "/api/v1/line/stop", token, csrf, {})


tokens = [line.split() for line in open(TOKENS) if line.strip()]
stop_at = time.time() + SECONDS
threads = [threading.Thread(target=agent, args=(t, c, stop_at)) for t, c in tokens]
for t in threads:
    t.start()
for t in threads:
    t.join()
lat = sorted(save_to_invite)


def q(p):
    return round(lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else None


print(json.dumps({"agents": len(tokens), "saves": saves, "save_to_invite_ms": {"n": len(lat), "p50": q(0.5),
                  "p99": q(0.99), "max": lat[-1] if lat else None}, "errors": len(errors),
                  "first_errors": errors[:5]}))
