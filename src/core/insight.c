#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/insight.h"
#include "core/xalloc.h"

void insight_compare(const struct insight_slot *s, int n, struct insight_comparison *out)
{
	int64_t *h = xcalloc((size_t)n + 1, sizeof(int64_t)), *t = xcalloc((size_t)n + 1, sizeof(int64_t));
	int *ranked = xcalloc((size_t)n + 1, sizeof(int));
	double *p, *q, best_ratio = 0, blur_ratio = 0;
	int k = 0;

	memset(out, 0, sizeof(*out));
	out->best = out->blur = -1;
	/* Slots with enough trials are ranked and tested; the others wait for more calls. */
	for (int i = 0; i < n; i++) {
		if (s[i].trials >= INSIGHTS_MIN_TRIALS) {
			h[out->nranked] = s[i].hits;
			t[out->nranked] = s[i].trials;
			ranked[out->nranked++] = i;
		}
	}
	stats_chi2_homogeneity(h, t, (size_t)out->nranked, &out->chi);
	/* Every pair of ranked slots, the better one first, q-values over all the pairs. */
	out->npairs = out->nranked * (out->nranked - 1) / 2;
	out->pairs = xcalloc((size_t)out->npairs + 1, sizeof(*out->pairs));
	p = xcalloc((size_t)out->npairs + 1, sizeof(double));
	q = xcalloc((size_t)out->npairs + 1, sizeof(double));
	for (int i = 0; i < out->nranked; i++) {
		for (int j = i + 1; j < out->nranked; j++) {
			const struct insight_slot *x = &s[ranked[i]], *y = &s[ranked[j]];
			bool x_first = (double)x->hits * (double)y->trials >= (double)y->hits * (double)x->trials;

			out->pairs[k].a = x_first ? ranked[i] : ranked[j];
			out->pairs[k].b = x_first ? ranked[j] : ranked[i];
			p[k] = stats_two_proportions(x->hits, x->trials, y->hits, y->trials);
			k++;
		}
	}
	stats_bh(p, q, (size_t)out->npairs);
	for (k = 0; k < out->npairs; k++) {
		struct insight_pair *pr = &out->pairs[k];
		const struct insight_slot *x = &s[pr->a], *y = &s[pr->b];
		double vx = (double)x->hits / (double)x->trials, vy = (double)y->hits / (double)y->trials;

		pr->p = p[k];
		pr->q = q[k];
		pr->significant = q[k] <= 0.05;
		pr->ratio = vy > 0 ? vx / vy : 0;
		if (pr->significant && vy > 0 && pr->ratio > best_ratio) {
			best_ratio = pr->ratio;
			out->best = k;
		}
		if (!pr->significant && vy > 0 && pr->ratio > blur_ratio) {
			blur_ratio = pr->ratio;
			out->blur = k;
		}
	}
	free(h);
	free(t);
	free(ranked);
	free(p);
	free(q);
}

void insight_comparison_release(struct insight_comparison *c)
{
	free(c->pairs);
	c->pairs = NULL;
	c->npairs = 0;
}

int64_t insight_trials_needed(const struct insight_slot *s, double overall)
{
	/* At least what ranking takes, more when the lift to be seen needs more. */
	int64_t need = overall > 0 && overall * INSIGHTS_LIFT < 1
		? stats_trials_needed(overall, overall * INSIGHTS_LIFT) - s->trials : 0;

	if (s->trials >= INSIGHTS_MIN_TRIALS)
		return 0;
	if (need < INSIGHTS_MIN_TRIALS - s->trials)
		need = INSIGHTS_MIN_TRIALS - s->trials;
	return need > 0 ? need : 0;
}

void insight_slot_words(const struct insight_slot *s, bool french, char *buf, size_t size)
{
	static const char *const en[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	static const char *const fr[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};
	static const char *const months_fr[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"};
	static const char *const months_en[] = {"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"};
	const char *day = s->weekday >= 1 && s->weekday <= 7 ? (french ? fr : en)[s->weekday - 1] : NULL;

	if (s->month >= 1 && s->month <= 12)
		snprintf(buf, size, "%s", french ? months_fr[s->month - 1] : months_en[s->month - 1]);
	else if (s->block)
		/* Inside or outside the campaign's calling blocks. */
		snprintf(buf, size, "%s", s->block == 1 ? (french ? "dans les créneaux" : "inside the blocks")
			: (french ? "hors des créneaux" : "outside the blocks"));
	else if (day && s->hour >= 0)
		snprintf(buf, size, french ? "%s %d h" : "%s %02d:00", day, s->hour);
	else if (day)
		snprintf(buf, size, "%s", day);
	else
		snprintf(buf, size, french ? "%d h" : "%02d:00", s->hour);
}

const char *insight_decimal(double v, int digits, bool french, char *buf, size_t size)
{
	snprintf(buf, size, "%.*f", digits, v);
	if (french)
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
	return buf;
}

void insight_summary(const struct insight_slot *s, const struct insight_comparison *c, const char *rate, bool french,
	char *buf, size_t size)
{
	char wa[48], wb[48], r[16], qtext[32];

	if (c->nranked < 2) {
		snprintf(buf, size, french ? "Trop peu d'appels pour comparer les créneaux : au moins %d par créneau."
			: "Too few calls to compare the slots: at least %d a slot.", INSIGHTS_MIN_TRIALS);
		return;
	}
	if (c->best < 0) {
		if (french)
			snprintf(buf, size, "Aucune différence démontrée entre les créneaux pour %s (khi², p = %s) :"
				" continuer à mesurer.", rate, insight_decimal(c->chi.p_value, 2, true, r, sizeof(r)));
		else
			snprintf(buf, size, "No difference shown between the slots for %s yet (chi-square p = %.2f):"
				" keep measuring.", rate, c->chi.p_value);
		return;
	}
	{
		const struct insight_pair *best = &c->pairs[c->best];

		insight_slot_words(&s[best->a], french, wa, sizeof(wa));
		insight_slot_words(&s[best->b], french, wb, sizeof(wb));
		if (best->q < 0.001)
			snprintf(qtext, sizeof(qtext), french ? "< 0,001" : "< 0.001");
		else
			snprintf(qtext, sizeof(qtext), "= %s", insight_decimal(best->q, 3, french, r, sizeof(r)));
		/* "le taux de contact de 9 h", but "le taux de contact hors des créneaux". */
		if (french)
			snprintf(buf, size, "%s : %s× %s %s%s — significatif (q %s)", wa,
				insight_decimal(best->ratio, 1, true, r, sizeof(r)), rate, strncmp(wb, "hors", 4) == 0 ? "" : "de ",
				wb, qtext);
		else
			snprintf(buf, size, "%s: %s× %s %s%s — significant (q %s)", wa,
				insight_decimal(best->ratio, 1, false, r, sizeof(r)), rate,
				strncmp(wb, "outside", 7) == 0 ? "" : "of ", wb, qtext);
	}
	if (c->blur >= 0) {
		const struct insight_pair *blur = &c->pairs[c->blur];
		size_t l = strlen(buf);

		insight_slot_words(&s[blur->a], french, wa, sizeof(wa));
		insight_slot_words(&s[blur->b], french, wb, sizeof(wb));
		snprintf(buf + l, size - l, french ? " ; %s et %s — pas encore distinguables" : "; %s vs %s — not"
			" distinguishable yet", wa, wb);
	}
}
