#!/usr/bin/env python3
"""bench/gen_realistic.py N [SEED]: a prospect file shaped like a real one, on stdout.

';'-separated, French header, nine columns: company, last name, first name, phone, email,
postcode, city, sector, head count. Unlike gen_prospects.sh, nothing comes in key order:
phones, names and cities are drawn at random (seeded: the same N and SEED give the same
file), so index inserts land anywhere in their B-trees, as they do with a real file.
About 2 % of rows repeat an earlier prospect written differently (another phone format,
the company in capitals or with its legal form), 1 % have an invalid phone, and fields
that need it are quoted (a ';' or a '"' in a company name).
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)

SYLL = ["ar", "be", "ca", "do", "el", "fa", "gi", "ho", "in", "ju", "ka", "lo", "ma", "ne", "or", "pi",
        "qu", "ro", "sa", "te", "ul", "vi", "wa", "xe", "yo", "zu", "ch", "ou", "an", "on", "is", "et"]
WORDS = ["Groupe", "Atelier", "Maison", "Société", "Cabinet", "Transports", "Boulangerie", "Garage",
         "Imprimerie", "Menuiserie", "Pharmacie", "Agence", "Hôtel", "Clinique", "Laboratoire", "Ferme"]
FORMS = ["SARL", "SAS", "SA", "EURL", "SASU", "SCI"]
FIRST = ["Jean", "Marie", "Luc", "Anne", "Paul", "Léa", "Karim", "Zoé", "Hugo", "Inès", "Nathalie",
         "Éric", "Sophie", "Mehdi", "Camille", "Thomas", "Chloé", "Nicolas", "Fatima", "Julien"]
SECTORS = ["Industrie", "Commerce", "Services", "Transport", "Santé", "Bâtiment", "Agriculture",
           "Hôtellerie", "Informatique", "Finance"]
CITIES = [("Paris", "75"), ("Lyon", "69"), ("Marseille", "13"), ("Lille", "59"), ("Nantes", "44"),
          ("Rennes", "35"), ("Bordeaux", "33"), ("Toulouse", "31"), ("Strasbourg", "67"),
          ("Nice", "06"), ("Grenoble", "38"), ("Dijon", "21"), ("Brest", "29"), ("Metz", "57"),
          ("Rouen", "76"), ("Tours", "37"), ("Limoges", "87"), ("Pau", "64"), ("Annecy", "74")]


def word(k):
    return "".join(rng.choice(SYLL) for _ in range(k)).capitalize()


def phone_text(nsn, f):
    d = "%09d" % nsn
    pairs = [d[1:3], d[3:5], d[5:7], d[7:9]]
    if f == 0:
        return "0" + d
    if f == 1:
        return "0%s %s" % (d[0], " ".join(pairs))
    if f == 2:
        return "0%s.%s" % (d[0], ".".join(pairs))
    if f == 3:
        return "+33 %s %s" % (d[0], " ".join(pairs))
    return "+33 (0)%s %s" % (d[0], " ".join(pairs))


def field(s):
    if ";" in s or '"' in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def company():
    r = rng.random()
    if r < 0.4:
        name = "%s %s" % (rng.choice(WORDS), word(rng.randint(2, 3)))
    elif r < 0.7:
        name = "%s %s" % (word(rng.randint(2, 4)), rng.choice(FORMS))
    elif r < 0.8:
        name = '%s "%s"' % (rng.choice(WORDS), word(2))
    elif r < 0.85:
        name = "%s; %s" % (word(3), word(2))
    else:
        name = "%s & %s" % (word(2), word(3))
    return name


out = sys.stdout
out.write("Société;Nom;Prénom;Téléphone;Email;Code postal;Ville;Secteur;Effectif\n")
seen = []  # earlier prospects a duplicate may repeat
for i in range(n):
    if seen and rng.random() < 0.02:
        co, last, first, nsn, email, cp, city, sector, staff = rng.choice(seen)
        co = co.upper() if rng.random() < 0.5 else co + " " + rng.choice(FORMS)
        tel = phone_text(nsn, rng.randrange(5))
    else:
        co = company()
        last = word(rng.randint(2, 3)).upper() if rng.random() < 0.3 else word(rng.randint(2, 3))
        first = rng.choice(FIRST)
        # Landlines 01-05, mobiles 06 and 07, and 09, at random, in ranges that exist.
        lead = rng.choice(["1", "2", "3", "4", "5", "6", "7", "9"])
        second = rng.choice({"6": "0124578", "7": "3456789", "9": "578"}.get(lead, "12345678"))
        nsn = int(lead + second) * 10000000 + rng.randrange(10000000)
        city, dep = rng.choice(CITIES)
        cp = "%s%03d" % (dep, rng.randrange(0, 1000, 10))
        email = "%s.%s@%s.fr" % (first.lower(), last.lower(), word(2).lower()) if rng.random() < 0.8 else ""
        sector = rng.choice(SECTORS)
        staff = str(int(rng.lognormvariate(2.5, 1.3)) + 1)
        tel = phone_text(nsn, rng.randrange(5))
        if rng.random() < 0.01:
            tel = rng.choice(["01 23", "0612", "n/a", "+33 0 00 00 00 00", "12345678901234"])
        elif len(seen) < 50000:
            seen.append((co, last, first, nsn, email, cp, city, sector, staff))
        elif rng.random() < 0.05:
            seen[rng.randrange(len(seen))] = (co, last, first, nsn, email, cp, city, sector, staff)
    out.write(";".join(field(x) for x in (co, last, first, tel, email, cp, city, sector, staff)) + "\n")
