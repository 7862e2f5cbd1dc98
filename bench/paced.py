#!/usr/bin/env python3
"""bench/paced.py PORT PATH TOKEN USERS INTERVAL SECONDS: USERS managers, each loading PATH
once every INTERVAL seconds (open loop: a slow page does not slow the pace) for SECONDS;
prints the pages loaded and their latency p50, p99 and max (what a manager waits)."""
import http.client
import sys
import threading
import time

port, path, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
users, interval, seconds = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
lat, errors, lock = [], [], threading.Lock()


def manager(offset):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.monotonic() + offset
    n = 0
    while True:
        at = start + n * interval
        if at - (start - offset) >= seconds:
            break
        time.sleep(max(0.0, at - time.monotonic()))
        t = time.monotonic()
        conn.request("GET", path, headers={"Cookie": "tp_session=" + token})
        r = conn.getresponse()
        r.read()
        with lock:
            lat.append(time.monotonic() - t)
            if r.status != 200:
                errors.append(r.status)
        n += 1


threads = [threading.Thread(target=manager, args=(i * interval / users,)) for i in range(users)]
for t in threads:
    t.start()
for t in threads:
    t.join()
lat.sort()
ms = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print(f"{len(lat)} pages, p50 {ms(0.5):.1f} ms, p99 {ms(0.99):.1f} ms, max {lat[-1] * 1000:.1f} ms"
      + (f", {len(errors)} not 200" if errors else ""))
