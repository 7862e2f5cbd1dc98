#ifndef TP_STORE_IMPORT_INT_H
#define TP_STORE_IMPORT_INT_H
/*
 * What the prospect import's two paths share (store_import.c, row by row; store_import_copy.c,
 * the bulk path of drivers with DB_CAP_COPY): the import's state and its helpers.
 */
#include "core/hash.h"
#include "store/store_int.h"

/* Keys met by a first import, by hash; a candidate is confirmed by reading its row by id
 * (check: two text columns, the key's two parts). Each key is stored once, with the first
 * id that had it, as the index look-up it replaces would find it. */
struct keyed {
	struct hashids ids;
	struct db_stmt *check;
};

/* Indexes that a first import does not read: built after the rows. The first five take
 * keys in random order from a real file; the others are appended to, but one sort at the
 * end still costs less than a million appends. The last, qualification_values_contact,
 * only on PostgreSQL (bulk_fresh_begin), whose first import finds no contact again: on
 * SQLite a contact found again by a later row is asked which values it has. */
extern const char *const store__fresh_indexes[10];
#define FRESH_NINDEX_ALL 10
#define FRESH_NINDEX (FRESH_NINDEX_ALL - 1)   /* SQLite's */

/* Whether the database has a contact or a company (a first import: none). */
#define ANY_CONTACT_SQL "SELECT CASE WHEN EXISTS (SELECT 1 FROM contacts) OR EXISTS (SELECT 1 FROM companies)" \
	" THEN 1 ELSE 0 END"

struct store_import {
	struct store *s;
	struct store_who who;
	int64_t campaign_id;
	bool consumers;             /* B2C: a row's address is the person's */
	int64_t now;
	/* The bulk path (backends with COPY): prospects staged, settled set-based at commit. */
	bool bulk;
	long seq, staged;
	struct strbuf rows, quals;
	/* The lead numbers and company keys of the file's rows staged so far: a number met
	 * again makes its row a duplicate as it is staged; a company key's number groups
	 * its rows for the settlement (bulk_add). */
	struct hashkeys numbers, companies;
	struct strbuf key;          /* a row's company key, made again for each row */
	/* A first import (no contact or company yet): rows go straight into the tables by
	 * COPY, ids given from the sequences' values at its start (bulk_direct_add), and the
	 * indexes and keys dropped at its start are made again at its end (remake). */
	bool direct;
	int64_t contact_base, company_base;
	char now_text[24], campaign_text[24];   /* as COPY writes them in every row */
	long added, dups;
	struct strbuf companies_rows, contacts_rows, leads_rows;
	char **remake;
	size_t nremake;
	volatile sig_atomic_t *cancel;
	struct db_stmt *lead_exists;
	struct db_stmt *contact_find;
	struct db_stmt *company_by_siren;
	struct db_stmt *company_by_name;
	struct db_stmt *company_add;
	struct db_stmt *contact_add;
	struct db_stmt *lead_add;
	struct db_stmt *qual_has;
	struct db_stmt *qual_add;
	int64_t cache_kib_before;   /* the page cache an import resized, given back at its end */
	bool sort_threads;          /* a first import's index builds sort with worker threads */
	/* A first import (SQLite, no company or contact yet): look-ups in memory, and the
	 * indexes they would have read built once after the rows (fresh_begin). */
	bool fresh;
	struct keyed leads, phones, mobiles, sirens, names;
	char *index_sql[FRESH_NINDEX];
	/* Rows that found a contact of another campaign: said after the commit. */
	struct import_merge {
		long line;
		bool refused;
		struct tp_error *said;      /* the message (tp_error_msg and its sentences) */
	} *merges;
	size_t nmerges, merges_cap;
	long merges_more;           /* beyond the listed ones: counted, said in one line */
	store_merge_fn on_merge;
	void *merge_ctx;
	enum store_existing existing;
	long refused;               /* rows turned away (bulk: known at its settlement) */
	struct db_stmt *contact_known, *contact_update;
};

#define IMPORT_MERGES_LISTED 1000

/* The fields a row and the contact it found are compared on. */
#define NMERGE_FIELDS 5
extern const int store__merge_fields[NMERGE_FIELDS];

/* What the contact a row found says, and the campaign it came from. */
#define CONTACT_KNOWN_SQL "SELECT c.civility, c.first_name, c.last_name, c.role, c.email, (SELECT ca.name FROM leads l" \
	" JOIN campaigns ca ON ca.id = l.campaign_id WHERE l.contact_id = c.id AND l.campaign_id <> ? ORDER BY l.id LIMIT 1)"

/* Says what became of a row that found contact_id (of campaign): file[] against known[]. */
void store__import_merge(struct store_import *imp, long line, int64_t contact_id, const char *campaign,
	const char *const *file, const char *const *known);
/* The SIREN that identifies a prospect's company (its own, else its SIRET's), NULL when none. */
const char *store__effective_siren(const struct prospect *p, char buf[10]);

/* The bulk path (store_import_copy.c): begun with the import, a row staged, settled at its
 * commit (added and duplicate rows counted). */
TP_MUST_USE int store__copy_import_begin(struct store_import *imp, struct tp_error *err);
TP_MUST_USE int store__copy_import_add(struct store_import *imp, const struct prospect *p, struct tp_error *err);
TP_MUST_USE int store__copy_import_settle(struct store_import *imp, long *added, long *dups, struct tp_error *err);

#endif
