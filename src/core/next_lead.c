#include <stdio.h>
#include <string.h>

#include "core/calling.h"
#include "core/next_lead.h"
#include "core/tz.h"

static const char *const queue_reasons[NEXT_QUEUES] = {"your callback, due", "shared callback, due",
	"hot prospect, follow-up due", "new lead", "retry"};

void next_reason(enum next_queue q, int attempts, int64_t max_attempts, char *buf, size_t size)
{
	if (q == NEXT_RETRY)
		snprintf(buf, size, "retry: attempt %d of %lld", attempts + 1, (long long)max_attempts);
	else
		snprintf(buf, size, "%s", q >= 0 && q < NEXT_QUEUES ? queue_reasons[q] : "");
}

/* When the next calling window opens after at, as text; "" when there is none within a week. */
static void next_window(const char *zone, const struct calling_block *windows, int n, int64_t at, char *buf,
	size_t size)
{
	struct tz_local l;
	int64_t best = 0;

	buf[0] = '\0';
	tz_local(zone, at, &l);
	for (int k = 0; k <= 7 && !best; k++) {
		int day = tz_day_from_number(tz_day_number(l.yyyymmdd) + k), wd = tz_weekday(day);

		for (int i = 0; i < n; i++) {
			int64_t t;

			if (windows[i].weekday != wd)
				continue;
			t = tz_utc(zone, day / 10000, day / 100 % 100, day % 100, windows[i].start_minute / 60,
				windows[i].start_minute % 60, 0);
			if (t > at && (!best || t < best))
				best = t;
		}
	}
	if (best)
		tz_format(zone, best, buf, size);
}

int next_check_windows(const struct campaign *c, int64_t at, struct tp_error *err)
{
	struct campaign defaults;
	const struct calling_block *windows = c->windows;
	int n = c->nwindows, rc = 0;
	struct tz_local l;

	campaign_init(&defaults);
	if (n == 0) {
		calling_default_windows(c->audience, &defaults);
		windows = defaults.windows;
		n = defaults.nwindows;
	}
	tz_local(c->timezone, at, &l);
	/* Never a lead outside the calling windows, not even one already held. */
	if (!slots_in(windows, n, l.weekday, l.hour * 60 + l.minute)) {
		char when[32], text[512];

		next_window(c->timezone, windows, n, at, when, sizeof(when));
		campaign_format_slots(windows, n, text, sizeof(text));
		rc = when[0] ? tp_error_msg(err, TP_ENOTHING, NULL, 0, NULL, 0, TP_MSG("outside the calling windows (%s);"
			" they open again at %s"), 2, text, when)
			: tp_error_msg(err, TP_ENOTHING, NULL, 0, NULL, 0, TP_MSG("outside the calling windows (%s)"), 1, text);
	}
	campaign_release(&defaults);
	return rc;
}

bool next_rules_apply(const struct campaign *c)
{
	return campaign_rules(c) != RULES_NONE;
}

bool next_lawful(const struct campaign *c, int64_t lead_id, const struct rules_facts *facts, int64_t at,
	struct next_refusals *refused)
{
	struct rules_consumer who;
	struct rules_result r;

	if (!next_rules_apply(c))
		return true;
	rules_consumer_of(facts, c->region, c->timezone, &who);
	rules_check(campaign_rules(c), at, &who, &r);
	if (r.callable)
		return true;
	if (refused->n++ == 0) {
		refused->lead_id = lead_id;
		for (int i = 0; i < r.n; i++)
			if (!r.v[i].ok) {
				refused->why = r.v[i];
				break;
			}
	}
	return false;
}

int next_refused(const struct campaign *c, const struct next_refusals *refused, struct tp_error *err)
{
	const struct rule_verdict *v = &refused->why;
	char n[24], lead[24];

	/* A message, then the rule's own (its arguments words of the catalogue: weekdays). */
	snprintf(n, sizeof(n), "%d", refused->n);
	snprintf(lead, sizeof(lead), "%lld", (long long)refused->lead_id);
	tp_error_msg(err, TP_ENOTHING, NULL, 0, NULL, 0, TP_MSG("no lead may be called now under the rules of the"
		" trade (%s): %s passed over; lead %s"), 3, rules_set_name(campaign_rules(c)), n, lead);
	if (v->fmt)
		tp_error_part_after(err, TP_MSG(": "), 0xF, v->fmt, v->nargs, v->args[0], v->args[1], v->args[2], v->args[3]);
	else
		tp_error_part_after(err, TP_MSG(": "), 0, "%s", 1, v->reason);
	return TP_ENOTHING;
}

int next_nothing(const struct campaign *c, const struct next_waiting *w, struct tp_error *err)
{
	char when[32], count[24];

	/* A message and its sentences, said in the reader's language by the pages. */
	tp_error_msg(err, TP_ENOTHING, NULL, 0, NULL, 0, TP_MSG("nothing to call now"), 0);
	if (!w)
		return TP_ENOTHING;
	if (w->next_callback) {
		tz_format(c->timezone, w->next_callback, when, sizeof(when));
		tp_error_part(err, 0, TP_MSG("next callback at %s"), 1, when);
	}
	if (w->retrying) {
		snprintf(count, sizeof(count), "%lld", (long long)w->retrying);
		tp_error_part(err, 0, TP_MSG("%s leads wait for their retry delay"), 1, count);
	}
	if (w->next_hot) {
		tz_format(c->timezone, w->next_hot, when, sizeof(when));
		tp_error_part(err, 0, TP_MSG("next hot follow-up at %s"), 1, when);
	}
	if (w->held) {
		snprintf(count, sizeof(count), "%lld", (long long)w->held);
		tp_error_part(err, 0, TP_MSG("%s leads are held by other agents"), 1, count);
	}
	if (w->opposed) {
		snprintf(count, sizeof(count), "%lld", (long long)w->opposed);
		tp_error_part(err, 0, TP_MSG("%s leads are on the opposition list"), 1, count);
	}
	return TP_ENOTHING;
}
