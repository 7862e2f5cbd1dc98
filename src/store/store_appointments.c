/* Appointments: their results (core/appointment.h decides) and lists. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/appointment.h"
#include "core/calling.h"
#include "core/next_lead.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "core/rules.h"
#include "store/store_int.h"

/* Appointments ----------------------------------------------------------------------------- */

int store_appointment_result(struct store *s, const struct store_who *who, int64_t id, const char *status,
	int relevant, const char *result, int64_t amount_cents, struct tp_error *err)
{
	struct db_stmt *st;
	struct appointment_state old = {"", -1, "", 0}, now;
	struct kpi_counts delta;
	int64_t campaign_id = 0, agent_id = 0, scheduled_at = 0;
	int day = 0, hour = 0;
	char zone[64];
	bool hooks = false;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	{
		char sql[512];

		/* The counters move by the difference from the old values: nobody else may change
		 * them in between. */
		snprintf(sql, sizeof(sql), "SELECT a.campaign_id, COALESCE(a.agent_id, 0), a.local_day, a.local_hour,"
			" a.status, COALESCE(a.relevant, -1), a.result, COALESCE(a.amount_cents, 0), a.scheduled_at,"
			" (SELECT timezone FROM campaigns WHERE id = a.campaign_id) FROM appointments a WHERE a.id = ?%s",
			db_lock_row(s->db));
		st = db_prepare(s->db, sql, err);
	}
	if (!st) {
		rc = err->code;
		goto out;
	}
	db_bind_int64(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		campaign_id = db_col_int64(st, 0);
		agent_id = db_col_int64(st, 1);
		day = (int)db_col_int64(st, 2);
		hour = (int)db_col_int64(st, 3);
		snprintf(old.status, sizeof(old.status), "%s", db_col_text(st, 4));
		old.relevant = (int)db_col_int64(st, 5);
		snprintf(old.result, sizeof(old.result), "%s", db_col_text(st, 6));
		old.amount_cents = db_col_int64(st, 7);
		scheduled_at = db_col_int64(st, 8);
		snprintf(zone, sizeof(zone), "%s", db_col_text(st, 9));
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	if (rc == DB_DONE) {
		rc = store__no_such(err, "appointment", id);
		goto out;
	}
	/* Core decides what the appointment becomes and what the counters move by. */
	if ((rc = appointment_decide(&old, status, relevant, result, amount_cents, scheduled_at, who->at, zone, &now,
		&delta, err)))
		goto out;
	/* A change of status is a new revision of its calendar event (docs/CALENDARS.md). */
	st = db_prepare(s->db, "UPDATE appointments SET status = ?, relevant = ?, result = ?, amount_cents = ?,"
		" updated_at = ?, sequence = sequence + ? WHERE id = ?", err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	db_bind_text(st, 1, now.status);
	store__bind_opt(st, 2, now.relevant);
	db_bind_text(st, 3, now.result);
	store__bind_opt(st, 4, now.amount_cents > 0 ? now.amount_cents : -1);
	db_bind_int64(st, 5, who->at);
	db_bind_int64(st, 6, strcmp(old.status, now.status) != 0);
	db_bind_int64(st, 7, id);
	if ((rc = store__run_done(st, err)) == 0)
		rc = store__counters_add(s, campaign_id, agent_id, day, hour, &delta, err);
	if (rc == 0)
		rc = store_audit(s, who, "appointment.result", "appointment", id, now.result, err);
	/* What sales made of it, for the webhooks (docs/WEBHOOKS.md), in this transaction. */
	if (rc == 0 && (rc = store__webhooks_any(s, &hooks, err)) == 0 && hooks) {
		json_t *j = json_pack("{s:s,s:I,s:s,s:o,s:s,s:o,s:s,s:I}", "event", "appointment.result", "appointment_id",
			(json_int_t)id, "status", now.status, "relevant", now.relevant < 0 ? json_null() : json_boolean(now.relevant),
			"result", now.result, "amount_cents", now.amount_cents > 0 ? json_integer(now.amount_cents) : json_null(),
			"by", who->actor ? who->actor : "", "at", (json_int_t)who->at);
		char *body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

		rc = store__webhook_event(s, "appointment.result", body, who->at, err);
		free(body);
		json_decref(j);
	}
out:
	return store__finish(s, rc, err);
}

int store_appointment_list(struct store *s, const struct appointment_filter *f, store_appointment_fn fn,
	void *ctx, struct tp_error *err)
{
	const char *sales = f->sales, *campaign = f->campaign;
	struct strbuf sb;
	struct db_stmt *st, *qual;
	const char *keys[CAMPAIGN_FIELDS_MAX], *values[CAMPAIGN_FIELDS_MAX];
	static _Thread_local char mem[16384];
	size_t used = 0;
	int rc, qrc, idx = 1;

	sb_init(&sb);
	sb_adds(&sb, "SELECT a.id, a.call_id, COALESCE(a.lead_id, 0), a.scheduled_at, COALESCE(a.amount_cents, 0),"
		" ca.name, ca.timezone, COALESCE(ag.name, ''), COALESCE(sa.name, ''), a.status, a.result,"
		" COALESCE(TRIM(COALESCE(ct.first_name, '') || ' ' || COALESCE(ct.last_name, '')), ''),"
		" COALESCE(co.name, ''), COALESCE(l.phone, ''), COALESCE(a.relevant, -1), COALESCE(c.notes, ''),"
		" COALESCE(l.contact_id, 0), ca.region,"
		" CASE WHEN ca.audience = 'b2c' THEN COALESCE(ct.address, '') ELSE COALESCE(co.address, ct.address, '') END,"
		" CASE WHEN ca.audience = 'b2c' THEN COALESCE(ct.postcode, '') ELSE COALESCE(co.postcode, ct.postcode, '') END,"
		" CASE WHEN ca.audience = 'b2c' THEN COALESCE(ct.city, '') ELSE COALESCE(co.city, ct.city, '') END,"
		" a.sequence, a.updated_at"
		" FROM appointments a JOIN campaigns ca ON ca.id = a.campaign_id JOIN calls c ON c.id = a.call_id"
		" LEFT JOIN users ag ON ag.id = a.agent_id LEFT JOIN users sa ON sa.id = a.sales_id"
		" LEFT JOIN leads l ON l.id = a.lead_id LEFT JOIN contacts ct ON ct.id = l.contact_id"
		" LEFT JOIN companies co ON co.id = ct.company_id WHERE 1 = 1");
	if (sales)
		sb_adds(&sb, " AND sa.name = ?");
	if (campaign)
		sb_adds(&sb, " AND ca.name = ?");
	if (f->id)
		sb_adds(&sb, " AND a.id = ?");
	if (f->since)
		sb_adds(&sb, " AND a.scheduled_at >= ?");
	sb_adds(&sb, " ORDER BY a.scheduled_at, a.id /* scan-ok: a listing */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	if (sales)
		db_bind_text(st, idx++, sales);
	if (campaign)
		db_bind_text(st, idx++, campaign);
	if (f->id)
		db_bind_int64(st, idx++, f->id);
	if (f->since)
		db_bind_int64(st, idx++, f->since);
	if (!(qual = db_prepare(s->db, "SELECT key, value FROM qualification_values WHERE contact_id = ? ORDER BY id", err))) {
		db_finalize(st);
		return err->code;
	}
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct appointment_row r = {
			db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2), db_col_int64(st, 3),
			db_col_int64(st, 4), db_col_text(st, 5), db_col_text(st, 6), db_col_text(st, 7),
			db_col_text(st, 8), db_col_text(st, 9), db_col_text(st, 10), db_col_text(st, 11),
			db_col_text(st, 12), db_col_text(st, 13), (int)db_col_int64(st, 14), db_col_text(st, 15),
			db_col_text(st, 17), 0, keys, values, db_col_text(st, 18), db_col_text(st, 19), db_col_text(st, 20),
			db_col_int64(st, 21), db_col_int64(st, 22),
		};
		int64_t contact = db_col_int64(st, 16);
		size_t n = 0;

		/* The contact's answers, the latest of each key (an indexed look per appointment). */
		if (contact) {
			db_bind_int64(qual, 1, contact);
			while ((qrc = db_step(qual, err)) == DB_ROW) {
				const char *k = db_col_text(qual, 0), *v = db_col_text(qual, 1);
				size_t i;

				for (i = 0; i < n && strcmp(keys[i], k) != 0; i++)
					;
				if (i == n && n == sizeof(keys) / sizeof(keys[0]))
					continue;
				if (i == n) {
					keys[n] = mem + used;
					used += (size_t)snprintf(mem + used, sizeof(mem) - used, "%s", k) + 1;
					n++;
				}
				values[i] = mem + used;
				used += (size_t)snprintf(mem + used, sizeof(mem) - used, "%s", v) + 1;
				if (used >= sizeof(mem) - 1100)
					break;   /* a contact with that much history: its first answers */
			}
			db_reset(qual);
			if (qrc < 0) {
				rc = qrc;
				break;
			}
		}
		used = 0;
		r.nqual = n;
		if (fn(ctx, &r))
			break;
	}
	db_finalize(qual);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_appointment_sales(struct store *s, int64_t id, char *sales, size_t size, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT COALESCE(u.name, '') FROM appointments a"
		" LEFT JOIN users u ON u.id = a.sales_id WHERE a.id = ?", err);
	int rc;

	sales[0] = '\0';
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st, err)) == DB_ROW)
		snprintf(sales, size, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? 0 : store__no_such(err, "appointment", id);
}
