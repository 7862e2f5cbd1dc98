/* What the desk and the rules read of a lead: its view, its consumer facts, its holder, consents and screening. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/appointment.h"
#include "core/calling.h"
#include "core/next_lead.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "core/rules.h"
#include "store/store_int.h"

void lead_view_release(struct lead_view *v)
{
	char **strs[] = {&v->phone, &v->state, &v->campaign, &v->timezone, &v->script, &v->script_variant, &v->civility,
		&v->first_name,
		&v->last_name, &v->role, &v->contact_phone, &v->mobile, &v->email, &v->company, &v->siren, &v->sector,
		&v->city, &v->postcode, &v->region};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
}

/* A copy of column i, NULL for SQL NULL. */
static char *col_dup(struct db_stmt *st, int i)
{
	return db_col_is_null(st, i) ? NULL : xstrdup(db_col_text(st, i));
}

int store_lead_view(struct store *s, int64_t lead_id, struct lead_view *v, store_lead_call_fn on_call,
	store_lead_qual_fn on_qual, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT l.id, l.phone, l.state, l.attempts, l.contact_id,"
		" c.civility, c.first_name, c.last_name, c.role, c.phone, c.mobile, c.email,"
		" co.name, co.siren, co.sector, co.city, co.postcode, ca.name, ca.timezone, COALESCE(sv.body, ca.script),"
		" ca.region, l.campaign_id, sv.variant, sv.version"
		" FROM leads l JOIN contacts c ON c.id = l.contact_id LEFT JOIN companies co ON co.id = c.company_id"
		" JOIN campaigns ca ON ca.id = l.campaign_id LEFT JOIN script_versions sv ON sv.campaign_id = l.campaign_id"
		" AND sv.variant = l.script_variant AND sv.version = (SELECT MAX(version) FROM script_versions"
		" WHERE campaign_id = l.campaign_id AND variant = l.script_variant) WHERE l.id = ?", err);
	int64_t contact_id = 0;
	int rc;

	memset(v, 0, sizeof(*v));
	if (!st)
		return err->code;
	db_bind_int64(st, 1, lead_id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		v->lead_id = lead_id;
		v->phone = col_dup(st, 1);
		v->state = col_dup(st, 2);
		v->attempts = db_col_int64(st, 3);
		contact_id = db_col_int64(st, 4);
		v->civility = col_dup(st, 5);
		v->first_name = col_dup(st, 6);
		v->last_name = col_dup(st, 7);
		v->role = col_dup(st, 8);
		v->contact_phone = col_dup(st, 9);
		v->mobile = col_dup(st, 10);
		v->email = col_dup(st, 11);
		v->company = col_dup(st, 12);
		v->siren = col_dup(st, 13);
		v->sector = col_dup(st, 14);
		v->city = col_dup(st, 15);
		v->postcode = col_dup(st, 16);
		v->campaign = col_dup(st, 17);
		v->timezone = col_dup(st, 18);
		v->script = col_dup(st, 19);
		v->region = col_dup(st, 20);
		v->campaign_id = db_col_int64(st, 21);
		v->script_variant = col_dup(st, 22);
		v->script_version = db_col_is_null(st, 23) ? 0 : db_col_int64(st, 23);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return store__no_such(err, "lead", lead_id);
	if (on_call) {
		if (!(st = db_prepare(s->db, "SELECT c.id, c.started_at, c.result, o.code, c.talk_seconds, u.name, c.notes"
			" FROM calls c LEFT JOIN outcomes o ON o.id = c.outcome_id LEFT JOIN users u ON u.id = c.agent_id"
			" WHERE c.lead_id = ? ORDER BY c.started_at", err)))
			return err->code;
		db_bind_int64(st, 1, lead_id);
		while ((rc = db_step(st, err)) == DB_ROW) {
			struct lead_call c = {db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 4),
				db_col_text(st, 2), db_col_is_null(st, 3) ? NULL : db_col_text(st, 3), db_col_text(st, 5),
				db_col_is_null(st, 6) ? NULL : db_col_text(st, 6)};

			if ((rc = on_call(ctx, &c)))
				break;
		}
		db_finalize(st);
		if (rc < 0)
			return rc;
	}
	if (on_qual) {
		if (!(st = db_prepare(s->db, "SELECT key, value FROM qualification_values WHERE contact_id = ? ORDER BY id",
			err)))
			return err->code;
		db_bind_int64(st, 1, contact_id);
		while ((rc = db_step(st, err)) == DB_ROW)
			if ((rc = on_qual(ctx, db_col_text(st, 0), db_col_text(st, 1))))
				break;
		db_finalize(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int store_lead_consumer(struct store *s, int64_t lead_id, int64_t at, struct rules_facts *out,
	struct tp_error *err)
{
	/* A consumer's own address, else their company's. */
	struct db_stmt *st = db_prepare(s->db, "SELECT l.phone, COALESCE(c.country, co.country), COALESCE(c.postcode, co.postcode),"
		" l.created_at, (SELECT MAX(screened_at) FROM screenings WHERE source = 'bloctel' AND screened_at <= ?2)"
		" FROM leads l"
		" JOIN contacts c ON c.id = l.contact_id LEFT JOIN companies co ON co.id = c.company_id WHERE l.id = ?1", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	db_bind_int64(st, 1, lead_id);
	db_bind_int64(st, 2, at);
	if ((rc = db_step(st, err)) == DB_ROW) {
		snprintf(out->phone, sizeof(out->phone), "%s", db_col_text(st, 0));
		snprintf(out->country, sizeof(out->country), "%s", db_col_text(st, 1));
		snprintf(out->postcode, sizeof(out->postcode), "%s", db_col_text(st, 2));
		out->created_at = db_col_int64(st, 3);
		out->screened_at = db_col_is_null(st, 4) ? 0 : db_col_int64(st, 4);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return store__no_such(err, "lead", lead_id);
	/* Every call to the number, whatever the campaign: the law counts per person. */
	if (!(st = db_prepare(s->db, "SELECT c.started_at FROM leads l JOIN calls c ON c.lead_id = l.id"
		" WHERE l.phone = ? AND c.started_at > ? AND c.started_at <= ? ORDER BY c.started_at DESC LIMIT 4", err)))
		return err->code;
	db_bind_text(st, 1, out->phone);
	db_bind_int64(st, 2, at - RULES_LOOKBACK_SECONDS);
	db_bind_int64(st, 3, at);
	while (out->nrecent < RULES_CALLS_30D && (rc = db_step(st, err)) == DB_ROW)
		out->recent[out->nrecent++] = db_col_int64(st, 0);
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (!(st = db_prepare(s->db, "SELECT MAX(c.started_at) FROM leads l JOIN calls c ON c.lead_id = l.id"
		" JOIN outcomes o ON o.id = c.outcome_id WHERE l.phone = ? AND o.is_refusal = 1 AND c.started_at <= ?", err)))
		return err->code;
	db_bind_text(st, 1, out->phone);
	db_bind_int64(st, 2, at);
	if ((rc = db_step(st, err)) == DB_ROW)
		out->last_refusal = db_col_is_null(st, 0) ? 0 : db_col_int64(st, 0);
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (!(st = db_prepare(s->db, "SELECT MAX(consented_at) FROM consents WHERE phone = ? AND consented_at <= ?", err)))
		return err->code;
	db_bind_text(st, 1, out->phone);
	db_bind_int64(st, 2, at);
	if ((rc = db_step(st, err)) == DB_ROW)
		out->consent_at = db_col_is_null(st, 0) ? 0 : db_col_int64(st, 0);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_open_numbers(struct store *s, int64_t campaign_id, int (*fn)(void *ctx, const char *phone), void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT DISTINCT phone FROM leads WHERE campaign_id = ? AND (state = 'new'"
		" OR state = 'in_progress' OR state = 'callback' OR state = 'hot') ORDER BY phone /* scan-ok: the campaign's leads */",
		err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_text(st, 0))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_screening_add(struct store *s, const char *source, int64_t screened_at, int64_t numbers, int64_t imported_at,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "INSERT INTO screenings (source, screened_at, numbers, imported_at)"
		" VALUES (?, ?, ?, ?)", err);

	if (!st)
		return err->code;
	db_bind_text(st, 1, source);
	db_bind_int64(st, 2, screened_at);
	db_bind_int64(st, 3, numbers);
	db_bind_int64(st, 4, imported_at);
	return store__run_done(st, err);
}

int store_consent_add(struct store *s, const struct store_who *who, const char *phone, int64_t at, const char *source,
	const char *wording, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "INSERT INTO consents (phone, source, consented_at, wording, recorded_at,"
		" recorded_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (phone, source, consented_at) DO NOTHING", err);
	int64_t added;
	int rc;

	if (!st)
		return err->code;
	db_bind_text(st, 1, phone);
	db_bind_text(st, 2, source);
	db_bind_int64(st, 3, at);
	db_bind_text_or_null(st, 4, wording);
	db_bind_int64(st, 5, who->at);
	db_bind_text(st, 6, who->actor);
	rc = db_step(st, err);
	added = rc >= 0 ? db_changes(st) : 0;
	db_finalize(st);
	return rc < 0 ? rc : added ? 0 : 1;
}

int store_lead_facts(struct store *s, int64_t lead_id, int64_t at, struct lead_facts *out, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT l.campaign_id, l.state, COALESCE(l.next_call_at, 0), COALESCE(u.name, ''),"
		" COALESCE(l.held_until, 0), (SELECT MIN(CASE o.source WHEN 'internal' THEN '1internal' WHEN 'bloctel'"
		" THEN '2bloctel' ELSE '3other' END) FROM opposition o WHERE o.phone = l.phone)"
		" FROM leads l LEFT JOIN users u ON u.id = l.held_by WHERE l.id = ?", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	db_bind_int64(st, 1, lead_id);
	if ((rc = db_step(st, err)) == DB_ROW) {
		out->campaign_id = db_col_int64(st, 0);
		snprintf(out->state, sizeof(out->state), "%s", db_col_text(st, 1));
		out->next_call_at = db_col_int64(st, 2);
		snprintf(out->held_by, sizeof(out->held_by), "%s", db_col_text(st, 3));
		out->held_until = db_col_int64(st, 4);
		/* The strongest list first: internal (for good), Bloctel, other. */
		snprintf(out->opposition, sizeof(out->opposition), "%s", db_col_is_null(st, 5) ? "" : db_col_text(st, 5) + 1);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return store__no_such(err, "lead", lead_id);
	return store_lead_consumer(s, lead_id, at, &out->consumer, err);
}

int store_lead_campaign(struct store *s, int64_t lead_id, struct campaign *c, struct tp_error *err)
{
	struct lead_row l;
	int rc = store__load_lead(s, lead_id, &l, err);

	return rc ? rc : store__campaign_rules(s, l.campaign_id, c, err);
}

int store_lead_holder(struct store *s, int64_t lead_id, struct lead_holder *out, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT l.state, COALESCE(h.name, ''), COALESCE(l.held_until, 0),"
		" COALESCE(cb.name, '') FROM leads l LEFT JOIN users h ON h.id = l.held_by"
		" LEFT JOIN users cb ON cb.id = l.callback_agent_id WHERE l.id = ?", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	db_bind_int64(st, 1, lead_id);
	if ((rc = db_step(st, err)) == DB_ROW) {
		snprintf(out->state, sizeof(out->state), "%s", db_col_text(st, 0));
		snprintf(out->held_by, sizeof(out->held_by), "%s", db_col_text(st, 1));
		out->held_until = db_col_int64(st, 2);
		snprintf(out->callback_agent, sizeof(out->callback_agent), "%s", db_col_text(st, 3));
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? 0 : store__no_such(err, "lead", lead_id);
}

static struct db_stmt *load_lead_stmt(struct store *s, struct tp_error *err)
{
	return store__cached(s, SLOT_LEAD_FOR_CALL, "SELECT l.campaign_id, l.contact_id, l.attempts, l.phone,"
		" c.revision, c.created_at FROM leads l JOIN campaigns c ON c.id = l.campaign_id WHERE l.id = ?", err);
}

/* As agent_session_send, for load_lead. */
int store__load_lead_send(struct store *s, int64_t id, struct tp_error *err)
{
	struct db_stmt *st = load_lead_stmt(s, err);

	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	return db_send(st, err);
}

int store__load_lead(struct store *s, int64_t id, struct lead_row *l, struct tp_error *err)
{
	struct db_stmt *st = load_lead_stmt(s, err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		l->id = id;
		l->campaign_id = db_col_int64(st, 0);
		l->contact_id = db_col_int64(st, 1);
		l->attempts = (int)db_col_int64(st, 2);
		snprintf(l->phone, sizeof(l->phone), "%s", db_col_text(st, 3));
		l->campaign_revision = db_col_int64(st, 4);
		l->campaign_created = db_col_int64(st, 5);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return store__no_such(err, "lead", id);
	return 0;
}
