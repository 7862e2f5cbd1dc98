/* Prospect import (the PostgreSQL COPY path included) and leads found by phone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "store/migrations.h"
#include "core/rules.h"
#include "store/store_int.h"
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
static const char *const fresh_indexes[] = {
	"companies_siren", "companies_name", "contacts_phone", "contacts_mobile", "leads_phone",
	"contacts_company", "leads_contact", "leads_queue", "leads_new", "qualification_values_contact",
};
#define FRESH_NINDEX_ALL (sizeof(fresh_indexes) / sizeof(fresh_indexes[0]))
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
static const int merge_fields[] = {F_CIVILITY, F_FIRST_NAME, F_LAST_NAME, F_ROLE, F_EMAIL};
#define NMERGE_FIELDS (sizeof(merge_fields) / sizeof(merge_fields[0]))

/* Says what became of a row that found contact_id (of campaign), by the import's mode:
 * file[] against known[], by merge_fields; a message with a sentence a field, so that the
 * report says it in its reader's language. */
static void merge_record(struct store_import *imp, long line, int64_t contact_id, const char *campaign,
	const char *const *file, const char *const *known)
{
	static const char *const lead[] = {
		TP_MSG("the number is contact %s's (%s, campaign '%s'): the row is a lead of that contact, kept as it is"),
		TP_MSG("the number is contact %s's (%s, campaign '%s'): the row is a lead of that contact, updated from the file"),
		TP_MSG("the number is contact %s's (%s, campaign '%s'): the row is rejected (--existing reject)"),
	};
	static const char *const told[] = {TP_MSG("it keeps %s '%s' (the file: '%s')"), TP_MSG("now %s '%s' (was '%s')"),
		TP_MSG("the contact has %s '%s' (the file: '%s')")};
	const char *first = known[1] && *known[1] ? known[1] : "", *last = known[2] && *known[2] ? known[2] : "";
	struct tp_error *said;
	char id[24], name[200];

	if (!campaign)
		return;   /* a contact of this campaign, or of this file: not another campaign's */
	imp->refused += imp->existing == STORE_EXISTING_REJECT;
	/* A file bought twice finds every contact again: the first ones are listed, the others
	 * counted (the report stays readable, the memory small). */
	if (imp->nmerges == IMPORT_MERGES_LISTED) {
		imp->merges_more++;
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)contact_id);
	snprintf(name, sizeof(name), "%s%s%s", first, *first && *last ? " " : "", last);
	said = xcalloc(1, sizeof(*said));
	tp_error_msg(said, TP_OK, NULL, 0, NULL, 0, lead[imp->existing], 3, id, name, campaign);
	for (size_t i = 0; i < NMERGE_FIELDS; i++) {
		const char *f = file[i] ? file[i] : "", *k = known[i] ? known[i] : "";

		if (!*f || strcmp(f, k) == 0)
			continue;
		if (imp->existing == STORE_EXISTING_UPDATE)
			tp_error_part(said, 1, told[imp->existing], 3, field_name(merge_fields[i]), f, k);
		else
			tp_error_part(said, 1, told[imp->existing], 3, field_name(merge_fields[i]), k, f);
	}
	if (imp->nmerges == imp->merges_cap) {
		imp->merges_cap = imp->merges_cap ? imp->merges_cap * 2 : 16;
		imp->merges = xrealloc(imp->merges, imp->merges_cap * sizeof(*imp->merges));
	}
	imp->merges[imp->nmerges].line = line;
	imp->merges[imp->nmerges].refused = imp->existing == STORE_EXISTING_REJECT;
	imp->merges[imp->nmerges].said = said;
	imp->nmerges++;
}

/* What the contact a row found says, and the campaign it came from. */
#define CONTACT_KNOWN_SQL "SELECT c.civility, c.first_name, c.last_name, c.role, c.email, (SELECT ca.name FROM leads l" \
	" JOIN campaigns ca ON ca.id = l.campaign_id WHERE l.contact_id = c.id AND l.campaign_id <> ? ORDER BY l.id LIMIT 1)"

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

/* The SIREN that identifies a prospect's company: its own, else the first nine digits of
 * its SIRET; NULL when neither (buf holds a SIREN taken from the SIRET). */
static const char *effective_siren(const struct prospect *p, char buf[10])
{
	const char *const *f = p->field;

	if (f[F_SIREN][0])
		return f[F_SIREN];
	if (strlen(f[F_SIRET]) < 9)
		return NULL;
	memcpy(buf, f[F_SIRET], 9);
	buf[9] = '\0';
	return buf;
}

/* Bulk import (PostgreSQL: COPY) ----------------------------------------------------------
 *
 * Rows are staged in temporary tables with the backend's bulk load, then settled with a
 * few set-based statements that follow the row-by-row rules above: duplicates (a lead of
 * the campaign, or an earlier row of the file, with the same number), contacts found
 * again by number, companies by SIREN or name and postcode (the first row of a new one
 * gives its fields), one lead per new row in file order, qualification values of new
 * contacts and new keys of known ones. The file's own repeated numbers and company keys
 * are recognised in memory as rows are staged. A first import (no contact or company
 * yet: nothing to find again) skips the staging: the same rules in memory, its rows go
 * straight into the tables (bulk_direct_add). The SQL is PostgreSQL's (sequences): only
 * backends with copy_in take this path.
 */
#define BULK_BATCH 20000

static const char *const bulk_setup[] = {
	"CREATE TEMP TABLE tp_import (seq BIGINT PRIMARY KEY, line BIGINT, company TEXT, last_name TEXT,"
	" first_name TEXT, civility TEXT, role TEXT, phone TEXT, mobile TEXT, email TEXT, siren TEXT, siret TEXT,"
	" address TEXT, postcode TEXT, city TEXT, country TEXT, sector TEXT, size_band TEXT, website TEXT,"
	" lead_phone TEXT NOT NULL, dup BOOLEAN NOT NULL DEFAULT false, refused BOOLEAN NOT NULL DEFAULT false,"
	" contact_id BIGINT, company_id BIGINT,"
	" siren_eff TEXT, ckey BIGINT) WITH (fillfactor = 50) ON COMMIT DROP",
	"CREATE TEMP TABLE tp_import_qual (seq BIGINT, ord INTEGER, key TEXT, value TEXT) ON COMMIT DROP",
	/* The new contacts: their rows, ids, companies found, and the key of the new company
	 * each belongs to; the new companies: their keys, first rows and ids. */
	"CREATE TEMP TABLE tp_new (seq BIGINT, contact_id BIGINT, company_id BIGINT, ckey BIGINT) ON COMMIT DROP",
	"CREATE TEMP TABLE tp_newco (ckey BIGINT, first BIGINT, id BIGINT) ON COMMIT DROP",
};

#define BULK_COLUMNS "seq, line, company, last_name, first_name, civility, role, phone, mobile, email, siren," \
	" siret, address, postcode, city, country, sector, size_band, website, lead_phone, siren_eff, dup, ckey"

/* Steps of the settlement of an import that is not a first one (a first one goes straight
 * into the tables: bulk_direct_add), with their parameters: c the campaign, t the import
 * time (in that order). Rows are matched by joins, never
 * by a look-up per row: with a table's statistics older than its last import (before
 * autovacuum's next pass), PostgreSQL may answer a look-up such as "the lowest id with
 * this phone" by walking the whole table in id order, once per row. */
static const struct {
	const char *params;
	const char *sql;
} bulk_settle_sql[] = {
	/* The planner's statistics of the file's rows (a sample of a few thousand is enough
	 * to choose its joins: the default takes ten times more). */
	{"", "SET LOCAL default_statistics_target = 10"},
	/* The settlement's sorts and hashes of the file's rows in memory (the default 4 MB
	 * sends those of 100,000 rows to temporary files). */
	{"", "SET LOCAL work_mem = '64MB'"},
	/* Compiling plans (JIT) costs more than these few scans of in-memory rows save. */
	{"", "SET LOCAL jit = off"},
	{"", "ANALYZE tp_import"},
	/* A lead of the campaign with the same number (an earlier row of the file with it was
	 * found as the rows were staged: bulk_seen). */
	{"c", "UPDATE tp_import SET dup = true WHERE NOT dup AND lead_phone IN (SELECT l.phone FROM leads l"
	 " WHERE l.campaign_id = CAST(?1 AS BIGINT))"},
	/* A known contact: the first with the number as phone, else as mobile. Only the rows
	 * that find one are rewritten. */
	{"", "UPDATE tp_import i SET contact_id = m.id FROM (SELECT j.seq, MIN(c.id) AS id FROM tp_import j"
	 " JOIN contacts c ON c.phone = j.lead_phone WHERE NOT j.dup GROUP BY j.seq) m WHERE i.seq = m.seq"},
	{"", "UPDATE tp_import i SET contact_id = m.id FROM (SELECT j.seq, MIN(c.id) AS id FROM tp_import j"
	 " JOIN contacts c ON c.mobile = j.lead_phone WHERE NOT j.dup AND j.contact_id IS NULL GROUP BY j.seq) m"
	 " WHERE i.seq = m.seq"},
	/* Here the rows that found a contact of another campaign are said (bulk_merges); then,
	 * by the import's mode (?2: 1 update, 2 reject), the contacts take the file's non-empty
	 * names, role and e-mail, or the rows are turned away. */
	{"", NULL},
	{"cx", "UPDATE contacts c SET civility = COALESCE(t.civility, c.civility), first_name = COALESCE(t.first_name,"
	 " c.first_name), last_name = COALESCE(t.last_name, c.last_name), role = COALESCE(t.role, c.role),"
	 " email = COALESCE(t.email, c.email) FROM tp_import t WHERE CAST(?2 AS BIGINT) = 1 AND NOT t.dup"
	 " AND c.id = t.contact_id AND EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = t.contact_id"
	 " AND l.campaign_id <> CAST(?1 AS BIGINT))"},
	{"cx", "UPDATE tp_import t SET refused = true WHERE CAST(?2 AS BIGINT) = 2 AND NOT t.dup AND t.contact_id IS NOT NULL"
	 " AND EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = t.contact_id AND l.campaign_id <> CAST(?1 AS BIGINT))"},
	/* A known company for a new contact: by SIREN, else by name and postcode. */
	{"", "UPDATE tp_import i SET company_id = m.id FROM (SELECT j.seq, MIN(co.id) AS id FROM tp_import j"
	 " JOIN companies co ON co.siren = j.siren_eff WHERE NOT j.dup AND j.contact_id IS NULL GROUP BY j.seq"
	 " UNION ALL SELECT j.seq, MIN(co.id) FROM tp_import j JOIN companies co ON co.name = j.company"
	 " AND COALESCE(co.postcode, '') = COALESCE(j.postcode, '') WHERE NOT j.dup AND j.contact_id IS NULL"
	 " AND j.siren_eff IS NULL GROUP BY j.seq) m WHERE i.seq = m.seq"},
	/* New contacts get their ids in file order, and the rows that make a new company
	 * keep its key (ckey: the number bulk_stage gave its SIREN, else its name and
	 * postcode). The wide staging rows are not rewritten. The identity columns' sequences
	 * are named by their names (a constant of the plan), not by pg_get_serial_sequence
	 * (a catalog look-up per row). */
	{"", "INSERT INTO tp_new (seq, contact_id, company_id, ckey) SELECT seq, nextval('contacts_id_seq'),"
	 " company_id, CASE WHEN company_id IS NULL THEN ckey END FROM tp_import WHERE NOT dup AND contact_id IS NULL"
	 " ORDER BY seq"},
	/* New companies: ids in the order of their first rows, which give their fields. (Rows
	 * whose ids are given go in in any order; leads and values, whose ids are made as
	 * they go in, in file order.) */
	{"", "ANALYZE tp_new"},
	{"", "INSERT INTO tp_newco (ckey, first, id) SELECT ckey, first, nextval('companies_id_seq')"
	 " FROM (SELECT ckey, MIN(seq) AS first FROM tp_new WHERE ckey IS NOT NULL GROUP BY ckey ORDER BY first) f"},
	{"", "ANALYZE tp_newco"},
	/* The address is the company's, but a consumer's own (?2: 1 in a B2C campaign). */
	{"tp", "INSERT INTO companies (id, name, siren, siret, sector, size_band, address, postcode, city, country,"
	 " website, created_at) SELECT n.id, t.company, t.siren_eff, t.siret, t.sector, t.size_band,"
	 " CASE WHEN CAST(?2 AS BIGINT) = 0 THEN t.address END, CASE WHEN CAST(?2 AS BIGINT) = 0 THEN t.postcode END,"
	 " CASE WHEN CAST(?2 AS BIGINT) = 0 THEN t.city END, CASE WHEN CAST(?2 AS BIGINT) = 0 THEN t.country END,"
	 " t.website, CAST(?1 AS BIGINT)"
	 " FROM tp_newco n JOIN tp_import t ON t.seq = n.first"},
	/* A contact with a company keeps no address of its own, but a consumer does. */
	{"tp", "INSERT INTO contacts (id, company_id, civility, first_name, last_name, role, phone, mobile, email, address,"
	 " postcode, city, country, created_at) SELECT n.contact_id, x.company_id, t.civility, t.first_name,"
	 " t.last_name, t.role, t.phone, t.mobile, t.email, CASE WHEN x.own_address THEN t.address END,"
	 " CASE WHEN x.own_address THEN t.postcode END, CASE WHEN x.own_address THEN t.city END,"
	 " CASE WHEN x.own_address THEN t.country END, CAST(?1 AS BIGINT)"
	 " FROM tp_new n LEFT JOIN tp_newco co ON co.ckey = n.ckey"
	 " CROSS JOIN LATERAL (SELECT COALESCE(n.company_id, co.id) AS company_id,"
	 " COALESCE(n.company_id, co.id) IS NULL OR CAST(?2 AS BIGINT) = 1 AS own_address) x"
	 " JOIN tp_import t ON t.seq = n.seq"},
	{"ct", "INSERT INTO leads (campaign_id, contact_id, phone, source_line, created_at)"
	 " SELECT CAST(?1 AS BIGINT), COALESCE(t.contact_id, n.contact_id), t.lead_phone, t.line, CAST(?2 AS BIGINT)"
	 " FROM tp_import t LEFT JOIN tp_new n ON n.seq = t.seq WHERE NOT t.dup AND NOT t.refused ORDER BY t.seq"},
	/* All the values of a new contact; a known contact's only for keys it has none of. */
	{"t", "INSERT INTO qualification_values (contact_id, key, value, set_at) SELECT COALESCE(i.contact_id,"
	 " n.contact_id), q.key, q.value, CAST(?1 AS BIGINT)"
	 " FROM tp_import_qual q JOIN tp_import i ON i.seq = q.seq LEFT JOIN tp_new n ON n.seq = q.seq"
	 " WHERE NOT i.dup AND NOT i.refused AND (n.seq IS NOT NULL"
	 " OR NOT EXISTS (SELECT 1 FROM qualification_values v WHERE v.contact_id = i.contact_id AND v.key = q.key))"
	 " ORDER BY q.seq, q.ord"},
};

static int bulk_fresh_begin(struct store_import *imp, char ***remake, size_t *n, struct tp_error *err);

static int bulk_begin(struct store_import *imp, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	/* One prospect import at a time: a second waits for the first's commit, then finds
	 * its contacts (two at once would each add the same new contact, and two first
	 * imports would deadlock on the indexes they drop). */
	if ((rc = db_exec(imp->s->db, "SELECT pg_advisory_xact_lock(7357002)", err)))
		return rc;
	imp->bulk = true;
	sb_init(&imp->rows);
	sb_init(&imp->quals);
	sb_init(&imp->companies_rows);
	sb_init(&imp->contacts_rows);
	sb_init(&imp->leads_rows);
	hashkeys_init(&imp->numbers);
	hashkeys_init(&imp->companies);
	sb_init(&imp->key);
	snprintf(imp->now_text, sizeof(imp->now_text), "%lld", (long long)imp->now);
	snprintf(imp->campaign_text, sizeof(imp->campaign_text), "%lld", (long long)imp->campaign_id);
	if ((rc = bulk_fresh_begin(imp, &imp->remake, &imp->nremake, err)))
		return rc;
	if (imp->remake) {
		/* The tables are locked by the dropping of their indexes: no other transaction
		 * takes an id from these sequences before the commit sets them past ours. */
		imp->direct = true;
		if (!(st = db_prepare(imp->s->db, "SELECT nextval('contacts_id_seq'), nextval('companies_id_seq')", err)))
			return err->code;
		if ((rc = db_step(st, err)) == DB_ROW) {
			imp->contact_base = db_col_int64(st, 0);
			imp->company_base = db_col_int64(st, 1);
		}
		db_finalize(st);
		return rc == DB_ROW ? 0 : rc < 0 ? rc : tp_error_set(err, TP_ERR, "reading the ids' sequences");
	}
	for (size_t i = 0; i < sizeof(bulk_setup) / sizeof(bulk_setup[0]); i++)
		if (db_exec(imp->s->db, bulk_setup[i], err))
			return err->code;
	return 0;
}

static int bulk_flush(struct store_import *imp, struct tp_error *err)
{
	struct db *db = imp->s->db;
	int rc;

	imp->staged = 0;
	if ((rc = store__copy_in(db, "COPY tp_import (" BULK_COLUMNS ") FROM STDIN", &imp->rows, err)) ||
	    (rc = store__copy_in(db, "COPY companies (id, name, siren, siret, sector, size_band, address, postcode,"
		" city, country, website, created_at) FROM STDIN", &imp->companies_rows, err)) ||
	    (rc = store__copy_in(db, "COPY contacts (id, company_id, civility, first_name, last_name, role, phone,"
		" mobile, email, address, postcode, city, country, created_at) FROM STDIN", &imp->contacts_rows, err)) ||
	    (rc = store__copy_in(db, "COPY leads (campaign_id, contact_id, phone, source_line, created_at) FROM STDIN",
		&imp->leads_rows, err)))
		return rc;
	return store__copy_in(db, imp->direct ? "COPY qualification_values (contact_id, key, value, set_at) FROM STDIN"
		: "COPY tp_import_qual (seq, ord, key, value) FROM STDIN", &imp->quals, err);
}

/* Whether an earlier row of the file had this lead number (then noted for later rows). */
static bool bulk_seen(struct store_import *imp, const char *phone)
{
	bool added;

	hashkeys_number(&imp->numbers, phone, strlen(phone), &added);
	return !added;
}

/* The number of the row's company key (its SIREN, else its name and postcode; an empty
 * field is none, as NULL in the staging table), 0 without one; *added: met first here. */
static int64_t bulk_company_key(struct store_import *imp, const struct prospect *p, const char *siren, bool *added)
{
	const char *name = p->field[F_COMPANY], *postcode = p->field[F_POSTCODE];
	struct strbuf *key = &imp->key;

	*added = false;
	if ((!siren || !*siren) && !*name)
		return 0;
	sb_reset(key);
	if (siren && *siren) {
		sb_addc(key, 'S');
		sb_adds(key, siren);
	} else {
		sb_addc(key, 'N');
		sb_add(key, name, strlen(name) + 1);
		sb_adds(key, postcode);
	}
	return hashkeys_number(&imp->companies, key->buf, key->len, added);
}

/* The fields of a row's address: its company's, or a consumer's own (store_import_begin). */
static bool is_address(int field)
{
	return field == F_ADDRESS || field == F_POSTCODE || field == F_CITY || field == F_COUNTRY;
}

/* A first import's row, straight into the tables (the settlement's rules, row by row in
 * memory: a repeated number is a duplicate; every other row a new contact, of the new
 * company its keys name, whose first row gives its fields; a contact with a company keeps
 * no address of its own, but a consumer does). */
static void bulk_direct_add(struct store_import *imp, const struct prospect *p)
{
	static const int company_fields[] = {F_SIRET, F_SECTOR, F_SIZE_BAND, F_ADDRESS, F_POSTCODE, F_CITY, F_COUNTRY,
		F_WEBSITE};
	static const int contact_fields[] = {F_CIVILITY, F_FIRST_NAME, F_LAST_NAME, F_ROLE};
	static const int address[] = {F_ADDRESS, F_POSTCODE, F_CITY, F_COUNTRY};
	const char *const *f = p->field;
	const char *now = imp->now_text;
	char num[32], contact[32], company[32], siren[10];
	const char *siren_eff = effective_siren(p, siren);
	int64_t k;
	bool added;

	if (bulk_seen(imp, p->lead_phone)) {
		imp->dups++;
		return;
	}
	imp->added++;
	snprintf(contact, sizeof(contact), "%lld", (long long)(imp->contact_base + imp->added - 1));
	k = bulk_company_key(imp, p, siren_eff, &added);
	snprintf(company, sizeof(company), "%lld", (long long)(imp->company_base + k - 1));
	if (added) {
		store__copy_field(&imp->companies_rows, company, '\t');
		store__copy_field(&imp->companies_rows, f[F_COMPANY], '\t');
		store__copy_field(&imp->companies_rows, siren_eff, '\t');
		for (size_t i = 0; i < sizeof(company_fields) / sizeof(company_fields[0]); i++)
			store__copy_field(&imp->companies_rows, imp->consumers && is_address(company_fields[i]) ? NULL
				: f[company_fields[i]], '\t');
		store__copy_field(&imp->companies_rows, now, '\n');
	}
	store__copy_field(&imp->contacts_rows, contact, '\t');
	store__copy_field(&imp->contacts_rows, k ? company : NULL, '\t');
	for (size_t i = 0; i < sizeof(contact_fields) / sizeof(contact_fields[0]); i++)
		store__copy_field(&imp->contacts_rows, f[contact_fields[i]], '\t');
	store__copy_field(&imp->contacts_rows, p->phone, '\t');
	store__copy_field(&imp->contacts_rows, p->mobile, '\t');
	store__copy_field(&imp->contacts_rows, f[F_EMAIL], '\t');
	for (size_t i = 0; i < sizeof(address) / sizeof(address[0]); i++)
		store__copy_field(&imp->contacts_rows, k && !imp->consumers ? NULL : f[address[i]], '\t');
	store__copy_field(&imp->contacts_rows, now, '\n');
	store__copy_field(&imp->leads_rows, imp->campaign_text, '\t');
	store__copy_field(&imp->leads_rows, contact, '\t');
	store__copy_field(&imp->leads_rows, p->lead_phone, '\t');
	snprintf(num, sizeof(num), "%ld", p->line);
	store__copy_field(&imp->leads_rows, num, '\t');
	store__copy_field(&imp->leads_rows, now, '\n');
	for (size_t q = 0; q < p->nqual; q++) {
		store__copy_field(&imp->quals, contact, '\t');
		store__copy_field(&imp->quals, p->qual_key[q], '\t');
		store__copy_field(&imp->quals, p->qual_value[q], '\t');
		store__copy_field(&imp->quals, now, '\n');
	}
}

/* A row of an import that is not a first one, into the staging tables. */
static void bulk_stage(struct store_import *imp, const struct prospect *p)
{
	static const int order[] = {F_COMPANY, F_LAST_NAME, F_FIRST_NAME, F_CIVILITY, F_ROLE};
	static const int rest[] = {F_EMAIL, F_SIREN, F_SIRET, F_ADDRESS, F_POSTCODE, F_CITY, F_COUNTRY, F_SECTOR,
		F_SIZE_BAND, F_WEBSITE};
	char num[32], siren[10], ckey[32];
	const char *siren_eff = effective_siren(p, siren);
	bool added;
	int64_t k = bulk_company_key(imp, p, siren_eff, &added);

	imp->seq++;
	snprintf(num, sizeof(num), "%ld", imp->seq);
	store__copy_field(&imp->rows, num, '\t');
	snprintf(num, sizeof(num), "%ld", p->line);
	store__copy_field(&imp->rows, num, '\t');
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		store__copy_field(&imp->rows, p->field[order[i]], '\t');
	store__copy_field(&imp->rows, p->phone, '\t');
	store__copy_field(&imp->rows, p->mobile, '\t');
	for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++)
		store__copy_field(&imp->rows, p->field[rest[i]], '\t');
	store__copy_field(&imp->rows, p->lead_phone, '\t');
	store__copy_field(&imp->rows, siren_eff, '\t');
	store__copy_field(&imp->rows, bulk_seen(imp, p->lead_phone) ? "t" : "f", '\t');
	snprintf(ckey, sizeof(ckey), "%lld", (long long)k);
	store__copy_field(&imp->rows, k ? ckey : NULL, '\n');
	for (size_t q = 0; q < p->nqual; q++) {
		snprintf(num, sizeof(num), "%ld", imp->seq);
		store__copy_field(&imp->quals, num, '\t');
		snprintf(num, sizeof(num), "%zu", q);
		store__copy_field(&imp->quals, num, '\t');
		store__copy_field(&imp->quals, p->qual_key[q], '\t');
		store__copy_field(&imp->quals, p->qual_value[q], '\n');
	}
}

static int bulk_add(struct store_import *imp, const struct prospect *p, struct tp_error *err)
{
	if (imp->direct)
		bulk_direct_add(imp, p);
	else
		bulk_stage(imp, p);
	if (++imp->staged >= BULK_BATCH) {
		int rc = bulk_flush(imp, err);

		if (rc)
			return rc;
	}
	return IMPORT_PENDING;
}

/* A first import into a PostgreSQL database (no company or contact yet, so no lead
 * either: a new team's file). The foreign keys of the tables it fills and their indexes
 * other than primary keys (leads' unique number per campaign too: the import adds no
 * number twice, and making it again checks that) are dropped before its rows go in and
 * made again after them: one sort per index and one check per key, rather than one index
 * entry and one look-up per row and key. Inside the import's transaction: a failed import
 * leaves them as they were; the tables stay locked till its end, with nothing in them for
 * others to read. */
static const char bulk_fresh_sql[] =
	"SELECT 'ALTER TABLE ' || conrelid::regclass || ' DROP CONSTRAINT ' || quote_ident(conname),"
	" 'ALTER TABLE ' || conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(conname) || ' '"
	" || pg_get_constraintdef(oid) FROM pg_constraint WHERE (contype = 'f' AND conrelid IN ('companies'::regclass,"
	" 'contacts'::regclass, 'leads'::regclass, 'qualification_values'::regclass)) OR (contype = 'u'"
	" AND conrelid = 'leads'::regclass)"
	" UNION ALL SELECT 'DROP INDEX ' || quote_ident(indexname), indexdef FROM pg_indexes"
	" WHERE schemaname = current_schema() AND indexname IN (";   /* fresh_indexes, all of them */

/* The statements that make again what bulk_fresh_begin dropped (NULL: not a first
 * import); *n of them. */
static int bulk_fresh_begin(struct store_import *imp, char ***remake, size_t *n, struct tp_error *err)
{
	struct db *db = imp->s->db;
	struct db_stmt *st;
	struct strbuf sql;
	int64_t any;
	size_t cap = 0;
	int rc;

	*remake = NULL;
	*n = 0;
	if ((rc = db_query_int64(db, ANY_CONTACT_SQL, &any, err)) || any)
		return rc;
	sb_init(&sql);
	sb_adds(&sql, bulk_fresh_sql);
	for (size_t i = 0; i < FRESH_NINDEX_ALL; i++)
		sb_addf(&sql, "%s'%s'", i ? ", " : "", fresh_indexes[i]);
	sb_adds(&sql, ") /* scan-ok: the catalog */");
	st = db_prepare(db, sql.buf, err);
	sb_release(&sql);
	if (!st)
		return err->code;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int drc;

		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*remake = xrealloc(*remake, cap * sizeof(**remake));
		}
		(*remake)[(*n)++] = xstrdup(db_col_text(st, 1));
		if ((drc = db_exec(db, db_col_text(st, 0), err))) {
			rc = drc;
			break;
		}
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	/* Another first import may have held the tables while this one waited to drop their
	 * indexes: its rows, committed meanwhile, are seen now that this one holds them. */
	if ((rc = db_query_int64(db, ANY_CONTACT_SQL, &any, err)))
		return rc;
	return any ? tp_error_set(err, TP_ERR, "another import added contacts while this one began: nothing was"
		" imported; run it again") : 0;
}

/* A first import's end: the sequences past the ids it gave, then the indexes and keys it
 * dropped made again (which checks every row's parents and numbers). */
static int bulk_direct_settle(struct store_import *imp, long *added, long *dups, struct tp_error *err)
{
	struct db_stmt *st;
	int rc = bulk_flush(imp, err);

	if (rc == 0 && !(st = db_prepare(imp->s->db, "SELECT setval('contacts_id_seq', CAST(?1 AS BIGINT), false),"
		" setval('companies_id_seq', CAST(?2 AS BIGINT), false)", err)))
		rc = err->code;
	if (rc == 0) {
		db_bind_int64(st, 1, imp->contact_base + imp->added);
		db_bind_int64(st, 2, imp->company_base + (int64_t)imp->companies.n);
		rc = db_step(st, err);
		db_finalize(st);
		rc = rc < 0 ? rc : 0;
	}
	for (size_t i = 0; i < imp->nremake && rc == 0; i++) {
		if (imp->cancel && *imp->cancel)
			rc = tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
		else
			rc = db_exec(imp->s->db, imp->remake[i], err);
	}
	*added = imp->added;
	*dups = imp->dups;
	return rc;
}

/* The bulk path's rows that found a contact (tp_import.contact_id), compared set-based. */
static int bulk_merges(struct store_import *imp, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(imp->s->db, CONTACT_KNOWN_SQL ", t.line, c.id, t.civility, t.first_name,"
		" t.last_name, t.role, t.email FROM tp_import t JOIN contacts c ON c.id = t.contact_id WHERE NOT t.dup"
		" ORDER BY t.seq", err);
	const char *file[NMERGE_FIELDS], *known[NMERGE_FIELDS];
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, imp->campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		for (size_t i = 0; i < NMERGE_FIELDS; i++) {
			known[i] = db_col_is_null(st, (int)i) ? "" : db_col_text(st, (int)i);
			file[i] = db_col_is_null(st, 8 + (int)i) ? "" : db_col_text(st, 8 + (int)i);
		}
		merge_record(imp, (long)db_col_int64(st, 6), db_col_int64(st, 7), db_col_is_null(st, 5) ? NULL
			: db_col_text(st, 5), file, known);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

static int bulk_settle(struct store_import *imp, long *added, long *dups, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (imp->direct)
		return bulk_direct_settle(imp, added, dups, err);
	rc = bulk_flush(imp, err);
	for (size_t i = 0; i < sizeof(bulk_settle_sql) / sizeof(bulk_settle_sql[0]) && rc == 0; i++) {
		const char *params = bulk_settle_sql[i].params, *sql;

		if (imp->cancel && *imp->cancel) {
			rc = tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
			break;
		}
		sql = bulk_settle_sql[i].sql;
		if (!sql) {
			rc = bulk_merges(imp, err);
			continue;
		}
		if (!*params) {
			rc = db_exec(imp->s->db, sql, err);
			continue;
		}
		if (!(st = db_prepare(imp->s->db, sql, err))) {
			rc = err->code;
			break;
		}
		for (int k = 0; params[k]; k++)
			db_bind_int64(st, k + 1, params[k] == 'c' ? imp->campaign_id : params[k] == 'p' ? imp->consumers
				: params[k] == 'x' ? (int64_t)imp->existing : imp->now);
		rc = db_step(st, err);
		db_finalize(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc)
		return rc;
	if (!(st = db_prepare(imp->s->db, "SELECT COUNT(*) FILTER (WHERE NOT dup AND NOT refused), COUNT(*) FILTER (WHERE dup)"
		" FROM tp_import", err)))
		return err->code;
	if ((rc = db_step(st, err)) == DB_ROW) {
		*added = (long)db_col_int64(st, 0);
		*dups = (long)db_col_int64(st, 1);
	}
	db_finalize(st);
	/* Dropped now, not at commit: an outer transaction may import again (demo). */
	return rc < 0 ? rc : db_exec(imp->s->db, "DROP TABLE tp_import, tp_import_qual, tp_new, tp_newco", err);
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
		db_bind_text(st, 1, fresh_indexes[i]);
		rc = db_step(st, err);
		if (rc == DB_ROW && db_col_text(st, 0)) {
			imp->index_sql[i] = xstrdup(db_col_text(st, 0));
			rc = 0;
		} else if (rc >= 0) {
			rc = tp_error_set(err, TP_ERR, "the index %s is missing: run 'telepro migrate'", fresh_indexes[i]);
		}
		db_reset(st);
	}
	db_finalize(st);
	for (size_t i = 0; i < FRESH_NINDEX && rc == 0; i++) {
		char sql[64];

		snprintf(sql, sizeof(sql), "DROP INDEX %s", fresh_indexes[i]);
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
	if (db->driver->copy_in) {
		if (bulk_begin(imp, err)) {
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
	const char *siren = effective_siren(p, siren_from_siret);
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
			file[i] = p->field[merge_fields[i]];
			known[i] = db_col_is_null(imp->contact_known, (int)i) ? "" : db_col_text(imp->contact_known, (int)i);
		}
		other = !db_col_is_null(imp->contact_known, 5);
		merge_record(imp, p->line, contact_id, other ? db_col_text(imp->contact_known, 5) : NULL, file, known);
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
		db_bind_text_or_null(imp->contact_update, (int)i + 1, p->field[merge_fields[i]]);
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
		return bulk_add(imp, p, err);
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

		if (bulk_settle(imp, &added, &dups, err)) {
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
