#ifndef TP_CALL_LOG_H
#define TP_CALL_LOG_H
/*
 * A call logged, decided here and applied by the store (docs/ARCHITECTURE.md, "Decide,
 * then apply"): every caller — the desk, the API, `telepro call log`, a call history and
 * the dialer — fills a struct call_input; the store loads the facts (struct call_facts)
 * in the call's transaction, call_decide says what the call changes (struct
 * call_effects) or why it is refused, and the store writes exactly that.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calling.h"
#include "core/campaign.h"
#include "core/error.h"
#include "core/kpi.h"
#include "core/when.h"

/* The longest ring and talk a call may say, and its note (docs/CALLING.md). */
#define CALL_RING_MAX 3600
#define CALL_TALK_MAX 21600      /* 6 h */
#define CALL_NOTE_MAX 4000
#define CALL_QUAL_KEY_MAX 63

struct call_input {
	const char *agent;
	int64_t lead_id;            /* 0: a call with no lead (imported history); campaign then required */
	const char *campaign;       /* NULL: the lead's campaign */
	int64_t campaign_id;        /* instead of campaign, when known */
	const char *result;
	const char *outcome;        /* code; required for conversations */
	int64_t started_at;
	/* What a history knows of the call's time (core/when.h; WHEN_FULL, 0, at the desk):
	 * with less, started_at only orders the calls, no calling time is credited, and the
	 * call counts in its month (and weekday), never in an hour or a day it did not say. */
	enum when_known known;
	int weekday;                /* WHEN_WEEKDAY: 0 = Sunday */
	int64_t ring_seconds;
	int64_t talk_seconds;
	int64_t callback_at;        /* 0: none */
	int64_t appointment_at;     /* 0: none */
	const char *sales;          /* sales person for the appointment, may be NULL */
	const char *note;
	const char *idempotency_key;
	int64_t dial_id;            /* the call Telepro placed for it (core/dial.h), 0: none */
	const char *script_variant; /* the script on the agent's screen (NULL: none), and its */
	int64_t script_version;     /* version (docs/SCRIPTS.md) */
	int64_t attempt;            /* the call's rank among its lead's calls (histories); 0: counted */
	size_t nqual;
	const char *const *qual_key;
	const char *const *qual_value;
	/* The caller does not read *call_id (a call history): a call with no appointment and
	 * no qualification may then be written with the next statement that waits (*call_id
	 * 0), one round trip less on PostgreSQL. */
	bool id_unread;
	/* The caller found no call with idempotency_key in this transaction (store_calls_known)
	 * and writes none with it meanwhile: the call is not looked for again, and, with
	 * id_unread in a bulk transaction, may be written with the calls after it, before the
	 * next store_calls_known (PostgreSQL: COPY). Nothing reads calls in between. */
	bool key_new;
	/* Logged as it is made (the desk, the API, `telepro call log`), not from a history:
	 * an appointment names its sales person when there is one to name, and a callback or
	 * appointment outside the calling windows needs confirmed (core calling_check_booking). */
	bool live, confirmed;
};

/* What the store knows when the call is logged, read in its transaction. */
struct call_facts {
	const struct campaign *campaign;
	const struct outcome *outcome;  /* the outcome named, NULL when none */
	int64_t lead_attempts;          /* calls to the lead before this one (0 without a lead) */
	bool session_here;              /* the agent has an open session on the call's campaign */
	bool sales_available;           /* an enabled sales person exists (asked when call_needs_sales) */
};

/* Where a call's time is credited as calling time. */
enum call_time {
	CALL_TIME_NONE,                 /* a history's call without its time of day: none */
	CALL_TIME_SESSION,              /* the open session (the day's span if it closed for idleness) */
	CALL_TIME_SPAN,                 /* the agent's span of calls that day, outside sessions */
};

/* What logging the call changes: the store writes each, in the call's transaction. */
struct call_effects {
	int64_t end;                    /* the call's end: start + ring + talk */
	int local_day, local_hour, weekday; /* where the counters file it (hour -1: not known) */
	int64_t attempt;                /* its rank among its lead's calls; -1 without a lead */
	enum call_time calling_time;
	bool id_needed;                 /* its id is needed in the transaction (appointment, qualification) */
	bool appointment;               /* an appointment at in->appointment_at, with in->sales */
	bool opposition;                /* the lead's number joins the opposition list ("internal", at end) */
	bool lead_update;               /* the lead changes (lead), its hold released */
	struct lead_change lead;
};

/* Whether call_decide needs facts->sales_available (asked only then: a query). */
bool call_needs_sales(const struct call_input *in, const struct outcome *o);

/*
 * What the call changes, or why it may not be logged: TP_EUSAGE naming the field (result
 * and outcome, ring and talk, callback and appointment times, note, qualification),
 * TP_ECONFIRM for a booking outside the calling windows not confirmed (docs/CALLING.md).
 */
TP_MUST_USE int call_decide(const struct call_input *in, const struct call_facts *f, struct call_effects *e,
	struct tp_error *err);

/* Whether the call qualified its contact, once the store knows whether its answers changed
 * anything on the contact (changed); a call without a lead: whether it has any answer. */
bool call_qualified(const struct call_input *in, bool changed);

/* What the call adds to the KPI counters (qualified: call_qualified). */
void call_counts(const struct call_input *in, const struct call_facts *f, const struct call_effects *e,
	bool qualified, struct kpi_counts *delta);

#endif
