#ifndef TP_FIELDS_H
#define TP_FIELDS_H
/*
 * The prospect fields Telepro knows, how file headers are recognised (French and English
 * synonyms), and mapping files that name the columns explicitly.
 *
 * Mapping file format (docs/IMPORT.md): UTF-8 text, one "COLUMN = TARGET" per line,
 * blank lines and lines starting with '#' ignored. COLUMN is a header of the file
 * (compared without case, accents, spaces or punctuation; it may be written in double
 * quotes); TARGET is a field name (company, last_name, phone, ...), "ignore", or
 * "qualification:KEY". Columns the mapping does not name are recognised by their header
 * as usual.
 */
#include <stddef.h>

#include "core/error.h"

enum field_id {
	F_COMPANY,
	F_LAST_NAME,
	F_FIRST_NAME,
	F_CIVILITY,
	F_ROLE,
	F_PHONE,
	F_MOBILE,
	F_EMAIL,
	F_SIREN,
	F_SIRET,
	F_ADDRESS,
	F_POSTCODE,
	F_CITY,
	F_COUNTRY,
	F_SECTOR,
	F_SIZE_BAND,
	F_WEBSITE,
	F_CONSENT_DATE,      /* a consumer's consent to be called (B2C): when, */
	F_CONSENT_SOURCE,    /* where it was given (a form, a contest, a call), */
	F_CONSENT_WORDING,   /* and the words they agreed to */
	F_COUNT,
	F_QUALIFICATION = 100, /* an unknown column, kept as a qualification value */
	F_IGNORE = 101,
};

/* Canonical name of a field ("last_name"), as used in exports and mapping files. */
const char *field_name(int id);

/* The field a canonical name denotes, or -1. */
int field_by_name(const char *name);

/* The field a file header denotes by its French or English wording, or F_QUALIFICATION. */
int field_from_header(const char *header);

/* Folds a header for comparison: ASCII lower case, French accents dropped, only letters
 * and digits kept. Writes at most size bytes (NUL included) to out. */
void field_fold(const char *in, char *out, size_t size);

struct mapping_entry {
	char *column;       /* folded header */
	int target;         /* enum field_id, F_QUALIFICATION or F_IGNORE */
	char *key;          /* qualification key for F_QUALIFICATION, else NULL */
	long line;
};

/* A parsed mapping file; owns its entries. */
struct mapping {
	char *file;
	size_t n;
	struct mapping_entry *entries;
};

void mapping_init(struct mapping *m);
void mapping_release(struct mapping *m);

/* Parses text[0..len) read from file (the name is kept for messages). On error fills err
 * with file, line and reason and returns TP_EUSAGE; m then holds nothing. */
TP_MUST_USE int mapping_parse(struct mapping *m, const char *file, const char *text, size_t len,
	struct tp_error *err);

/* The entry naming header (compared folded), or NULL. */
const struct mapping_entry *mapping_find(const struct mapping *m, const char *header);

#endif
