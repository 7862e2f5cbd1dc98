#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/store_import_int.h"

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

int store__copy_import_begin(struct store_import *imp, struct tp_error *err)
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
	const char *siren_eff = store__effective_siren(p, siren);
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
	const char *siren_eff = store__effective_siren(p, siren);
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

int store__copy_import_add(struct store_import *imp, const struct prospect *p, struct tp_error *err)
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
	" WHERE schemaname = current_schema() AND indexname IN (";   /* store__fresh_indexes, all of them */

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
		sb_addf(&sql, "%s'%s'", i ? ", " : "", store__fresh_indexes[i]);
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
		store__import_merge(imp, (long)db_col_int64(st, 6), db_col_int64(st, 7), db_col_is_null(st, 5) ? NULL
			: db_col_text(st, 5), file, known);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store__copy_import_settle(struct store_import *imp, long *added, long *dups, struct tp_error *err)
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
