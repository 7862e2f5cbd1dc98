/* Where a person lives (place.h, docs/RULES.md). */
#include <string.h>

#include "core/fields.h"
#include "core/phone.h"
#include "core/place.h"

/*
 * The countries and territories Telepro knows by name: France and every French territory,
 * the countries a French team meets most. Names are folded (field_fold: lower case, no
 * accents, no spaces or punctuation); alpha-2 and alpha-3 codes are matched folded too.
 * zone is NULL where a country has several.
 */
static const struct country {
	const char *code, *alpha3, *zone, *name;
	const char *names[6];
} countries[] = {
	{"FR", "FRA", "Europe/Paris", "France", {"france", "francemetropolitaine", "metropole", "republiquefrancaise"}},
	{"RE", "REU", "Indian/Reunion", "La Réunion", {"reunion", "lareunion", "iledelareunion"}},
	{"YT", "MYT", "Indian/Mayotte", "Mayotte", {"mayotte"}},
	{"GP", "GLP", "America/Guadeloupe", "Guadeloupe", {"guadeloupe"}},
	{"MQ", "MTQ", "America/Martinique", "Martinique", {"martinique"}},
	{"GF", "GUF", "America/Cayenne", "Guyane", {"guyane", "guyanefrancaise", "frenchguiana", "guiana"}},
	{"PM", "SPM", "America/Miquelon", "Saint-Pierre-et-Miquelon",
		{"saintpierreetmiquelon", "stpierreetmiquelon", "saintpierreandmiquelon", "stpierreandmiquelon"}},
	{"BL", "BLM", "America/St_Barthelemy", "Saint-Barthélemy",
		{"saintbarthelemy", "stbarthelemy", "saintbarth", "stbarth", "saintbarts", "stbarts"}},
	{"MF", "MAF", "America/Marigot", "Saint-Martin",
		{"saintmartin", "stmartin", "saintmartinpartiefrancaise", "saintmartinfrenchpart", "collectivitedesaintmartin"}},
	{"WF", "WLF", "Pacific/Wallis", "Wallis-et-Futuna", {"wallisetfutuna", "wallisandfutuna"}},
	{"PF", "PYF", "Pacific/Tahiti", "Polynésie française", {"polynesiefrancaise", "frenchpolynesia", "polynesie", "tahiti"}},
	{"NC", "NCL", "Pacific/Noumea", "Nouvelle-Calédonie", {"nouvellecaledonie", "newcaledonia"}},
	{"MC", "MCO", "Europe/Monaco", "Monaco", {"monaco", "principautedemonaco"}},
	{"BE", "BEL", "Europe/Brussels", "Belgium", {"belgique", "belgium", "belgie", "belgien"}},
	{"CH", "CHE", "Europe/Zurich", "Switzerland", {"suisse", "switzerland", "schweiz", "svizzera"}},
	{"LU", "LUX", "Europe/Luxembourg", "Luxembourg", {"luxembourg", "luxemburg"}},
	{"DE", "DEU", "Europe/Berlin", "Germany", {"allemagne", "germany", "deutschland"}},
	{"ES", "ESP", NULL, "Spain", {"espagne", "spain", "espana"}},
	{"IT", "ITA", "Europe/Rome", "Italy", {"italie", "italy", "italia"}},
	{"PT", "PRT", NULL, "Portugal", {"portugal"}},
	{"AD", "AND", "Europe/Andorra", "Andorra", {"andorre", "andorra"}},
	{"GB", "GBR", "Europe/London", "United Kingdom",
		{"royaumeuni", "unitedkingdom", "uk", "grandebretagne", "greatbritain", "angleterre"}},
	{"IE", "IRL", "Europe/Dublin", "Ireland", {"irlande", "ireland"}},
	{"NL", "NLD", "Europe/Amsterdam", "Netherlands", {"paysbas", "netherlands", "nederland", "hollande"}},
	{"AT", "AUT", "Europe/Vienna", "Austria", {"autriche", "austria", "osterreich"}},
	{"PL", "POL", "Europe/Warsaw", "Poland", {"pologne", "poland", "polska"}},
	{"MA", "MAR", "Africa/Casablanca", "Morocco", {"maroc", "morocco"}},
	{"DZ", "DZA", "Africa/Algiers", "Algeria", {"algerie", "algeria"}},
	{"TN", "TUN", "Africa/Tunis", "Tunisia", {"tunisie", "tunisia"}},
	{"SN", "SEN", "Africa/Dakar", "Senegal", {"senegal"}},
	{"CI", "CIV", "Africa/Abidjan", "Côte d'Ivoire", {"cotedivoire", "ivorycoast"}},
	{"CA", "CAN", NULL, "Canada", {"canada"}},
	{"US", "USA", NULL, "United States", {"etatsunis", "unitedstates", "unitedstatesofamerica", "usa"}},
};

#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

static const struct country *find(const char *code)
{
	for (size_t i = 0; code && i < NCOUNTRIES; i++)
		if (strcmp(countries[i].code, code) == 0)
			return &countries[i];
	return NULL;
}

const char *place_country_code(const char *text)
{
	char folded[64];

	if (!text)
		return NULL;
	field_fold(text, folded, sizeof(folded));
	if (!folded[0])
		return NULL;
	for (size_t i = 0; i < NCOUNTRIES; i++) {
		char code[4];

		field_fold(countries[i].code, code, sizeof(code));
		if (strcmp(folded, code) == 0)
			return countries[i].code;
		field_fold(countries[i].alpha3, code, sizeof(code));
		if (strcmp(folded, code) == 0)
			return countries[i].code;
		for (size_t k = 0; k < sizeof(countries[i].names) / sizeof(countries[i].names[0]) && countries[i].names[k]; k++)
			if (strcmp(folded, countries[i].names[k]) == 0)
				return countries[i].code;
	}
	return NULL;
}

bool place_is_french(const char *code)
{
	static const char *const french[] = {"FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF", "WF", "PF", "NC"};

	for (size_t i = 0; code && i < sizeof(french) / sizeof(french[0]); i++)
		if (strcmp(code, french[i]) == 0)
			return true;
	return false;
}

const char *place_fr_territory(const char *postcode, char dep[4])
{
	/* La Poste's postcodes of the overseas territories: the département's three digits,
	 * but 97133 (Saint-Barthélemy) and 97150 (Saint-Martin) within Guadeloupe's 971. */
	static const struct {
		const char *prefix, *code;
		bool has_dep;
	} overseas[] = {
		{"97133", "BL", false}, {"97150", "MF", false}, {"971", "GP", true}, {"972", "MQ", true},
		{"973", "GF", true}, {"974", "RE", true}, {"975", "PM", false}, {"976", "YT", true},
		{"977", "BL", false}, {"978", "MF", false}, {"986", "WF", false}, {"987", "PF", false},
		{"988", "NC", false}, {"980", "MC", false},
	};
	char ignored[4];

	if (!dep)
		dep = ignored;
	dep[0] = '\0';
	if (!postcode || strlen(postcode) != 5 || strspn(postcode, "0123456789") != 5 || strncmp(postcode, "00", 2) == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(overseas) / sizeof(overseas[0]); i++)
		if (strncmp(postcode, overseas[i].prefix, strlen(overseas[i].prefix)) == 0) {
			if (overseas[i].has_dep)
				memcpy(dep, postcode, 3), dep[3] = '\0';
			return overseas[i].code;
		}
	if (postcode[0] == '9' && (postcode[1] == '7' || postcode[1] == '8'))
		return NULL;   /* no such postcode */
	memcpy(dep, postcode, 2);
	dep[2] = '\0';
	return "FR";
}

const char *place_zone(const char *code)
{
	const struct country *c = find(code);

	return c ? c->zone : NULL;
}

const char *place_name(const char *code)
{
	const struct country *c = find(code);

	return c ? c->name : code;
}

void place_decide(const char *country, const char *postcode, const char *phone, const char *region,
	const char *campaign_zone, struct place *out)
{
	const char *written = place_country_code(country), *by_postcode = NULL, *decided;
	char dep[4] = "";

	memset(out, 0, sizeof(*out));
	out->written = written;
	/* A postcode is read as French only where the country is French or not said: 10115
	 * is Berlin in Germany, the Aube in France. */
	if ((written && place_is_french(written)) || (!written && !(country && *country) && region &&
	    strcmp(region, "FR") == 0))
		by_postcode = place_fr_territory(postcode, dep);
	if (by_postcode) {
		decided = by_postcode;
		/* "France" is the whole Republic: a postcode only refines it. */
		out->disagree = written && strcmp(written, "FR") != 0 && strcmp(written, by_postcode) != 0;
	} else if (written && strcmp(written, "FR") != 0) {
		decided = written;
	} else if (!written && country && *country) {
		decided = "";   /* a country Telepro does not know: the campaign's zone */
	} else {
		/* France or nothing said: the number tells the territory (+262 692 is La Réunion). */
		char of[3] = "";

		decided = written ? written : region && *region ? region : "";
		if (phone && phone[0] == '+' && phone_region_of(phone, of) == 0 && place_is_french(of) &&
		    (place_is_french(decided) || !*decided))
			decided = find(of) ? find(of)->code : decided;
	}
	out->country = decided;
	memcpy(out->dep, dep, sizeof(dep));
	out->zone = place_zone(decided);
	if (!out->zone || !*decided)
		out->zone = campaign_zone;
}
