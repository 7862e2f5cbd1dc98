/* Reports: the KPIs of docs/KPI.md with intervals, by any grouping, and objectives. */
#include <stdio.h>
#include <string.h>

#include "app/app_int.h"
#include "core/date.h"
#include "core/kpi_json.h"
#include "core/memo.h"
#include "core/tz.h"

static const struct {
	const char *name;
	enum kpi_group by;
} groupings[] = {
	{"hour", KPI_BY_HOUR}, {"weekday-hour", KPI_BY_WEEKDAY_HOUR}, {"day", KPI_BY_DAY}, {"week", KPI_BY_WEEK},
	{"month", KPI_BY_MONTH}, {"agent", KPI_BY_AGENT}, {"campaign", KPI_BY_CAMPAIGN}, {"outcome", KPI_BY_OUTCOME},
	{"block", KPI_BY_BLOCK}, {"weekday", KPI_BY_WEEKDAY},
};

struct groups_ctx {
	int64_t hourly_cost_cents;
	json_t *groups;
	struct kpi_counts sum;      /* of the groups: the totals, for groupings that partition */
	struct kpi_counts unplaced; /* calls whose history did not say their group */
};

static int on_group(void *ctx, const struct kpi_group_key *key, const struct kpi_counts *c)
{
	struct groups_ctx *g = ctx;
	json_t *o, *k;

	kpi_add(&g->sum, c);
	if (!key->label) {
		g->unplaced = *c;
		return 0;
	}
	o = json_pack("{s:s}", "key", key->label);
	/* The slot typed too, so that nobody parses "mon 09" again: ISO weekday, hour. */
	if (key->weekday)
		json_object_set_new(o, "weekday", json_integer(key->weekday));
	if (key->hour >= 0)
		json_object_set_new(o, "hour", json_integer(key->hour));
	k = kpi_json(c, g->hourly_cost_cents);
	json_object_update(o, k);
	json_decref(k);
	json_array_append_new(g->groups, o);
	return 0;
}

static json_t *str_json(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *day_json(int day)
{
	return day ? json_sprintf("%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100) : json_null();
}

/* Progress against the campaign's objectives on day (and its ISO week). Objectives such as
 * 40 calls a day are an agent's: with agent_id, that agent's progress; without, the
 * team's, against the target times the agents who called that day (week). */
static int objectives(struct store *s, const struct campaign *c, int64_t agent_id, int day, json_t **out,
	struct tp_error *err)
{
	struct kpi_filter f = {c->id, agent_id, day, day}, wf;
	struct kpi_counts today, week;
	int wd = tz_weekday(day), monday = tz_day_from_number(tz_day_number(day) - (wd + 6) % 7);
	int64_t agents_day = 1, agents_week = 1;
	json_t *o;
	int rc;

	wf = f;
	wf.from_day = monday;
	wf.to_day = tz_day_from_number(tz_day_number(monday) + 6);
	if ((rc = store_kpi_totals(s, &f, &today, err)) || (rc = store_kpi_totals(s, &wf, &week, err)))
		return rc;
	if (!agent_id && ((rc = store_kpi_agents_active(s, c->id, day, day, &agents_day, err)) ||
	    (rc = store_kpi_agents_active(s, c->id, wf.from_day, wf.to_day, &agents_week, err))))
		return rc;
	o = json_object();
#define OBJ(name, target, done, agents) \
	if ((target) >= 0) { \
		int64_t goal = agent_id ? (target) : (target) * (agents); \
		json_t *x = json_pack("{s:I,s:I,s:o}", "target", (json_int_t)(target), "done", (json_int_t)(done), \
			"progress", goal > 0 ? json_real((double)(done) / (double)goal) : json_null()); \
		if (!agent_id) { \
			json_object_set_new(x, "agents", json_integer(agents)); \
			json_object_set_new(x, "team_target", json_integer(goal)); \
		} \
		json_object_set_new(o, name, x); \
	}
	OBJ("daily_calls", c->daily_calls, today.calls, agents_day)
	OBJ("weekly_calls", c->weekly_calls, week.calls, agents_week)
	OBJ("daily_appointments", c->daily_appointments, today.appointments, agents_day)
	OBJ("weekly_appointments", c->weekly_appointments, week.appointments, agents_week)
#undef OBJ
	json_object_set_new(o, "day", day_json(day));
	*out = o;
	return 0;
}

static json_t *mean_or_null(int64_t sum, int64_t n)
{
	return n ? json_real((double)sum / (double)n) : json_null();
}

/* The dialing breakdown (core/kpi.h): one group per way of dialing that made calls; none
 * when dialed_only and Telepro dialed none of the campaign's calls (no calls read). */
static int dialing_groups(struct store *s, const struct kpi_filter *f, bool dialed_only, json_t *groups,
	struct tp_error *err)
{
	struct kpi_dialing_group g[KPI_DIAL_COUNT];
	bool any = true;
	int rc = dialed_only ? store_kpi_dialed_any(s, f, &any, err) : 0;

	if (rc || !any)
		return rc;
	rc = store_kpi_dialing(s, f, g, err);

	for (int i = 0; rc == 0 && i < KPI_DIAL_COUNT; i++) {
		const struct kpi_dialing_group *k = &g[i];
		/* The agents' busy time around these calls: ringing, talking and waiting between. */
		int64_t busy = k->ring_seconds + k->talk_seconds + k->idle_seconds;
		struct kpi_interval connected = kpi_wilson(k->conversations, k->calls);

		if (!k->calls)
			continue;
		json_array_append_new(groups, json_pack("{s:s,s:I,s:I,s:{s:o,s:o,s:o,s:I},s:o,s:o,s:o,s:I,s:o}",
			"key", kpi_dialing_name((enum kpi_dialing)i), "calls", (json_int_t)k->calls,
			"conversations", (json_int_t)k->conversations, "connected", "value", json_real(connected.value),
			"low", json_real(connected.low), "high", json_real(connected.high), "n", (json_int_t)connected.n,
			"ring_seconds_mean", mean_or_null(k->ring_seconds, k->calls),
			"talk_seconds_mean", mean_or_null(k->talk_seconds, k->conversations),
			"idle_seconds_mean", mean_or_null(k->idle_seconds, k->idle_gaps), "idle_gaps", (json_int_t)k->idle_gaps,
			"calls_per_busy_hour", busy >= KPI_PER_HOUR_MIN_SECONDS ? json_real(3600.0 * (double)k->calls /
			(double)busy) : json_null()));
	}
	return rc;
}

void app_kpi_hold(struct app *a, bool hold)
{
	store_kpi_hold(a->store, hold);
}

int app_kpi(struct app *a, const struct app_kpi_query *q, json_t **out, struct tp_error *err)
{
	struct groups_ctx g = {-1, NULL, {0}, {0}};
	struct kpi_filter f = {0};
	enum kpi_group by = KPI_BY_NONE;
	const char *agent = q->agent;
	struct kpi_counts totals;
	struct campaign c;
	json_t *obj = NULL;
	char key[1024] = "";
	int today = 0;
	bool dialing;
	int rc;

	if ((rc = app_require(a, APP_AGENT | APP_SALES | APP_MANAGER | APP_ADMIN, "kpi", err)))
		return rc;
	/* An agent sees their own KPIs only. */
	if (a->role == APP_AGENT) {
		if (agent && strcmp(agent, a->actor) != 0)
			return tp_error_set(err, TP_EFORBIDDEN, "kpi: an agent sees their own KPIs only (%s)", a->actor);
		agent = a->actor;
	}
	dialing = q->by && strcmp(q->by, "dialing") == 0;
	if (q->by && !dialing) {
		for (size_t i = 0; i < sizeof(groupings) / sizeof(groupings[0]); i++)
			if (strcmp(q->by, groupings[i].name) == 0)
				by = groupings[i].by;
		if (by == KPI_BY_NONE)
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "by",
				"'%s': hour, weekday, weekday-hour, day, week, month, agent, campaign, outcome, block or dialing",
				q->by);
	}
	if ((rc = app_period(q->from, q->to, &f.from_day, &f.to_day, err)))
		return rc;
	campaign_init(&c);
	if (q->campaign) {
		if ((rc = store_campaign_settings(a->store, q->campaign, &c, err)))
			goto out;
		f.campaign_id = c.id;
		g.hourly_cost_cents = c.hourly_cost_cents;
	}
	if (agent) {
		struct user u;

		if ((rc = store_user_get(a->store, agent, &u, err)))
			goto out;
		f.agent_id = u.id;
	}
	/* The same answer as the last one of this thread, while nothing it is read from has
	 * changed (core/memo.h): the counters' and settings' revision, the query, the day its
	 * objectives are of. */
	if (q->campaign) {
		struct tz_local l;

		tz_local(c.timezone, app_now(a), &l);
		today = l.yyyymmdd;
	}
	if ((rc = store_kpi_revision(a->store, f.campaign_id, key, sizeof(key), err)))
		goto out;
	if (key[0]) {
		memo_key_add(key, sizeof(key), "|kpi|%s|%d|%s|%s|%lld|%d|%d|%d", q->by ? q->by : "", q->dialed_only,
			q->campaign ? q->campaign : "", q->agent ? q->agent : "", (long long)f.agent_id, f.from_day, f.to_day,
			today);
		if (key[0] && (*out = memo_json_get(key)))
			goto out;
	}
	g.groups = json_array();
	/* Every grouping but outcome partitions the calls and the calling time: its groups
	 * add up to the totals (tests/unit/test_counters.c checks it), one read fewer. */
	if (by != KPI_BY_NONE && (rc = store_kpi_groups(a->store, &f, by, on_group, &g, err)))
		goto out;
	if (dialing && (rc = dialing_groups(a->store, &f, q->dialed_only, g.groups, err)))
		goto out;
	if (by == KPI_BY_NONE || by == KPI_BY_OUTCOME) {
		if ((rc = store_kpi_totals(a->store, &f, &totals, err)))
			goto out;
	} else {
		totals = g.sum;
	}
	if (q->campaign && (rc = objectives(a->store, &c, f.agent_id, f.to_day ? f.to_day : today, &obj, err)))
		goto out;
	*out = json_pack("{s:{s:o,s:o,s:o,s:o,s:o},s:o,s:O}", "filter", "campaign", str_json(q->campaign), "agent",
		str_json(q->agent), "from", day_json(f.from_day), "to", day_json(f.to_day), "by", str_json(q->by),
		"totals", kpi_json(&totals, g.hourly_cost_cents), "groups", g.groups);
	/* The groups leave out the calls whose history did not say what they group by
	 * (core/when.h); the totals have them. */
	if (g.unplaced.calls) {
		json_object_set_new(*out, "unplaced_calls", json_integer(g.unplaced.calls));
		json_object_set_new(*out, "unknown", json_string(by == KPI_BY_WEEKDAY ? "no weekday in this history"
			: "no time of day in this history"));
	}
	if (obj)
		json_object_set_new(*out, "objectives", obj);
	obj = NULL;
	if (key[0])
		memo_json_put(key, *out, json_array_size(json_object_get(*out, "groups")) + 1);
out:
	json_decref(obj);
	json_decref(g.groups);
	campaign_release(&c);
	return rc;
}
