/*
 * Insights (docs/INSIGHTS.md): which differences in the KPIs are real. The best calling
 * slots: a rate by hour, weekday or weekday × hour, its chi-square test of homogeneity,
 * every pair of slots compared (pooled z-test, Benjamini-Hochberg over the pairs), slots
 * with too few calls set apart with how many more they need, and the finding in a
 * sentence.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/date.h"
#include "core/insight.h"
#include "core/kpi.h"
#include "core/memo.h"
#include "core/scripts.h"
#include "core/stats.h"
#include "core/tz.h"

#define INSIGHTS_GROUPS_MAX 200

static int64_t calls(const struct kpi_counts *c) { return c->calls; }
static int64_t conversations(const struct kpi_counts *c) { return c->conversations; }
static int64_t appointments(const struct kpi_counts *c) { return c->appointments; }
static int64_t sales(const struct kpi_counts *c) { return c->sales; }
static int64_t won(const struct kpi_counts *c) { return c->appointments_won; }

static const struct {
	const char *name, *fr, *en;
	int64_t (*hits)(const struct kpi_counts *);
	int64_t (*trials)(const struct kpi_counts *);
} rates[] = {
	{"contact_rate", "le taux de contact", "the contact rate", conversations, calls},
	{"appointment_rate", "le taux de rendez-vous", "the appointment rate", appointments, calls},
	{"appointments_per_conversation", "les rendez-vous par conversation", "appointments per conversation",
		appointments, conversations},
	{"sales_per_conversation", "les ventes par conversation", "sales per conversation", sales, conversations},
	{"sales_per_appointment", "les ventes par rendez-vous", "sales per appointment", won, appointments},
	{"appointments_per_call", "les rendez-vous par appel", "appointments per call", appointments, calls},
	{"sales_per_call", "les ventes par appel", "sales per call", sales, calls},
};
#define NRATES (sizeof(rates) / sizeof(rates[0]))

static json_t *interval(struct kpi_interval v);

struct slot {
	char key[32];                     /* as the JSON says it: "mon 09", "may", "inside" */
	int weekday, hour, month;         /* typed, as the store gave it (struct kpi_group_key) */
	int block;                        /* 1 inside the calling blocks, 2 outside, 0 not a block */
	int64_t hits, trials;
	int64_t calls, calling_seconds;   /* productivity */
};

struct slots {
	struct slot s[INSIGHTS_GROUPS_MAX];
	int n;
	int rate;
	bool months;                      /* by month of the year: "2008-05" goes to "may" */
	int64_t unplaced;                 /* calls whose history did not say the slot */
};

static const char *const month_keys[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
	"dec"};

static int keep_slot(void *ctx, const struct kpi_group_key *key, const struct kpi_counts *c)
{
	struct slots *sl = ctx;
	struct slot *s = NULL;
	char k[32];

	if (!key->label) {
		sl->unplaced += c->calls;
		return 0;
	}
	/* A slot with calling time but no trial of the rate has nothing to say. */
	if (rates[sl->rate].trials(c) == 0)
		return 0;
	/* By month of the year: May 2008 and May 2009 are one slot, "may". */
	snprintf(k, sizeof(k), "%s", sl->months ? month_keys[key->month - 1] : key->label);
	for (int i = 0; i < sl->n && !s; i++)
		if (strcmp(sl->s[i].key, k) == 0)
			s = &sl->s[i];
	if (!s && sl->n < INSIGHTS_GROUPS_MAX) {
		s = &sl->s[sl->n++];
		memset(s, 0, sizeof(*s));
		snprintf(s->key, sizeof(s->key), "%s", k);
		s->weekday = key->weekday;
		s->hour = key->hour;
		s->month = sl->months ? key->month : 0;
		s->block = key->by == KPI_BY_BLOCK ? (key->inside ? 1 : 2) : 0;
	}
	if (s) {
		s->hits += rates[sl->rate].hits(c);
		s->trials += rates[sl->rate].trials(c);
		s->calls += c->calls - c->untimed_calls;     /* per hour: the calls with a time */
		s->calling_seconds += c->calling_seconds;
	}
	return 0;
}

/* Month slots in the year's order (they come in calendar order, years apart). */
static int by_month_of_year(const void *a, const void *b)
{
	return ((const struct slot *)a)->month - ((const struct slot *)b)->month;
}

/* The filter of an insight: the role it needs, its campaign (required), the period. */
static int insight_filter(struct app *a, const struct app_insights_query *q, unsigned roles, const char *what,
	struct campaign *c, struct kpi_filter *f, struct tp_error *err)
{
	int rc;

	if ((rc = app_require(a, roles, what, err)))
		return rc;
	if (!q->campaign)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "campaign", "which campaign: --campaign NAME");
	if ((rc = app_period(q->from, q->to, &f->from_day, &f->to_day, err)) ||
	    (rc = store_campaign_settings(a->store, q->campaign, c, err)))
		return rc;
	f->campaign_id = c->id;
	return 0;
}

int app_insights_slots(struct app *a, const struct app_insights_query *q, json_t **out, struct tp_error *err)
{
	struct kpi_filter f = {0};
	enum kpi_group by;
	struct slots *sl;
	struct campaign c;
	const char *agent = q->agent;
	int rc;
	int64_t hits = 0, trials = 0;
	struct insight_slot *is = NULL;
	struct insight_comparison cmp = {0};
	char fr[512], en[512];
	json_t *groups, *few, *pairs;

	if ((rc = app_require(a, APP_AGENT | APP_MANAGER | APP_ADMIN, "insights", err)))
		return rc;
	if (a->role == APP_AGENT) {
		if (agent && strcmp(agent, a->actor) != 0)
			return tp_error_set(err, TP_EFORBIDDEN, "insights: an agent sees their own figures only (%s)", a->actor);
		agent = a->actor;
	}
	if (!q->by || !strcmp(q->by, "hour"))
		by = KPI_BY_HOUR;
	else if (!strcmp(q->by, "weekday"))
		by = KPI_BY_WEEKDAY;
	else if (!strcmp(q->by, "weekday-hour"))
		by = KPI_BY_WEEKDAY_HOUR;
	else if (!strcmp(q->by, "block"))
		by = KPI_BY_BLOCK;
	else if (!strcmp(q->by, "month"))
		by = KPI_BY_MONTH;
	else
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "by", "'%s': hour, weekday, weekday-hour, block or month", q->by);
	sl = xcalloc(1, sizeof(*sl));
	sl->rate = -1;
	for (size_t i = 0; i < NRATES; i++)
		if (strcmp(q->rate ? q->rate : "contact_rate", rates[i].name) == 0)
			sl->rate = (int)i;
	campaign_init(&c);
	if (sl->rate < 0) {
		rc = tp_error_at(err, TP_EUSAGE, NULL, 0, "rate", "'%s': contact_rate, appointment_rate,"
			" appointments_per_conversation, sales_per_conversation, sales_per_appointment,"
			" appointments_per_call or sales_per_call", q->rate);
		goto out;
	}
	if ((rc = insight_filter(a, q, APP_AGENT | APP_MANAGER | APP_ADMIN, "insights", &c, &f, err)))
		goto out;
	if (agent) {
		struct user u;

		if ((rc = store_user_get(a->store, agent, &u, err)))
			goto out;
		f.agent_id = u.id;
	}
	sl->months = by == KPI_BY_MONTH;
	if ((rc = store_kpi_groups(a->store, &f, by, keep_slot, sl, err)))
		goto out;
	if (sl->months)
		qsort(sl->s, (size_t)sl->n, sizeof(sl->s[0]), by_month_of_year);

	/* Core compares the slots and says the finding (core/insight.h); here, the JSON. */
	is = xcalloc((size_t)sl->n + 1, sizeof(*is));
	for (int i = 0; i < sl->n; i++) {
		is[i] = (struct insight_slot){sl->s[i].key, sl->s[i].weekday, sl->s[i].hour, sl->s[i].month, sl->s[i].block,
			sl->s[i].hits, sl->s[i].trials};
		hits += sl->s[i].hits;
		trials += sl->s[i].trials;
	}
	insight_compare(is, sl->n, &cmp);
	groups = json_array();
	few = json_array();
	for (int i = 0; i < sl->n; i++) {
		struct kpi_interval w = kpi_wilson(sl->s[i].hits, sl->s[i].trials);
		double overall = trials ? (double)hits / (double)trials : 0;

		if (sl->s[i].trials >= INSIGHTS_MIN_TRIALS)
			json_array_append_new(groups, json_pack("{s:s,s:f,s:f,s:f,s:I,s:o}", "key", sl->s[i].key, "value", w.value,
				"low", w.low, "high", w.high, "n", (json_int_t)sl->s[i].trials, "calls_per_hour",
				interval(kpi_per_hour(sl->s[i].calls, sl->s[i].calling_seconds))));
		else
			json_array_append_new(few, json_pack("{s:s,s:I,s:o,s:I}", "key", sl->s[i].key, "n",
				(json_int_t)sl->s[i].trials, "value", w.defined ? json_real(w.value) : json_null(), "needed",
				(json_int_t)insight_trials_needed(&is[i], overall)));
	}
	pairs = json_array();
	for (int k = 0; k < cmp.npairs; k++) {
		const struct insight_pair *pr = &cmp.pairs[k];

		json_array_append_new(pairs, json_pack("{s:s,s:s,s:o,s:f,s:f,s:b}", "a", sl->s[pr->a].key, "b",
			sl->s[pr->b].key, "ratio", sl->s[pr->b].hits > 0 ? json_real(pr->ratio) : json_null(), "p_value", pr->p,
			"q_value", pr->q, "significant", pr->significant));
	}
	insight_summary(is, &cmp, rates[sl->rate].fr, true, fr, sizeof(fr));
	insight_summary(is, &cmp, rates[sl->rate].en, false, en, sizeof(en));
	*out = json_pack("{s:s,s:s,s:{s:f,s:i,s:f},s:o,s:o,s:o,s:s,s:s}", "rate", rates[sl->rate].name, "by",
		q->by ? q->by : "hour", "test", "statistic", cmp.chi.statistic, "df", cmp.chi.df, "p_value", cmp.chi.p_value,
		"groups", groups, "too_few", few, "pairs", pairs, "summary", fr, "summary_en", en);
	/* Calls whose history did not say their slot are in no slot, and said so. */
	if (sl->unplaced) {
		json_object_set_new(*out, "unplaced_calls", json_integer(sl->unplaced));
		json_object_set_new(*out, "unknown", json_string(by == KPI_BY_WEEKDAY ? "no weekday in this history"
			: "no time of day in this history"));
	}
	/* Inside against outside the blocks, productivity too: calls per calling hour
	 * compared as Poisson rates. */
	if (by == KPI_BY_BLOCK) {
		const struct slot *in = NULL, *outside = NULL;

		for (int i = 0; i < sl->n; i++) {
			if (strcmp(sl->s[i].key, "inside") == 0)
				in = &sl->s[i];
			else if (strcmp(sl->s[i].key, "outside") == 0)
				outside = &sl->s[i];
		}
		if (in && outside && in->calling_seconds > 0 && outside->calling_seconds > 0)
			json_object_set_new(*out, "productivity", json_pack("{s:o,s:o,s:f,s:f}",
				"inside", interval(kpi_per_hour(in->calls, in->calling_seconds)),
				"outside", interval(kpi_per_hour(outside->calls, outside->calling_seconds)),
				"ratio", ((double)in->calls / (double)in->calling_seconds) /
					((double)outside->calls / (double)outside->calling_seconds),
				"p_value", stats_two_rates(in->calls, (double)in->calling_seconds, outside->calls,
					(double)outside->calling_seconds)));
	}
out:
	insight_comparison_release(&cmp);
	free(is);
	campaign_release(&c);
	free(sl);
	return rc;
}

/* Agents ------------------------------------------------------------------------------- */

#define AGENTS_MAX 500

struct agent_row {
	char name[128];
	struct kpi_counts c;
};

struct agent_rows {
	struct agent_row *r;
	int n;
};

static int keep_agent(void *ctx, const struct kpi_group_key *key, const struct kpi_counts *c)
{
	struct agent_rows *ar = ctx;

	if (ar->n < AGENTS_MAX && c->calls > 0) {
		snprintf(ar->r[ar->n].name, sizeof(ar->r[0].name), "%s", key->label);
		ar->r[ar->n].c = *c;
		ar->n++;
	}
	return 0;
}

/* The quality rates shown shrunk toward the team: name, successes, trials. */
static const struct {
	const char *name;
	int64_t (*hits)(const struct kpi_counts *);
	int64_t (*trials)(const struct kpi_counts *);
} quality[] = {
	{"contact_rate", conversations, calls},
	{"appointments_per_conversation", appointments, conversations},
};
static int64_t relevant(const struct kpi_counts *c) { return c->appointments_relevant; }
static int64_t rated(const struct kpi_counts *c) { return c->appointments_rated; }
static int64_t held(const struct kpi_counts *c) { return c->appointments_held; }
static int64_t held_or_not(const struct kpi_counts *c) { return c->appointments_held + c->appointments_no_show; }
static int64_t qualified(const struct kpi_counts *c) { return c->qualified; }
static const struct {
	const char *name;
	int64_t (*hits)(const struct kpi_counts *);
	int64_t (*trials)(const struct kpi_counts *);
} quality2[] = {
	{"relevant_appointment_rate", relevant, rated},
	{"show_rate", held, held_or_not},
	{"sales_per_appointment", won, appointments},
	{"qualification_rate", qualified, conversations},
};

/* What sales make of an agent's appointments, tested against the rest of the team: the
 * share marked irrelevant, no-show, lost. */
static int64_t irrelevant(const struct kpi_counts *c) { return c->appointments_rated - c->appointments_relevant; }
static int64_t no_show(const struct kpi_counts *c) { return c->appointments_no_show; }
static int64_t lost(const struct kpi_counts *c) { return c->appointments_known - c->appointments_won; }
static int64_t known(const struct kpi_counts *c) { return c->appointments_known; }
static const struct {
	const char *name;
	int64_t (*bad)(const struct kpi_counts *);
	int64_t (*of)(const struct kpi_counts *);
} forced[] = {
	{"irrelevant", irrelevant, rated},
	{"no_show", no_show, held_or_not},
	{"lost", lost, known},
};
#define NFORCED (sizeof(forced) / sizeof(forced[0]))
/* Fewer appointments than this with a known fate, and the agent is not judged. */
#define FORCED_MIN 10

static json_t *interval(struct kpi_interval v)
{
	return v.defined ? json_pack("{s:f,s:f,s:f,s:I}", "value", v.value, "low", v.low, "high", v.high, "n",
		(json_int_t)v.n) : json_pack("{s:n,s:n,s:n,s:I}", "value", "low", "high", "n", (json_int_t)v.n);
}

/* A rate of each agent, raw and shrunk toward the team. */
static void add_rate(json_t **objs, const struct agent_rows *ar, const char *name,
	int64_t (*hits)(const struct kpi_counts *), int64_t (*trials)(const struct kpi_counts *))
{
	int64_t *k = xcalloc((size_t)ar->n + 1, sizeof(int64_t)), *n = xcalloc((size_t)ar->n + 1, sizeof(int64_t));
	struct stats_beta b;

	for (int i = 0; i < ar->n; i++) {
		k[i] = hits(&ar->r[i].c);
		n[i] = trials(&ar->r[i].c);
	}
	stats_beta_fit(k, n, (size_t)ar->n, &b);
	for (int i = 0; i < ar->n; i++) {
		json_t *o = interval(kpi_wilson(k[i], n[i]));
		double v, lo, hi;

		stats_beta_estimate(&b, k[i], n[i], &v, &lo, &hi);
		json_object_set_new(o, "eb_value", json_real(v));
		json_object_set_new(o, "eb_low", json_real(lo));
		json_object_set_new(o, "eb_high", json_real(hi));
		json_object_set_new(objs[i], name, o);
	}
	free(k);
	free(n);
}

int app_insights_agents(struct app *a, const struct app_insights_query *q, json_t **out, struct tp_error *err)
{
	struct kpi_filter f = {0};
	struct agent_rows ar = {xcalloc(AGENTS_MAX, sizeof(struct agent_row)), 0};
	struct kpi_counts team = {0};
	struct campaign c;
	json_t **objs = NULL, *list;
	double *p = NULL, *qv = NULL;
	int rc;

	campaign_init(&c);
	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "insights agents", err)))
		goto out;
	if ((rc = app_period(q->from, q->to, &f.from_day, &f.to_day, err)))
		goto out;
	if (q->campaign) {
		if ((rc = store_campaign_settings(a->store, q->campaign, &c, err)))
			goto out;
		f.campaign_id = c.id;
	}
	if ((rc = store_kpi_groups(a->store, &f, KPI_BY_AGENT, keep_agent, &ar, err)))
		goto out;
	objs = xcalloc((size_t)ar.n + 1, sizeof(json_t *));
	for (int i = 0; i < ar.n; i++) {
		const struct kpi_counts *k = &ar.r[i].c;

		kpi_add(&team, k);
		/* Quantity first, then quality: never a ranking by calls alone. */
		objs[i] = json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:o,s:[]}", "agent", ar.r[i].name, "calls",
			(json_int_t)k->calls, "conversations", (json_int_t)k->conversations, "appointments",
			(json_int_t)k->appointments, "sales", (json_int_t)k->sales, "calls_per_hour",
			interval(kpi_per_hour(k->calls, k->calling_seconds)), "conversations_per_hour",
			interval(kpi_per_hour(k->conversations, k->calling_seconds)), "flags");
	}
	for (size_t r = 0; r < sizeof(quality) / sizeof(quality[0]); r++)
		add_rate(objs, &ar, quality[r].name, quality[r].hits, quality[r].trials);
	for (size_t r = 0; r < sizeof(quality2) / sizeof(quality2[0]); r++)
		add_rate(objs, &ar, quality2[r].name, quality2[r].hits, quality2[r].trials);
	/* Forced appointments: each agent against the rest of the team, q-values over every
	 * agent and test; flagged when one is significantly worse. */
	p = xcalloc((size_t)ar.n * NFORCED + 1, sizeof(double));
	qv = xcalloc((size_t)ar.n * NFORCED + 1, sizeof(double));
	for (int i = 0; i < ar.n; i++) {
		for (size_t t = 0; t < NFORCED; t++) {
			int64_t bad = forced[t].bad(&ar.r[i].c), of = forced[t].of(&ar.r[i].c);
			int64_t rest_bad = forced[t].bad(&team) - bad, rest_of = forced[t].of(&team) - of;
			bool worse = of > 0 && rest_of > 0 && (double)bad * (double)rest_of > (double)rest_bad * (double)of;

			p[i * NFORCED + t] = of >= FORCED_MIN && worse ? stats_two_proportions(bad, of, rest_bad, rest_of) : 1.0;
		}
	}
	stats_bh(p, qv, (size_t)ar.n * NFORCED);
	list = json_array();
	for (int i = 0; i < ar.n; i++) {
		json_t *evidence = json_array();
		bool flagged = false;

		for (size_t t = 0; t < NFORCED; t++) {
			int64_t bad = forced[t].bad(&ar.r[i].c), of = forced[t].of(&ar.r[i].c);
			int64_t rest_bad = forced[t].bad(&team) - bad, rest_of = forced[t].of(&team) - of;
			double q_value = qv[i * NFORCED + t];

			if (of < FORCED_MIN || p[i * NFORCED + t] >= 1.0)
				continue;
			json_array_append_new(evidence, json_pack("{s:s,s:I,s:I,s:f,s:I,s:I,s:f,s:f,s:b}", "test", forced[t].name,
				"agent_count", (json_int_t)bad, "agent_n", (json_int_t)of, "agent_share", (double)bad / (double)of,
				"team_count", (json_int_t)rest_bad, "team_n", (json_int_t)rest_of, "team_share",
				rest_of ? (double)rest_bad / (double)rest_of : 0.0, "q_value", q_value, "significant", q_value <= 0.05));
			flagged |= q_value <= 0.05;
		}
		if (flagged)
			json_array_append_new(json_object_get(objs[i], "flags"), json_string("forced_appointments"));
		json_object_set_new(objs[i], "evidence", evidence);
		json_array_append_new(list, objs[i]);
	}
	*out = json_pack("{s:o,s:{s:I,s:I,s:I}}", "agents", list, "team", "calls", (json_int_t)team.calls,
		"conversations", (json_int_t)team.conversations, "appointments", (json_int_t)team.appointments);
out:
	free(objs);
	free(p);
	free(qv);
	free(ar.r);
	campaign_release(&c);
	return rc;
}

/* Attempts ----------------------------------------------------------------------------- */

/* Attempts from this rank on are pooled ("6+"). */
#define ATTEMPTS_CAP 6

struct attempts {
	int64_t calls[ATTEMPTS_CAP + 1], conv[ATTEMPTS_CAP + 1], success[ATTEMPTS_CAP + 1];
};

static int keep_attempt(void *ctx, int64_t attempt, int64_t n, int64_t conv, int64_t success)
{
	struct attempts *at = ctx;
	int k = attempt >= ATTEMPTS_CAP ? ATTEMPTS_CAP : (int)attempt;

	if (k >= 1) {
		at->calls[k] += n;
		at->conv[k] += conv;
		at->success[k] += success;
	}
	return 0;
}

int app_insights_attempts(struct app *a, const struct app_insights_query *q, json_t **out, struct tp_error *err)
{
	struct kpi_filter f = {0};
	struct attempts at;
	struct campaign c;
	json_t *groups;
	double first = 0;
	int stop = 0, rc;
	char key[16], fr[256], en[256], v1[16], v2[16];

	memset(&at, 0, sizeof(at));
	campaign_init(&c);
	if ((rc = insight_filter(a, q, APP_MANAGER | APP_ADMIN, "insights attempts", &c, &f, err)) ||
	    (rc = store_attempt_groups(a->store, &f, keep_attempt, &at, err)))
		goto out;
	groups = json_array();
	if (at.calls[1])
		first = (double)at.success[1] / (double)at.calls[1];
	for (int k = 1; k <= ATTEMPTS_CAP; k++) {
		struct kpi_interval s = kpi_wilson(at.success[k], at.calls[k]);

		if (!at.calls[k])
			continue;
		snprintf(key, sizeof(key), k == ATTEMPTS_CAP ? "%d+" : "%d", k);
		json_array_append_new(groups, json_pack("{s:s,s:I,s:o,s:o}", "key", key, "calls", (json_int_t)at.calls[k],
			"contact_rate", interval(kpi_wilson(at.conv[k], at.calls[k])), "success_rate", interval(s)));
		/* A call stops paying when it surely brings less than half what a first call does:
		 * the interval of its success rate lies below half the first call's, from there on. */
		if (k >= 2 && first > 0 && s.high < first / 2) {
			if (!stop)
				stop = k;
		} else {
			stop = 0;
		}
	}
	if (stop) {
		snprintf(key, sizeof(key), stop == ATTEMPTS_CAP ? "%d+" : "%d", stop);
		snprintf(fr, sizeof(fr), "À partir de la %de tentative, un appel rapporte moins de la moitié d'un premier appel"
			" (%s %% contre %s %%) : cesser d'insister.", stop,
			insight_decimal(100.0 * (double)at.success[stop] / (double)at.calls[stop], 1, true, v1, sizeof(v1)),
			insight_decimal(100.0 * first, 1, true, v2, sizeof(v2)));
		snprintf(en, sizeof(en), "From attempt %d on, a call brings less than half what a first call does (%s%% against"
			" %s%%): stop insisting.", stop,
			insight_decimal(100.0 * (double)at.success[stop] / (double)at.calls[stop], 1, false, v1, sizeof(v1)),
			insight_decimal(100.0 * first, 1, false, v2, sizeof(v2)));
	} else {
		snprintf(fr, sizeof(fr), "Aucune tentative ne rapporte sûrement moins de la moitié d'un premier appel.");
		snprintf(en, sizeof(en), "No attempt surely brings less than half what a first call does.");
	}
	*out = json_pack("{s:s,s:i,s:o,s:o,s:s,s:s}", "campaign", c.name, "cap", ATTEMPTS_CAP, "groups", groups,
		"stop_paying_from", stop ? json_string(key) : json_null(), "summary", fr, "summary_en", en);
out:
	campaign_release(&c);
	return rc;
}

/* Objectives --------------------------------------------------------------------------- */

struct best {
	char agent[128], week_agent[128];
	int day, week;
	int64_t day_calls, week_calls;
	/* the running week of the current agent */
	char cur_agent[128];
	int cur_week;
	int64_t cur_calls;
	int64_t agent_days;
};

static void close_week(struct best *b)
{
	if (b->cur_calls > b->week_calls) {
		b->week_calls = b->cur_calls;
		b->week = b->cur_week;
		snprintf(b->week_agent, sizeof(b->week_agent), "%s", b->cur_agent);
	}
}

static int best_day(void *ctx, const char *agent, int day, int64_t calls)
{
	struct best *b = ctx;
	int week = tz_iso_week(day);

	if (calls <= 0)
		return 0;
	b->agent_days++;
	if (calls > b->day_calls) {
		b->day_calls = calls;
		b->day = day;
		snprintf(b->agent, sizeof(b->agent), "%s", agent);
	}
	/* Rows come by agent then day: a week ends when either changes. */
	if (strcmp(agent, b->cur_agent) != 0 || week != b->cur_week) {
		close_week(b);
		snprintf(b->cur_agent, sizeof(b->cur_agent), "%s", agent);
		b->cur_week = week;
		b->cur_calls = 0;
	}
	b->cur_calls += calls;
	return 0;
}

/* One objective's realistic range, the best ever, and what is wrong with the target. */
static json_t *objective(int64_t target, double low, double high, int64_t best, const char *best_when, const char *who)
{
	json_t *o = json_pack("{s:o,s:f,s:f,s:{s:I,s:s,s:s},s:[]}", "target", target >= 0 ? json_integer(target) : json_null(),
		"realistic_low", low, "realistic_high", high, "best", "calls", (json_int_t)best, "when", best_when, "agent", who,
		"warnings");

	if (target >= 0 && best > 0 && target > best)
		json_array_append_new(json_object_get(o, "warnings"), json_sprintf("above what any agent ever did (%lld calls,"
			" %s, %s)", (long long)best, who, best_when));
	if (target >= 0 && high > 0 && (double)target > high)
		json_array_append_new(json_object_get(o, "warnings"), json_sprintf("above the realistic range (%.0f to %.0f)",
			low, high));
	return o;
}

int app_insights_objectives(struct app *a, const struct app_insights_query *q, json_t **out, struct tp_error *err)
{
	struct kpi_filter f = {0};
	struct kpi_counts totals;
	struct kpi_interval cph;
	struct best b;
	struct campaign c;
	double hours[7] = {0}, day_hours = 0, week_hours = 0, measured_day_hours;
	char when[32], week_when[32];
	int days = 0, rc;

	memset(&b, 0, sizeof(b));
	campaign_init(&c);
	if ((rc = insight_filter(a, q, APP_MANAGER | APP_ADMIN, "insights objectives", &c, &f, err)))
		goto out;
	if ((rc = store_kpi_totals(a->store, &f, &totals, err)) || (rc = store_agent_days(a->store, &f, best_day, &b, err)))
		goto out;
	close_week(&b);
	cph = kpi_per_hour(totals.calls, totals.calling_seconds);
	/* The hours an agent calls a day: the planned blocks (working days), else what agents
	 * have actually done. */
	for (int i = 0; i < c.nblocks; i++)
		hours[c.blocks[i].weekday] += (c.blocks[i].end_minute - c.blocks[i].start_minute) / 60.0;
	for (int wd = 0; wd < 7; wd++) {
		week_hours += hours[wd];
		if (hours[wd] > 0) {
			day_hours += hours[wd];
			days++;
		}
	}
	measured_day_hours = b.agent_days ? (double)totals.calling_seconds / 3600.0 / (double)b.agent_days : 0;
	if (days) {
		day_hours /= days;
	} else {
		day_hours = measured_day_hours;
		week_hours = measured_day_hours * 5;
	}
	snprintf(when, sizeof(when), "%04d-%02d-%02d", b.day / 10000, b.day / 100 % 100, b.day % 100);
	snprintf(week_when, sizeof(week_when), "%04d-W%02d", b.week / 100, b.week % 100);
	*out = json_pack("{s:s,s:o,s:o,s:f,s:f,s:s,s:f}", "campaign", c.name, "calls_per_hour", interval(cph),
		"avg_conversation_seconds", totals.conversations ? json_real((double)totals.talk_seconds / (double)totals.conversations)
		: json_null(), "hours_per_day", day_hours, "hours_per_week", week_hours, "hours_from",
		days ? "calling blocks" : "measured calling time", "measured_hours_per_day", measured_day_hours);
	json_object_set_new(*out, "daily_calls", objective(c.daily_calls, cph.defined ? cph.low * day_hours : 0,
		cph.defined ? cph.high * day_hours : 0, b.day_calls, when, b.agent));
	json_object_set_new(*out, "weekly_calls", objective(c.weekly_calls, cph.defined ? cph.low * week_hours : 0,
		cph.defined ? cph.high * week_hours : 0, b.week_calls, week_when, b.week_agent));
out:
	campaign_release(&c);
	return rc;
}

/* Follow-ups and the lag to a sale ------------------------------------------------------ */

#define FOLLOWUP_KINDS 8

/* Days as a manager reads them: values in seconds, the median and quartiles in days. */
struct durations {
	double *v;
	size_t n, cap;
};

static void durations_add(struct durations *d, double seconds)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(double));
	}
	d->v[d->n++] = seconds / 86400.0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* {"n","median_days","q1_days","q3_days"} (nulls when empty); frees d. */
static json_t *durations_json(struct durations *d)
{
	json_t *o;

	if (!d->n) {
		o = json_pack("{s:i,s:n,s:n,s:n}", "n", 0, "median_days", "q1_days", "q3_days");
	} else {
		qsort(d->v, d->n, sizeof(double), by_value);
		o = json_pack("{s:I,s:f,s:f,s:f}", "n", (json_int_t)d->n, "median_days",
			stats_quantile(d->v, d->n, 0.5), "q1_days", stats_quantile(d->v, d->n, 0.25), "q3_days",
			stats_quantile(d->v, d->n, 0.75));
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
	return o;
}

struct followups {
	char code[FOLLOWUP_KINDS][32];
	int64_t n[FOLLOWUP_KINDS], converted[FOLLOWUP_KINDS];
	struct durations lag[FOLLOWUP_KINDS];
	int kinds;
};

static int keep_followup(void *ctx, const char *code, int64_t at, int64_t converted_at)
{
	struct followups *fu = ctx;
	int k;

	for (k = 0; k < fu->kinds; k++)
		if (strcmp(fu->code[k], code) == 0)
			break;
	if (k == fu->kinds) {
		if (fu->kinds == FOLLOWUP_KINDS)
			return 0;
		snprintf(fu->code[fu->kinds++], sizeof(fu->code[0]), "%s", code);
	}
	fu->n[k]++;
	if (converted_at) {
		fu->converted[k]++;
		durations_add(&fu->lag[k], (double)(converted_at - at));
	}
	return 0;
}

struct won {
	struct durations to_meeting, to_sale;
};

static int keep_won(void *ctx, int64_t booked_at, int64_t scheduled_at, int64_t won_at)
{
	struct won *w = ctx;

	durations_add(&w->to_meeting, (double)(scheduled_at - booked_at));
	durations_add(&w->to_sale, (double)(won_at - booked_at));
	return 0;
}

int app_insights_followups(struct app *a, const struct app_insights_query *q, json_t **out, struct tp_error *err)
{
	struct kpi_filter f = {0};
	struct followups fu;
	struct won w;
	struct campaign c;
	json_t *kinds;
	int rc;

	memset(&fu, 0, sizeof(fu));
	memset(&w, 0, sizeof(w));
	campaign_init(&c);
	if ((rc = insight_filter(a, q, APP_MANAGER | APP_ADMIN, "insights followups", &c, &f, err)) ||
	    (rc = store_followups(a->store, c.id, keep_followup, &fu, err)) ||
	    (rc = store_won_appointments(a->store, c.id, keep_won, &w, err)))
		goto out;
	kinds = json_array();
	for (int k = 0; k < fu.kinds; k++) {
		json_t *o = json_pack("{s:s,s:I,s:I,s:o}", "outcome", fu.code[k], "conversations", (json_int_t)fu.n[k],
			"converted", (json_int_t)fu.converted[k], "conversion_rate", interval(kpi_wilson(fu.converted[k], fu.n[k])));

		json_object_set_new(o, "days_to_conversion", durations_json(&fu.lag[k]));
		json_array_append_new(kinds, o);
	}
	*out = json_pack("{s:s,s:o,s:{s:o,s:o}}", "campaign", c.name, "followups", kinds, "won_appointments",
		"booking_to_meeting", durations_json(&w.to_meeting), "booking_to_sale", durations_json(&w.to_sale));
out:
	for (int k = 0; k < FOLLOWUP_KINDS; k++)
		free(fu.lag[k].v);
	free(w.to_meeting.v);
	free(w.to_sale.v);
	campaign_release(&c);
	return rc;
}

/* The prospect file's health ---------------------------------------------------------- */

/* Open leads nobody called (or imported) for this long are stale. */
#define STALE_DAYS 90

struct file_health {
	json_t *states;
	struct file_state sum;
	int64_t exhausted, invalid;
};

static int keep_state(void *ctx, const struct file_state *fs)
{
	struct file_health *fh = ctx;

	json_object_set_new(fh->states, fs->state, json_integer(fs->leads));
	fh->sum.leads += fs->leads;
	fh->sum.first_name += fs->first_name;
	fh->sum.last_name += fs->last_name;
	fh->sum.email += fs->email;
	fh->sum.role += fs->role;
	fh->sum.postcode += fs->postcode;
	fh->sum.company += fs->company;
	fh->sum.stale += fs->stale;
	if (strcmp(fs->state, "exhausted") == 0)
		fh->exhausted += fs->leads;
	if (strcmp(fs->state, "invalid") == 0)
		fh->invalid += fs->leads;
	return 0;
}

static int keep_import(void *ctx, const char *file, int64_t at, int64_t imported, int64_t duplicates, int64_t rejected)
{
	int64_t rows = imported + duplicates + rejected;

	json_array_append_new(ctx, json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:o}", "file", file, "at", (json_int_t)at,
		"imported", (json_int_t)imported, "duplicates", (json_int_t)duplicates, "rejected", (json_int_t)rejected,
		"duplicate_rate", rows ? json_real((double)duplicates / (double)rows) : json_null(), "rejected_rate",
		rows ? json_real((double)rejected / (double)rows) : json_null()));
	return 0;
}

static json_t *share(int64_t k, int64_t n)
{
	return n ? json_real((double)k / (double)n) : json_null();
}

int app_insights_file(struct app *a, const struct app_insights_query *q, json_t **out, struct tp_error *err)
{
	struct kpi_filter f = {0};
	struct file_health fh;
	struct campaign c;
	json_t *imports = NULL;
	int rc;

	memset(&fh, 0, sizeof(fh));
	campaign_init(&c);
	fh.states = json_object();
	imports = json_array();
	if ((rc = insight_filter(a, q, APP_MANAGER | APP_ADMIN, "insights file", &c, &f, err)) ||
	    (rc = store_file_states(a->store, c.id, app_now(a) - STALE_DAYS * 86400, keep_state, &fh, err)) ||
	    (rc = store_imports_of(a->store, c.id, keep_import, imports, err)))
		goto out;
	*out = json_pack("{s:s,s:I,s:O,s:{s:o,s:o,s:o,s:o,s:o,s:o},s:o,s:o,s:o,s:i,s:O}", "campaign", c.name, "leads",
		(json_int_t)fh.sum.leads, "states", fh.states, "completeness", "first_name",
		share(fh.sum.first_name, fh.sum.leads), "last_name", share(fh.sum.last_name, fh.sum.leads), "email",
		share(fh.sum.email, fh.sum.leads), "role", share(fh.sum.role, fh.sum.leads), "postcode",
		share(fh.sum.postcode, fh.sum.leads), "company", share(fh.sum.company, fh.sum.leads), "exhausted_share",
		share(fh.exhausted, fh.sum.leads), "invalid_share", share(fh.invalid, fh.sum.leads), "stale_share",
		share(fh.sum.stale, fh.sum.leads), "stale_days", STALE_DAYS, "imports", imports);
out:
	json_decref(fh.states);
	json_decref(imports);
	campaign_release(&c);
	return rc;
}

/* Scripts compared (docs/SCRIPTS.md): the campaign's calls folded in order of time by
 * core/scripts.c, each variant's rates, the sequential verdict on the primary rate, and
 * the other rates against the first variant (Benjamini-Hochberg across them). */
struct scripts_fold {
	struct script_compare cmp;
	char names[SCRIPT_VARIANTS_MAX][SCRIPT_NAME_MAX + 1];
	json_t *variants;           /* the rows of store_scripts, in order */
};

static int scripts_variant(void *ctx, const struct script_row *r)
{
	struct scripts_fold *f = ctx;
	int64_t words = script_words(r->body);

	if (f->cmp.narms == SCRIPT_VARIANTS_MAX)
		return 0;
	snprintf(f->names[f->cmp.narms++], SCRIPT_NAME_MAX + 1, "%s", r->variant);
	json_array_append_new(f->variants, json_pack("{s:s,s:i,s:b,s:I,s:I,s:I}", "variant", r->variant, "weight",
		r->weight, "stopped", r->stopped, "version", (json_int_t)r->version, "words", (json_int_t)words,
		"reading_seconds", (json_int_t)(words * 60 / SCRIPT_WORDS_PER_MINUTE)));
	return 0;
}

static int scripts_call(void *ctx, const char *variant, const struct script_call *c)
{
	struct scripts_fold *f = ctx;
	struct script_call k = *c;

	k.arm = -1;
	for (int i = 0; variant && i < f->cmp.narms; i++)
		if (strcmp(f->names[i], variant) == 0)
			k.arm = i;
	script_compare_add(&f->cmp, &k);
	return 0;
}

int app_insights_scripts(struct app *a, const struct app_insights_query *q, json_t **out, struct tp_error *err)
{
	struct scripts_fold f = {.variants = json_array()};
	struct script_verdict v;
	struct campaign c;
	enum script_rate primary = SCRIPT_APPOINTMENTS_PER_CONVERSATION;
	const char *names[SCRIPT_VARIANTS_MAX];
	char pname[64], fr[300], en[300];
	double p[SCRIPT_VARIANTS_MAX * SCRIPT_RATE_COUNT], qv[SCRIPT_VARIANTS_MAX * SCRIPT_RATE_COUNT];
	int np = 0;
	uint64_t seed;
	json_t *secondary = json_array();
	char key[1024] = "";
	int rc;

	*out = NULL;
	campaign_init(&c);
	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "insights scripts", err)))
		goto out;
	if (!q->campaign) {
		rc = tp_error_msg(err, TP_EUSAGE, NULL, 0, "campaign", 0, TP_MSG("the campaign is required"), 0);
		goto out;
	}
	if ((rc = store_campaign_settings(a->store, q->campaign, &c, err)) ||
	    (rc = store_scripts_meta(a->store, c.id, pname, sizeof(pname), &seed, err)))
		goto out;
	if (pname[0] && (rc = script_rate_parse(pname, &primary, err)))
		goto out;
	/* Stopped variants stay in the comparison: every call as it was made. */
	if ((rc = store_scripts(a->store, c.id, true, scripts_variant, &f, err)))
		goto out;
	if (q->compared_only && f.cmp.narms < 2) {
		*out = json_pack("{s:s,s:O}", "campaign", c.name, "variants", f.variants);
		goto out;
	}
	/* The comparison as it was last computed, while the campaign's calls, appointments and
	 * settings (its scripts among them) have not changed. */
	if ((rc = store_kpi_revision(a->store, c.id, key, sizeof(key), err)))
		goto out;
	if (key[0]) {
		void *kept;
		size_t size;

		memo_key_add(key, sizeof(key), "|scripts");
		if (key[0] && memo_get(key, &kept, &size)) {
			*out = json_loadb(kept, size, 0, NULL);
			free(kept);
			if (*out)
				goto out;
		}
	}
	{
		int narms = f.cmp.narms;

		script_compare_init(&f.cmp, narms, primary);
	}
	if ((rc = store_script_calls(a->store, c.id, scripts_call, &f, err)))
		goto out;
	script_verdict(&f.cmp, &v);
	for (int i = 0; i < f.cmp.narms; i++)
		names[i] = f.names[i];
	script_verdict_words(&f.cmp, &v, names, true, fr, sizeof(fr));
	script_verdict_words(&f.cmp, &v, names, false, en, sizeof(en));
	for (int i = 0; i < f.cmp.narms; i++) {
		const struct script_counts *k = &f.cmp.counts[i];
		json_t *o = json_array_get(f.variants, (size_t)i);

		json_object_set_new(o, "calls", json_integer(k->calls));
		json_object_set_new(o, "conversations", json_integer(k->conversations));
		json_object_set_new(o, "appointments", json_integer(k->appointments));
		json_object_set_new(o, "calling_seconds", json_integer(k->calling_seconds));
		for (int r = 0; r < SCRIPT_RATE_COUNT; r++)
			json_object_set_new(o, script_rate_name((enum script_rate)r), interval(script_rate_of(k,
				(enum script_rate)r)));
		json_object_set_new(o, "avg_conversation_seconds", interval(kpi_mean(k->conversations, k->talk_seconds,
			k->talk_seconds_sq)));
	}
	/* The other rates, each variant against the first: a fixed-sample test each, q-values
	 * over them all (they are looked at together, not decided on). */
	for (int i = 1; i < f.cmp.narms; i++)
		for (int r = 0; r < SCRIPT_RATE_COUNT; r++) {
			const struct script_counts *x = &f.cmp.counts[0], *y = &f.cmp.counts[i];
			struct kpi_interval ra = script_rate_of(x, (enum script_rate)r), rb = script_rate_of(y, (enum script_rate)r);
			int64_t xa, na, xb, nb;

			if (r == (int)primary || !ra.defined || !rb.defined)
				continue;
			script_rate_parts(x, (enum script_rate)r, &xa, &na);
			script_rate_parts(y, (enum script_rate)r, &xb, &nb);
			p[np] = r == SCRIPT_CONVERSATIONS_PER_HOUR ? stats_two_rates(xb, (double)nb, xa, (double)na)
				: stats_two_proportions(xb, nb, xa, na);
			json_array_append_new(secondary, json_pack("{s:s,s:s,s:s,s:o}", "rate", script_rate_name((enum script_rate)r),
				"variant", f.names[i], "against", f.names[0], "ratio",
				ra.value > 0 ? json_real(rb.value / ra.value) : json_null()));
			np++;
		}
	stats_bh(p, qv, (size_t)np);
	for (int i = 0; i < np; i++) {
		json_t *o = json_array_get(secondary, (size_t)i);

		json_object_set_new(o, "p_value", json_real(p[i]));
		json_object_set_new(o, "q_value", json_real(qv[i]));
		json_object_set_new(o, "significant", json_boolean(qv[i] <= 0.05));
	}
	*out = json_pack("{s:s,s:s,s:o,s:O,s:{s:s,s:o,s:o,s:o,s:f,s:o,s:s,s:s,s:s},s:O,s:I}", "campaign", c.name,
		"primary", script_rate_name(primary), "expected_call_seconds",
		c.expected_call_seconds > 0 ? json_integer(c.expected_call_seconds) : json_null(),
		"variants", f.variants, "verdict", "state",
		v.state == SCRIPT_DECIDED ? "decided" : v.state == SCRIPT_STOP ? "stop" : "continue", "winner",
		v.state == SCRIPT_DECIDED ? json_string(f.names[v.arm]) : v.state == SCRIPT_STOP ? json_string(f.names[0])
		: json_null(), "variant", v.arm >= 0 ? json_string(f.names[v.arm]) : json_null(), "ratio",
		v.arm >= 0 && v.ratio > 0 ? json_real(v.ratio) : json_null(), "lambda", v.lambda, "needed",
		v.needed >= 0 ? json_integer(v.needed) : json_null(), "unit", script_trials_unit(primary), "summary", fr,
		"summary_en", en, "secondary", secondary, "unassigned_calls", (json_int_t)f.cmp.unassigned);
	if (key[0]) {
		char *text = json_dumps(*out, JSON_COMPACT);

		if (text)
			memo_put(key, text, strlen(text));
		free(text);
	}
out:
	script_compare_release(&f.cmp);
	json_decref(f.variants);
	json_decref(secondary);
	campaign_release(&c);
	return rc;
}
