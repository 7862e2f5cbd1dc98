/* The call log: the facts a call needs, core's decision (core/call_log.h) applied, calls found by key. */
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

int store_outcome_list(struct store *s, int64_t campaign_id, store_outcome_fn fn, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT code, label_fr, label_en, is_refusal, is_final, is_hot, is_callback,"
		" is_appointment, is_sale, is_do_not_call FROM outcomes WHERE campaign_id IS NULL OR campaign_id = ?"
		" ORDER BY CASE WHEN campaign_id IS NULL THEN 0 ELSE 1 END, id /* scan-ok: a few dozen rows */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct outcome_row o = {db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_int64(st, 3),
			db_col_int64(st, 4), db_col_int64(st, 5), db_col_int64(st, 6), db_col_int64(st, 7),
			db_col_int64(st, 8), db_col_int64(st, 9)};

		if ((rc = fn(ctx, &o)) != 0)
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* Call log -------------------------------------------------------------------------------- */

static int find_outcome(struct store *s, int64_t campaign_id, const char *code, struct outcome *o,
	struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (store__bulk_outcome(s, campaign_id, code, o))
		return 0;
	if (!(st = store__cached(s, SLOT_OUTCOME_BY_CODE, "SELECT id, code, is_refusal, is_final, is_hot,"
		" COALESCE(followup_days, 0), is_callback, is_appointment, is_sale, is_do_not_call FROM outcomes"
		" WHERE code = ?1 AND (campaign_id = ?2 OR campaign_id IS NULL)"
		" ORDER BY CASE WHEN campaign_id IS NULL THEN 1 ELSE 0 END LIMIT 1", err)))
		return err->code;
	db_bind_text(st, 1, code);
	db_bind_int64(st, 2, campaign_id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		o->id = db_col_int64(st, 0);
		snprintf(o->code, sizeof(o->code), "%s", db_col_text(st, 1));
		o->refusal = db_col_int64(st, 2);
		o->final = db_col_int64(st, 3);
		o->hot = db_col_int64(st, 4);
		o->followup_days = (int)db_col_int64(st, 5);
		o->callback = db_col_int64(st, 6);
		o->appointment = db_col_int64(st, 7);
		o->sale = db_col_int64(st, 8);
		o->do_not_call = db_col_int64(st, 9);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "outcome", 0, TP_MSG("'%s' is not an outcome of this campaign"
			" (built in: refused hot_short hot_medium hot_long callback appointment sale do_not_call"
			" not_target)"), 1, code);
	store__bulk_outcome_keep(s, campaign_id, o);
	return 0;
}

/* Records qualification values; *changed when one is new or differs from the last. */
static int record_qualification(struct store *s, const struct campaign *c, int64_t contact_id, int64_t agent_id,
	int64_t call_id, int64_t at, const struct call_input *in, bool *changed, struct tp_error *err)
{
	struct db_stmt *latest = store__cached(s, SLOT_QUAL_LATEST, "SELECT value FROM qualification_values"
		" WHERE contact_id = ? AND key = ? ORDER BY id DESC LIMIT 1", err);
	struct db_stmt *add = store__cached(s, SLOT_QUAL_ADD_CALL, "INSERT INTO qualification_values (contact_id, key, value,"
		" set_by, set_at, call_id) VALUES (?, ?, ?, ?, ?, ?)", err);
	int rc = 0;

	*changed = false;
	if (!latest || !add)
		return err->code;
	for (size_t i = 0; i < in->nqual && rc == 0; i++) {
		bool same;

		db_bind_int64(latest, 1, contact_id);
		db_bind_text(latest, 2, in->qual_key[i]);
		rc = db_step(latest, err);
		same = rc == DB_ROW && strcmp(db_col_text(latest, 0), in->qual_value[i]) == 0;
		db_reset(latest);
		if (rc < 0)
			return rc;
		rc = 0;
		if (same)
			continue;
		*changed = true;
		db_bind_int64(add, 1, contact_id);
		db_bind_text(add, 2, in->qual_key[i]);
		db_bind_text(add, 3, in->qual_value[i]);
		db_bind_int64(add, 4, agent_id);
		db_bind_int64(add, 5, at);
		db_bind_int64(add, 6, call_id);
		rc = db_step(add, err);
		db_reset(add);
		rc = rc < 0 ? rc : 0;
	}
	(void)c;
	return rc;
}

/* Calling time for a call made outside any session: extend the agent's span of the day. */
static int extend_span(struct store *s, const struct campaign *c, int64_t agent_id, int day, int64_t start,
	int64_t end, struct tp_error *err)
{
	int64_t first = start, last = end;
	bool known = store__bulk_span(s, c->id, agent_id, day, &first, &last);
	int rc;

	if (!known) {
		struct db_stmt *get = store__cached(s, SLOT_SPAN_GET, "SELECT first_start, last_end FROM agent_day_spans"
			" WHERE campaign_id = ? AND agent_id = ? AND local_day = ?", err);

		if (!get)
			return err->code;
		db_bind_int64(get, 1, c->id);
		db_bind_int64(get, 2, agent_id);
		db_bind_int64(get, 3, day);
		rc = db_step(get, err);
		known = rc == DB_ROW;
		if (known) {
			first = db_col_int64(get, 0);
			last = db_col_int64(get, 1);
		}
		db_reset(get);
		if (rc < 0)
			return rc;
	}
	if (!known) {
		rc = store__credit_calling_time(s, c->id, agent_id, c->timezone, start, end, err);
	} else {
		rc = 0;
		if (start < first)
			rc = store__credit_calling_time(s, c->id, agent_id, c->timezone, start, first, err);
		if (rc == 0 && end > last)
			rc = store__credit_calling_time(s, c->id, agent_id, c->timezone, last, end, err);
		first = start < first ? start : first;
		last = end > last ? end : last;
	}
	if (rc || store__bulk_span_keep(s, c->id, agent_id, day, first, last))
		return rc;
	return store__span_write(s, c->id, agent_id, day, first, last, err);
}

/* A call's campaign: the one this connection knows at the revision the lead's row read
 * gave (lead, when not NULL), else read. */
static int call_campaign(struct store *s, int64_t id, const struct lead_row *lead, struct campaign *c,
	struct tp_error *err)
{
	if (lead && lead->campaign_id == id &&
	    store__campaign_known(s, id, lead->campaign_revision, lead->campaign_created, c))
		return 0;
	return store__campaign_rules(s, id, c, err);
}

#define CALL_COLUMNS "campaign_id, lead_id, agent_id, session_id, started_at, ring_seconds, talk_seconds, result," \
	" outcome_id, notes, callback_at, local_day, local_hour, local_weekday, idempotency_key, attempt," \
	" script_variant, script_version"
#define CALL_NCOLS 18

static const char call_add_sql[] = "INSERT INTO calls (" CALL_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?, ?, ?, ?, ?)";

/* A new call's values, in CALL_COLUMNS' order: by column, a number ('n'), a number or NULL
 * when negative ('o'), or text, NULL when NULL or empty ('t'). */
static const char call_kind[CALL_NCOLS + 1] = "nononnntotonnntoto";

struct call_values {
	int64_t n[CALL_NCOLS];
	const char *text[CALL_NCOLS];
};

static void call_bind(struct db_stmt *st, const struct call_values *v)
{
	for (int i = 0; i < CALL_NCOLS; i++) {
		if (call_kind[i] == 't')
			db_bind_text_or_null(st, i + 1, v->text[i]);
		else if (call_kind[i] == 'o')
			store__bind_opt(st, i + 1, v->n[i]);
		else
			db_bind_int64(st, i + 1, v->n[i]);
	}
}

static void call_copy_row(struct strbuf *sb, const struct call_values *v)
{
	for (int i = 0; i < CALL_NCOLS; i++) {
		char num[24];
		char sep = i + 1 < CALL_NCOLS ? '\t' : '\n';

		if (call_kind[i] == 't') {
			store__copy_field(sb, v->text[i], sep);
		} else {
			if (call_kind[i] == 'o' && v->n[i] < 0)
				num[0] = '\0';
			else
				snprintf(num, sizeof(num), "%lld", (long long)v->n[i]);
			store__copy_field(sb, num, sep);
		}
	}
}

/* Calls kept as COPY rows above this size are written at once. */
#define CALLS_COPY_MAX (1 << 20)

int store__calls_flush(struct store *s, struct tp_error *err)
{
	struct strbuf *sb = store__bulk_calls(s);

	return sb ? store__copy_in(s->db, "COPY calls (" CALL_COLUMNS ") FROM STDIN", sb, err) : 0;
}

/* Writes a new call: with the bulk transaction's next ones (COPY) when its caller checked
 * its key and reads no id; queued when nothing reads its id; else by an insert whose id
 * is read at once, or after the commit (id_later: *ahead is the statement to read it from,
 * db_inserted_id). */
static int call_write(struct store *s, const struct call_input *in, const struct call_values *v, bool id_later,
	int64_t *call_id, struct db_stmt **ahead, struct tp_error *err)
{
	struct strbuf *copy;
	struct db_stmt *st;
	int rc;

	if (id_later && in->id_unread && in->key_new && (copy = store__bulk_calls(s))) {
		call_copy_row(copy, v);
		db_note_write(s->db);
		return copy->len > CALLS_COPY_MAX ? store__calls_flush(s, err) : 0;
	}
	if ((rc = store__calls_flush(s, err)))
		return rc;
	if (id_later && in->id_unread) {
		if (!(st = store__cached(s, SLOT_CALL_ADD_LATER, call_add_sql, err)))
			return err->code;
		call_bind(st, v);
		rc = db_step_later(st, err);
		db_reset(st);
		return rc;
	}
	if (!(st = store__cached_insert(s, SLOT_CALL_ADD, call_add_sql, err)))
		return err->code;
	call_bind(st, v);
	if (!id_later)
		return db_insert(st, call_id, err);
	*ahead = st;
	return db_insert_ahead(st, err);
}

static int replay(struct store *s, const char *key, int64_t *call_id, int64_t *appointment_id, bool *found,
	struct tp_error *err)
{
	struct db_stmt *st = store__cached(s, SLOT_CALL_BY_KEY, "SELECT c.id, COALESCE(a.id, 0) FROM calls c"
		" LEFT JOIN appointments a ON a.call_id = c.id WHERE c.idempotency_key = ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_text(st, 1, key);
	rc = db_step(st, err);
	*found = rc == DB_ROW;
	if (*found) {
		*call_id = db_col_int64(st, 0);
		*appointment_id = db_col_int64(st, 1);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

#define KEYS_PER_QUERY 64

int store_calls_known(struct store *s, const char *const *keys, size_t n, bool *known, struct tp_error *err)
{
	struct db_stmt *st;
	int rc = 0;

	memset(known, 0, n * sizeof(*known));
	if (!n)
		return 0;
	/* The calls kept for a bulk write are looked up with the others. */
	if ((rc = store__calls_flush(s, err)))
		return rc;
	if (!s->cache[SLOT_CALLS_KNOWN]) {
		struct strbuf sql;

		sb_init(&sql);
		store__sql_in_list(&sql, "SELECT idempotency_key FROM calls WHERE idempotency_key IN (", KEYS_PER_QUERY);
		s->cache[SLOT_CALLS_KNOWN] = db_prepare_replanned(s->db, sql.buf, err);
		sb_release(&sql);
	}
	if (!(st = s->cache[SLOT_CALLS_KNOWN]))
		return err->code;
	for (size_t from = 0; from < n && rc == 0; from += KEYS_PER_QUERY) {
		size_t k = store__bind_group(st, 1, keys, n, from, KEYS_PER_QUERY);

		while ((rc = db_step(st, err)) == DB_ROW) {
			const char *got = db_col_text(st, 0);

			for (size_t i = 0; i < k; i++)
				if (strcmp(got, keys[from + i]) == 0)
					known[from + i] = true;
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

static int not_in_campaign(int64_t lead_id, const char *campaign, struct tp_error *err)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)lead_id);
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, "lead", 0, TP_MSG("lead %s is not in campaign '%s'"), 2, id, campaign);
}

/* Whether the team has an enabled sales person (a fact call_decide may ask for). */
static int sales_available(struct store *s, bool *yes, struct tp_error *err)
{
	int64_t n = 0;
	int rc = db_query_int64(s->db, "SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE role = 'sales'"
		" AND disabled = 0 LIMIT 1) x /* scan-ok: is there a sales person */", &n, err);

	*yes = n > 0;
	return rc;
}

/* The webhooks' events of a call (docs/WEBHOOKS.md), in its transaction: call.logged, and
 * appointment.booked and lead.opted_out when it did that. */
static int call_events(struct store *s, const struct call_input *in, const struct campaign *c,
	const struct call_effects *e, const struct outcome *o, const char *phone, int64_t call_id, int64_t appointment_id,
	struct tp_error *err)
{
	json_t *j = json_pack("{s:s,s:I,s:o,s:s,s:s,s:s,s:o,s:I,s:I,s:I}", "event", "call.logged", "call_id",
		(json_int_t)call_id, "lead_id", in->lead_id ? json_integer(in->lead_id) : json_null(), "campaign", c->name,
		"agent", in->agent, "result", in->result, "outcome", o ? json_string(o->code) : json_null(), "started_at",
		(json_int_t)in->started_at, "talk_seconds", (json_int_t)in->talk_seconds, "ring_seconds",
		(json_int_t)in->ring_seconds);
	char *body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = store__webhook_event(s, "call.logged", body, in->started_at, err);

	free(body);
	json_decref(j);
	if (rc == 0 && e->appointment && appointment_id) {
		j = json_pack("{s:s,s:I,s:I,s:o,s:s,s:s,s:o,s:I}", "event", "appointment.booked", "appointment_id",
			(json_int_t)appointment_id, "call_id", (json_int_t)call_id, "lead_id",
			in->lead_id ? json_integer(in->lead_id) : json_null(), "campaign", c->name, "agent", in->agent, "sales",
			in->sales && *in->sales ? json_string(in->sales) : json_null(), "scheduled_at",
			(json_int_t)in->appointment_at);
		body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = store__webhook_event(s, "appointment.booked", body, in->started_at, err);
		free(body);
		json_decref(j);
	}
	if (rc == 0 && e->opposition) {
		j = json_pack("{s:s,s:o,s:s,s:s,s:I}", "event", "lead.opted_out", "lead_id",
			in->lead_id ? json_integer(in->lead_id) : json_null(), "phone", phone, "campaign", c->name, "at",
			(json_int_t)e->end);
		body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = store__webhook_event(s, "lead.opted_out", body, in->started_at, err);
		free(body);
		json_decref(j);
	}
	return rc;
}

int store_call_log(struct store *s, const struct call_input *in, int64_t *call_id, int64_t *appointment_id,
	bool *replayed, struct tp_error *err)
{
	struct campaign c;
	struct lead_row lead = {0};
	struct outcome outcome;
	struct call_facts facts = {0};
	struct call_effects e;
	struct session ses;
	struct kpi_counts delta;
	struct db_stmt *st, *ahead = NULL;
	int64_t agent_id, sales_id = 0, session_id = 0;
	bool qualified = false, found = false, lead_known, hooks = false;
	int rc;

	*call_id = 0;
	*appointment_id = 0;
	*replayed = false;
	campaign_init(&c);
	if ((rc = calling_check_result(in->result, in->outcome, err)))
		return rc;
	if (db_begin(s->db, err))
		return err->code;
	/* The facts. The agent, the lead and the replay check in one round trip (the lead a
	 * bulk transaction's "next" just gave is known already). */
	lead_known = store__bulk_lead_get(s, in->lead_id, &lead);
	if ((rc = store__hold_flush(s, in->lead_id, err)) || (rc = store__agent_session_send(s, in->agent, err)) ||
	    (in->lead_id && !lead_known && (rc = store__load_lead_send(s, in->lead_id, err))))
		goto out;
	if (in->idempotency_key && *in->idempotency_key && !in->key_new) {
		if ((rc = replay(s, in->idempotency_key, call_id, appointment_id, &found, err)))
			goto out;
		if (found) {
			*replayed = true;
			goto out;
		}
	}
	if ((rc = store__agent_session(s, in->agent, &agent_id, &ses, err)))
		goto out;
	if (in->lead_id && !lead_known && (rc = store__load_lead(s, in->lead_id, &lead, err)))
		goto out;
	if (in->campaign_id) {
		if ((rc = call_campaign(s, in->campaign_id, in->lead_id ? &lead : NULL, &c, err)))
			goto out;
		if (in->lead_id && lead.campaign_id != c.id) {
			rc = not_in_campaign(in->lead_id, c.name, err);
			goto out;
		}
	} else if (in->campaign) {
		if ((rc = store_campaign_settings(s, in->campaign, &c, err)))
			goto out;
		if (in->lead_id && lead.campaign_id != c.id) {
			rc = not_in_campaign(in->lead_id, in->campaign, err);
			goto out;
		}
	} else if (in->lead_id) {
		if ((rc = call_campaign(s, lead.campaign_id, &lead, &c, err)))
			goto out;
	} else {
		rc = tp_error_msg(err, TP_EUSAGE, NULL, 0, "lead", 0, TP_MSG("give a lead, or a campaign for a call without"
			" one"), 0);
		goto out;
	}
	facts.campaign = &c;
	if (in->outcome && *in->outcome) {
		if ((rc = find_outcome(s, c.id, in->outcome, &outcome, err)))
			goto out;
		facts.outcome = &outcome;
	}
	facts.lead_attempts = in->lead_id ? lead.attempts : 0;
	facts.session_here = ses.id && ses.campaign_id == c.id;
	if (call_needs_sales(in, facts.outcome) && (rc = sales_available(s, &facts.sales_available, err)))
		goto out;

	/* The decision (core/call_log.h), then each of its effects. */
	if ((rc = call_decide(in, &facts, &e, err)))
		goto out;
	/* A call logged as it is made tells the webhooks (docs/WEBHOOKS.md), with its ids. */
	if (in->live && (rc = store__webhooks_any(s, &hooks, err)))
		goto out;
	hooks = hooks && in->live;
	if (hooks)
		e.id_needed = true;
	if (in->sales && *in->sales && (rc = store__user_id(s, in->sales, "sales", &sales_id, err)))
		goto out;
	/* Calling time: the open session on this campaign, else the day's span. */
	if (e.calling_time == CALL_TIME_SESSION) {
		/* Idle is judged at the call's start; a long call is activity till its end. */
		struct session_step step = session_advance(&ses, in->started_at, e.end, true);

		if ((rc = store__session_apply(s, agent_id, &ses, &step, err)))
			goto out;
		session_id = step.closed ? 0 : ses.id;
	}
	if (e.calling_time != CALL_TIME_NONE && !session_id &&
	    (rc = extend_span(s, &c, agent_id, e.local_day, in->started_at, e.end, err)))
		goto out;

	/* Nothing here needs the new call's id but the caller, who may not want it, or may
	 * read it after the commit. */
	{
		struct call_values v = {{c.id, in->lead_id ? in->lead_id : -1, agent_id, session_id ? session_id : -1,
			in->started_at, in->ring_seconds, in->talk_seconds, 0, facts.outcome ? facts.outcome->id : -1, 0,
			in->callback_at ? in->callback_at : -1, e.local_day, e.local_hour, e.weekday, 0, e.attempt, 0,
			in->script_variant ? in->script_version : -1},
			{[7] = in->result, [9] = in->note, [14] = in->idempotency_key, [16] = in->script_variant}};

		if ((rc = call_write(s, in, &v, !e.id_needed, call_id, &ahead, err)))
			goto out;
	}

	/* The call placed for it is logged once. */
	if (in->dial_id) {
		if (!(st = db_prepare(s->db, "UPDATE dials SET call_id = ? WHERE id = ? AND call_id IS NULL", err))) {
			rc = err->code;
			goto out;
		}
		db_bind_int64(st, 1, *call_id);
		db_bind_int64(st, 2, in->dial_id);
		if ((rc = db_step(st, err)) >= 0 && db_changes(st) == 0)
			rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("this call was logged already"), 0);
		db_finalize(st);
		if (rc < 0)
			goto out;
	}
	if (in->nqual && in->lead_id &&
	    (rc = record_qualification(s, &c, lead.contact_id, agent_id, *call_id, in->started_at, in, &qualified, err)))
		goto out;
	qualified = call_qualified(in, qualified);
	if (qualified) {
		if (!(st = db_prepare(s->db, "UPDATE calls SET qualification_changed = 1 WHERE id = ?", err))) {
			rc = err->code;
			goto out;
		}
		db_bind_int64(st, 1, *call_id);
		if ((rc = store__run_done(st, err)))
			goto out;
	}

	if (e.appointment) {
		if (!(st = store__cached_insert(s, SLOT_APPOINTMENT_ADD, "INSERT INTO appointments (call_id, lead_id, campaign_id,"
			" agent_id, sales_id, scheduled_at, local_day, local_hour, updated_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", err))) {
			rc = err->code;
			goto out;
		}
		db_bind_int64(st, 1, *call_id);
		store__bind_opt(st, 2, in->lead_id ? in->lead_id : -1);
		db_bind_int64(st, 3, c.id);
		db_bind_int64(st, 4, agent_id);
		store__bind_opt(st, 5, sales_id ? sales_id : -1);
		db_bind_int64(st, 6, in->appointment_at);
		db_bind_int64(st, 7, e.local_day);
		db_bind_int64(st, 8, e.local_hour);
		db_bind_int64(st, 9, in->started_at);
		if ((rc = db_insert(st, appointment_id, err)))
			goto out;
	}
	if (e.opposition && (rc = store_opposition_add(s, lead.phone, "internal", e.end, err)) < 0)
		goto out;
	rc = 0;

	if (e.lead_update) {
		if (!(st = store__cached(s, SLOT_LEAD_UPDATE, "UPDATE leads SET state = ?, next_call_at = ?, attempts = attempts + 1,"
			" last_call_at = ?, last_result = ?, callback_agent_id = ?, held_by = NULL, held_until = NULL"
			" WHERE id = ?", err))) {
			rc = err->code;
			goto out;
		}
		db_bind_text(st, 1, e.lead.state);
		store__bind_opt(st, 2, e.lead.next_call_at ? e.lead.next_call_at : -1);
		db_bind_int64(st, 3, in->started_at);
		db_bind_text(st, 4, in->result);
		store__bind_opt(st, 5, e.lead.callback_mine ? agent_id : -1);
		db_bind_int64(st, 6, in->lead_id);
		rc = db_step_later(st, err);
		db_reset(st);
		if (rc < 0)
			goto out;
		/* A hold this bulk transaction had not written yet needs no writing now. */
		store__bulk_hold_clear(s, in->lead_id);
		store__bulk_lead_called(s, in->lead_id);
	}
	call_counts(in, &facts, &e, qualified, &delta);
	rc = store__counters_add(s, c.id, agent_id, e.local_day, e.local_hour, &delta, err);
	if (rc == 0 && facts.outcome && call_result_is_conversation(in->result))
		rc = store__outcome_counters_add(s, c.id, agent_id, e.local_day, facts.outcome->id, &delta, err);
	if (rc == 0 && hooks)
		rc = call_events(s, in, &c, &e, facts.outcome, lead.phone, *call_id, appointment_id ? *appointment_id : 0, err);
out:
	store__agent_session_done(s);
	if (s->cache[SLOT_LEAD_FOR_CALL])
		db_reset(s->cache[SLOT_LEAD_FOR_CALL]);
	campaign_release(&c);
	rc = store__finish(s, rc, err);
	if (ahead && rc == 0)
		return db_inserted_id(ahead, call_id, err);
	if (ahead)
		db_reset(ahead);
	return rc;
}

int store_call_by_key(struct store *s, const char *key, struct call_summary *out, bool *found, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT c.id, COALESCE(a.id, 0), COALESCE(c.lead_id, 0), c.talk_seconds,"
		" c.ring_seconds, COALESCE(c.callback_at, 0), c.result, COALESCE(o.code, ''), COALESCE(u.name, ''), c.notes"
		" FROM calls c LEFT JOIN appointments a ON a.call_id = c.id LEFT JOIN outcomes o ON o.id = c.outcome_id"
		" LEFT JOIN users u ON u.id = c.agent_id WHERE c.idempotency_key = ?", err);
	int rc;

	memset(out, 0, sizeof(*out));
	*found = false;
	if (!st)
		return err->code;
	db_bind_text(st, 1, key);
	if ((rc = db_step(st, err)) == DB_ROW) {
		*found = true;
		out->id = db_col_int64(st, 0);
		out->appointment_id = db_col_int64(st, 1);
		out->lead_id = db_col_int64(st, 2);
		out->talk_seconds = db_col_int64(st, 3);
		out->ring_seconds = db_col_int64(st, 4);
		out->callback_at = db_col_int64(st, 5);
		snprintf(out->result, sizeof(out->result), "%s", db_col_text(st, 6));
		snprintf(out->outcome, sizeof(out->outcome), "%s", db_col_text(st, 7));
		snprintf(out->agent, sizeof(out->agent), "%s", db_col_text(st, 8));
		out->note = db_col_is_null(st, 9) ? NULL : xstrdup(db_col_text(st, 9));
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
