#!/usr/bin/python3
"""Spreadsheets read back as Excel would (Debian's python3-openpyxl), against the JSON of
the same commands (tests/exports/run.sh wrote them). Usage: exports_test.py BASE_URL WORKDIR"""
import csv
import datetime
import io
import json
import os
import sys
import urllib.parse

import openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sip"))
from sip_lib import Agent, check, finish  # noqa: E402

BASE, WORK = sys.argv[1:3]
url = urllib.parse.urlparse(BASE)


def sheet(path_or_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows())
    head = [c.value for c in rows[0]]
    return ws, head, rows[1:]


# The KPIs by hour: each group and the total, numbers as numbers, rates as percentages.
kpi = json.load(open(os.path.join(WORK, "kpi.json")))
ws, head, rows = sheet(os.path.join(WORK, "kpi.xlsx"))
check("KPI: header frozen, filters on", ws.freeze_panes == "A2" and ws.auto_filter.ref is not None and
      ws.auto_filter.ref.startswith("A1:"), (ws.freeze_panes, ws.auto_filter.ref))
check("KPI: a row per hour, then the total", [r[0].value for r in rows] == [g["key"] for g in kpi["groups"]] + ["total"],
      [r[0].value for r in rows])
col = {h: i for i, h in enumerate(head)}
total = rows[-1]
check("KPI: counts as numbers", total[col["calls"]].value == kpi["totals"]["calls"] == 3 and
      total[col["calls"]].data_type == "n", total[col["calls"]].value)
cr = total[col["contact_rate"]]
check("KPI: a rate as a percentage, its value the JSON's", cr.number_format == "0.0%" and
      abs(cr.value - kpi["totals"]["contact_rate"]["value"]) < 1e-12 and
      total[col["contact_rate_n"]].value == kpi["totals"]["contact_rate"]["n"], (cr.number_format, cr.value))
check("KPI: the amount in euros", total[col["amount_eur"]].value == 4800.0, total[col["amount_eur"]].value)
cph = total[col["calls_per_hour"]]
check("KPI: per hour, one decimal", cph.number_format == "0.0" and
      abs(cph.value - kpi["totals"]["calls_per_hour"]["value"]) < 1e-9, (cph.number_format, cph.value))

# CSV for French Excel: a BOM, semicolons, decimal commas; the same figures as the plain CSV.
raw = open(os.path.join(WORK, "kpi-excel.csv"), "rb").read()
check("--excel: UTF-8 with its BOM", raw.startswith(b"\xef\xbb\xbf"), raw[:10])
excel = list(csv.reader(io.StringIO(raw[3:].decode()), delimiter=";"))
plain = list(csv.reader(open(os.path.join(WORK, "kpi.csv"), newline="")))
check("--excel: the same cells, the decimal point a comma",
      excel == [[c.replace(".", ",") for c in row] for row in plain] and "," in excel[1][excel[0].index("contact_rate")],
      (excel[1][:20], plain[1][:20]))

# Appointments: the date a date, the amount a number.
appts = json.load(open(os.path.join(WORK, "appointments.json")))
ws, head, rows = sheet(os.path.join(WORK, "appointments.xlsx"))
col = {h: i for i, h in enumerate(head)}
check("appointments: one row each", len(rows) == len(appts) == 1)
when = rows[0][col["scheduled_at"]]
check("appointments: the time a date-time", when.value == datetime.datetime(2026, 12, 1, 16, 30) and
      when.number_format == "dd/mm/yyyy hh:mm", (when.value, when.number_format))
check("appointments: won, 4 800 €, relevant, the notes", rows[0][col["amount_eur"]].value == 4800.0 and
      rows[0][col["result"]].value == "won" and rows[0][col["relevant"]].value == "yes" and
      rows[0][col["notes"]].value == "veut une démo", [c.value for c in rows[0]])

# Prospects: text stays text, never a formula; the qualification key a column.
ws, head, rows = sheet(os.path.join(WORK, "prospects.xlsx"))
col = {h: i for i, h in enumerate(head)}
check("prospects: three, with the qualification column", len(rows) == 3 and "effectif" in col, head)
cell = rows[0][col["company"]]
check("prospects: '=1+1' is text, not a formula", cell.value == "=1+1" and cell.data_type == "s",
      (cell.value, cell.data_type))
check("prospects: a postcode keeps its zero, accents kept",
      rows[0][col["postcode"]].value == "01000" and rows[1][col["company"]].value == "Société Éàü" and
      rows[0][col["effectif"]].value == "50", [c.value for c in rows[0]])
raw = open(os.path.join(WORK, "prospects-excel.csv"), "rb").read()
check("prospects --excel: BOM and semicolons", raw.startswith(b"\xef\xbb\xbfcompany;last_name;"), raw[:30])

# The pages' downloads.
mia = Agent(url.hostname, url.port, "mia")
for path, name in (("/api/v1/kpi?campaign=Export&by=day&format=xlsx", "kpi.xlsx"),
                   ("/api/v1/appointments?format=xlsx", "rendez-vous.xlsx")):
    import http.client
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    c.request("GET", path, headers={"Cookie": mia.cookie})
    res = c.getresponse()
    body = res.read()
    check(f"{path}: a workbook to download", res.status == 200 and
          res.getheader("Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" and
          f'filename="{name}"' in (res.getheader("Content-Disposition") or ""), (res.status, res.getheader("Content-Type")))
    if res.status == 200:
        ws, head, rows = sheet(body)
        check(f"{path}: readable", len(rows) >= 1, len(rows))
c = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
c.request("GET", "/dashboard?campaign=Export", headers={"Cookie": mia.cookie})
page = c.getresponse().read().decode()
check("the dashboard offers the figures as a workbook",
      'id="kpi-xlsx"' in page and "/api/v1/kpi?by=day&amp;format=xlsx&amp;campaign=Export" in page, page[:0])
st, j = mia.call("GET", "/api/v1/kpi?format=pdf")
check("an unknown format refused", st == 400, st)

# insights agents: quantity beside quality, raw and shrunk.
agents = json.load(open(os.path.join(WORK, "agents.json")))["agents"]
ws, head, rows = sheet(os.path.join(WORK, "agents.xlsx"))
col = {h: i for i, h in enumerate(head)}
check("agents: one row each", [r[0].value for r in rows] == [a["agent"] for a in agents], [r[0].value for r in rows])
cr = rows[0][col["contact_rate_shrunk"]]
check("agents: a shrunk rate as a percentage, the JSON's", cr.number_format == "0.0%" and
      abs(cr.value - agents[0]["contact_rate"]["eb_value"]) < 1e-12 and
      rows[0][col["contact_rate_n"]].value == agents[0]["contact_rate"]["n"], (cr.value, cr.number_format))

# The campaign report as PDF: A4, fonts embedded, the figures the KPIs say, in French.
import subprocess


def pdftext(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


def spaced(s):
    """Runs of blanks (French thousands use a narrow no-break space) as one space."""
    return " ".join(s.replace("\u202f", " ").replace("\u00a0", " ").split())


pdf = os.path.join(WORK, "report.pdf")
info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
check("report: A4", "595.28 x 841.89 pts (A4)" in info, info)
fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
check("report: every font embedded", fonts and all(line.split()[-5] == "yes" for line in fonts), fonts)
text = spaced(pdftext(pdf))
week = json.load(open(os.path.join(WORK, "kpi-week.json")))["totals"]
check("report: its title and period in French", "Rapport de campagne — Export" in text and
      "Du 30/11/2026 au 06/12/2026" in text, text[:200])
cr = week["contact_rate"]
said = f"{cr['value'] * 100:.1f} %".replace(".", ",")
check("report: the contact rate, its interval and n as the KPIs say",
      said in text and f"{cr['low'] * 100:.1f} % – {cr['high'] * 100:.1f} %".replace(".", ",") in text and
      f"n = {cr['n']}" in text, (said, text[:600]))
apc = week["appointments_per_conversation"]
check("report: appointments per conversation", f"{apc['value'] * 100:.1f} %".replace(".", ",") in text)
check("report: the counts, the funnel, the charts, the agents",
      all(w in text for w in ("Appels", "Conversations", "Rendez-vous", "Entonnoir", "Par heure de la journée",
                              "Taux de contact, jour × heure", "Quantité et qualité, côte à côte", "alice")), text)
check("report: what the figures say", "Ce que disent les chiffres" in text)
en = spaced(pdftext(os.path.join(WORK, "report-en.pdf")))
check("report: in English on request", "Campaign report — Export" in en and "From 2026-11-30 to 2026-12-06" in en and
      "Key figures" in en, en[:200])
# Its pages rendered, and not blank.
subprocess.run(["pdftoppm", "-r", "40", "-png", pdf, os.path.join(WORK, "page")], check=True)
pages = sorted(f for f in os.listdir(WORK) if f.startswith("page") and f.endswith(".png"))
check("report: its pages render", len(pages) >= 1 and all(os.path.getsize(os.path.join(WORK, f)) > 2000 for f in pages),
      pages)
out_dir = os.environ.get("TELEPRO_WEB_ARTEFACTS")
if out_dir:
    os.makedirs(out_dir, exist_ok=True)
    for f in pages:
        with open(os.path.join(WORK, f), "rb") as src, open(os.path.join(out_dir, "report-" + f), "wb") as dst:
            dst.write(src.read())
# The dashboard's link, and the download.
c = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
c.request("GET", "/api/v1/report?campaign=Export&period=2026-W49", headers={"Cookie": mia.cookie})
res = c.getresponse()
body = res.read()
check("GET /api/v1/report: the PDF", res.status == 200 and res.getheader("Content-Type") == "application/pdf" and
      body.startswith(b"%PDF-"), (res.status, res.getheader("Content-Type")))
check("the dashboard offers the report", 'id="report-pdf"' in page and "/api/v1/report?campaign=Export&amp;period=" in page)

finish("exports")
