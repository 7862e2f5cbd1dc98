#ifndef TP_PLACE_H
#define TP_PLACE_H
/*
 * Where a person lives, as the rules of the trade and phone numbers need it: the country
 * (ISO 3166-1 alpha-2) from what files write ("France", "FRA", "La Réunion", "RE", ...),
 * the French territory a postcode belongs to (overseas départements and collectivities
 * included: 97133 is Saint-Barthélemy, 97150 Saint-Martin), and, from these and the
 * number called, the one decision used everywhere (import, `why`, `next`, the desk):
 * place_decide. docs/RULES.md, "Where the consumer lives". Plain arithmetic on strings:
 * every returned string is static.
 */
#include <stdbool.h>

/* The ISO code of a country written as files write it (ISO alpha-2 or alpha-3, French or
 * English name, any case and accents: "France", "FRA", "fr", "Réunion", "Guyane
 * française", "Belgique"); NULL when Telepro does not know it (or text is empty). */
const char *place_country_code(const char *text);

/* True for France and the territories that share its numbering plan and consumer code:
 * FR, RE, YT, GP, MQ, GF, PM, BL, MF (and WF, PF, NC, which Telepro also counts as
 * French: docs/RULES.md). */
bool place_is_french(const char *code);

/* The French territory of a postcode ("FR", "RE", "GP", "BL", "MF", ...); NULL when it is
 * not five digits of a French postcode (98000, Monaco, is "MC"). dep, when given (4 bytes),
 * receives the département: "75", "57", "974", or "" for a collectivity without one. */
const char *place_fr_territory(const char *postcode, char dep[4]);

/* The IANA time zone of a country or territory with a single one (NULL otherwise). */
const char *place_zone(const char *code);

/* The English name of a territory or country ("La Réunion"), the code itself when unknown. */
const char *place_name(const char *code);

struct place {
	const char *country;   /* ISO code decided, "" when unknown */
	char dep[4];           /* French département ("57", "974") or "" */
	const char *zone;      /* the time zone the rules count in */
	bool disagree;         /* the written country and the postcode said different territories */
	const char *written;   /* the territory the country column said (NULL: none or unknown) */
};

/*
 * Decides where a person lives from the country and postcode as stored (either may be
 * NULL or ""), the number called (E.164, may be NULL), the campaign's region (its national
 * numbers' country) and time zone:
 *  - a French postcode (for a French or unknown country) decides the territory: the
 *    postcode wins when the country column names another French territory (disagree);
 *  - else the country column, when Telepro knows it;
 *  - else, for a French "FR" or empty country, the number's territory (+262 692... is La
 *    Réunion, +262 639... Mayotte), then the campaign's region.
 * zone is the territory's, the campaign's when the country has several (or is unknown).
 */
void place_decide(const char *country, const char *postcode, const char *phone, const char *region,
	const char *campaign_zone, struct place *out);

#endif
