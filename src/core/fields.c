#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/xalloc.h"

static const char *const names[F_COUNT] = {
	[F_COMPANY] = "company",     [F_LAST_NAME] = "last_name", [F_FIRST_NAME] = "first_name",
	[F_CIVILITY] = "civility",   [F_ROLE] = "role",           [F_PHONE] = "phone",
	[F_MOBILE] = "mobile",       [F_EMAIL] = "email",         [F_SIREN] = "siren",
	[F_SIRET] = "siret",         [F_ADDRESS] = "address",     [F_POSTCODE] = "postcode",
	[F_CITY] = "city",           [F_COUNTRY] = "country",     [F_SECTOR] = "sector",
	[F_SIZE_BAND] = "size_band", [F_WEBSITE] = "website",
	[F_CONSENT_DATE] = "consent_date", [F_CONSENT_SOURCE] = "consent_source",
	[F_CONSENT_WORDING] = "consent_wording",
};

/* Folded header wordings, French first. The canonical names fold into this list too. */
static const struct {
	const char *folded;
	int id;
} synonyms[] = {
	{"societe", F_COMPANY}, {"company", F_COMPANY}, {"entreprise", F_COMPANY},
	{"raisonsociale", F_COMPANY}, {"organisation", F_COMPANY}, {"organization", F_COMPANY},
	{"companyname", F_COMPANY}, {"nomsociete", F_COMPANY}, {"nomdelasociete", F_COMPANY},
	{"nomentreprise", F_COMPANY}, {"etablissement", F_COMPANY}, {"account", F_COMPANY},
	{"nom", F_LAST_NAME}, {"lastname", F_LAST_NAME}, {"surname", F_LAST_NAME},
	{"nomdefamille", F_LAST_NAME}, {"familyname", F_LAST_NAME}, {"nomcontact", F_LAST_NAME},
	{"prenom", F_FIRST_NAME}, {"firstname", F_FIRST_NAME}, {"givenname", F_FIRST_NAME},
	{"civilite", F_CIVILITY}, {"civility", F_CIVILITY}, {"salutation", F_CIVILITY},
	{"fonction", F_ROLE}, {"role", F_ROLE}, {"jobtitle", F_ROLE}, {"poste", F_ROLE},
	{"titre", F_ROLE}, {"title", F_ROLE}, {"job", F_ROLE},
	{"telephone", F_PHONE}, {"tel", F_PHONE}, {"phone", F_PHONE}, {"phonenumber", F_PHONE},
	{"numero", F_PHONE}, {"numerodetelephone", F_PHONE}, {"telfixe", F_PHONE},
	{"telephonefixe", F_PHONE}, {"telstandard", F_PHONE}, {"standard", F_PHONE},
	{"lignedirecte", F_PHONE}, {"telephonestandard", F_PHONE}, {"businessphone", F_PHONE},
	{"mobile", F_MOBILE}, {"portable", F_MOBILE}, {"telportable", F_MOBILE},
	{"telmobile", F_MOBILE}, {"cell", F_MOBILE}, {"cellphone", F_MOBILE},
	{"mobilephone", F_MOBILE}, {"gsm", F_MOBILE}, {"telephonemobile", F_MOBILE},
	{"telephoneportable", F_MOBILE},
	{"email", F_EMAIL}, {"mail", F_EMAIL}, {"courriel", F_EMAIL}, {"adressemail", F_EMAIL},
	{"adresseemail", F_EMAIL}, {"emailaddress", F_EMAIL}, {"adressecourriel", F_EMAIL},
	{"siren", F_SIREN}, {"nsiren", F_SIREN}, {"numerosiren", F_SIREN},
	{"siret", F_SIRET}, {"nsiret", F_SIRET}, {"numerosiret", F_SIRET},
	{"adresse", F_ADDRESS}, {"address", F_ADDRESS}, {"rue", F_ADDRESS}, {"street", F_ADDRESS},
	{"adressepostale", F_ADDRESS},
	{"codepostal", F_POSTCODE}, {"cp", F_POSTCODE}, {"postcode", F_POSTCODE},
	{"postalcode", F_POSTCODE}, {"zip", F_POSTCODE}, {"zipcode", F_POSTCODE},
	{"ville", F_CITY}, {"city", F_CITY}, {"commune", F_CITY}, {"localite", F_CITY},
	{"town", F_CITY},
	{"pays", F_COUNTRY}, {"country", F_COUNTRY},
	{"secteur", F_SECTOR}, {"sector", F_SECTOR}, {"secteurdactivite", F_SECTOR},
	{"industry", F_SECTOR}, {"activite", F_SECTOR},
	{"trancheeffectif", F_SIZE_BAND}, {"tranchedeffectif", F_SIZE_BAND},
	{"sizeband", F_SIZE_BAND}, {"companysize", F_SIZE_BAND},
	{"siteweb", F_WEBSITE}, {"siteinternet", F_WEBSITE}, {"website", F_WEBSITE},
	{"site", F_WEBSITE}, {"web", F_WEBSITE}, {"url", F_WEBSITE},
	{"consentdate", F_CONSENT_DATE}, {"dateconsentement", F_CONSENT_DATE},
	{"dateduconsentement", F_CONSENT_DATE}, {"consentementle", F_CONSENT_DATE},
	{"consentsource", F_CONSENT_SOURCE}, {"sourceconsentement", F_CONSENT_SOURCE},
	{"sourceduconsentement", F_CONSENT_SOURCE}, {"origineconsentement", F_CONSENT_SOURCE},
	{"consentwording", F_CONSENT_WORDING}, {"texteconsentement", F_CONSENT_WORDING},
	{"textedeconsentement", F_CONSENT_WORDING}, {"libelleconsentement", F_CONSENT_WORDING},
};

const char *field_name(int id)
{
	if (id >= 0 && id < F_COUNT)
		return names[id];
	return id == F_IGNORE ? "ignore" : "qualification";
}

int field_by_name(const char *name)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* Two-byte UTF-8 Latin letters with a diacritic (U+00C0..U+00FF), folded to ASCII. */
static char fold_latin1_supplement(unsigned char b1, unsigned char b2)
{
	static const char map[64] = "aaaaaaaceeeeiiiidnooooo ouuuuyts" "aaaaaaaceeeeiiiidnooooo ouuuuyty";
	unsigned int cp = ((b1 & 0x1Fu) << 6) | (b2 & 0x3Fu);

	if (cp >= 0xC0 && cp <= 0xFF)
		return map[cp - 0xC0];
	return 0;
}

void field_fold(const char *in, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0;

	if (size == 0)
		return;
	for (; *s && n + 1 < size; s++) {
		char c = 0;

		if (*s < 0x80) {
			if (isalnum(*s))
				c = (char)tolower(*s);
		} else if ((*s == 0xC3) && s[1] >= 0x80 && s[1] <= 0xBF) {
			c = fold_latin1_supplement(s[0], s[1]);
			s++;
		} else if (*s == 0xC5 && (s[1] == 0x92 || s[1] == 0x93)) {
			c = 'o'; /* œ and Œ fold to "o" */
			s++;
		}
		if (c && c != ' ')
			out[n++] = c;
	}
	out[n] = '\0';
}

int field_from_header(const char *header)
{
	char folded[128];

	field_fold(header, folded, sizeof(folded));
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
		if (strcmp(synonyms[i].folded, folded) == 0)
			return synonyms[i].id;
	return F_QUALIFICATION;
}

void mapping_init(struct mapping *m)
{
	memset(m, 0, sizeof(*m));
}

void mapping_release(struct mapping *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->entries[i].column);
		free(m->entries[i].key);
	}
	free(m->entries);
	free(m->file);
	mapping_init(m);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Splits one line into column and target; returns NULL on success or the reason. */
static const char *split_line(char *line, char **column, char **target)
{
	char *eq;

	line = trim(line);
	if (*line == '"') {
		char *close = strchr(line + 1, '"');

		if (!close)
			return "unbalanced double quote in the column name";
		*close = '\0';
		*column = line + 1;
		eq = close + 1;
		while (*eq == ' ' || *eq == '\t')
			eq++;
		if (*eq != '=')
			return "expected '=' after the quoted column name";
	} else {
		eq = strchr(line, '=');
		if (!eq)
			return "expected COLUMN = TARGET";
		*eq = '\0';
		*column = trim(line);
	}
	*target = trim(eq + 1);
	if (!**column)
		return "empty column name";
	if (!**target)
		return "empty target: give a field name, ignore, or qualification:KEY";
	return NULL;
}

int mapping_parse(struct mapping *m, const char *file, const char *text, size_t len,
	struct tp_error *err)
{
	size_t cap = 0;
	long lineno = 0;
	size_t pos = 0;

	mapping_init(m);
	m->file = xstrdup(file);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t linelen = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *line, *column, *target, *trimmed;
		const char *why;
		int id;

		lineno++;
		if (memchr(text + pos, '\0', linelen)) {
			tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "NUL byte in a mapping file");
			goto fail;
		}
		line = xstrndup(text + pos, linelen);
		pos += linelen + (nl ? 1 : 0);
		trimmed = trim(line);
		if (lineno == 1 && (unsigned char)trimmed[0] == 0xEF && (unsigned char)trimmed[1] == 0xBB &&
		    (unsigned char)trimmed[2] == 0xBF)
			trimmed = trim(trimmed + 3);
		if (*trimmed == '\0' || *trimmed == '#') {
			free(line);
			continue;
		}
		why = split_line(trimmed, &column, &target);
		if (why) {
			tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "%s", why);
			free(line);
			goto fail;
		}
		if (strncmp(target, "qualification:", 14) == 0) {
			id = F_QUALIFICATION;
			if (!*trim(target + 14)) {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL,
					"qualification: needs a key, e.g. qualification:effectif");
				free(line);
				goto fail;
			}
		} else if (strcmp(target, "ignore") == 0) {
			id = F_IGNORE;
		} else if ((id = field_by_name(target)) < 0) {
			tp_error_at(err, TP_EUSAGE, file, lineno, NULL,
				"unknown target '%.64s' (fields: company, last_name, first_name, civility, "
				"role, phone, mobile, email, siren, siret, address, postcode, city, country, "
				"sector, size_band, website; or ignore, qualification:KEY)", target);
			free(line);
			goto fail;
		}
		if (m->n == cap) {
			cap = cap ? cap * 2 : 8;
			m->entries = xrealloc(m->entries, cap * sizeof(*m->entries));
		}
		{
			struct mapping_entry *e = &m->entries[m->n++];
			char folded[256];

			field_fold(column, folded, sizeof(folded));
			e->column = xstrdup(folded);
			e->target = id;
			e->key = id == F_QUALIFICATION ? xstrdup(trim(target + 14)) : NULL;
			e->line = lineno;
		}
		free(line);
	}
	return 0;
fail:
	mapping_release(m);
	return TP_EUSAGE;
}

const struct mapping_entry *mapping_find(const struct mapping *m, const char *header)
{
	char folded[256];

	field_fold(header, folded, sizeof(folded));
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->entries[i].column, folded) == 0)
			return &m->entries[i];
	return NULL;
}
