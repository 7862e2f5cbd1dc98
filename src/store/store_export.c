/* Export of prospects, and the opposition list. */
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

/* Export ----------------------------------------------------------------------------- */

int store_export_prospects(struct store *s, int64_t campaign_id,
	void (*keys_fn)(void *ctx, size_t n, const char *const *keys), store_export_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *keys_st, *rows = NULL, *quals = NULL;
	char **keys = NULL;
	const char **values = NULL;
	size_t nkeys = 0, cap = 0;
	int rc;

	keys_st = db_prepare(s->db, "SELECT q.key FROM leads l JOIN qualification_values q"
		" ON q.contact_id = l.contact_id WHERE l.campaign_id = ? GROUP BY q.key ORDER BY MIN(q.id)", err);
	if (!keys_st)
		return err->code;
	db_bind_int64(keys_st, 1, campaign_id);
	while ((rc = db_step(keys_st, err)) == DB_ROW) {
		if (nkeys == cap) {
			cap = cap ? cap * 2 : 8;
			keys = xrealloc(keys, cap * sizeof(*keys));
		}
		keys[nkeys++] = xstrdup(db_col_text(keys_st, 0));
	}
	db_finalize(keys_st);
	if (rc < 0)
		goto out;
	if (keys_fn)
		keys_fn(ctx, nkeys, (const char *const *)keys);
	values = xcalloc(nkeys + 1, sizeof(*values));
	rows = db_prepare(s->db, "SELECT l.id, c.id, co.name, c.last_name, c.first_name, c.civility, c.role,"
		" c.phone, c.mobile, c.email, co.siren, co.siret, COALESCE(co.address, c.address),"
		" COALESCE(co.postcode, c.postcode), COALESCE(co.city, c.city), COALESCE(co.country, c.country),"
		" co.sector, co.size_band, co.website"
		" FROM leads l JOIN contacts c ON c.id = l.contact_id LEFT JOIN companies co ON co.id = c.company_id"
		" WHERE l.campaign_id = ? ORDER BY l.id", err);
	quals = db_prepare(s->db, "SELECT key, value FROM qualification_values WHERE contact_id = ? ORDER BY id", err);
	if (!rows || !quals) {
		rc = err->code;
		goto out;
	}
	db_bind_int64(rows, 1, campaign_id);
	while ((rc = db_step(rows, err)) == DB_ROW) {
		static const int order[] = {F_COMPANY, F_LAST_NAME, F_FIRST_NAME, F_CIVILITY, F_ROLE, F_PHONE,
			F_MOBILE, F_EMAIL, F_SIREN, F_SIRET, F_ADDRESS, F_POSTCODE, F_CITY, F_COUNTRY, F_SECTOR,
			F_SIZE_BAND, F_WEBSITE};
		struct export_row row;
		struct strbuf qbuf;
		size_t *offs;
		int qrc;

		memset(&row, 0, sizeof(row));
		row.lead_id = db_col_int64(rows, 0);
		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
			row.field[order[i]] = db_col_text(rows, (int)i + 2);
		/* Values are copied: the next step on quals would invalidate them. */
		sb_init(&qbuf);
		offs = xcalloc(nkeys + 1, sizeof(*offs));
		for (size_t k = 0; k < nkeys; k++)
			offs[k] = (size_t)-1;
		db_bind_int64(quals, 1, db_col_int64(rows, 1));
		while ((qrc = db_step(quals, err)) == DB_ROW) {
			const char *key = db_col_text(quals, 0);

			for (size_t k = 0; k < nkeys; k++) {
				if (strcmp(keys[k], key) == 0) {
					offs[k] = qbuf.len;
					sb_adds(&qbuf, db_col_text(quals, 1));
					sb_addc(&qbuf, '\0');
					break;
				}
			}
		}
		db_reset(quals);
		for (size_t k = 0; k < nkeys; k++)
			values[k] = offs[k] == (size_t)-1 ? "" : qbuf.buf + offs[k];
		row.nqual = nkeys;
		row.qual_key = (const char *const *)keys;
		row.qual_value = values;
		rc = qrc < 0 ? qrc : fn(ctx, &row);
		free(offs);
		sb_release(&qbuf);
		if (rc)
			break;
	}
	if (rc > 0)
		rc = 0;
out:
	db_finalize(rows);
	db_finalize(quals);
	for (size_t k = 0; k < nkeys; k++)
		free(keys[k]);
	free(keys);
	free(values);
	return rc;
}

/* Opposition list ---------------------------------------------------------------------- */

int store_opposition_add(struct store *s, const char *phone, const char *source, int64_t since,
	struct tp_error *err)
{
	struct db_stmt *add = store__cached(s, SLOT_OPPOSITION_ADD, "INSERT INTO opposition (phone, source, since)"
		" VALUES (?, ?, ?) ON CONFLICT (phone, source) DO NOTHING", err);
	int64_t added;
	int rc;

	if (!add)
		return err->code;
	db_bind_text(add, 1, phone);
	db_bind_text(add, 2, source);
	db_bind_int64(add, 3, since);
	rc = db_step(add, err);
	added = rc < 0 ? 0 : db_changes(add);
	db_reset(add);
	if (rc < 0)
		return rc;
	return added ? 0 : 1;
}

int store_opposition_count(struct store *s, const char *source, int64_t *n, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT COUNT(*) FROM opposition WHERE source = ? /* scan-ok */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_text(st, 1, source);
	rc = db_step(st, err);
	*n = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
