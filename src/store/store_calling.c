/*
 * The calling desk in the store: agent sessions, handing out the next lead, recording a
 * call with everything it implies, appointment results. Each public function is one
 * write transaction (nested inside the caller's, if any: db.h).
 */
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

/* Why user name (id 0: not found) may not act, naming field; 0 when it may. */
static int user_refusal(const char *name, const char *field, int64_t id, bool disabled, struct tp_error *err)
{
	if (disabled)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("user '%s' is disabled"), 1, name);
	if (!id)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, field, 0, TP_MSG("no user named '%s'"), 1, name);
	return 0;
}

/* An active user by name: TP_ENOTFOUND naming field when there is none. */
static int user_id(struct store *s, const char *name, const char *field, int64_t *id, struct tp_error *err)
{
	struct db_stmt *st;
	bool disabled;
	int rc;

	if (store__bulk_user(s, name, id))
		return 0;
	if (!(st = store__cached(s, SLOT_USER_BY_NAME, "SELECT id, disabled FROM users WHERE name = ?", err)))
		return err->code;
	db_bind_text(st, 1, name);
	rc = db_step(st, err);
	*id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	disabled = rc == DB_ROW && db_col_int64(st, 1);
	db_reset(st);
	if (rc < 0)
		return rc;
	if ((rc = user_refusal(name, field, *id, disabled, err)))
		return rc;
	store__bulk_user_keep(s, name, *id);
	return 0;
}

/* Sessions ------------------------------------------------------------------------------ */

/* The agent named, and their open session if any (ses->id 0 when none), with what the
 * session needs of its campaign: one query, since every desk operation starts here. */
static struct db_stmt *agent_session_stmt(struct store *s, struct tp_error *err)
{
	return store__cached(s, SLOT_SESSION_OPEN, "SELECT u.id, u.disabled, ss.id, ss.campaign_id, ss.started_at,"
		" COALESCE(ss.paused_since, 0), ss.paused_seconds, ss.last_activity_at, ss.credited_until, c.timezone,"
		" c.idle_limit_seconds FROM users u"
		" LEFT JOIN agent_sessions ss ON ss.id = (SELECT MAX(id) FROM agent_sessions"
		" WHERE agent_id = u.id AND ended_at IS NULL)"
		" LEFT JOIN campaigns c ON c.id = ss.campaign_id WHERE u.name = ?", err);
}

/* Sends agent_session's query ahead (db_send), so that it goes with the next statement
 * that waits; agent_session then reads its answer. The caller's unit resets the
 * statement however it ends (agent_session_done), since an answer may be left unread. */
static int agent_session_send(struct store *s, const char *name, struct tp_error *err)
{
	struct db_stmt *st;
	struct session known;
	int64_t id;

	if (store__bulk_user(s, name, &id) && store__bulk_session(s, id, &known))
		return 0;
	if (!(st = agent_session_stmt(s, err)))
		return err->code;
	db_bind_text(st, 1, name);
	return db_send(st, err);
}

static void agent_session_done(struct store *s)
{
	if (s->cache[SLOT_SESSION_OPEN])
		db_reset(s->cache[SLOT_SESSION_OPEN]);
}

static int agent_session(struct store *s, const char *name, int64_t *agent_id, struct session *ses,
	struct tp_error *err)
{
	struct db_stmt *st;
	bool disabled;
	int rc;

	memset(ses, 0, sizeof(*ses));
	if (store__bulk_user(s, name, agent_id) && store__bulk_session(s, *agent_id, ses))
		return 0;
	if (!(st = agent_session_stmt(s, err)))
		return err->code;
	db_bind_text(st, 1, name);
	rc = db_step(st, err);
	*agent_id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	disabled = rc == DB_ROW && db_col_int64(st, 1);
	if (rc == DB_ROW && !db_col_is_null(st, 2)) {
		ses->id = db_col_int64(st, 2);
		ses->campaign_id = db_col_int64(st, 3);
		ses->started_at = db_col_int64(st, 4);
		ses->paused_since = db_col_int64(st, 5);
		ses->paused_seconds = db_col_int64(st, 6);
		ses->last_activity_at = db_col_int64(st, 7);
		ses->credited_until = db_col_int64(st, 8);
		snprintf(ses->zone, sizeof(ses->zone), "%s", db_col_text(st, 9));
		ses->idle_limit = db_col_int64(st, 10);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	if ((rc = user_refusal(name, "agent", *agent_id, disabled, err)))
		return rc;
	store__bulk_user_keep(s, name, *agent_id);
	(void)store__bulk_session_keep(s, *agent_id, ses);   /* else read again next time */
	return 0;
}

static int session_zone(struct store *s, int64_t campaign_id, struct campaign *c, struct tp_error *err)
{
	campaign_init(c);
	return store__campaign_rules(s, campaign_id, c, err);
}

static int session_row_write(struct store *s, const struct session *ses, int64_t ended_at, struct tp_error *err)
{
	struct db_stmt *st = store__cached(s, SLOT_SESSION_TOUCH, "UPDATE agent_sessions SET paused_since = ?,"
		" paused_seconds = ?, last_activity_at = ?, credited_until = ?, ended_at = ? WHERE id = ?", err);
	int rc;

	if (!st)
		return err->code;
	if (ses->paused_since)
		db_bind_int64(st, 1, ses->paused_since);
	else
		db_bind_null(st, 1);
	db_bind_int64(st, 2, ses->paused_seconds);
	db_bind_int64(st, 3, ses->last_activity_at);
	db_bind_int64(st, 4, ses->credited_until);
	if (ended_at)
		db_bind_int64(st, 5, ended_at);
	else
		db_bind_null(st, 5);
	db_bind_int64(st, 6, ses->id);
	rc = db_step_later(st, err);
	db_reset(st);
	return rc;
}

int store__sessions_write(struct store *s, struct tp_error *err)
{
	return store__bulk_sessions_each(s, session_row_write, err);
}

/* Saves the session's moving parts (agent_id's): a bulk transaction writes each session
 * once, at its commit, and meanwhile reads its agents' sessions from its cache. */
static int session_save(struct store *s, int64_t agent_id, const struct session *ses, int64_t ended_at,
	struct tp_error *err)
{
	struct session none = {0};

	if (!store__bulk_session_keep(s, agent_id, ended_at ? &none : ses))
		return session_row_write(s, ses, ended_at, err);
	store__bulk_session_write(s, ses, ended_at);
	return 0;
}

/* Applies a step of the session core decided (core/session.h): the calling time it
 * credits, then the session as it leaves it (closed, or open). */
static int session_apply(struct store *s, int64_t agent_id, const struct session *ses,
	const struct session_step *step, struct tp_error *err)
{
	int rc = 0;

	if (step->credit_to > step->credit_from)
		rc = store__credit_calling_time(s, ses->campaign_id, agent_id, ses->zone, step->credit_from, step->credit_to,
			err);
	return rc ? rc : session_save(s, agent_id, ses, step->closed ? step->ended_at : 0, err);
}

int store_session_start(struct store *s, const char *agent, const char *campaign, int64_t at, int64_t *session_id,
	struct tp_error *err)
{
	struct campaign c;
	struct session ses;
	struct db_stmt *st;
	int64_t agent_id;
	int rc;

	campaign_init(&c);
	if (db_begin(s->db, err))
		return err->code;
	if ((rc = agent_session(s, agent, &agent_id, &ses, err)) || (rc = store_campaign_settings(s, campaign, &c, err)))
		goto out;
	if (ses.id) {
		struct session_step step = session_advance(&ses, at, at, true);

		if ((rc = session_apply(s, agent_id, &ses, &step, err)))
			goto out;
		if (!step.closed) {
			char since[32];
			struct campaign oc;

			campaign_init(&oc);
			rc = session_zone(s, ses.campaign_id, &oc, err);
			if (rc == 0) {
				tz_format(oc.timezone, ses.started_at, since, sizeof(since));
				rc = tp_error_msg(err, TP_EEXIST, NULL, 0, "agent", 0,
					TP_MSG("%s is already in a session of '%s' since %s; stop it first"), 3, agent, oc.name,
					since);
			}
			campaign_release(&oc);
			goto out;
		}
	}
	if (!(st = db_prepare_insert(s->db, "INSERT INTO agent_sessions (agent_id, campaign_id, started_at,"
		" last_activity_at, credited_until) VALUES (?, ?, ?, ?, ?)", err))) {
		rc = err->code;
		goto out;
	}
	db_bind_int64(st, 1, agent_id);
	db_bind_int64(st, 2, c.id);
	db_bind_int64(st, 3, at);
	db_bind_int64(st, 4, at);
	db_bind_int64(st, 5, at);
	rc = db_insert(st, session_id, err);
	db_finalize(st);
	store__bulk_session_forget(s, agent_id);
out:
	campaign_release(&c);
	return store__finish(s, rc, err);
}

/* Pause, resume or stop: what = 'p', 'r' or 's'. */
static int session_move(struct store *s, const char *agent, int64_t at, enum session_change what,
	int64_t *calling_seconds, struct tp_error *err)
{
	struct session ses;
	struct session_step step;
	int64_t agent_id;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	if ((rc = agent_session(s, agent, &agent_id, &ses, err)))
		goto out;
	if (!ses.id) {
		rc = tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "agent", 0,
			TP_MSG("%s has no open session (telepro session start)"), 1, agent);
		goto out;
	}
	rc = session_change(&ses, what, agent, at, &step, calling_seconds, err);
	if (rc && step.closed) {
		struct tp_error said = *err;

		/* Closed for being idle too long: the close itself is kept. */
		if ((rc = session_apply(s, agent_id, &ses, &step, err)) == 0) {
			*err = said;
			return store__commit_keeping(s, said.code, err);
		}
	}
	if (rc == 0)
		rc = session_apply(s, agent_id, &ses, &step, err);
out:
	return store__finish(s, rc, err);
}

int store_session_pause(struct store *s, const char *agent, int64_t at, struct tp_error *err)
{
	return session_move(s, agent, at, SESSION_PAUSE, NULL, err);
}

int store_session_resume(struct store *s, const char *agent, int64_t at, struct tp_error *err)
{
	return session_move(s, agent, at, SESSION_RESUME, NULL, err);
}

int store_session_stop(struct store *s, const char *agent, int64_t at, int64_t *calling_seconds, struct tp_error *err)
{
	return session_move(s, agent, at, SESSION_STOP, calling_seconds, err);
}
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
	if ((rc = store__hold_flush(s, 0, err)) == 0 && (rc = agent_session_send(s, agent, err)) == 0 &&
	    (!desk_ids(s, agent, campaign, &early_agent, &early_campaign) ||
	     (rc = preflight_send(s, early_campaign, at, early_agent, &ahead, &pre, err)) == 0)) {
		struct tp_error cerr = *err;
		int crc = store_campaign_settings(s, campaign, &c, &cerr);

		if ((rc = agent_session(s, agent, &agent_id, &ses, err)) == 0 && (rc = crc))
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

		if ((rc = session_apply(s, agent_id, &ses, &step, err)))
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
	agent_session_done(s);
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

void lead_view_release(struct lead_view *v)
{
	char **strs[] = {&v->phone, &v->state, &v->campaign, &v->timezone, &v->script, &v->civility, &v->first_name,
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
		" co.name, co.siren, co.sector, co.city, co.postcode, ca.name, ca.timezone, ca.script, ca.region"
		" FROM leads l JOIN contacts c ON c.id = l.contact_id LEFT JOIN companies co ON co.id = c.company_id"
		" JOIN campaigns ca ON ca.id = l.campaign_id WHERE l.id = ?", err);
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

int store_open_sessions(struct store *s, int64_t campaign_id, store_open_session_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT u.name, a.started_at, a.last_activity_at, CASE WHEN a.paused_since IS NULL THEN 0 ELSE 1 END"
		" FROM agent_sessions a JOIN users u ON u.id = a.agent_id"
		" WHERE a.campaign_id = ? AND a.ended_at IS NULL ORDER BY u.name", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct open_session o = {db_col_text(st, 0), db_col_int64(st, 1), db_col_int64(st, 2), db_col_int64(st, 3) != 0};

		if ((rc = fn(ctx, &o)) != 0)
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

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

static struct db_stmt *load_lead_stmt(struct store *s, struct tp_error *err)
{
	return store__cached(s, SLOT_LEAD_FOR_CALL, "SELECT l.campaign_id, l.contact_id, l.attempts, l.phone,"
		" c.revision, c.created_at FROM leads l JOIN campaigns c ON c.id = l.campaign_id WHERE l.id = ?", err);
}

/* As agent_session_send, for load_lead. */
static int load_lead_send(struct store *s, int64_t id, struct tp_error *err)
{
	struct db_stmt *st = load_lead_stmt(s, err);

	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	return db_send(st, err);
}

static int load_lead(struct store *s, int64_t id, struct lead_row *l, struct tp_error *err)
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
	" outcome_id, notes, callback_at, local_day, local_hour, local_weekday, idempotency_key, attempt"
#define CALL_NCOLS 16

static const char call_add_sql[] = "INSERT INTO calls (" CALL_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?, ?, ?)";

/* A new call's values, in CALL_COLUMNS' order: by column, a number ('n'), a number or NULL
 * when negative ('o'), or text, NULL when NULL or empty ('t'). */
static const char call_kind[CALL_NCOLS + 1] = "nononnntotonnnto";

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
	bool qualified = false, found = false, lead_known;
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
	if ((rc = store__hold_flush(s, in->lead_id, err)) || (rc = agent_session_send(s, in->agent, err)) ||
	    (in->lead_id && !lead_known && (rc = load_lead_send(s, in->lead_id, err))))
		goto out;
	if (in->idempotency_key && *in->idempotency_key && !in->key_new) {
		if ((rc = replay(s, in->idempotency_key, call_id, appointment_id, &found, err)))
			goto out;
		if (found) {
			*replayed = true;
			goto out;
		}
	}
	if ((rc = agent_session(s, in->agent, &agent_id, &ses, err)))
		goto out;
	if (in->lead_id && !lead_known && (rc = load_lead(s, in->lead_id, &lead, err)))
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
	if (in->sales && *in->sales && (rc = user_id(s, in->sales, "sales", &sales_id, err)))
		goto out;
	/* Calling time: the open session on this campaign, else the day's span. */
	if (e.calling_time == CALL_TIME_SESSION) {
		/* Idle is judged at the call's start; a long call is activity till its end. */
		struct session_step step = session_advance(&ses, in->started_at, e.end, true);

		if ((rc = session_apply(s, agent_id, &ses, &step, err)))
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
			in->callback_at ? in->callback_at : -1, e.local_day, e.local_hour, e.weekday, 0, e.attempt},
			{[7] = in->result, [9] = in->note, [14] = in->idempotency_key}};

		if ((rc = call_write(s, in, &v, !e.id_needed, call_id, &ahead, err)))
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
out:
	agent_session_done(s);
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
	int rc;

	if ((rc = appointment_values(status, NULL, result, NULL, &(int){0}, &(int64_t){0}, err)))
		return rc;
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
	st = db_prepare(s->db, "UPDATE appointments SET status = ?, relevant = ?, result = ?, amount_cents = ?,"
		" updated_at = ? WHERE id = ?", err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	db_bind_text(st, 1, now.status);
	store__bind_opt(st, 2, now.relevant);
	db_bind_text(st, 3, now.result);
	store__bind_opt(st, 4, now.amount_cents > 0 ? now.amount_cents : -1);
	db_bind_int64(st, 5, who->at);
	db_bind_int64(st, 6, id);
	if ((rc = store__run_done(st, err)) == 0)
		rc = store__counters_add(s, campaign_id, agent_id, day, hour, &delta, err);
	if (rc == 0)
		rc = store_audit(s, who, "appointment.result", "appointment", id, now.result, err);
out:
	return store__finish(s, rc, err);
}

int store_appointment_list(struct store *s, const char *sales, const char *campaign, store_appointment_fn fn,
	void *ctx, struct tp_error *err)
{
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
		" COALESCE(l.contact_id, 0), ca.region"
		" FROM appointments a JOIN campaigns ca ON ca.id = a.campaign_id JOIN calls c ON c.id = a.call_id"
		" LEFT JOIN users ag ON ag.id = a.agent_id LEFT JOIN users sa ON sa.id = a.sales_id"
		" LEFT JOIN leads l ON l.id = a.lead_id LEFT JOIN contacts ct ON ct.id = l.contact_id"
		" LEFT JOIN companies co ON co.id = ct.company_id WHERE 1 = 1");
	if (sales)
		sb_adds(&sb, " AND sa.name = ?");
	if (campaign)
		sb_adds(&sb, " AND ca.name = ?");
	sb_adds(&sb, " ORDER BY a.scheduled_at, a.id /* scan-ok: a listing */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	if (sales)
		db_bind_text(st, idx++, sales);
	if (campaign)
		db_bind_text(st, idx++, campaign);
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
			db_col_text(st, 17), 0, keys, values,
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

int store_session_campaign(struct store *s, const char *agent, struct campaign *c, struct tp_error *err)
{
	struct session ses;
	int64_t agent_id;
	int rc;

	if ((rc = agent_session(s, agent, &agent_id, &ses, err)))
		return rc;
	if (!ses.id)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "agent", 0,
			TP_MSG("%s has no open session (telepro session start)"), 1, agent);
	return store__campaign_rules(s, ses.campaign_id, c, err);
}

int store_lead_campaign(struct store *s, int64_t lead_id, struct campaign *c, struct tp_error *err)
{
	struct lead_row l;
	int rc = load_lead(s, lead_id, &l, err);

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
