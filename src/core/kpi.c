#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "core/kpi_json.h"

void kpi_add(struct kpi_counts *a, const struct kpi_counts *c)
{
#define ADD_(name, json, from) a->name += c->name;
	KPI_COUNTERS(ADD_)
#undef ADD_
}

void kpi_sub(struct kpi_counts *a, const struct kpi_counts *c)
{
#define SUB_(name, json, from) a->name -= c->name;
	KPI_COUNTERS(SUB_)
#undef SUB_
}

struct kpi_interval kpi_wilson(int64_t k, int64_t n)
{
	struct kpi_interval r = {false, 0, 0, 0, n};
	double p, z2, denom, centre, half;

	if (n <= 0)
		return r;
	p = (double)k / (double)n;
	z2 = KPI_Z95 * KPI_Z95;
	denom = 1.0 + z2 / (double)n;
	centre = (p + z2 / (2.0 * (double)n)) / denom;
	half = KPI_Z95 * sqrt(p * (1.0 - p) / (double)n + z2 / (4.0 * (double)n * (double)n)) / denom;
	r.defined = true;
	r.value = p;
	r.low = fmax(0.0, centre - half);
	r.high = fmin(1.0, centre + half);
	return r;
}

struct kpi_interval kpi_per_hour(int64_t k, int64_t seconds)
{
	struct kpi_interval r = {false, 0, 0, 0, seconds};
	double hours, lo = 0.0, hi, kk = (double)k, k1 = (double)k + 1.0;

	if (seconds <= 0)
		return r;
	hours = (double)seconds / 3600.0;
	if (k > 0)
		lo = kk * pow(1.0 - 1.0 / (9.0 * kk) - KPI_Z95 / (3.0 * sqrt(kk)), 3.0);
	hi = k1 * pow(1.0 - 1.0 / (9.0 * k1) + KPI_Z95 / (3.0 * sqrt(k1)), 3.0);
	r.defined = true;
	r.value = kk / hours;
	r.low = fmax(0.0, lo) / hours;
	r.high = hi / hours;
	return r;
}

struct kpi_interval kpi_mean(int64_t n, int64_t sum, int64_t sum_sq)
{
	struct kpi_interval r = {false, 0, 0, 0, n};
	double mean, var = 0.0, half;

	if (n <= 0)
		return r;
	mean = (double)sum / (double)n;
	if (n > 1)
		var = fmax(0.0, ((double)sum_sq - (double)n * mean * mean) / (double)(n - 1));
	half = KPI_Z95 * sqrt(var / (double)n);
	r.defined = true;
	r.value = mean;
	r.low = fmax(0.0, mean - half);
	r.high = mean + half;
	return r;
}

/* Rounds for output: rates keep 6 decimals, so that the JSON is stable across libms. */
static json_t *num(double v)
{
	return json_real(round(v * 1e6) / 1e6);
}

static json_t *interval_json(struct kpi_interval r)
{
	if (!r.defined)
		return json_pack("{s:n,s:n,s:n,s:I}", "value", "low", "high", "n", (json_int_t)r.n);
	return json_pack("{s:o,s:o,s:o,s:I}", "value", num(r.value), "low", num(r.low), "high", num(r.high),
		"n", (json_int_t)r.n);
}

/* A rate per hour, said short when its calling time is too short to show. */
static json_t *per_hour_json(int64_t events, int64_t seconds)
{
	json_t *o = interval_json(kpi_per_hour(events, seconds));

	if (seconds > 0 && seconds < KPI_PER_HOUR_MIN_SECONDS)
		json_object_set_new(o, "short", json_true());
	return o;
}

static json_t *cost_per(int64_t calling_seconds, int64_t hourly_cost_cents, int64_t count)
{
	if (hourly_cost_cents < 0 || count <= 0)
		return json_null();
	return num((double)calling_seconds / 3600.0 * (double)hourly_cost_cents / 100.0 / (double)count);
}

json_t *kpi_json(const struct kpi_counts *c, int64_t hourly_cost_cents)
{
	json_t *o = json_object();
	/* Calls that did not say their time of day have no calling time: the per-hour rates
	 * are those of the timed calls, absent when there are none (docs/KPI.md). */
	bool timeless = c->calls > 0 && c->untimed_calls == c->calls;
	int64_t timed_calls = c->calls - c->untimed_calls, timed_conversations = c->conversations - c->untimed_conversations;

	/* Counts (docs/KPI.md: calls, conversations, appointments, sales, ...). */
#define COUNT_(name, json, from) \
	if (json) \
		json_object_set_new(o, json ? json : "", json_integer(c->name));
	KPI_COUNTERS(COUNT_)
#undef COUNT_
	if (timeless)
		json_object_set_new(o, "calling_seconds", json_null());   /* in its place: nothing known */
	if (c->untimed_calls)
		json_object_set_new(o, "unknown", json_string("no time of day in this history"));
	/* Rates and their intervals. */
	json_object_set_new(o, "calls_per_hour", per_hour_json(timed_calls, c->calling_seconds));
	json_object_set_new(o, "conversations_per_hour", per_hour_json(timed_conversations, c->calling_seconds));
	json_object_set_new(o, "contact_rate", interval_json(kpi_wilson(c->conversations, c->calls)));
	json_object_set_new(o, "appointment_rate", interval_json(kpi_wilson(c->appointments, c->calls)));
	json_object_set_new(o, "appointments_per_conversation",
		interval_json(kpi_wilson(c->appointments, c->conversations)));
	json_object_set_new(o, "sales_per_appointment",
		interval_json(kpi_wilson(c->appointments_won, c->appointments)));
	json_object_set_new(o, "sales_per_known_appointment",
		interval_json(kpi_wilson(c->appointments_won, c->appointments_known)));
	json_object_set_new(o, "sales_per_conversation", interval_json(kpi_wilson(c->sales, c->conversations)));
	json_object_set_new(o, "appointments_per_call", interval_json(kpi_wilson(c->appointments, c->calls)));
	json_object_set_new(o, "sales_per_call", interval_json(kpi_wilson(c->sales, c->calls)));
	json_object_set_new(o, "avg_conversation_seconds",
		interval_json(kpi_mean(c->conversations, c->talk_seconds, c->talk_seconds_sq)));
	json_object_set_new(o, "qualification_rate", interval_json(kpi_wilson(c->qualified, c->conversations)));
	json_object_set_new(o, "relevant_appointment_rate",
		interval_json(kpi_wilson(c->appointments_relevant, c->appointments_rated)));
	json_object_set_new(o, "show_rate",
		interval_json(kpi_wilson(c->appointments_held, c->appointments_held + c->appointments_no_show)));
	/* The cost of calls whose calling time is unknown is unknown too. */
	if (c->untimed_calls)
		hourly_cost_cents = -1;
	json_object_set_new(o, "cost_per_appointment", cost_per(c->calling_seconds, hourly_cost_cents, c->appointments));
	json_object_set_new(o, "cost_per_sale", cost_per(c->calling_seconds, hourly_cost_cents, c->sales));
	return o;
}

static const char *const dialing_names[KPI_DIAL_COUNT] = {"manual", "click", "progressive"};

int kpi_dialing_parse(const char *name, enum kpi_dialing *out)
{
	for (int i = 0; i < KPI_DIAL_COUNT; i++)
		if (name && strcmp(name, dialing_names[i]) == 0) {
			*out = (enum kpi_dialing)i;
			return 0;
		}
	return -1;
}

const char *kpi_dialing_name(enum kpi_dialing d)
{
	return d >= 0 && d < KPI_DIAL_COUNT ? dialing_names[d] : "manual";
}

void kpi_dialing_add(struct kpi_dialing_group g[KPI_DIAL_COUNT], const struct kpi_dialing_call *prev,
	const struct kpi_dialing_call *cur)
{
	struct kpi_dialing_group *k = &g[cur->mode >= 0 && cur->mode < KPI_DIAL_COUNT ? cur->mode : KPI_DIAL_MANUAL];

	k->calls++;
	k->conversations += cur->conversation;
	k->ring_seconds += cur->ring_seconds;
	k->talk_seconds += cur->talk_seconds;
	if (prev && cur->timed && prev->timed && prev->agent_id == cur->agent_id && prev->local_day == cur->local_day) {
		int64_t gap = cur->started_at - (prev->started_at + prev->ring_seconds + prev->talk_seconds);

		if (gap >= 0 && gap <= KPI_IDLE_GAP_MAX) {
			k->idle_seconds += gap;
			k->idle_gaps++;
		}
	}
}
