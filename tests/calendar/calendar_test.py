#!/usr/bin/python3
"""Calendars read back as a calendar reads them (Debian's python3-icalendar): the CLI's
.ics of sam's appointments, one appointment's download, and sam's private feed — made by
sam, replaced by an admin (the old address stops), refused to a manager and to an agent,
a cancelled appointment updated in place (same UID, SEQUENCE up, STATUS CANCELLED), then
revoked (404). Runs with Debian's /usr/bin/python3 (its icalendar module).

Usage: calendar_test.py BASE_URL TELEPRO WORKDIR"""
import datetime
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo

import icalendar

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sip"))
from sip_lib import Agent, check, finish  # noqa: E402

BASE, TELEPRO, WORK = sys.argv[1:4]
url = urllib.parse.urlparse(BASE)
a1, a2, a3, a4 = open(os.path.join(WORK, "appointments")).read().split()
PARIS, CAYENNE = zoneinfo.ZoneInfo("Europe/Paris"), zoneinfo.ZoneInfo("America/Cayenne")


def events(text):
    cal = icalendar.Calendar.from_ical(text)
    return cal, {str(e["UID"]): e for e in cal.walk("VEVENT")}


def instant(e):
    """DTSTART as an aware datetime, through the calendar's own VTIMEZONE."""
    return e.decoded("DTSTART")


# 1. The CLI: sam's three, in their campaigns' zones.
ics = os.path.join(WORK, "sam.ics")
subprocess.run([TELEPRO, "appointment", "list", "--sales", "sam", "--format", "ics", "--output", ics], check=True)
cal, ev = events(open(ics, "rb").read())
check("sam's appointments, and only his", sorted(ev) == sorted(f"appointment-{a}@telepro" for a in (a1, a2, a4)),
      sorted(ev))
check("one VTIMEZONE per zone, named as IANA names it",
      sorted(str(z["TZID"]) for z in cal.walk("VTIMEZONE")) == ["America/Cayenne", "Europe/Paris"])
e1, e2, e4 = ev[f"appointment-{a1}@telepro"], ev[f"appointment-{a2}@telepro"], ev[f"appointment-{a4}@telepro"]
check("winter in Lyon: 10:00 Paris time", instant(e1) == datetime.datetime(2027, 1, 11, 10, 0, tzinfo=PARIS) and
      instant(e1).utcoffset() == datetime.timedelta(hours=1), instant(e1))
check("summer in Lyon: 14:30 Paris time (UTC+2)", instant(e2) == datetime.datetime(2027, 7, 5, 14, 30, tzinfo=PARIS)
      and instant(e2).utcoffset() == datetime.timedelta(hours=2), instant(e2))
check("Cayenne: 10:00 there (UTC-3)", instant(e4) == datetime.datetime(2027, 1, 13, 13, 0, tzinfo=datetime.timezone.utc),
      instant(e4))
check("an hour long", e1.decoded("DTEND") - instant(e1) == datetime.timedelta(hours=1))
check("who and where", str(e1["SUMMARY"]) == "Appointment — Solaire, SARL (Jean Martin)" and
      str(e1["LOCATION"]) == "12 rue de la Paix, 69001 Lyon", (str(e1["SUMMARY"]), str(e1.get("LOCATION"))))
desc = str(e1["DESCRIPTION"])
check("what sales need: the number, the campaign, who set it, the agent's notes",
      "Phone: 04 78 10 00 01" in desc and "Campaign: Rdv Lyon" in desc and "Set by: ana" in desc and
      "Notes: toit plein sud; 2 pans, à voir" in desc, desc)
check("no address: no LOCATION", "LOCATION" not in e2)
check("confirmed, first revision", str(e1["STATUS"]) == "CONFIRMED" and int(e1["SEQUENCE"]) == 0)


def get(path, cookie=None):
    req = urllib.request.Request(BASE + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


# 2. One appointment's download, in the reader's language.
sam = Agent(url.hostname, url.port, "sam")
st, h, body = get(f"/api/v1/appointments/{a1}/ics", sam.cookie)
check("one appointment as a file", st == 200 and h["Content-Type"].startswith("text/calendar") and
      f'filename="rdv-{a1}.ics"' in h.get("Content-Disposition", ""), (st, dict(h)))
cal, ev = events(body)
one = ev.get(f"appointment-{a1}@telepro")
check("in French, with the link to the appointments page", list(ev) == [f"appointment-{a1}@telepro"] and
      str(one["SUMMARY"]).startswith("RDV — Solaire") and
      str(one["URL"]) == f"{BASE}/appointments#appointment-{a1}", (list(ev), one and str(one.get("URL"))))
st, _, _ = get(f"/api/v1/appointments/{a3}/ics", sam.cookie)
check("zed's appointment is not sam's to download", st == 404, st)

# 3. The feed: made by sam, refused to others, replaced by an admin.
st, j = sam.call("POST", "/api/v1/users/sam/calendar", {})
check("sam makes his feed", st == 201 and j["url"].startswith(f"{BASE}/calendar/") and j["url"].endswith(".ics"),
      (st, j))
feed = urllib.parse.urlparse(j["url"]).path
st, h, body = get(feed)
check("the feed, without signing in", st == 200 and h["Content-Type"].startswith("text/calendar"), (st, dict(h)))
cal, ev = events(body)
check("the feed: sam's appointments, named", sorted(ev) == sorted(f"appointment-{a}@telepro" for a in (a1, a2, a4)) and
      str(cal["X-WR-CALNAME"]) == "Telepro — sam", sorted(ev))
st, j = Agent(url.hostname, url.port, "mia").call("POST", "/api/v1/users/sam/calendar", {})
check("a manager may not make sam's feed", st == 403, (st, j))
st, j = Agent(url.hostname, url.port, "ana").call("POST", "/api/v1/users/ana/calendar", {})
check("an agent has no appointments to subscribe to", st == 400 and "sales person" in j.get("error", ""), (st, j))
st, j = Agent(url.hostname, url.port, "ada").call("POST", "/api/v1/users/sam/calendar", {})
check("an admin gives sam a new address", st == 201, (st, j))
check("the old address stops working", get(feed)[0] == 404)
feed = urllib.parse.urlparse(j["url"]).path
check("the new one works", get(feed)[0] == 200)

# 4. Cancelled: the subscriber updates the event it has.
st, j = sam.call("POST", f"/api/v1/appointments/{a2}/result", {"status": "cancelled"})
check("sam cancels one", st == 200, (st, j))
cal, ev = events(get(feed)[2])
e2 = ev[f"appointment-{a2}@telepro"]
check("same UID, STATUS CANCELLED, SEQUENCE 1", str(e2["STATUS"]) == "CANCELLED" and int(e2["SEQUENCE"]) == 1,
      (str(e2["STATUS"]), e2.get("SEQUENCE")))
check("the others unchanged", int(ev[f"appointment-{a1}@telepro"]["SEQUENCE"]) == 0)

# 5. Revoked: gone.
st, j = sam.call("DELETE", "/api/v1/users/sam/calendar")
check("sam revokes it", st == 200 and j.get("revoked") is True, (st, j))
check("a revoked feed is a 404", get(feed)[0] == 404)
check("a made-up address is a 404", get("/calendar/" + "A" * 43 + ".ics")[0] == 404 and
      get("/calendar/x")[0] == 404)

finish("calendar")
