#ifndef TP_SCRIPTS_H
#define TP_SCRIPTS_H
/*
 * Call scripts versioned and compared (docs/SCRIPTS.md). A campaign runs one script or
 * several at once, its variants ("A", "B"...), each with a weight; every save of a
 * variant's text is a new version, kept. A lead gets one variant at its first call, by a
 * seeded hash of its id (random, reproducible, balanced by the weights), kept for every
 * later attempt; a stopped variant's leads move to the others at their next call.
 *
 * The comparison: per variant, the rates a script can change, each with its interval and
 * n, and for the primary rate the manager named a sequential test that stays valid however
 * often it is looked at: the mixture sequential probability ratio test (mSPRT) of Johari,
 * Koomen, Pekelis and Walsh, "Always valid inference: continuous monitoring of A/B tests"
 * (Operations Research 70(3), 2022), on the log of the ratio of each variant's rate to the
 * first variant's, run over the calls in their order of time: the verdict is "decided" once
 * the mixture likelihood ratio has reached 1/alpha at any point (alpha = 5 %, divided among
 * the variants compared with the first). Pure arithmetic, no I/O.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/kpi.h"

#define SCRIPT_VARIANTS_MAX 8
#define SCRIPT_NAME_MAX 16          /* bytes of a variant's name */
#define SCRIPT_BODY_MAX 65536       /* bytes of a script */
#define SCRIPT_WORDS_PER_MINUTE 150 /* a calm speaking pace, to read a script aloud */
#define SCRIPT_ALPHA 0.05
#define SCRIPT_TAU 0.223            /* the mixture's spread on the log ratio: ln 1.25 */
#define SCRIPT_MIN_HITS 5           /* per variant before the test counts a look */

/* A variant as the assignment sees it. */
struct script_arm {
	char name[SCRIPT_NAME_MAX + 1];
	int weight;
	bool stopped;
};

/* A variant's name: 1 to 16 letters, digits, '-' or '_'. 0, or TP_EUSAGE naming it. */
TP_MUST_USE int script_name_check(const char *name, struct tp_error *err);
/* A script as a history names it: "B" (its latest version, *version 0) or "B@2". 0, or
 * TP_EUSAGE. */
TP_MUST_USE int script_ref_parse(const char *text, char name[SCRIPT_NAME_MAX + 1], int64_t *version,
	struct tp_error *err);
/* "50,50": n whole weights from 1 to 1000. 0, or TP_EUSAGE. */
TP_MUST_USE int script_weights_parse(const char *text, int *weights, int n, struct tp_error *err);
/* A French consumer campaign's script opens (before its second heading, or in its first
 * 1,000 bytes) with what the law asks the caller to say at once (docs/RULES.md): who
 * calls ({{agent}}), for whom ("pour le compte de", "de la part de", "au nom de") and that
 * the call is commercial ("commercial", "démarchage", "prospection"). 0, or TP_EUSAGE
 * saying what is missing. */
TP_MUST_USE int script_opening_check(const char *body, struct tp_error *err);
/* Words of a script's text (merge fields count as one word each). */
int64_t script_words(const char *body);

/* The variant of lead_id among arms[0..n) (stopped or zero-weight ones never), by a hash
 * of seed and the lead's id: the same every time; -1 when none is running. */
int script_pick(uint64_t seed, int64_t lead_id, const struct script_arm *arms, int n);

/* The rates a script can change. */
enum script_rate {
	SCRIPT_CONTACT_RATE,                 /* conversations / calls (the opening) */
	SCRIPT_CONVERSATIONS_PER_HOUR,       /* conversations / hours of calling */
	SCRIPT_QUALIFICATION_RATE,           /* qualified conversations / conversations */
	SCRIPT_APPOINTMENTS_PER_CONVERSATION,
	SCRIPT_RELEVANT_PER_CONVERSATION,    /* relevant appointments / conversations */
	SCRIPT_RELEVANT_APPOINTMENT_RATE,    /* relevant / appointments rated */
	SCRIPT_SALES_PER_APPOINTMENT,        /* won / appointments with a result */
	SCRIPT_RATE_COUNT,
};
const char *script_rate_name(enum script_rate r);
/* 0 and *out, or TP_EUSAGE listing the rates. */
TP_MUST_USE int script_rate_parse(const char *name, enum script_rate *out, struct tp_error *err);

/* One call of the campaign, as the comparison folds it (in order of time). */
struct script_call {
	int arm;                    /* the variant it was made with (index), -1: none */
	int64_t agent_id;
	int local_day;
	bool timed;
	int64_t started_at, ring_seconds, talk_seconds;
	bool conversation, qualified, appointment;
	int relevant;               /* of its appointment: 1, 0, -1 not rated */
	int won;                    /* 1 won, 0 lost, -1 no result yet */
};

struct script_counts {
	int64_t calls, conversations, qualified, appointments, relevant, rated, won, known;
	int64_t calling_seconds;    /* each call's ring, talk and the gap before it (under
				     * KPI_IDLE_GAP_MAX, same agent and day) */
	int64_t talk_seconds, talk_seconds_sq;
};

/* The rate r of counts as its numerator and denominator (per hour: seconds). */
void script_rate_parts(const struct script_counts *c, enum script_rate r, int64_t *hits, int64_t *trials);
/* The rate r of counts: its interval (Wilson, or Poisson per hour). */
struct kpi_interval script_rate_of(const struct script_counts *c, enum script_rate r);

struct script_seq_arm {
	double hits, trials;        /* of the primary rate (trials in hours for per-hour) */
	double best_lambda;         /* the largest mixture likelihood ratio seen (against the first) */
	int sign;                   /* of the log ratio when it first reached the threshold, 0 not yet */
};

struct script_compare {
	int narms;
	enum script_rate primary;
	struct script_counts counts[SCRIPT_VARIANTS_MAX];
	struct script_seq_arm seq[SCRIPT_VARIANTS_MAX];
	int64_t unassigned;         /* calls made before the variants (no arm) */
	struct {
		int64_t agent_id, end;
		int local_day;
	} *last;                    /* each agent's previous call */
	size_t nlast, caplast;
};

void script_compare_init(struct script_compare *c, int narms, enum script_rate primary);
void script_compare_release(struct script_compare *c);
/* Folds call (calls in order of start time). */
void script_compare_add(struct script_compare *c, const struct script_call *call);

enum script_state { SCRIPT_CONTINUE, SCRIPT_DECIDED, SCRIPT_STOP };

struct script_verdict {
	enum script_state state;
	int arm;                    /* decided: the better variant; stop: the worse one; -1 */
	int against;                /* the variant it was compared with (the first), -1 */
	double ratio;               /* arm's primary rate over the first's, now */
	double lambda;              /* the largest ratio reached, of arm (or the closest one) */
	int64_t needed;             /* continue: about how many more trials per variant a true
				     * 1.25x difference takes to be decided (0 decided) */
};

void script_verdict(const struct script_compare *c, struct script_verdict *v);
/* The verdict in a sentence, French or English; names: the variants' names. */
void script_verdict_words(const struct script_compare *c, const struct script_verdict *v, const char *const *names,
	bool french, char *buf, size_t size);
/* What the primary rate's trials are, in words: "calls", "conversations", "appointments". */
const char *script_trials_unit(enum script_rate r);

#endif
