/*
 * A person's data, for the GDPR (docs/PRIVACY.md): find them by number or email, hand
 * every row that concerns them to the caller, erase them (their identity and notes go, the
 * counts stay, their numbers stay in the opposition list only as keyed hashes), and list
 * the people nobody contacted for years.
 */
#include <stdio.h>
#include <string.h>

#include "core/privacy.h"
#include "store/store_int.h"

int store_person_find(struct store *s, const char *phone, const char *email, store_id_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, phone
		? "SELECT id FROM contacts WHERE phone = ?1 UNION SELECT id FROM contacts WHERE mobile = ?1 ORDER BY 1"
		: "SELECT id FROM contacts WHERE lower(email) = lower(?1) ORDER BY 1 /* scan-ok: a person's request */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_text(st, 1, phone ? phone : email);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_int64(st, 0))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* What a person's export holds: one query a section, ?1 the contact; every column stored
 * (the GDPR's right of access is to all of it), with the names behind the ids. */
static const struct {
	const char *section, *sql;
} sections[] = {
	{"contact", "SELECT * FROM contacts WHERE id = ?1"},
	{"company", "SELECT co.* FROM companies co JOIN contacts c ON c.company_id = co.id WHERE c.id = ?1"},
	{"leads", "SELECT l.*, ca.name AS campaign, h.name AS held_by_name, cb.name AS callback_agent FROM leads l"
		" JOIN campaigns ca ON ca.id = l.campaign_id LEFT JOIN users h ON h.id = l.held_by"
		" LEFT JOIN users cb ON cb.id = l.callback_agent_id WHERE l.contact_id = ?1 ORDER BY l.id"},
	{"calls", "SELECT c.*, ca.name AS campaign, o.code AS outcome, u.name AS agent FROM calls c"
		" JOIN leads l ON l.id = c.lead_id JOIN campaigns ca ON ca.id = c.campaign_id"
		" LEFT JOIN outcomes o ON o.id = c.outcome_id LEFT JOIN users u ON u.id = c.agent_id"
		" WHERE l.contact_id = ?1 ORDER BY c.started_at"},
	{"appointments", "SELECT a.*, ca.name AS campaign, ag.name AS agent, sa.name AS sales_person"
		" FROM appointments a JOIN leads l ON l.id = a.lead_id JOIN campaigns ca ON ca.id = a.campaign_id"
		" LEFT JOIN users ag ON ag.id = a.agent_id LEFT JOIN users sa ON sa.id = a.sales_id"
		" WHERE l.contact_id = ?1 ORDER BY a.id"},
	{"qualification", "SELECT q.*, u.name AS set_by_name FROM qualification_values q"
		" LEFT JOIN users u ON u.id = q.set_by WHERE q.contact_id = ?1 ORDER BY q.id"},
	{"consents", "SELECT DISTINCT k.* FROM consents k JOIN leads l ON l.phone = k.phone WHERE l.contact_id = ?1"
		" ORDER BY k.consented_at"},
	{"opposition", "SELECT DISTINCT o.* FROM opposition o JOIN leads l ON l.phone = o.phone"
		" WHERE l.contact_id = ?1 ORDER BY o.since"},
};

#define PERSON_COLUMNS 48

int store_person_rows(struct store *s, int64_t contact_id, store_row_fn fn, void *ctx, struct tp_error *err)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		struct db_stmt *st = db_prepare(s->db, sections[i].sql, err);
		const char *names[PERSON_COLUMNS], *values[PERSON_COLUMNS];
		int rc;

		if (!st)
			return err->code;
		db_bind_int64(st, 1, contact_id);
		while ((rc = db_step(st, err)) == DB_ROW) {
			int n = db_col_count(st);

			for (int k = 0; k < n && k < PERSON_COLUMNS; k++) {
				names[k] = db_col_name(st, k);
				values[k] = db_col_is_null(st, k) ? NULL : db_col_text(st, k);
			}
			if ((rc = fn(ctx, sections[i].section, n < PERSON_COLUMNS ? n : PERSON_COLUMNS, names, values)) != 0)
				break;
		}
		db_finalize(st);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return 0;
	}
	return 0;
}

int store_person_numbers(struct store *s, int64_t contact_id, int (*fn)(void *ctx, const char *e164), void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT phone FROM contacts WHERE id = ?1 AND phone IS NOT NULL"
		" UNION SELECT mobile FROM contacts WHERE id = ?1 AND mobile IS NOT NULL"
		" UNION SELECT phone FROM leads WHERE contact_id = ?1 AND phone NOT LIKE 'erased:%' ORDER BY 1", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, contact_id);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_text(st, 0))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* The statements of an erasure, in order; ?1 the contact, ?2 the time. Counters and call
 * results stay (they are numbers, not people). A company keeps its address unless the
 * contact was its only one (a consumer's file puts a person's address there). */
static const char *const erase_sql[] = {
	"DELETE FROM consents WHERE phone IN (SELECT phone FROM leads WHERE contact_id = ?1)",
	"UPDATE audit_log SET detail = NULL WHERE action = 'consent.add' AND entity = 'lead'"
	" AND entity_id IN (SELECT id FROM leads WHERE contact_id = ?1)",
	"UPDATE calls SET notes = NULL WHERE lead_id IN (SELECT id FROM leads WHERE contact_id = ?1)",
	"DELETE FROM qualification_values WHERE contact_id = ?1",
	"UPDATE leads SET phone = 'erased:' || CAST(id AS TEXT), state = 'done', held_by = NULL, held_until = NULL,"
	" next_call_at = NULL WHERE contact_id = ?1",
	"UPDATE companies SET address = NULL, postcode = NULL, city = NULL"
	" WHERE id = (SELECT company_id FROM contacts WHERE id = ?1) AND NOT EXISTS (SELECT 1 FROM contacts o"
	" WHERE o.company_id = companies.id AND o.id <> ?1 AND o.erased_at IS NULL)",
	"UPDATE contacts SET civility = NULL, first_name = NULL, last_name = NULL, role = NULL, phone = NULL,"
	" mobile = NULL, email = NULL, address = NULL, postcode = NULL, city = NULL, country = NULL,"
	" consent_source = NULL, consent_at = NULL, consent_wording = NULL, erased_at = ?2 WHERE id = ?1",
};

/* Per number, its parameters in order ('n' the number, 'h' its hash, 't' the time): its
 * opposition entries keep their source and date under the hash; the internal one (do not
 * call) is added when asked. */
static const struct {
	const char *params, *sql;
	bool do_not_call;
} erase_number_sql[] = {
	{"hn", "INSERT INTO opposition (phone, source, since, hashed) SELECT ?1, source, since, 1 FROM opposition"
	 " WHERE phone = ?2 ON CONFLICT (phone, source) DO NOTHING", false},
	{"n", "DELETE FROM opposition WHERE phone = ?1", false},
	{"n", "DELETE FROM consents WHERE phone = ?1", false},
	{"ht", "INSERT INTO opposition (phone, source, since, hashed) VALUES (?1, 'internal', ?2, 1)"
	 " ON CONFLICT (phone, source) DO NOTHING", true},
};

/* One of the statements above (sql, with params), or of erase_sql (params NULL: ?1 the
 * contact, ?2 the time when the statement has one). */
static int run_bound(struct store *s, const char *sql, const char *params, int64_t contact_id,
	const struct erased_number *n, int64_t at, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, sql, err);

	if (!st)
		return err->code;
	if (params) {
		for (int k = 0; params[k]; k++)
			if (params[k] == 't')
				db_bind_int64(st, k + 1, at);
			else
				db_bind_text(st, k + 1, params[k] == 'n' ? n->e164 : n->hash);
	} else {
		db_bind_int64(st, 1, contact_id);
		if (strstr(sql, "?2"))
			db_bind_int64(st, 2, at);
	}
	return store__run_done(st, err);
}

int store_person_erase(struct store *s, const struct store_who *who, int64_t contact_id,
	const struct erased_number *numbers, int nnumbers, bool do_not_call, struct tp_error *err)
{
	const struct db_driver *d = s->db->driver;
	int rc = 0;

	if (d->erase_begin && db_exec(s->db, d->erase_begin, err))
		return err->code;
	if (db_begin(s->db, err)) {
		rc = err->code;
		goto out;
	}
	for (size_t i = 0; i < sizeof(erase_sql) / sizeof(erase_sql[0]) && rc == 0; i++)
		rc = run_bound(s, erase_sql[i], NULL, contact_id, NULL, who->at, err);
	for (int n = 0; n < nnumbers && rc == 0; n++)
		for (size_t i = 0; i < sizeof(erase_number_sql) / sizeof(erase_number_sql[0]) && rc == 0; i++)
			if (do_not_call || !erase_number_sql[i].do_not_call)
				rc = run_bound(s, erase_number_sql[i].sql, erase_number_sql[i].params, 0, &numbers[n], who->at, err);
	if (rc == 0)
		rc = store_audit(s, who, "person.erase", "contact", contact_id, do_not_call ? "do not call" : "callable", err);
	rc = store__finish(s, rc, err);
out:
	/* Whatever happened: the connection goes back to its usual settings. */
	if (d->erase_end) {
		struct tp_error ignored;

		tp_error_clear(&ignored);
		if (db_exec(s->db, d->erase_end, rc ? &ignored : err) && rc == 0)
			rc = err->code;
	}
	return rc ? rc : 0;
}

int store_privacy_key(struct store *s, const unsigned char *fresh, unsigned char key[32], struct tp_error *err)
{
	struct db_stmt *st;
	int rc = 0, found = 0;

	if (fresh) {
		char hex[2 * PRIVACY_KEY_BYTES + 1];

		privacy_key_hex(fresh, hex);
		if (db_begin(s->db, err))
			return err->code;
		if (!(st = db_prepare(s->db, "INSERT INTO settings (key, value) VALUES ('privacy.key', ?)"
			" ON CONFLICT (key) DO NOTHING", err)))
			rc = err->code;
		else {
			db_bind_text(st, 1, hex);
			rc = store__run_done(st, err);
		}
		if ((rc = store__finish(s, rc, err)))
			return rc;
	}
	if (!(st = db_prepare(s->db, "SELECT value FROM settings WHERE key = 'privacy.key'", err)))
		return err->code;
	if ((rc = db_step(st, err)) == DB_ROW) {
		found = 1;
		if (privacy_key_parse(db_col_text(st, 0), key))
			rc = tp_error_set(err, TP_ERR, "the database's privacy key is damaged (settings 'privacy.key')");
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	return found ? 0 : 1;
}

int store_forgotten(struct store *s, int (*fn)(void *ctx, const char *hash), void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT phone FROM opposition WHERE hashed = 1", err);
	int rc;

	if (!st)
		return err->code;
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_text(st, 0))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_person_review(struct store *s, int64_t before, store_review_fn fn, void *ctx, struct tp_error *err)
{
	/* A review runs rarely and reads every contact once. */
	struct db_stmt *st = db_prepare(s->db, "SELECT c.id, COALESCE(c.last_name, ''), COALESCE(c.phone, c.mobile, ''),"
		" c.created_at, MAX(ca.started_at) FROM contacts c LEFT JOIN leads l ON l.contact_id = c.id"
		" LEFT JOIN calls ca ON ca.lead_id = l.id WHERE c.erased_at IS NULL"
		" GROUP BY c.id, c.last_name, c.phone, c.mobile, c.created_at"
		" HAVING COALESCE(MAX(ca.started_at), c.created_at) < ? ORDER BY c.id /* scan-ok: a yearly review */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, before);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct person_review r = {db_col_int64(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_int64(st, 3),
			db_col_is_null(st, 4) ? 0 : db_col_int64(st, 4)};

		if ((rc = fn(ctx, &r)) != 0)
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
