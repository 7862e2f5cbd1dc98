#ifndef TP_SESSION_H
#define TP_SESSION_H
/*
 * An agent's calling session and how it moves (docs/KPI.md, "Calling time"): decided here
 * on plain data, applied by the store. Calling time is credited from the last credit up
 * to each activity, never while paused; a session left idle longer than its campaign's
 * limit closes at its last activity, so that a forgotten stop is not calling time.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct session {
	int64_t id, campaign_id, started_at, paused_since, paused_seconds, last_activity_at, credited_until;
	char zone[64];              /* its campaign's time zone and idle limit */
	int64_t idle_limit;
};

/* What the store does after a step: credit [credit_from, credit_to) as calling time
 * (nothing when equal), then save the session, closed at ended_at when closed. */
struct session_step {
	bool closed;
	int64_t credit_from, credit_to;
	int64_t ended_at;           /* closed: when (its last activity, or a stop's time) */
};

/*
 * Brings an open session up to time at, for an activity that began at active_from (a
 * call's start; at is its end): closes it at its last activity when it sat idle longer
 * than its limit before active_from, else credits the time since the last credit (credit
 * true; not while paused; back-dated activity credits nothing) and notes the activity.
 * With credit false (a "next", whose call follows soon and credits the time since) only
 * the activity is noted.
 */
struct session_step session_advance(struct session *ses, int64_t active_from, int64_t at, bool credit);

enum session_change { SESSION_PAUSE, SESSION_RESUME, SESSION_STOP };

/*
 * A pause, resume or stop of agent's open session at at: the step to apply, and for a
 * stop the session's calling time (*calling_seconds, may be NULL). A session that sat
 * idle too long closes instead (TP_ENOTFOUND with step->closed: the close is to be kept).
 * TP_EUSAGE for a pause of a paused session, a resume of a running one, or a time before
 * its last activity.
 */
TP_MUST_USE int session_change(struct session *ses, enum session_change what, const char *agent, int64_t at,
	struct session_step *step, int64_t *calling_seconds, struct tp_error *err);

#endif
