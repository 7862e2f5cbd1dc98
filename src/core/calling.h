#ifndef TP_CALLING_H
#define TP_CALLING_H
/*
 * The calling desk's rules on plain data (docs/CALLING.md, "Results, outcomes and what they do to the lead"; issue
 * "Calling and KPIs"): which results exist, what a call does to its lead, what it adds to
 * the KPI counters, retry delays, calling windows, qualification value types.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/campaign.h"
#include "core/error.h"
#include "core/kpi.h"
#include "core/result.h"


/* An outcome and its flags; KPIs read the flags only. */
struct outcome {
	int64_t id;
	char code[64];
	bool refusal, final, hot, callback, appointment, sale, do_not_call;
	int followup_days;          /* hot outcomes: days until the follow-up; 0 otherwise */
};


/* What a call does to its lead. */
struct lead_change {
	const char *state;          /* new state */
	int64_t next_call_at;       /* 0: none */
	bool callback_mine;         /* the callback belongs to the calling agent */
};

/*
 * The lead's next state after a call: wrong and invalid numbers end it; final outcomes
 * end it; a callback waits for its time; a hot prospect waits for its follow-up; other
 * results retry after retry_seconds until attempts reach max_attempts.
 */
struct lead_change calling_lead_change(const char *result, const struct outcome *outcome, int64_t call_end,
	int64_t callback_at, int attempts_after, int64_t max_attempts, int64_t retry_seconds);

/* What one call adds to the KPI counters (appointment results come later). */
void calling_call_counts(const char *result, const struct outcome *outcome, int64_t talk_seconds,
	bool qualified, struct kpi_counts *delta);

/* A call's result and outcome, as given: a known result; an outcome for a conversation and
 * for nothing else. TP_EUSAGE naming the field. */
TP_MUST_USE int calling_check_result(const char *result, const char *outcome, struct tp_error *err);

/*
 * A callback or an appointment an agent sets (docs/CALLING.md, "Callbacks and
 * appointments"). Both come after the call; a call logged as it is made (live: the desk,
 * the API, `telepro call log`, not a history) books an appointment with a sales person
 * when the team has any, and a time outside the campaign's calling windows (03:00, a
 * Sunday) is asked again: TP_ECONFIRM unless confirmed. TP_EUSAGE naming the field.
 */
struct calling_booking {
	bool appointment;           /* else a callback */
	int64_t at, call_at;        /* the time set; the call's start (UTC seconds) */
	bool live, confirmed;
	const char *sales;          /* the sales person named, NULL or "" when none */
	bool sales_available;       /* the team has a sales person to choose */
	const char *zone;           /* the campaign's time zone */
	const struct calling_block *windows;
	int nwindows;               /* 0: the audience's default windows (audience) */
	const char *audience;
};
TP_MUST_USE int calling_check_booking(const struct calling_booking *b, struct tp_error *err);

/* Who holds a lead, for the ownership of its calls (store_lead_holder fills it). */
struct lead_holder {
	char state[24];
	char held_by[128];          /* the agent holding it ("" when none), even past the hold */
	int64_t held_until;
	char callback_agent[128];   /* whose callback it is ("" when none) */
};

/*
 * Whether actor may log a call on lead lead_id as agent (docs/CALLING.md, "Whose lead"):
 * no call goes on a closed lead (TP_ECONFLICT); an agent (for_anyone false) logs calls on
 * the lead they hold, or on their own callback, never on one another agent holds or whose
 * callback it is (TP_EFORBIDDEN, with the reason); a manager may log for anyone
 * (for_anyone true). 0 when allowed.
 */
TP_MUST_USE int calling_may_log(const char *actor, bool for_anyone, int64_t lead_id, const struct lead_holder *h, int64_t at,
	struct tp_error *err);

/* The default calling windows of an audience: B2B Monday-Friday 09:00-19:00; B2C
 * Monday-Friday 10:00-13:00 and 14:00-20:00 (Code de la consommation, art. D.223-9). */
void calling_default_windows(const char *audience, struct campaign *c);


/* Checks a qualification value against its field type (text, number, date, yesno,
 * choice with '|'-separated choices). */
TP_MUST_USE int calling_check_value(const char *key, const char *type, const char *choices, const char *value,
	struct tp_error *err);

#endif
