#ifndef TP_NEXT_LEAD_H
#define TP_NEXT_LEAD_H
/*
 * Which lead an agent calls next, decided here and applied by the store (docs/CALLING.md,
 * "Which lead next"; docs/ARCHITECTURE.md): the store finds candidates queue by queue and
 * loads their facts; core says whether the calling windows are open, whether the rules of
 * the trade allow each candidate, why a lead is offered, and, when none is, why not.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/campaign.h"
#include "core/error.h"
#include "core/rules.h"

/* The queues a lead is taken from, in the order they are served. */
enum next_queue {
	NEXT_MY_CALLBACK,           /* the agent's own callbacks, due */
	NEXT_SHARED_CALLBACK,       /* callbacks of nobody in particular, or another's long overdue */
	NEXT_HOT,                   /* hot prospects whose follow-up is due */
	NEXT_NEW,                   /* never called, by priority */
	NEXT_RETRY,                 /* called before, retry delay over */
	NEXT_QUEUES
};

/* Another agent's callback becomes anyone's this long after its time. */
#define NEXT_SHARED_CALLBACK_AFTER 3600

/* How many leads of a queue the rules of the trade may pass over before the desk says
 * nothing may be called now (they are the queue's first ones, in its order). */
#define NEXT_RULES_CANDIDATES 25

/* Why the desk offers a lead of queue q (attempts: its calls so far), into buf; the held
 * lead's reason is NEXT_HELD. The pages translate them (src/http/html.c). */
#define NEXT_HELD "the lead you hold"
void next_reason(enum next_queue q, int attempts, int64_t max_attempts, char *buf, size_t size);

/* 0 when the campaign's calling windows (its audience's default when it has none) are
 * open at at; TP_ENOTHING saying which they are and when they open again otherwise. */
TP_MUST_USE int next_check_windows(const struct campaign *c, int64_t at, struct tp_error *err);

/* The leads the rules passed over in one search, and the first one's reason. */
struct next_refusals {
	int n;
	int64_t lead_id;
	struct rule_verdict why;    /* the first lead's first refusal (a message) */
};

/* Whether the campaign's calls go through rules of the trade (candidates need their
 * facts, store_lead_consumer, and may be passed over). */
bool next_rules_apply(const struct campaign *c);

/* Whether the rules allow calling lead at at, given its facts; when not, it is counted
 * in *refused (the first one's reason kept). */
bool next_lawful(const struct campaign *c, int64_t lead_id, const struct rules_facts *facts, int64_t at,
	struct next_refusals *refused);

/* TP_ENOTHING: no lead may be called now under the rules, how many were passed over and
 * the first one's reason. */
TP_MUST_USE int next_refused(const struct campaign *c, const struct next_refusals *refused, struct tp_error *err);

/* What waits in a campaign with nothing to call now (the store counts them). */
struct next_waiting {
	int64_t next_callback;      /* the next callback's time, 0: none */
	int64_t retrying;           /* leads waiting for their retry delay */
	int64_t next_hot;           /* the next hot follow-up's time, 0: none */
	int64_t held;               /* leads held by other agents */
	int64_t opposed;            /* open leads on the opposition list */
};

/* TP_ENOTHING: nothing to call now, and what waits (w NULL: nothing at all). */
TP_MUST_USE int next_nothing(const struct campaign *c, const struct next_waiting *w, struct tp_error *err);

#endif
