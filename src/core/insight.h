#ifndef TP_INSIGHT_H
#define TP_INSIGHT_H
/*
 * Which differences between calling slots are real (docs/INSIGHTS.md), on plain counts:
 * the slots with enough trials ranked and tested (chi-square of homogeneity, every pair by
 * a pooled z-test, Benjamini-Hochberg over the pairs), how many more trials the others
 * need, and the finding said in a sentence, in French and in English. The app reads the
 * counts from the store and writes the JSON.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/stats.h"

/* Fewer trials than this in a slot and it is not ranked. */
#define INSIGHTS_MIN_TRIALS 30
/* The difference a slot with too few calls should be able to show: 25 % of the rate. */
#define INSIGHTS_LIFT 1.25

/* A slot: what it is (typed as the store gave it) and the successes of the rate in it. */
struct insight_slot {
	const char *key;            /* as the JSON says it: "16", "mon 09", "may", "inside" */
	int weekday, hour, month;   /* ISO weekday 1..7 or 0; hour 0..23 or -1; month 1..12 or 0 */
	int block;                  /* 1 inside the calling blocks, 2 outside, 0 not a block */
	int64_t hits, trials;
};

/* Two ranked slots compared, the better one first (a, b: indexes into the slots). */
struct insight_pair {
	int a, b;
	double ratio;               /* a's rate over b's; 0 when b's is 0 */
	double p, q;
	bool significant;           /* q <= 0.05 */
};

struct insight_comparison {
	struct stats_chi2 chi;      /* over the ranked slots */
	int nranked;
	struct insight_pair *pairs;
	int npairs;
	int best;                   /* the significant pair with the largest ratio, -1: none */
	int blur;                   /* the not yet significant one with the largest ratio, -1: none */
};

/* Compares the n slots (pairs allocated: insight_comparison_release). */
void insight_compare(const struct insight_slot *s, int n, struct insight_comparison *out);
void insight_comparison_release(struct insight_comparison *c);

/* How many more trials slot s needs to be ranked and to show a lift of INSIGHTS_LIFT over
 * the overall rate (0 when it is ranked already). */
int64_t insight_trials_needed(const struct insight_slot *s, double overall);

/* A slot as a manager reads it: "16 h", "vendredi", "mercredi 14 h", "mai" (French) or
 * "16:00", "fri", "wed 14:00", "May". */
void insight_slot_words(const struct insight_slot *s, bool french, char *buf, size_t size);

/* v with digits decimals, a decimal comma in French. */
const char *insight_decimal(double v, int digits, bool french, char *buf, size_t size);

/* The finding in a sentence (rate: its words, "le taux de contact" / "the contact rate"). */
void insight_summary(const struct insight_slot *s, const struct insight_comparison *c, const char *rate, bool french,
	char *buf, size_t size);

#endif
