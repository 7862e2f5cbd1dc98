#ifndef TP_KPI_H
#define TP_KPI_H
/*
 * The KPI arithmetic: counts in, KPIs out, each rate
 * with its denominator and a 95 % interval (docs/KPI.md). Plain data, no I/O;
 * kpi_json.h turns counts into the documented JSON.
 */
#include <stdbool.h>
#include <stdint.h>

/* What the counters hold for one (campaign, agent, local day, local hour), or a sum. */
/*
 * Every KPI counter, declared once (docs/ARCHITECTURE.md, "A new counter"):
 * X(name, json, from) — the field of struct kpi_counts and the column of every counters
 * table (a migration adds the column: migrations are history, never generated; every
 * query of the counters names every column, so a missing one fails the first test), its
 * name in the KPI JSON (NULL: not shown), and the rows it is counted from (CALLS,
 * APPOINTMENTS, SESSIONS; store_kpi_recompute, the reference, counts each on its own).
 */
#define KPI_COUNTERS(X) \
	X(calls, "calls", CALLS) \
	X(conversations, "conversations", CALLS) \
	/* conversations whose outcome has the appointment flag */ \
	X(appointments, "appointments", CALLS) \
	/* sale outcomes + appointments won */ \
	X(sales, "sales", CALLS) \
	X(calling_seconds, "calling_seconds", SESSIONS) \
	/* of conversations; the sum of squares, for the interval of the mean */ \
	X(talk_seconds, "talk_seconds", CALLS) \
	X(talk_seconds_sq, NULL, CALLS) \
	/* conversations that added or changed qualification */ \
	X(qualified, NULL, CALLS) \
	X(hot, "hot_prospects", CALLS) \
	X(callbacks, "callbacks", CALLS) \
	X(refusals, "refusals", CALLS) \
	X(appointments_won, "appointments_won", APPOINTMENTS) \
	/* result won or lost */ \
	X(appointments_known, NULL, APPOINTMENTS) \
	X(appointments_held, "appointments_held", APPOINTMENTS) \
	X(appointments_no_show, "appointments_no_show", APPOINTMENTS) \
	X(appointments_relevant, NULL, APPOINTMENTS) \
	/* relevance recorded (yes or no) */ \
	X(appointments_rated, NULL, APPOINTMENTS) \
	/* of won appointments and sales */ \
	X(amount_cents, "amount_cents", APPOINTMENTS) \
	/* Calls of a history that did not say their time of day (core/when.h): counted in \
	 * calls and conversations, left out of the per-hour rates (no calling time is known). */ \
	X(untimed_calls, "untimed_calls", CALLS) \
	X(untimed_conversations, NULL, CALLS)

struct kpi_counts {
#define KPI_FIELD_(name, json, from) int64_t name;
	KPI_COUNTERS(KPI_FIELD_)
#undef KPI_FIELD_
};


void kpi_add(struct kpi_counts *acc, const struct kpi_counts *c);
/* acc -= c, counter by counter. */
void kpi_sub(struct kpi_counts *acc, const struct kpi_counts *c);

struct kpi_interval {
	bool defined;                 /* false when the denominator is 0 */
	double value, low, high;
	int64_t n;                    /* the denominator */
};

#define KPI_Z95 1.959964

/* Below this calling time a rate per hour is noise (4 calls in 4 minutes read 60 an hour):
 * its JSON says "short": true and the pages show "—" (docs/KPI.md). */
#define KPI_PER_HOUR_MIN_SECONDS 900

/* Wilson score interval for k successes out of n trials. */
struct kpi_interval kpi_wilson(int64_t k, int64_t n);

/* Events per hour over seconds of exposure, with an exact-in-practice Poisson interval
 * (Byar's approximation); n is the exposure in seconds. */
struct kpi_interval kpi_per_hour(int64_t events, int64_t seconds);

/* Mean of n values from their sum and sum of squares, with a normal 95 % interval. */
struct kpi_interval kpi_mean(int64_t n, int64_t sum, int64_t sum_sq);

/*
 * How calls were dialed (docs/KPI.md, "How the calls were dialed"): by hand, click-to-call
 * or progressive (core/dial.h), so that a manager sees what Telepro's dialing changed.
 * The calls are folded in each agent's order of time: the idle time before a call is the
 * gap since the end of the agent's previous call that day (ring and talk), counted when it
 * is under KPI_IDLE_GAP_MAX (a longer one is a break, not time between calls).
 */
enum kpi_dialing { KPI_DIAL_MANUAL, KPI_DIAL_CLICK, KPI_DIAL_PROGRESSIVE, KPI_DIAL_COUNT };
#define KPI_IDLE_GAP_MAX 1800

struct kpi_dialing_call {
	enum kpi_dialing mode;
	int64_t agent_id;
	int local_day;
	bool timed;                 /* its time of day is known (a history's may not be) */
	int64_t started_at, ring_seconds, talk_seconds;
	bool conversation;
};

struct kpi_dialing_group {
	int64_t calls, conversations;
	int64_t ring_seconds, talk_seconds;
	int64_t idle_seconds, idle_gaps;    /* the gaps before its calls, and how many */
};

/* "manual", "click", "progressive": 0 and *out, or -1. */
int kpi_dialing_parse(const char *name, enum kpi_dialing *out);
const char *kpi_dialing_name(enum kpi_dialing d);
/* Adds cur (prev: the call before it in the same fold, NULL for the first) to its group. */
void kpi_dialing_add(struct kpi_dialing_group g[KPI_DIAL_COUNT], const struct kpi_dialing_call *prev,
	const struct kpi_dialing_call *cur);

#endif
