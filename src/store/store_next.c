/* Which lead next: the queues, the holds, the candidates and their facts (core/next_lead.h decides). */
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

/* Next lead ------------------------------------------------------------------------------ */

/* Leads that may be offered: not held by someone else, not on the opposition list. */
#define OFFERABLE " AND (l.held_by IS NULL OR l.held_until <= ?2 OR l.held_by = ?3)" \
	" AND NOT EXISTS (SELECT 1 FROM opposition o WHERE o.phone = l.phone)"

/* The queues, in the order they are served; claim_stmt adds the LIMIT. The statement
 * for a queue's first lead has no OFFSET parameter: with one, PostgreSQL never trusts a
 * plan made once for all values and plans the query again at every execution. */
static const struct {
	const char *sql;
	enum next_queue q;
} queues[] = {
	{"SELECT l.id, l.phone, l.state, l.attempts, l.contact_id FROM leads l WHERE l.campaign_id = ?1 AND l.state = 'callback' AND l.next_call_at <= ?2"
	 " AND l.callback_agent_id = ?3" OFFERABLE " ORDER BY l.next_call_at ", NEXT_MY_CALLBACK},
	{"SELECT l.id, l.phone, l.state, l.attempts, l.contact_id FROM leads l WHERE l.campaign_id = ?1 AND l.state = 'callback' AND l.next_call_at <= ?2"
	 " AND (l.callback_agent_id IS NULL OR l.next_call_at <= CAST(?2 AS BIGINT) - "
	 TP_STR(NEXT_SHARED_CALLBACK_AFTER) ")" OFFERABLE " ORDER BY l.next_call_at ", NEXT_SHARED_CALLBACK},
	{"SELECT l.id, l.phone, l.state, l.attempts, l.contact_id FROM leads l WHERE l.campaign_id = ?1 AND l.state = 'hot' AND l.next_call_at <= ?2" OFFERABLE
	 " ORDER BY l.next_call_at ", NEXT_HOT},
	{"SELECT l.id, l.phone, l.state, l.attempts, l.contact_id FROM leads l WHERE l.campaign_id = ?1 AND l.state = 'new'" OFFERABLE
	 " ORDER BY l.priority DESC, l.id ", NEXT_NEW},
	{"SELECT l.id, l.phone, l.state, l.attempts, l.contact_id FROM leads l WHERE l.campaign_id = ?1 AND l.state = 'in_progress' AND l.next_call_at <= ?2"
	 OFFERABLE " ORDER BY l.next_call_at ", NEXT_RETRY},
};

/* The queues before the new leads are often empty: the preflight asks about them. */
#define PREFLIGHT_QUEUES 3
static char preflight_sql[4096];
static pthread_once_t preflight_once = PTHREAD_ONCE_INIT;

/* The lead the agent holds (or NULL), then for each of the first queues whether it has
 * a lead; parameters as the queues'. */
static void build_preflight(void)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_adds(&sb, "SELECT (SELECT id FROM leads WHERE held_by = ?3 AND campaign_id = ?1 AND held_until > ?2 LIMIT 1)");
	for (int q = 0; q < PREFLIGHT_QUEUES; q++)
		sb_addf(&sb, ", CASE WHEN EXISTS (%s) THEN 1 ELSE 0 END", queues[q].sql);
	snprintf(preflight_sql, sizeof(preflight_sql), "%s", sb.buf);
	sb_release(&sb);
}

static int hold_write(struct store *s, int64_t lead_id, int64_t agent_id, int64_t until, struct tp_error *err)
{
	struct db_stmt *hold = store__cached(s, SLOT_HOLD, "UPDATE leads SET held_by = ?, held_until = ? WHERE id = ?", err);
	int rc;

	if (!hold)
		return err->code;
	db_bind_int64(hold, 1, agent_id);
	db_bind_int64(hold, 2, until);
	db_bind_int64(hold, 3, lead_id);
	rc = db_step_later(hold, err);
	db_reset(hold);
	return rc;
}

int store__hold_flush(struct store *s, int64_t except, struct tp_error *err)
{
	int64_t lead_id, agent_id, until;

	if (!store__bulk_hold_peek(s, &lead_id, &agent_id, &until) || lead_id == except)
		return 0;
	store__bulk_hold_clear(s, lead_id);
	return hold_write(s, lead_id, agent_id, until, err);
}

/* Queue q's claiming query, for its first lead (skip 0: a statement kept, planned once
 * on PostgreSQL) or the ones after it (the caller finalises it). It locks the row it
 * gives, so that another process's open transaction never gets the same lead. */
static struct db_stmt *claim_stmt(struct store *s, size_t q, int skip, struct tp_error *err)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "%s LIMIT 1%s%s", queues[q].sql, skip ? " OFFSET ?4" : "", db_lock_rows(s->db));
	return skip ? db_prepare(s->db, sql, err) : store__cached(s, (enum stmt_slot)(SLOT_QUEUE_0 + q), sql, err);
}

/* The parameters of the queues (and of the preflight, skip 0). */
static void claim_bind(struct db_stmt *st, int64_t campaign_id, int64_t at, int64_t agent_id, int skip)
{
	db_bind_int64(st, 1, campaign_id);
	db_bind_int64(st, 2, at);
	db_bind_int64(st, 3, agent_id);
	if (skip)
		db_bind_int64(st, 4, skip);
}

static int lead_summary(struct store *s, int64_t lead_id, struct next_lead *out, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT phone, state, attempts FROM leads WHERE id = ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, lead_id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		out->lead_id = lead_id;
		snprintf(out->phone, sizeof(out->phone), "%s", db_col_text(st, 0));
		snprintf(out->state, sizeof(out->state), "%s", db_col_text(st, 1));
		out->attempts = (int)db_col_int64(st, 2);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* What waits in a campaign with nothing to call now; core says it (next_nothing). */
static int explain_nothing(struct store *s, const struct campaign *c, int64_t at, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT"
		" (SELECT MIN(next_call_at) FROM leads WHERE campaign_id = ?1 AND state = 'callback'),"
		" (SELECT COUNT(*) FROM leads WHERE campaign_id = ?1 AND state = 'in_progress' AND next_call_at > ?2),"
		" (SELECT MIN(next_call_at) FROM leads WHERE campaign_id = ?1 AND state = 'hot'),"
		" (SELECT COUNT(*) FROM leads l WHERE l.campaign_id = ?1 AND l.held_by IS NOT NULL AND l.held_until > ?2),"
		" (SELECT COUNT(*) FROM leads l WHERE l.campaign_id = ?1 AND (l.state = 'new' OR l.state = 'in_progress'"
		" OR l.state = 'callback' OR l.state = 'hot') AND EXISTS (SELECT 1 FROM opposition o WHERE o.phone = l.phone))"
		" /* scan-ok: only when there is nothing to call */", err);
	struct next_waiting w = {0};
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, c->id);
	db_bind_int64(st, 2, at);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		w.next_callback = db_col_is_null(st, 0) ? 0 : db_col_int64(st, 0);
		w.retrying = db_col_int64(st, 1);
		w.next_hot = db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2);
		w.held = db_col_int64(st, 3);
		w.opposed = db_col_int64(st, 4);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	return next_nothing(c, rc == DB_ROW ? &w : NULL, err);
}

/* Whether the campaign's rules of the trade allow calling lead at at (core decides on the
 * facts loaded here); *ok false with the reason kept in *refused when not. */
static int lawful(struct store *s, const struct campaign *c, int64_t lead_id, int64_t at, bool *ok,
	struct next_refusals *refused, struct tp_error *err)
{
	struct rules_facts facts;
	int rc;

	*ok = true;
	if (!next_rules_apply(c))
		return 0;
	if ((rc = store_lead_consumer(s, lead_id, at, &facts, err)))
		return rc;
	*ok = next_lawful(c, lead_id, &facts, at, refused);
	return 0;
}

/* Sends the preflight (the lead the agent holds, and which of the first queues have a
 * lead) and, before it, the claim of the first queue after them (*ahead), so that their
 * answers come back with the next statement that waits (db_send): one round trip for all. */
static int preflight_send(struct store *s, int64_t campaign_id, int64_t at, int64_t agent_id, struct db_stmt **ahead,
	struct db_stmt **pre, struct tp_error *err)
{
	pthread_once(&preflight_once, build_preflight);
	if (!(*pre = store__cached(s, SLOT_HELD, preflight_sql, err)) ||
	    !(*ahead = claim_stmt(s, PREFLIGHT_QUEUES, 0, err)))
		return err->code;
	claim_bind(*ahead, campaign_id, at, agent_id, 0);
	claim_bind(*pre, campaign_id, at, agent_id, 0);
	if (db_send(*ahead, err) || db_send(*pre, err))
		return err->code;
	return 0;
}

/* The ids of the agent and the campaign named, as this connection's "next" found them
 * (false: not both known, or not a connection that pipelines). A campaign's name may have
 * changed hands since: the caller checks them against what it reads. */
static bool desk_ids(struct store *s, const char *agent, const char *campaign, int64_t *agent_id,
	int64_t *campaign_id)
{
	return s->db->driver->send && store__name_id(&s->desk_agents, agent, agent_id) &&
		store__name_id(&s->desk_campaigns, campaign, campaign_id);
}

static void desk_ids_keep(struct store *s, const char *agent, const char *campaign, int64_t agent_id,
	int64_t campaign_id)
{
	store__name_id_keep(&s->desk_agents, STORE_DESK_AGENTS, agent, agent_id);
	store__name_id_keep(&s->desk_campaigns, STORE_DESK_CAMPAIGNS, campaign, campaign_id);
}

int store_next_lead(struct store *s, const char *agent, const char *campaign, int64_t at, struct next_lead *out,
	struct tp_error *err)
{
	struct campaign c;
	struct session ses;
	struct next_refusals refused = {0};
	struct db_stmt *ahead = NULL, *later = NULL, *pre = NULL;
	int64_t agent_id, lead_id = 0, contact_id = 0, early_agent = 0, early_campaign = 0;
	bool queue_empty[PREFLIGHT_QUEUES];
	int rc;

	memset(out, 0, sizeof(*out));
	campaign_init(&c);
	if (db_begin(s->db, err))
		return err->code;
	/* The agent and the campaign in one round trip; a refusal about the agent first. A
	 * hold not written yet is, first: this search must see it. With them, when this
	 * connection's "next" met both names before, the preflight and the first claim below,
	 * for the ids it found then (their answers dropped if the names now name others). */
	if ((rc = store__hold_flush(s, 0, err)) == 0 && (rc = store__agent_session_send(s, agent, err)) == 0 &&
	    (!desk_ids(s, agent, campaign, &early_agent, &early_campaign) ||
	     (rc = preflight_send(s, early_campaign, at, early_agent, &ahead, &pre, err)) == 0)) {
		struct tp_error cerr = *err;
		int crc = store_campaign_settings(s, campaign, &c, &cerr);

		if ((rc = store__agent_session(s, agent, &agent_id, &ses, err)) == 0 && (rc = crc))
			*err = cerr;
	}
	if (rc)
		goto out;
	if (pre && (agent_id != early_agent || c.id != early_campaign)) {
		db_reset(ahead);
		db_reset(pre);
		pre = NULL;
	}
	desk_ids_keep(s, agent, campaign, agent_id, c.id);
	/* Asking counts as activity of the agent's session. */
	if (ses.id && ses.campaign_id == c.id) {
		struct session_step step = session_advance(&ses, at, at, false);

		if ((rc = store__session_apply(s, agent_id, &ses, &step, err)))
			goto out;
	}
	if ((rc = next_check_windows(&c, at, err)))
		goto out;
	/* The lead the agent already holds comes back (if the rules still allow it). In the
	 * same round trip: which of the first queues have a lead at all, so that empty ones
	 * cost no claiming query (a queue found empty here while a lead joins it is looked
	 * at by the next "next"), and, where the driver pipelines (db_send), the claim of the
	 * first queue after them, which the loop below then reads. When the preflight finds
	 * a held lead or an earlier queue with one, that claim's answer is dropped; the row
	 * it locked is free again at this transaction's end, a few statements later. */
	{
		struct db_stmt *st;
		bool ok = true;

		if (!pre && (rc = preflight_send(s, c.id, at, agent_id, &ahead, &pre, err)))
			goto out;
		st = pre;
		rc = db_step(st, err);
		lead_id = rc == DB_ROW ? store__col_opt(st, 0) : 0;
		lead_id = lead_id < 0 ? 0 : lead_id;
		for (int q = 0; q < PREFLIGHT_QUEUES; q++)
			queue_empty[q] = rc == DB_ROW && db_col_int64(st, 1 + q) == 0;
		db_reset(st);
		pre = NULL;
		rc = rc < 0 ? rc : 0;
		if (rc == 0 && lead_id)
			rc = lawful(s, &c, lead_id, at, &ok, &refused, err);
		if (rc)
			goto out;
		if (lead_id && ok) {
			rc = lead_summary(s, lead_id, out, err);
			snprintf(out->reason, sizeof(out->reason), NEXT_HELD);
			goto out;
		}
		lead_id = 0;
	}
	for (size_t q = 0; q < sizeof(queues) / sizeof(queues[0]) && !lead_id; q++) {
		struct db_stmt *st;
		bool ok = false;

		if (q < PREFLIGHT_QUEUES && queue_empty[q])
			continue;

		/* Under rules of the trade, a lead they forbid now is passed over for the next. */
		db_finalize(later);
		later = NULL;
		for (int skip = 0; !ok && skip < (next_rules_apply(&c) ? NEXT_RULES_CANDIDATES : 1); skip++) {
			if (skip == 1 && !(later = claim_stmt(s, q, skip, err))) {
				rc = err->code;
				goto out;
			}
			if (!(st = skip ? later : claim_stmt(s, q, 0, err))) {
				rc = err->code;
				goto out;
			}
			/* The first claim of the queue after the preflight's went with it. */
			if (st != ahead || skip > 0)
				claim_bind(st, c.id, at, agent_id, skip);
			/* The lead as the agent will see it comes with the claim. */
			rc = db_step(st, err);
			lead_id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
			if (lead_id) {
				out->lead_id = lead_id;
				snprintf(out->phone, sizeof(out->phone), "%s", db_col_text(st, 1));
				snprintf(out->state, sizeof(out->state), "%s", db_col_text(st, 2));
				out->attempts = (int)db_col_int64(st, 3);
				contact_id = db_col_int64(st, 4);
			}
			db_reset(st);
			if (rc < 0)
				goto out;
			rc = 0;
			if (!lead_id)
				break;
			if ((rc = lawful(s, &c, lead_id, at, &ok, &refused, err)))
				goto out;
			if (!ok) {
				lead_id = 0;
				memset(out, 0, sizeof(*out));
			}
		}
		if (lead_id) {
			if (!store__bulk_hold_keep(s, lead_id, agent_id, at + c.hold_seconds) &&
			    (rc = hold_write(s, lead_id, agent_id, at + c.hold_seconds, err)))
				goto out;
			/* What the call log will read of it, in a bulk transaction (its row is locked). */
			{
				struct lead_row lr = {lead_id, c.id, contact_id, out->attempts, "", c.revision, c.created_at};

				snprintf(lr.phone, sizeof(lr.phone), "%s", out->phone);
				store__bulk_leads_clear(s);
				store__bulk_lead_keep(s, &lr);
			}
			next_reason(queues[q].q, out->attempts, c.max_attempts, out->reason, sizeof(out->reason));
		}
	}
	if (!lead_id && refused.n) {
		rc = next_refused(&c, &refused, err);
		goto out;
	}
	if (!lead_id)
		rc = explain_nothing(s, &c, at, err);
out:
	store__agent_session_done(s);
	if (ahead)
		db_reset(ahead);
	if (pre)
		db_reset(pre);
	db_finalize(later);
	campaign_release(&c);
	/* Nothing to call is an answer, not a failure: keep the session's activity. */
	if (rc == TP_ENOTHING)
		return store__commit_keeping(s, rc, err);
	return store__finish(s, rc, err);
}
