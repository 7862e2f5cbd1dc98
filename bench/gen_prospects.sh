#!/bin/sh
# bench/gen_prospects.sh N: a deterministic prospect file of N rows on stdout, ';'-separated
# with a French header, phones in the five common French written forms, a qualification
# column, about 0.1 % invalid numbers and 0.1 % duplicates (so validation and dedupe work).
n=${1:-1000000}
awk -v n="$n" 'BEGIN {
  print "Société;Civilité;Prénom;Nom;Fonction;Téléphone;Email;Code postal;Ville;Secteur;Effectif"
  split("Lyon Paris Marseille Lille Nantes Rennes Bordeaux Toulouse", city, " ")
  split("Industrie Commerce Services Transport Santé Bâtiment", sector, " ")
  split("Jean Marie Luc Anne Paul Léa Karim Zoé", first, " ")
  for (i = 1; i <= n; i++) {
    nsn = 142000000 + i
    if (i % 997 == 0) nsn = nsn - 1
    d = sprintf("%09d", nsn)
    f = i % 5
    if (f == 0) phone = "0" d
    else if (f == 1) phone = sprintf("0%s %s %s %s %s", substr(d,1,1), substr(d,2,2), substr(d,4,2), substr(d,6,2), substr(d,8,2))
    else if (f == 2) phone = sprintf("0%s.%s.%s.%s.%s", substr(d,1,1), substr(d,2,2), substr(d,4,2), substr(d,6,2), substr(d,8,2))
    else if (f == 3) phone = sprintf("+33 %s %s %s %s %s", substr(d,1,1), substr(d,2,2), substr(d,4,2), substr(d,6,2), substr(d,8,2))
    else phone = sprintf("+33 (0)%s %s %s %s %s", substr(d,1,1), substr(d,2,2), substr(d,4,2), substr(d,6,2), substr(d,8,2))
    if (i % 1000 == 500) phone = "01 23"
    printf "Entreprise %d;%s;%s;Nom%d;Directeur;%s;contact%d@example.fr;69%03d;%s;%s;%d\n", \
      i, (i % 2 ? "M." : "Mme"), first[i % 8 + 1], i, phone, i, i % 1000, city[i % 8 + 1], sector[i % 6 + 1], i % 500 + 1
  }
}'
