#include <string.h>

#include "core/session.h"

struct session_step session_advance(struct session *ses, int64_t active_from, int64_t at, bool credit)
{
	struct session_step step = {0};

	if (!ses->paused_since && active_from - ses->last_activity_at > ses->idle_limit) {
		step.closed = true;
		if (ses->last_activity_at > ses->credited_until) {
			step.credit_from = ses->credited_until;
			step.credit_to = ses->last_activity_at;
			ses->credited_until = ses->last_activity_at;
		}
		step.ended_at = ses->last_activity_at;
		return step;
	}
	if (credit && !ses->paused_since && at > ses->credited_until) {
		step.credit_from = ses->credited_until;
		step.credit_to = at;
		ses->credited_until = at;
	}
	if (at > ses->last_activity_at)
		ses->last_activity_at = at;
	return step;
}

int session_change(struct session *ses, enum session_change what, const char *agent, int64_t at,
	struct session_step *step, int64_t *calling_seconds, struct tp_error *err)
{
	memset(step, 0, sizeof(*step));
	if (at < ses->last_activity_at)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "at", 0,
			TP_MSG("the session's last activity is later than that time"), 0);
	if (what == SESSION_RESUME) {
		if (!ses->paused_since)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "agent", 0, TP_MSG("%s's session is not paused"), 1, agent);
		ses->paused_seconds += at - ses->paused_since;
		ses->paused_since = 0;
		ses->credited_until = at;
		ses->last_activity_at = at;
		return 0;
	}
	*step = session_advance(ses, at, at, true);
	if (step->closed)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "agent", 0, TP_MSG("%s's session was idle too long and"
			" was closed at its last activity"), 1, agent);
	if (what == SESSION_PAUSE) {
		if (ses->paused_since)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "agent", 0, TP_MSG("%s's session is already paused"), 1,
				agent);
		ses->paused_since = at;
		return 0;
	}
	ses->paused_seconds += ses->paused_since ? at - ses->paused_since : 0;
	ses->paused_since = 0;
	ses->last_activity_at = at;
	step->closed = true;
	step->ended_at = at;
	if (calling_seconds)
		*calling_seconds = at - ses->started_at - ses->paused_seconds;
	return 0;
}
