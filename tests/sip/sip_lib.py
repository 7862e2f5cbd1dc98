"""What the dialer's tests share (tests/sip): the checks they count, a signed-in user of the
API that dials and follows its calls placed, and the CLI's JSON."""
import http.client
import json
import subprocess
import time

failures = 0
checks = 0


def check(name, cond, detail=""):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print(f"FAIL: {name} {detail}")


def finish(what):
    print(f"{what}: {checks} checks, {failures} failed")
    raise SystemExit(1 if failures else 0)


def cli_json(telepro, *args):
    return json.loads(subprocess.run([telepro, *args], check=True, capture_output=True, text=True).stdout)


def serve(telepro, port, log_path, args=(), env=None):
    """`telepro serve` on 127.0.0.1:port (its log appended to log_path), once it answers
    /api/v1/health; its Popen."""
    log = open(log_path, "a")
    p = subprocess.Popen([telepro, "serve", "--listen", f"127.0.0.1:{port}", "--threads", "2", *args],
                         stdout=log, stderr=log, env=env)
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/api/v1/health")
            if c.getresponse().status == 200:
                return p
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("FAIL: the server did not start")


class Agent:
    """A user signed in on the server at host:port (password pw-NAME-12345)."""

    def __init__(self, host, port, name):
        self.host, self.port, self.name = host, port, name
        self.cookie = self.csrf = None
        st, h, text = self.raw("POST", "/api/v1/login", {"login": name, "password": f"pw-{name}-12345"})
        if st != 200:
            raise SystemExit(f"FAIL: {name} cannot sign in ({st})")
        self.cookie = next((c.split(";")[0] for c in h.get_all("Set-Cookie") or [] if c.startswith("tp_session=")),
                           None)
        self.csrf = json.loads(text).get("csrf")

    def raw(self, method, path, body=None, lang="en"):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        h = {"Accept-Language": lang}
        if self.cookie:
            h["Cookie"] = self.cookie
            h["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=h)
        res = conn.getresponse()
        text = res.read().decode()
        conn.close()
        return res.status, res.headers, text

    def call(self, method, path, body=None):
        st, _, text = self.raw(method, path, body)
        try:
            return st, json.loads(text)
        except ValueError:
            return st, text

    def next_lead(self, campaign_id):
        st, j = self.call("POST", f"/api/v1/campaigns/{campaign_id}/next", {})
        check(f"{self.name}: next", st == 200 and j.get("lead_id"), f"{st} {j}")
        return j

    def dial(self, lead_id):
        st, j = self.call("POST", f"/api/v1/leads/{lead_id}/dial", {})
        check(f"{self.name}: dial lead {lead_id} is accepted (202)", st == 202 and j.get("state") == "ringing_agent",
              f"{st} {j}")
        return j.get("id")

    def wait(self, dial_id, states, seconds=30):
        """Polls the call placed until its state is one of states; returns its JSON, with
        "seen": the states it went through."""
        deadline = time.monotonic() + seconds
        seen = []
        while True:
            st, j = self.call("GET", f"/api/v1/dialer/{dial_id}")
            if st != 200:
                check(f"GET dialer/{dial_id}", False, f"{st} {j}")
                return j
            if not seen or seen[-1] != j["state"]:
                seen.append(j["state"])
            if j["state"] in states:
                j["seen"] = seen
                return j
            if time.monotonic() > deadline:
                check(f"call {dial_id} reaches {states}", False, f"stuck in {seen}")
                return j
            time.sleep(0.05)

    def wait_line(self, state, seconds=10):
        """Polls the agent's line until it is in state; returns its JSON."""
        deadline = time.monotonic() + seconds
        while True:
            st, line = self.call("GET", "/api/v1/line")
            if line.get("state") == state or time.monotonic() > deadline:
                return line
            time.sleep(0.05)
