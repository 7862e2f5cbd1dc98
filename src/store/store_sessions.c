/* Agents' calling sessions: started, paused, resumed, stopped, closed when idle (core/session.h decides). */
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
int store__user_id(struct store *s, const char *name, const char *field, int64_t *id, struct tp_error *err)
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
int store__agent_session_send(struct store *s, const char *name, struct tp_error *err)
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

void store__agent_session_done(struct store *s)
{
	if (s->cache[SLOT_SESSION_OPEN])
		db_reset(s->cache[SLOT_SESSION_OPEN]);
}

int store__agent_session(struct store *s, const char *name, int64_t *agent_id, struct session *ses,
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
int store__session_apply(struct store *s, int64_t agent_id, const struct session *ses,
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
	if ((rc = store__agent_session(s, agent, &agent_id, &ses, err)) || (rc = store_campaign_settings(s, campaign, &c, err)))
		goto out;
	if (ses.id) {
		struct session_step step = session_advance(&ses, at, at, true);

		if ((rc = store__session_apply(s, agent_id, &ses, &step, err)))
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
	if ((rc = store__agent_session(s, agent, &agent_id, &ses, err)))
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
		if ((rc = store__session_apply(s, agent_id, &ses, &step, err)) == 0) {
			*err = said;
			return store__commit_keeping(s, said.code, err);
		}
	}
	if (rc == 0)
		rc = store__session_apply(s, agent_id, &ses, &step, err);
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

int store_session_campaign(struct store *s, const char *agent, struct campaign *c, struct tp_error *err)
{
	struct session ses;
	int64_t agent_id;
	int rc;

	if ((rc = store__agent_session(s, agent, &agent_id, &ses, err)))
		return rc;
	if (!ses.id)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "agent", 0,
			TP_MSG("%s has no open session (telepro session start)"), 1, agent);
	return store__campaign_rules(s, ses.campaign_id, c, err);
}
