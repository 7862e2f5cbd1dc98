/* Prospect import, row by row (the bulk path of drivers that COPY: store_import_copy.c), and leads
 * found by phone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <time.h>

#include "store/store.h"
#include "store/migrations.h"
#include "core/rules.h"
#include "store/store_int.h"
#include "store/store_import_int.h"
#include "core/hash.h"
#include "core/xalloc.h"

#define PHONES_PER_QUERY 63

int store_leads_by_phone(struct store *s, int64_t campaign_id, const char *const *phones, size_t n, int64_t *ids,
	struct tp_error *err)
{
	struct strbuf sql;
	struct db_stmt *st;
	int rc = 0;

	memset(ids, 0, n * sizeof(*ids));
	store__bulk_leads_clear(s);
	if (!n)
		return 0;
	sb_init(&sql);
	store__sql_in_list(&sql, "SELECT l.phone, l.id, l.contact_id, l.attempts, c.revision, c.created_at FROM leads l"
		" JOIN campaigns c ON c.id = l.campaign_id WHERE l.campaign_id = ? AND l.phone IN (", PHONES_PER_QUERY);
	st = db_prepare_replanned(s->db, sql.buf, err);
	sb_release(&sql);
	if (!st)
		return err->code;
	for (size_t from = 0; from < n && rc == 0; from += PHONES_PER_QUERY) {
		size_t k = store__bind_group(st, 2, phones, n, from, PHONES_PER_QUERY);

		db_bind_int64(st, 1, campaign_id);
		while ((rc = db_step(st, err)) == DB_ROW) {
			struct lead_row l = {db_col_int64(st, 1), campaign_id, db_col_int64(st, 2), (int)db_col_int64(st, 3),
				"", db_col_int64(st, 4), db_col_int64(st, 5)};

			snprintf(l.phone, sizeof(l.phone), "%s", db_col_text(st, 0));
			for (size_t i = 0; i < k; i++)
				if (strcmp(l.phone, phones[from + i]) == 0)
					ids[from + i] = l.id;
			store__bulk_lead_keep(s, &l);
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	db_finalize(st);
	return rc;
}

/* Prospect import ---------------------------------------------------------------------- */

/* The page cache of a row-by-row import (SQLite): a real file's phones and names land at
 * random places in four indexes, which stop fitting in a command's 32 MiB cache from a
 * few hundred thousand rows on (bench/README.md: 1,000,000 rows 20 % faster with this).
 * Pages are taken as needed, so a small import costs no more memory. */
#define IMPORT_CACHE_KIB (192 * 1024)

static void keyed_free(struct keyed *kd)
{
	hashids_free(&kd->ids);
	db_finalize(kd->check);
	kd->check = NULL;
}

static uint64_t keyed_hash(const char *k1, const char *k2)
{
	return hash_str(k2, hash_str(k1, 0));
}

/* *id: the row stored under (k1, k2), else 0. k2 NULL or "" stands for an empty second part. */
static int keyed_find(struct keyed *kd, const char *k1, const char *k2, int64_t *id, struct tp_error *err)
{
	uint64_t h = keyed_hash(k1, k2);
	size_t pos = 0;
	int64_t cand;

	*id = 0;
	while (hashids_next(&kd->ids, h, &pos, &cand)) {
		int rc;

		db_bind_int64(kd->check, 1, cand);
		rc = db_step(kd->check, err);
		if (rc == DB_ROW) {
			const char *a = db_col_text(kd->check, 0), *b = db_col_text(kd->check, 1);

			if (a && strcmp(a, k1) == 0 && strcmp(b ? b : "", k2 ? k2 : "") == 0)
				*id = cand;
		}
		db_reset(kd->check);
		if (rc < 0)
			return rc;
		if (*id)
			return 0;
	}
	return 0;
}

/* Stores (k1, k2) → id for a key just looked up and not found. */
static int keyed_add(struct keyed *kd, const char *k1, const char *k2, int64_t id, struct tp_error *err)
{
	if (k1 && k1[0] && !hashids_add(&kd->ids, keyed_hash(k1, k2), id))
		return tp_error_set(err, TP_ERR, "a first import takes rows up to the id %lld; import the rest again",
			(long long)HASHIDS_ID_MAX);
	return 0;
}

/* Stores (k1, k2) → id unless the key is there already (the first id keeps it). */
static int keyed_put(struct keyed *kd, const char *k1, const char *k2, int64_t id, struct tp_error *err)
{
	int64_t known;
	int rc;

	if (!k1 || !k1[0])
		return 0;
	if ((rc = keyed_find(kd, k1, k2, &known, err)))
		return rc;
	return known ? 0 : keyed_add(kd, k1, k2, id, err);
}

/* The page cache of an import until its end: IMPORT_CACHE_KIB for one that looks its rows
 * up in the indexes (a first import reads no index: the connection's own cache serves it
 * better), FRESH_SORT_KIB for a first import's index builds. */
static int import_cache(struct store_import *imp, int64_t kib, struct tp_error *err)
{
	int64_t before;
	int rc;

	if ((rc = db_query_int64(imp->s->db, "PRAGMA cache_size", &before, err)) ||
	    (rc = db_set_cache_kib(imp->s->db, kib, err)))
		return rc;
	/* cache_size: -KiB, or pages (of 4 KiB here) when positive. */
	if (!imp->cache_kib_before)
		imp->cache_kib_before = before < 0 ? -before : before * 4;
	return 0;
}

static void import_free(struct store_import *imp)
{
	struct tp_error ignored;

	/* Only a smaller cache than the import's: nothing is lost if it cannot be set. */
	if (imp->cache_kib_before > 0 && db_set_cache_kib(imp->s->db, imp->cache_kib_before, &ignored))
		tp_error_clear(&ignored);
	if (imp->sort_threads && db_exec(imp->s->db, "PRAGMA threads = 0", &ignored))
		tp_error_clear(&ignored);
	if (imp->bulk) {
		sb_release(&imp->rows);
		sb_release(&imp->quals);
		hashkeys_free(&imp->numbers);
		hashkeys_free(&imp->companies);
		sb_release(&imp->key);
		sb_release(&imp->companies_rows);
		sb_release(&imp->contacts_rows);
		sb_release(&imp->leads_rows);
		for (size_t i = 0; i < imp->nremake; i++)
			free(imp->remake[i]);
		free(imp->remake);
	}
	db_finalize(imp->lead_exists);
	db_finalize(imp->contact_find);
	db_finalize(imp->company_by_siren);
	db_finalize(imp->company_by_name);
	db_finalize(imp->company_add);
	db_finalize(imp->contact_add);
	db_finalize(imp->lead_add);
	db_finalize(imp->qual_has);
	db_finalize(imp->qual_add);
	db_finalize(imp->contact_known);
	db_finalize(imp->contact_update);
	for (size_t i = 0; i < imp->nmerges; i++)
		free(imp->merges[i].said);
	free(imp->merges);
	keyed_free(&imp->leads);
	keyed_free(&imp->phones);
	keyed_free(&imp->mobiles);
	keyed_free(&imp->sirens);
	keyed_free(&imp->names);
	for (size_t i = 0; i < FRESH_NINDEX; i++)
		free(imp->index_sql[i]);
	free(imp);
}

/* A first import into a database (SQLite, no company or contact yet: a new team's file).
 * A real file's phones and names would land at random places in five indexes that stop
 * fitting in memory from a few hundred thousand rows on; the import finds its own earlier
 * rows in memory instead (there are no others), and the indexes are dropped while the rows
 * go in and built once, in key order, before the commit (bench/README.md). Both are inside
 * the import's transaction: a failed import leaves them as they were. */
static int fresh_begin(struct store_import *imp, struct tp_error *err)
{
	struct db *db = imp->s->db;
	struct db_stmt *st;
	int64_t any;
	int rc;

	if ((rc = db_query_int64(db, ANY_CONTACT_SQL, &any, err)))
		return rc;
	if (any)
		return 0;
	if (!(st = db_prepare(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? /* scan-ok: the schema, a few dozen rows */", err)))
		return err->code;
	for (size_t i = 0; i < FRESH_NINDEX && rc == 0; i++) {
		db_bind_text(st, 1, store__fresh_indexes[i]);
		rc = db_step(st, err);
		if (rc == DB_ROW && db_col_text(st, 0)) {
			imp->index_sql[i] = xstrdup(db_col_text(st, 0));
			rc = 0;
		} else if (rc >= 0) {
			rc = tp_error_set(err, TP_ERR, "the index %s is missing: run 'telepro migrate'", store__fresh_indexes[i]);
		}
		db_reset(st);
	}
	db_finalize(st);
	for (size_t i = 0; i < FRESH_NINDEX && rc == 0; i++) {
		char sql[64];

		snprintf(sql, sizeof(sql), "DROP INDEX %s", store__fresh_indexes[i]);
		rc = db_exec(db, sql, err);
	}
	if (rc)
		return rc;
	if (!(imp->leads.check = db_prepare(db, "SELECT phone, '' FROM leads WHERE id = ?", err)) ||
	    !(imp->phones.check = db_prepare(db, "SELECT phone, '' FROM contacts WHERE id = ?", err)) ||
	    !(imp->mobiles.check = db_prepare(db, "SELECT mobile, '' FROM contacts WHERE id = ?", err)) ||
	    !(imp->sirens.check = db_prepare(db, "SELECT siren, '' FROM companies WHERE id = ?", err)) ||
	    !(imp->names.check = db_prepare(db, "SELECT name, COALESCE(postcode, '') FROM companies WHERE id = ?",
		err)))
		return err->code;
	imp->fresh = true;
	return 0;
}

/* The memory of an index build's sorts (SQLite sorts as much as its page cache holds
 * before it writes a sorted run to a temporary file and merges the runs): runs that fit in
 * the processor's cache, sorted by two worker threads while the table is read, build the
 * indexes of 1,000,000 rows a quarter faster than runs of the connection's 32 MiB, which
 * fit in no cache (bench/README.md, "Scale, fifth pass"). */
#define FRESH_SORT_KIB 1024
#define FRESH_SORT_THREADS "2"

/* The indexes of a first import, built when its rows are in; the keys in memory go first. */
static int fresh_end(struct store_import *imp, struct tp_error *err)
{
	int rc;

	keyed_free(&imp->leads);
	keyed_free(&imp->phones);
	keyed_free(&imp->mobiles);
	keyed_free(&imp->sirens);
	keyed_free(&imp->names);
	imp->fresh = false;
	/* Both given back by import_free, whatever the import's end. */
	if ((rc = import_cache(imp, FRESH_SORT_KIB, err)))
		return rc;
	imp->sort_threads = true;
	if ((rc = db_exec(imp->s->db, "PRAGMA threads = " FRESH_SORT_THREADS, err)))
		return rc;
	for (size_t i = 0; i < FRESH_NINDEX && rc == 0; i++)
		rc = db_exec(imp->s->db, imp->index_sql[i], err);
	return rc;
}

struct store_import *store_import_begin(struct store *s, const struct store_who *who, int64_t campaign_id,
	bool consumers, struct tp_error *err)
{
	struct store_import *imp = xcalloc(1, sizeof(*imp));
	struct db *db = s->db;

	imp->s = s;
	imp->campaign_id = campaign_id;
	imp->consumers = consumers;
	imp->who = *who;
	imp->now = who->at;
	/* Its rows name the campaign, and parents it has just found or inserted. */
	if (db_begin_trusted(db, err)) {
		free(imp);
		return NULL;
	}
	if (db_can(db, DB_CAP_COPY)) {
		if (store__copy_import_begin(imp, err)) {
			db_rollback(db);
			import_free(imp);
			return NULL;
		}
		return imp;
	}
	if (!(imp->lead_exists = db_prepare(db, "SELECT 1 FROM leads WHERE campaign_id = ? AND phone = ?", err)) ||
	    !(imp->contact_find = db_prepare(db, "SELECT id FROM contacts WHERE phone = ?1"
		" UNION ALL SELECT id FROM contacts WHERE mobile = ?1 LIMIT 1", err)) ||
	    !(imp->company_by_siren = db_prepare(db, "SELECT id FROM companies WHERE siren = ? LIMIT 1", err)) ||
	    !(imp->company_by_name = db_prepare(db, "SELECT id FROM companies WHERE name = ?"
		" AND COALESCE(postcode, '') = ? LIMIT 1", err)) ||
	    !(imp->company_add = db_prepare_insert(db, "INSERT INTO companies (name, siren, siret, sector, size_band,"
		" address, postcode, city, country, website, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err)) ||
	    !(imp->contact_add = db_prepare_insert(db, "INSERT INTO contacts (company_id, civility, first_name, last_name,"
		" role, phone, mobile, email, address, postcode, city, country, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err)) ||
	    !(imp->lead_add = db_prepare_insert(db, "INSERT INTO leads (campaign_id, contact_id, phone, source_line,"
		" created_at) VALUES (?, ?, ?, ?, ?)", err)) ||
	    !(imp->qual_has = db_prepare(db, "SELECT 1 FROM qualification_values WHERE contact_id = ? AND key = ?",
		err)) ||
	    !(imp->qual_add = db_prepare(db, "INSERT INTO qualification_values (contact_id, key, value, set_at)"
		" VALUES (?, ?, ?, ?)", err)) ||
	    fresh_begin(imp, err) || (!imp->fresh && import_cache(imp, IMPORT_CACHE_KIB, err))) {
		db_rollback(db);
		import_free(imp);
		return NULL;
	}
	return imp;
}

static int import_company(struct store_import *imp, const struct prospect *p, int64_t *id, struct tp_error *err)
{
	const char *const *f = p->field;
	char siren_from_siret[10];
	const char *siren = store__effective_siren(p, siren_from_siret);
	int rc;

	*id = 0;
	if (!f[F_COMPANY][0] && !siren)
		return 0;
	if (siren && imp->fresh) {
		rc = keyed_find(&imp->sirens, siren, NULL, id, err);
	} else if (siren) {
		db_bind_text(imp->company_by_siren, 1, siren);
		rc = store__find_id(imp->company_by_siren, id, err);
	} else if (imp->fresh) {
		rc = keyed_find(&imp->names, f[F_COMPANY], f[F_POSTCODE], id, err);
	} else {
		db_bind_text(imp->company_by_name, 1, f[F_COMPANY]);
		db_bind_text(imp->company_by_name, 2, f[F_POSTCODE]);
		rc = store__find_id(imp->company_by_name, id, err);
	}
	if (rc || *id)
		return rc;
	db_bind_text_or_null(imp->company_add, 1, f[F_COMPANY]);
	db_bind_text_or_null(imp->company_add, 2, siren);
	db_bind_text_or_null(imp->company_add, 3, f[F_SIRET]);
	db_bind_text_or_null(imp->company_add, 4, f[F_SECTOR]);
	db_bind_text_or_null(imp->company_add, 5, f[F_SIZE_BAND]);
	db_bind_text_or_null(imp->company_add, 6, imp->consumers ? NULL : f[F_ADDRESS]);
	db_bind_text_or_null(imp->company_add, 7, imp->consumers ? NULL : f[F_POSTCODE]);
	db_bind_text_or_null(imp->company_add, 8, imp->consumers ? NULL : f[F_CITY]);
	db_bind_text_or_null(imp->company_add, 9, imp->consumers ? NULL : f[F_COUNTRY]);
	db_bind_text_or_null(imp->company_add, 10, f[F_WEBSITE]);
	db_bind_int64(imp->company_add, 11, imp->now);
	if ((rc = db_insert(imp->company_add, id, err)) || !imp->fresh)
		return rc;
	/* A company found later by SIREN, or by name and postcode, as the indexes would. */
	if (!siren)
		return keyed_add(&imp->names, f[F_COMPANY], f[F_POSTCODE], *id, err);
	if ((rc = keyed_add(&imp->sirens, siren, NULL, *id, err)))
		return rc;
	return keyed_put(&imp->names, f[F_COMPANY], f[F_POSTCODE], *id, err);
}

/* Finds the contact with the prospect's number (*reused set) or creates it. */
static int import_contact(struct store_import *imp, const struct prospect *p, int64_t *id, bool *reused,
	struct tp_error *err)
{
	const char *const *f = p->field;
	struct db_stmt *st = imp->contact_add;
	int64_t company_id;
	int rc;

	if (imp->fresh) {
		/* As contact_find: a contact with this phone, else one with this mobile. */
		if ((rc = keyed_find(&imp->phones, p->lead_phone, NULL, id, err)) ||
		    (!*id && (rc = keyed_find(&imp->mobiles, p->lead_phone, NULL, id, err))))
			return rc;
	} else {
		db_bind_text(imp->contact_find, 1, p->lead_phone);
		if ((rc = store__find_id(imp->contact_find, id, err)))
			return rc;
	}
	*reused = *id != 0;
	if (*reused)
		return 0;
	if ((rc = import_company(imp, p, &company_id, err)))
		return rc;
	if (company_id)
		db_bind_int64(st, 1, company_id);
	else
		db_bind_null(st, 1);
	db_bind_text_or_null(st, 2, f[F_CIVILITY]);
	db_bind_text_or_null(st, 3, f[F_FIRST_NAME]);
	db_bind_text_or_null(st, 4, f[F_LAST_NAME]);
	db_bind_text_or_null(st, 5, f[F_ROLE]);
	db_bind_text_or_null(st, 6, p->phone);
	db_bind_text_or_null(st, 7, p->mobile);
	db_bind_text_or_null(st, 8, f[F_EMAIL]);
	/* A person's own address when there is no company to hold it, or a consumer's (B2C). */
	db_bind_text_or_null(st, 9, company_id && !imp->consumers ? NULL : f[F_ADDRESS]);
	db_bind_text_or_null(st, 10, company_id && !imp->consumers ? NULL : f[F_POSTCODE]);
	db_bind_text_or_null(st, 11, company_id && !imp->consumers ? NULL : f[F_CITY]);
	db_bind_text_or_null(st, 12, company_id && !imp->consumers ? NULL : f[F_COUNTRY]);
	db_bind_int64(st, 13, imp->now);
	if ((rc = db_insert(st, id, err)) || !imp->fresh)
		return rc;
	/* The lead's number was looked for as a phone and as a mobile: it is in neither. */
	if ((rc = strcmp(p->phone, p->lead_phone) == 0 ? keyed_add(&imp->phones, p->phone, NULL, *id, err)
		: keyed_put(&imp->phones, p->phone, NULL, *id, err)))
		return rc;
	if (strcmp(p->mobile, p->lead_phone) == 0)
		return keyed_add(&imp->mobiles, p->mobile, NULL, *id, err);
	return keyed_put(&imp->mobiles, p->mobile, NULL, *id, err);
}

/* A row (of the row-by-row path) that found contact_id: compared with it, and, by the
 * import's mode, the contact updated from the row or the row refused (*refused). */
static int row_merge(struct store_import *imp, const struct prospect *p, int64_t contact_id, bool *refused,
	struct tp_error *err)
{
	const char *file[NMERGE_FIELDS], *known[NMERGE_FIELDS];
	bool other = false;
	int rc;

	*refused = false;
	if (!imp->contact_known && !(imp->contact_known = db_prepare(imp->s->db, CONTACT_KNOWN_SQL
		" FROM contacts c WHERE c.id = ?", err)))
		return err->code;
	db_bind_int64(imp->contact_known, 1, imp->campaign_id);
	db_bind_int64(imp->contact_known, 2, contact_id);
	if ((rc = db_step(imp->contact_known, err)) == DB_ROW) {
		for (size_t i = 0; i < NMERGE_FIELDS; i++) {
			file[i] = p->field[store__merge_fields[i]];
			known[i] = db_col_is_null(imp->contact_known, (int)i) ? "" : db_col_text(imp->contact_known, (int)i);
		}
		other = !db_col_is_null(imp->contact_known, 5);
		store__import_merge(imp, p->line, contact_id, other ? db_col_text(imp->contact_known, 5) : NULL, file, known);
	}
	db_reset(imp->contact_known);
	if (rc < 0 || !other)
		return rc < 0 ? rc : 0;
	*refused = imp->existing == STORE_EXISTING_REJECT;
	if (imp->existing != STORE_EXISTING_UPDATE)
		return 0;
	/* The file's non-empty names, role and e-mail replace the contact's. */
	if (!imp->contact_update && !(imp->contact_update = db_prepare(imp->s->db, "UPDATE contacts SET"
		" civility = COALESCE(?, civility), first_name = COALESCE(?, first_name), last_name = COALESCE(?, last_name),"
		" role = COALESCE(?, role), email = COALESCE(?, email) WHERE id = ?", err)))
		return err->code;
	for (size_t i = 0; i < NMERGE_FIELDS; i++)
		db_bind_text_or_null(imp->contact_update, (int)i + 1, p->field[store__merge_fields[i]]);
	db_bind_int64(imp->contact_update, 6, contact_id);
	return store__run_done(imp->contact_update, err);
}

void store_import_on_merge(struct store_import *imp, store_merge_fn fn, void *ctx)
{
	imp->on_merge = fn;
	imp->merge_ctx = ctx;
}

void store_import_existing(struct store_import *imp, enum store_existing mode)
{
	imp->existing = mode;
}

int store_import_prospect(struct store_import *imp, const struct prospect *p, struct tp_error *err)
{
	int64_t exists, contact_id, lead_id;
	bool reused = false;
	int rc;

	if (imp->bulk)
		return store__copy_import_add(imp, p, err);
	if (imp->fresh) {
		rc = keyed_find(&imp->leads, p->lead_phone, NULL, &exists, err);
	} else {
		db_bind_int64(imp->lead_exists, 1, imp->campaign_id);
		db_bind_text(imp->lead_exists, 2, p->lead_phone);
		rc = store__find_id(imp->lead_exists, &exists, err);
	}
	if (rc)
		return rc;
	if (exists)
		return IMPORT_DUPLICATE;
	if ((rc = import_contact(imp, p, &contact_id, &reused, err)))
		return rc;
	if (reused && !imp->fresh) {
		bool refused;

		if ((rc = row_merge(imp, p, contact_id, &refused, err)))
			return rc;
		if (refused)
			return IMPORT_REFUSED;
	}
	db_bind_int64(imp->lead_add, 1, imp->campaign_id);
	db_bind_int64(imp->lead_add, 2, contact_id);
	db_bind_text(imp->lead_add, 3, p->lead_phone);
	db_bind_int64(imp->lead_add, 4, p->line);
	db_bind_int64(imp->lead_add, 5, imp->now);
	if ((rc = db_insert(imp->lead_add, &lead_id, err)))
		return rc;
	if (imp->fresh && (rc = keyed_add(&imp->leads, p->lead_phone, NULL, lead_id, err)))
		return rc;
	for (size_t i = 0; i < p->nqual; i++) {
		int64_t has = 0;

		/* A known contact keeps the values it has; a new one has none yet. */
		if (reused) {
			db_bind_int64(imp->qual_has, 1, contact_id);
			db_bind_text(imp->qual_has, 2, p->qual_key[i]);
			if ((rc = store__find_id(imp->qual_has, &has, err)))
				return rc;
		}
		if (has)
			continue;
		db_bind_int64(imp->qual_add, 1, contact_id);
		db_bind_text(imp->qual_add, 2, p->qual_key[i]);
		db_bind_text(imp->qual_add, 3, p->qual_value[i]);
		db_bind_int64(imp->qual_add, 4, imp->now);
		rc = db_step(imp->qual_add, err);
		db_reset(imp->qual_add);
		if (rc < 0)
			return rc;
	}
	return IMPORT_ADDED;
}

int store_import_commit(struct store_import *imp, const char *file, struct import_stats *stats,
	struct tp_error *err)
{
	struct store *s = imp->s;

	if (imp->bulk) {
		long added = 0, dups = 0;

		if (store__copy_import_settle(imp, &added, &dups, err)) {
			store_import_abort(imp);
			return err->code;
		}
		stats->imported += added;
		stats->duplicates += dups;
		stats->rejected += imp->refused;   /* turned away at the settlement (--existing reject) */
		stats->pending = 0;
	}
	if (imp->fresh && fresh_end(imp, err)) {
		store_import_abort(imp);
		return err->code;
	}
	struct db_stmt *st = db_prepare(s->db, "INSERT INTO imports (campaign_id, kind, file, at, imported,"
		" duplicates, rejected) VALUES (?, 'prospects', ?, ?, ?, ?, ?) RETURNING id", err);
	int64_t id = 0;
	int rc;
	char detail[128];

	if (!st) {
		store_import_abort(imp);
		return err->code;
	}
	db_bind_int64(st, 1, imp->campaign_id);
	db_bind_text(st, 2, file);
	db_bind_int64(st, 3, imp->now);
	db_bind_int64(st, 4, stats->imported);
	db_bind_int64(st, 5, stats->duplicates);
	db_bind_int64(st, 6, stats->rejected);
	rc = store__run_id(st, &id, err);
	db_finalize(st);
	snprintf(detail, sizeof(detail), "imported %ld, duplicates %ld, rejected %ld", stats->imported,
		stats->duplicates, stats->rejected);
	if (rc == 0)
		rc = store_audit(s, &imp->who, "import.prospects", "import", id, detail, err);
	/* The webhooks hear of it with the import itself (docs/WEBHOOKS.md). */
	if (rc == 0) {
		bool hooks = false;

		if ((rc = store__webhooks_any(s, &hooks, err)) == 0 && hooks) {
			json_t *j = json_pack("{s:s,s:I,s:I,s:s,s:s,s:I,s:I,s:I}", "event", "import.finished", "import_id",
				(json_int_t)id, "campaign_id", (json_int_t)imp->campaign_id, "kind", "prospects", "file", file,
				"imported", (json_int_t)stats->imported, "duplicates", (json_int_t)stats->duplicates, "rejected",
				(json_int_t)stats->rejected);
			char *body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

			rc = store__webhook_event(s, "import.finished", body, imp->now, err);
			free(body);
			json_decref(j);
		}
	}
	if (rc == 0 && imp->cancel && *imp->cancel)
		rc = tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
	if (rc == 0 && db_commit(s->db, err))
		rc = err->code;
	if (rc) {
		store_import_abort(imp);
		return rc;
	}
	for (size_t i = 0; i < imp->nmerges && imp->on_merge; i++)
		imp->on_merge(imp->merge_ctx, imp->merges[i].line, imp->merges[i].refused, imp->merges[i].said, 1);
	if (imp->merges_more && imp->on_merge) {
		struct tp_error more;
		char n[24], listed[24];

		snprintf(n, sizeof(n), "%ld", imp->merges_more);
		snprintf(listed, sizeof(listed), "%d", IMPORT_MERGES_LISTED);
		tp_error_clear(&more);
		tp_error_msg(&more, TP_OK, NULL, 0, NULL, 2, TP_MSG("and %s more rows whose numbers are contacts of other"
			" campaigns (%s; the first %s are listed)"), 3, n, imp->existing == STORE_EXISTING_REJECT ? TP_MSG("rejected")
			: imp->existing == STORE_EXISTING_UPDATE ? TP_MSG("updated from the file") : TP_MSG("kept as they are"),
			listed);
		imp->on_merge(imp->merge_ctx, 0, imp->existing == STORE_EXISTING_REJECT, &more, imp->merges_more);
	}
	import_free(imp);
	return 0;
}

void store_import_cancel_on(struct store_import *imp, volatile sig_atomic_t *flag)
{
	imp->cancel = flag;
}

void store_import_abort(struct store_import *imp)
{
	struct store *s = imp->s;

	import_free(imp);
	db_rollback(s->db);
}
