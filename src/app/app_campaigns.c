/* Campaigns: defaults, settings through core's parsers, validation, one transaction. */
#include <stdio.h>
#include <string.h>

#include "app/app_int.h"
#include "core/dialing.h"
#include "core/calling.h"
#include "core/rules.h"
#include "core/tz.h"

int app_campaign_add(struct app *a, const char *name, const struct campaign_setting *set, size_t n,
	struct campaign *c, struct tp_error *err)
{
	struct store_who who = app_who(a);
	int rc;

	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "campaign add", err)))
		return rc;
	campaign_defaults(c);
	campaign_set_str(&c->name, name);
	if ((rc = campaign_apply_settings(c, set, n, err)) || (rc = campaign_validate(c, err)))
		return rc;
	/* A consumer campaign without a script starts from the template that opens with what
	 * the law requires (docs/RULES.md). */
	if (!c->script && strcmp(c->audience, "b2c") == 0)
		campaign_set_str(&c->script, campaign_b2c_script);
	return store_campaign_add(a->store, &who, c, err);
}

int app_campaign_set(struct app *a, const char *name, const struct campaign_setting *set, size_t n,
	struct tp_error *err)
{
	struct store_who who = app_who(a);
	struct campaign c;
	int rc;

	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "campaign set", err)))
		return rc;
	if (n == 0)
		return tp_error_set(err, TP_EUSAGE, "set needs at least one setting");
	/* Read, change and write in one transaction: two managers editing at once both
	 * keep their changes. */
	if ((rc = store_begin(a->store, err)))
		return rc;
	campaign_init(&c);
	if ((rc = store_campaign_get_for_update(a->store, name, &c, err)) == 0 &&
	    (rc = campaign_apply_settings(&c, set, n, err)) == 0 && (rc = campaign_validate(&c, err)) == 0)
		rc = store_campaign_update(a->store, &who, &c, err);
	campaign_release(&c);
	if (rc == 0)
		rc = store_commit(a->store, err);
	if (rc)
		store_rollback(a->store);
	return rc;
}

int app_campaign_get(struct app *a, const char *name, struct campaign *c, struct tp_error *err)
{
	return store_campaign_get(a->store, name, c, err);
}

int app_campaign_get_by_id(struct app *a, int64_t id, struct campaign *c, struct tp_error *err)
{
	return store_campaign_get_by_id(a->store, id, c, err);
}

int app_campaign_settings_by_id(struct app *a, int64_t id, struct campaign *c, struct tp_error *err)
{
	return store_campaign_settings_by_id(a->store, id, c, err);
}

static int outcome_one(void *ctx, const struct outcome_row *o)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "code", o->code, "label_fr",
		o->label_fr, "label_en", o->label_en, "refusal", o->refusal, "final", o->final, "hot", o->hot, "callback",
		o->callback, "appointment", o->appointment, "sale", o->sale, "do_not_call", o->do_not_call));
	return 0;
}

int app_outcomes(struct app *a, const char *campaign, json_t **out, struct tp_error *err)
{
	struct campaign c;
	int rc;

	campaign_init(&c);
	*out = NULL;
	if ((rc = store_campaign_settings(a->store, campaign, &c, err)) == 0) {
		*out = json_array();
		if ((rc = store_outcome_list(a->store, c.id, outcome_one, *out, err))) {
			json_decref(*out);
			*out = NULL;
		}
	}
	campaign_release(&c);
	return rc;
}

int app_campaign_now(struct app *a, const char *campaign, json_t **out, struct tp_error *err)
{
	static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	struct campaign c;
	struct tz_local l;
	char blocks[512], windows[512], now[32];
	int rc, minute;

	campaign_init(&c);
	if ((rc = store_campaign_settings(a->store, campaign, &c, err)) == 0) {
		tz_local(c.timezone, app_now(a), &l);
		minute = l.hour * 60 + l.minute;
		if (c.nwindows == 0)
			calling_default_windows(c.audience, &c);
		campaign_format_slots(c.blocks, c.nblocks, blocks, sizeof(blocks));
		campaign_format_slots(c.windows, c.nwindows, windows, sizeof(windows));
		snprintf(now, sizeof(now), "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour, l.minute);
		*out = json_pack("{s:s,s:s,s:s,s:b,s:b,s:s,s:s,s:s}", "campaign", c.name, "now", now, "weekday",
			days[l.weekday], "in_block", slots_in(c.blocks, c.nblocks, l.weekday, minute), "in_window",
			slots_in(c.windows, c.nwindows, l.weekday, minute), "blocks", blocks, "windows", windows,
			"timezone", c.timezone);
	}
	campaign_release(&c);
	return rc;
}

struct agents_now {
	const struct campaign *c;
	int64_t now;
	json_t *list;
};

static int agent_now_one(void *vctx, const struct open_session *o)
{
	struct agents_now *ctx = vctx;
	const char *state = o->paused ? "paused"
		: ctx->now - o->last_activity_at > ctx->c->idle_limit_seconds ? "idle" : "calling";
	struct tz_local l;
	char since[16];

	tz_local(ctx->c->timezone, o->started_at, &l);
	snprintf(since, sizeof(since), "%02d:%02d", l.hour, l.minute);
	json_array_append_new(ctx->list, json_pack("{s:s,s:s,s:s}", "agent", o->agent, "state", state, "since", since));
	return 0;
}

int app_campaign_agents_now(struct app *a, const char *campaign, json_t **out, struct tp_error *err)
{
	struct campaign c;
	struct agents_now ctx = {&c, app_now(a), NULL};
	int rc;

	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "team", err)))
		return rc;
	campaign_init(&c);
	if ((rc = store_campaign_settings(a->store, campaign, &c, err)) == 0) {
		ctx.list = json_array();
		if ((rc = store_open_sessions(a->store, c.id, agent_now_one, &ctx, err)) == 0)
			*out = json_pack("{s:o}", "agents", ctx.list);
		else
			json_decref(ctx.list);
	}
	campaign_release(&c);
	return rc;
}

int app_campaign_list(struct app *a, store_campaign_fn fn, void *ctx, struct tp_error *err)
{
	return store_campaign_list(a->store, fn, ctx, err);
}

int app_campaign_settings_list(struct app *a, store_campaign_fn fn, void *ctx, struct tp_error *err)
{
	return store_campaign_settings_list(a->store, fn, ctx, err);
}

static json_t *opt_json(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *slots_json(const struct calling_block *b, int n)
{
	json_t *arr = json_array();

	for (int i = 0; i < n; i++) {
		char start[16], end[16];

		snprintf(start, sizeof(start), "%02d:%02d", b[i].start_minute / 60, b[i].start_minute % 60);
		snprintf(end, sizeof(end), "%02d:%02d", b[i].end_minute / 60, b[i].end_minute % 60);
		json_array_append_new(arr, json_pack("{s:i,s:s,s:s}", "weekday", b[i].weekday, "start", start, "end", end));
	}
	return arr;
}

json_t *app_campaign_json(const struct campaign *c)
{
	json_t *blocks = slots_json(c->blocks, c->nblocks), *o, *retry = json_object(), *fields = json_array();

	for (int i = 0; i < c->nretry; i++)
		json_object_set_new(retry, c->retry[i].result, json_integer(c->retry[i].seconds));
	for (int i = 0; i < c->nfields; i++)
		json_array_append_new(fields, json_pack("{s:s,s:s,s:o,s:o,s:o}", "key", c->fields[i].key, "type",
			c->fields[i].type, "choices", c->fields[i].choices[0] ? json_string(c->fields[i].choices) : json_null(),
			"label_fr", c->fields[i].label_fr[0] ? json_string(c->fields[i].label_fr) : json_null(),
			"label_en", c->fields[i].label_en[0] ? json_string(c->fields[i].label_en) : json_null()));
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:{s:o,s:o,s:o,s:o},s:I,s:o,s:b,s:o,s:I,s:I}",
		"id", (json_int_t)c->id, "name", c->name, "kind", c->kind, "audience", c->audience,
		"timezone", c->timezone, "region", c->region,
		"script", c->script ? json_string(c->script) : json_null(),
		"expected_call_seconds", opt_json(c->expected_call_seconds),
		"objectives", "daily_calls", opt_json(c->daily_calls), "weekly_calls", opt_json(c->weekly_calls),
		"daily_appointments", opt_json(c->daily_appointments),
		"weekly_appointments", opt_json(c->weekly_appointments),
		"max_attempts", (json_int_t)c->max_attempts, "hourly_cost_cents", opt_json(c->hourly_cost_cents),
		"archived", c->archived, "calling_blocks", blocks, "leads", (json_int_t)c->leads,
		"created_at", (json_int_t)c->created_at);
	json_object_set_new(o, "calling_windows", slots_json(c->windows, c->nwindows));
	json_object_set_new(o, "retry_seconds", retry);
	json_object_set_new(o, "qualification_fields", fields);
	json_t *outcomes = json_array();

	for (int i = 0; i < c->noutcomes; i++) {
		json_t *flags = json_array();

		for (int k = 0; k < OUTCOME_FLAG_COUNT; k++)
			if (c->outcomes[i].flags & (1u << k))
				json_array_append_new(flags, json_string(campaign_outcome_flag_name(k)));
		json_array_append_new(outcomes, json_pack("{s:s,s:s,s:s,s:o}", "code", c->outcomes[i].code, "label_fr",
			c->outcomes[i].label_fr, "label_en", c->outcomes[i].label_en, "flags", flags));
	}
	json_object_set_new(o, "outcomes", outcomes);
	json_object_set_new(o, "rules", json_string(rules_set_name(campaign_rules(c))));
	json_object_set_new(o, "hold_seconds", json_integer(c->hold_seconds));
	json_object_set_new(o, "idle_limit_seconds", json_integer(c->idle_limit_seconds));
	/* How it dials (docs/TELEPHONY.md), the number it presents, and a word when that number
	 * is allowed but outside the ranges for automated calling systems (click-to-call). */
	{
		struct tp_error ignored;
		bool warned = false;

		tp_error_clear(&ignored);
		json_object_set_new(o, "dialing", json_string(dialing_name((enum dialing)c->dialing)));
		json_object_set_new(o, "caller_id", c->caller_id ? json_string(c->caller_id) : json_null());
		json_object_set_new(o, "ring_timeout_seconds", json_integer(c->ring_timeout_seconds));
		if (dialing_check_caller_id(c->caller_id, c->region, (enum dialing)c->dialing, &warned, &ignored) == 0 &&
		    warned)
			json_object_set_new(o, "caller_id_warning", json_string("outside the ranges for automated calling"
				" systems: allowed for click-to-call (one person calling one person), refused for progressive"
				" dialing (" DIALING_CALLERID_SOURCE ")"));
	}
	return o;
}
