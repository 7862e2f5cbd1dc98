#ifndef TP_RULES_H
#define TP_RULES_H
/*
 * The rules of the trade that a campaign applies on top of its own windows and caps
 * (docs/RULES.md). A rule set is data: a list of rules, each citing its source. French
 * B2C ("fr-b2c") is the default of consumer campaigns, none ("none") of business ones.
 * Everything here is arithmetic on plain values (no I/O): the store gathers a lead's
 * consumer and history, rules_check says, rule by rule, whether it may be called.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/place.h"

enum rules_set { RULES_NONE = 0, RULES_FR_B2C = 1 };

/* "none" or "fr-b2c"; -1 when name is neither. */
int rules_set_of(const char *name);
const char *rules_set_name(int set);
/* The default set of a campaign: fr-b2c for consumers (b2c) in France (region FR), none
 * otherwise (other countries' rule sets are for later). */
int rules_default_for(const char *audience, const char *region);

/* A French public holiday's name on day (yyyymmdd) where a consumer lives (NULL: mainland
 * France): the national days, Good Friday and 26 December in Moselle, Bas-Rhin and
 * Haut-Rhin (57, 67, 68), and the abolition of slavery in each overseas territory on its
 * own day (Guadeloupe 27 May, Saint-Martin 28 May, Saint-Barthélemy 9 October, ...).
 * NULL when the day is not one. */
const char *rules_fr_holiday(int yyyymmdd, const struct place *where);

#define RULES_MAX 12
#define RULES_CALLS_30D 4                  /* at most 4 calls or attempts in 30 days */
#define RULES_REFUSAL_DAYS 60              /* none for 60 days after a refusal */
#define RULES_SCREENING_DAYS 30            /* a file screened against Bloctel at most 30 days ago */
#define RULES_CONSENT_FROM 1786399200      /* 2026-08-11 00:00 in Paris: consent required from then */
/* How far back the calls to a number are read: 30 calendar days before the day of the
 * call, whatever the consumer's zone, fit in 32 times 24 hours. */
#define RULES_LOOKBACK_SECONDS (32 * 86400)

/* What the store gathers about the person a lead calls, at a time: where they live (as
 * stored), and their number's history (every campaign: the law counts per person). */
struct rules_facts {
	char phone[32], country[64], postcode[16];
	int64_t recent[RULES_CALLS_30D];   /* the latest calls or attempts to the number (UTC), newest
	                                      first, at most RULES_LOOKBACK_SECONDS before the time */
	int nrecent;
	int64_t last_refusal;              /* the last refusal during a call (UTC), 0 when none */
	int64_t consent_at;                /* the latest recorded consent (UTC), 0 when none */
	int64_t created_at;                /* when the lead came in with a prospect file */
	int64_t screened_at;               /* the latest screening against Bloctel (UTC), 0 when none */
};

/* What the rules need to know of the person called: the facts, and where they live. */
struct rules_consumer {
	struct rules_facts f;
	struct place where;                /* place_decide (place.h) */
};

/* The consumer of facts for a campaign of region (its national numbers' country) and zone:
 * where they live is place_decide's answer (place.h). */
void rules_consumer_of(const struct rules_facts *f, const char *region, const char *campaign_zone,
	struct rules_consumer *out);

/* A message the catalogue translates (po/fr.po; tests/web/po_check.sh extracts them): the
 * reasons' and sources' English text is their message id. */
#define RULES_MSG(text) text
#define RULES_ARGS 4

struct rule_verdict {
	const char *rule;            /* "fr.days", "fr.hours", "fr.holidays", "fr.frequency", "fr.refusal",
	                                "fr.consent", "fr.bloctel" */
	const char *source;          /* the text it enforces (a message id) */
	bool ok;
	char reason[256];            /* in English, for the desk, `telepro why` and `next` */
	/* The reason as a message: its id (English, a %s for each argument, in order) and its
	 * arguments, so that a page renders it in its reader's language (rules_format). */
	const char *fmt;
	char args[RULES_ARGS][64];
	int nargs;
	int64_t allowed_from;        /* when this rule allows the call again (UTC), 0 when unknown */
};

/* fmt (a reason's message id or its translation) with v's arguments in place of its %s. */
void rules_format(const char *fmt, const struct rule_verdict *v, char *out, size_t size);

/* The rule's name as a reader sees it (a message id): "lead.due" is "The lead's next call". */
const char *rules_label(const char *rule);

struct rules_result {
	bool callable;
	int n;
	struct rule_verdict v[RULES_MAX];
};

/* Applies set at time at (UTC) to consumer c; out lists every rule with its verdict. */
void rules_check(int set, int64_t at, const struct rules_consumer *c, struct rules_result *out);

struct calling_block;

/* What lead selection checks of a lead before the rules of the trade (the same conditions
 * as the store's queues, for explanations). */
struct rules_lead {
	const char *state;               /* new, in_progress, callback, hot, or a final state */
	int64_t next_call_at;            /* 0: now */
	const char *held_by;             /* another agent holding it, or NULL */
	int64_t held_until;
	const char *opposition;          /* "internal", "bloctel", "other" or NULL */
	const char *campaign_zone;
	const struct calling_block *windows;   /* the campaign's calling windows (defaults applied) */
	int nwindows;
};

/* Every reason, lead by campaign by law, why lead may or may not be called at at:
 * "lead.state", "lead.due", "lead.held", "opposition", "campaign.windows", then the rules
 * of set. out->callable when all allow it. */
void rules_explain(int set, int64_t at, const struct rules_lead *l, const struct rules_consumer *c,
	struct rules_result *out);

#endif
