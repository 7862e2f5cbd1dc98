/*
 * A person's data, for the GDPR (docs/PRIVACY.md): find them by number or email, hand
 * every row that concerns them to the caller, erase them (their identity and notes go, the
 * counts stay), and list the people nobody contacted for years.
 */
#include <stdio.h>
#include <string.h>

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

/* What a person's export holds: one query a section, ?1 the contact. */
static const struct {
	const char *section, *sql;
} sections[] = {
	{"contact", "SELECT id, civility, first_name, last_name, role, phone, mobile, email, address, postcode, city,"
		" country, created_at, last_contacted_at, erased_at FROM contacts WHERE id = ?1"},
	{"company", "SELECT co.id, co.name, co.siren, co.siret, co.address, co.postcode, co.city, co.country"
		" FROM companies co JOIN contacts c ON c.company_id = co.id WHERE c.id = ?1"},
	{"leads", "SELECT l.id, ca.name AS campaign, l.phone, l.state, l.attempts, l.created_at FROM leads l"
		" JOIN campaigns ca ON ca.id = l.campaign_id WHERE l.contact_id = ?1 ORDER BY l.id"},
	{"calls", "SELECT c.id, ca.name AS campaign, c.started_at, c.result, o.code AS outcome, c.talk_seconds, c.notes,"
		" u.name AS agent FROM calls c JOIN leads l ON l.id = c.lead_id JOIN campaigns ca ON ca.id = c.campaign_id"
		" LEFT JOIN outcomes o ON o.id = c.outcome_id LEFT JOIN users u ON u.id = c.agent_id"
		" WHERE l.contact_id = ?1 ORDER BY c.started_at"},
	{"appointments", "SELECT a.id, a.scheduled_at, a.status, a.result FROM appointments a"
		" JOIN leads l ON l.id = a.lead_id WHERE l.contact_id = ?1 ORDER BY a.id"},
	{"qualification", "SELECT key, value, set_at FROM qualification_values WHERE contact_id = ?1 ORDER BY id"},
	{"consents", "SELECT DISTINCT k.source, k.consented_at, k.wording, k.recorded_at FROM consents k"
		" JOIN leads l ON l.phone = k.phone WHERE l.contact_id = ?1 ORDER BY k.consented_at"},
	{"opposition", "SELECT DISTINCT o.source, o.since FROM opposition o JOIN leads l ON l.phone = o.phone"
		" WHERE l.contact_id = ?1 ORDER BY o.since"},
};

int store_person_rows(struct store *s, int64_t contact_id, store_row_fn fn, void *ctx, struct tp_error *err)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		struct db_stmt *st = db_prepare(s->db, sections[i].sql, err);
		const char *names[16], *values[16];
		int rc;

		if (!st)
			return err->code;
		db_bind_int64(st, 1, contact_id);
		while ((rc = db_step(st, err)) == DB_ROW) {
			int n = db_col_count(st);

			for (int k = 0; k < n && k < 16; k++) {
				names[k] = db_col_name(st, k);
				values[k] = db_col_is_null(st, k) ? NULL : db_col_text(st, k);
			}
			if ((rc = fn(ctx, sections[i].section, n < 16 ? n : 16, names, values)) != 0)
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

/* The statements of an erasure, in order; ?1 the contact, ?2 the time. Counters and call
 * results stay (they are numbers, not people); the opposition list stays (so that a
 * number that asked never to be called is not called again). */
static const char *const erase_sql[] = {
	"DELETE FROM consents WHERE phone IN (SELECT phone FROM leads WHERE contact_id = ?1)",
	"UPDATE calls SET notes = NULL WHERE lead_id IN (SELECT id FROM leads WHERE contact_id = ?1)",
	"DELETE FROM qualification_values WHERE contact_id = ?1",
	"UPDATE leads SET phone = 'erased:' || CAST(id AS TEXT), state = 'done', held_by = NULL, held_until = NULL,"
	" next_call_at = NULL WHERE contact_id = ?1",
	"UPDATE contacts SET civility = NULL, first_name = NULL, last_name = NULL, role = NULL, phone = NULL,"
	" mobile = NULL, email = NULL, address = NULL, postcode = NULL, city = NULL, consent_source = NULL,"
	" consent_at = NULL, consent_wording = NULL, erased_at = ?2 WHERE id = ?1",
};

int store_person_erase(struct store *s, const struct store_who *who, int64_t contact_id, struct tp_error *err)
{
	int rc = 0;

	if (db_begin(s->db, err))
		return err->code;
	for (size_t i = 0; i < sizeof(erase_sql) / sizeof(erase_sql[0]) && rc == 0; i++) {
		struct db_stmt *st = db_prepare(s->db, erase_sql[i], err);

		if (!st) {
			rc = err->code;
			break;
		}
		db_bind_int64(st, 1, contact_id);
		if (strstr(erase_sql[i], "?2"))
			db_bind_int64(st, 2, who->at);
		rc = store__run_done(st, err);
	}
	if (rc == 0)
		rc = store_audit(s, who, "person.erase", "contact", contact_id, NULL, err);
	return store__finish(s, rc, err);
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
