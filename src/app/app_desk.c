/* The calling desk: sessions, next lead, call log, appointments. Times users type are
 * local times of the campaign, parsed here once (core/date.h through tz_parse_local). */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "app/app_int.h"
#include "core/call_log.h"
#include "core/date.h"
#include "core/dial.h"
#include "core/scripts.h"
#include "core/rules.h"
#include "core/phone.h"
#include "core/appointment.h"
#include "core/calling.h"
#include "core/tz.h"
#include "core/units.h"

/* The time of at (local to c) or now. */
static int resolve_at(const struct app *a, const struct campaign *c, const char *at, const char *field, int64_t *out,
	struct tp_error *err)
{
	if (!at) {
		*out = app_now(a);
		return 0;
	}
	return tz_parse_local(c->timezone, at, field, out, err);
}

int app_session(struct app *a, enum app_session_op op, const char *agent, const char *campaign, const char *at,
	struct app_session_result *res, struct tp_error *err)
{
	struct campaign c;
	int64_t when;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = app_require_self(a, agent, "session", err)))
		return rc;
	if (op == APP_SESSION_START && !campaign)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "campaign", 0, TP_MSG("a session starts on a campaign"), 0);
	campaign_init(&c);
	rc = campaign ? store_campaign_settings(a->store, campaign, &c, err)
		      : store_session_campaign(a->store, agent, &c, err);
	if (rc == 0)
		rc = resolve_at(a, &c, at, "at", &when, err);
	if (rc == 0) {
		switch (op) {
		case APP_SESSION_START:
			rc = store_session_start(a->store, agent, campaign, when, &res->session_id, err);
			break;
		case APP_SESSION_PAUSE:
			rc = store_session_pause(a->store, agent, when, err);
			break;
		case APP_SESSION_RESUME:
			rc = store_session_resume(a->store, agent, when, err);
			break;
		case APP_SESSION_STOP:
			rc = store_session_stop(a->store, agent, when, &res->calling_seconds, err);
			break;
		}
	}
	if (rc == 0)
		snprintf(res->campaign, sizeof(res->campaign), "%s", c.name);
	campaign_release(&c);
	return rc;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

struct view_ctx {
	const struct lead_view *lead;   /* filled before the callbacks run */
	json_t *calls, *qual;
};

static int on_call(void *ctx, const struct lead_call *c)
{
	struct view_ctx *v = ctx;
	char when[32];

	tz_format(v->lead->timezone, c->started_at, when, sizeof(when));
	json_array_append_new(v->calls, json_pack("{s:I,s:s,s:s,s:o,s:I,s:s,s:o}", "call_id", (json_int_t)c->call_id,
		"at", when, "result", c->result, "outcome", str_or_null(c->outcome), "talk_seconds",
		(json_int_t)c->talk_seconds, "agent", c->agent, "note", str_or_null(c->note)));
	return 0;
}

static int on_qual(void *ctx, const char *key, const char *value)
{
	struct view_ctx *v = ctx;

	json_object_set_new(v->qual, key, json_string(value));
	return 0;
}

/* The desk's view of a lead as the documented JSON (times in its campaign's zone). */
static int lead_json(struct app *a, int64_t lead_id, json_t **out, struct tp_error *err)
{
	struct lead_view lv;
	struct view_ctx v = {&lv, json_array(), json_object()};
	int rc = store_lead_view(a->store, lead_id, &lv, on_call, on_qual, &v, err);

	if (rc == 0) {
		*out = json_pack("{s:I,s:s,s:s,s:I,s:s,s:{s:o,s:o,s:o,s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o,s:o,s:o},s:o,s:O,s:O}",
			"lead_id", (json_int_t)lv.lead_id, "phone", lv.phone, "state", lv.state, "attempts",
			(json_int_t)lv.attempts, "campaign", lv.campaign, "contact", "civility", str_or_null(lv.civility),
			"first_name", str_or_null(lv.first_name), "last_name", str_or_null(lv.last_name), "role",
			str_or_null(lv.role), "phone", str_or_null(lv.contact_phone), "mobile", str_or_null(lv.mobile),
			"email", str_or_null(lv.email), "company", "name", str_or_null(lv.company), "siren",
			str_or_null(lv.siren), "sector", str_or_null(lv.sector), "city", str_or_null(lv.city), "postcode",
			str_or_null(lv.postcode), "script", str_or_null(lv.script), "calls", v.calls, "qualification",
			v.qual);
		json_object_set_new(*out, "script_variant", str_or_null(lv.script_variant));
		json_object_set_new(*out, "script_version", lv.script_version ? json_integer(lv.script_version) : json_null());
		char shown[64];

		if (phone_display(lv.phone, lv.region, shown, sizeof(shown)) == 0)
			json_object_set_new(*out, "phone_display", json_string(shown));
	}
	lead_view_release(&lv);
	json_decref(v.calls);
	json_decref(v.qual);
	return rc;
}

int app_next(struct app *a, const char *agent, const char *campaign, const char *at, json_t **out,
	struct tp_error *err)
{
	struct next_lead lead;
	struct campaign c;
	int64_t when;
	int rc;

	if ((rc = app_require_self(a, agent, "next", err)))
		return rc;
	/* The campaign's zone is needed only to read a time typed in it. */
	campaign_init(&c);
	if (at && (rc = store_campaign_settings(a->store, campaign, &c, err)) == 0)
		rc = resolve_at(a, &c, at, "at", &when, err);
	else if (!at)
		when = app_now(a);
	campaign_release(&c);
	for (int tries = 1; rc == 0 && (rc = store_next_lead(a->store, agent, campaign, when, &lead, err)) ==
	     TP_EUNAVAILABLE && tries < APP_TRIES; tries++) {
		tp_error_clear(err);
		rc = 0;
	}
	/* Its script variant, given at its first call and kept. */
	if (rc == 0)
		rc = app__script_assign(a, lead.lead_id, err);
	if (rc == 0 && (rc = lead_json(a, lead.lead_id, out, err)) == 0)
		json_object_set_new(*out, "reason", json_string(lead.reason));
	return rc;
}

int app_call_log(struct app *a, const struct app_call *in, json_t **out, struct tp_error *err)
{
	struct call_input ci = {0};
	struct campaign c;
	int64_t call_id, appointment_id;
	char key[340], script_variant[SCRIPT_NAME_MAX + 2];
	bool replayed;
	int rc;

	if ((rc = app_require_self(a, in->agent, "call log", err)))
		return rc;
	if (!in->agent || !*in->agent)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "agent", 0, TP_MSG("the agent who called is required"), 0);
	if (!in->lead_id && !in->campaign)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "lead", 0,
			TP_MSG("the lead called (or, without one, the campaign) is required"), 0);
	if (!in->result || !*in->result)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "result", 0, TP_MSG("the result of the call is required"), 0);
	if ((rc = calling_check_result(in->result, in->outcome, err)))
		return rc;
	ci.agent = in->agent;
	ci.lead_id = in->lead_id;
	ci.campaign = in->campaign;
	ci.result = in->result;
	ci.outcome = in->outcome;
	ci.sales = in->sales;
	ci.note = in->note;
	ci.idempotency_key = in->idempotency_key;
	ci.nqual = in->nqual;
	ci.qual_key = in->qual_key;
	ci.qual_value = in->qual_value;
	ci.live = true;
	ci.confirmed = in->confirm;
	if ((in->talk && (rc = units_parse_duration(in->talk, "talk", 0, CALL_TALK_MAX, &ci.talk_seconds, err))) ||
	    (in->ring && (rc = units_parse_duration(in->ring, "ring", 0, CALL_RING_MAX, &ci.ring_seconds, err))))
		return rc;
	/* Appointments go to sales people only. */
	if (in->sales && *in->sales) {
		struct user u;

		if ((rc = store_user_get(a->store, in->sales, &u, err)))
			return rc == TP_ENOTFOUND ? tp_error_msg(err, TP_EUSAGE, NULL, 0, "sales", 0, TP_MSG("no user named '%s'"), 1,
							 in->sales)
				: rc;
		if (strcmp(u.role, "sales") != 0)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "sales", 2, TP_MSG("'%s' is not a sales person (role %s)"), 2,
				in->sales, u.role);
	}
	campaign_init(&c);
	rc = in->lead_id ? store_lead_campaign(a->store, in->lead_id, &c, err)
			 : store_campaign_settings(a->store, in->campaign, &c, err);
	if (rc == 0 && in->callback_at)
		rc = tz_parse_local(c.timezone, in->callback_at, "callback-at", &ci.callback_at, err);
	if (rc == 0 && in->appointment_at)
		rc = tz_parse_local(c.timezone, in->appointment_at, "appointment-at", &ci.appointment_at, err);
	if (rc == 0)
		rc = resolve_at(a, &c, in->at, "at", &ci.started_at, err);
	/* Logged as it ends: without --at, the call started its ring and talk ago (its calling
	 * time ends now, not in the future). */
	if (rc == 0 && !in->at)
		ci.started_at -= ci.talk_seconds + ci.ring_seconds;
	campaign_release(&c);
	/* The script the agent had on screen, or what the lead reads now. */
	if (rc == 0)
		rc = app__script_of_call(a, in->lead_id, in->script_variant, in->script_version, script_variant,
			sizeof(script_variant), &ci.script_version, err);
	if (rc == 0 && script_variant[0])
		ci.script_variant = script_variant;
	/* A call Telepro placed says its own times (the signalling's). */
	if (rc == 0 && in->dial) {
		if (in->talk || in->ring || in->at)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, in->talk ? "talk" : in->ring ? "ring" : "at", 0,
				TP_MSG("a call Telepro placed has its own times"), 0);
		rc = app__dial_call(a, in->dial, in->agent, in->lead_id, &ci, err);
	}
	/* An idempotency key is the agent's own (another agent's same key is another call);
	 * the same request again gets the first answer, another request with it a 409. */
	if (rc == 0 && in->idempotency_key && *in->idempotency_key) {
		struct call_summary prev;
		bool found;

		if (strlen(in->idempotency_key) > 200)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "idempotency_key", 0, TP_MSG("at most 200 bytes"), 0);
		snprintf(key, sizeof(key), "%zu:%s:%s", strlen(in->agent), in->agent, in->idempotency_key);
		ci.idempotency_key = key;
		if ((rc = store_call_by_key(a->store, key, &prev, &found, err)))
			return rc;
		if (found) {
			bool same = prev.lead_id == in->lead_id && strcmp(prev.result, in->result) == 0 &&
				strcmp(prev.outcome, in->outcome ? in->outcome : "") == 0 && prev.talk_seconds == ci.talk_seconds &&
				prev.ring_seconds == ci.ring_seconds && prev.callback_at == ci.callback_at &&
				strcmp(prev.note ? prev.note : "", in->note ? in->note : "") == 0;

			free(prev.note);
			if (!same) {
				char call[24];

				snprintf(call, sizeof(call), "%lld", (long long)prev.id);
				return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "idempotency_key", 0, TP_MSG("'%s' was used"
					" for another call (call %s): a new call takes a new key"), 2, in->idempotency_key, call);
			}
			*out = json_pack("{s:I,s:o,s:b}", "call_id", (json_int_t)prev.id, "appointment_id",
				prev.appointment_id ? json_integer(prev.appointment_id) : json_null(), "replayed", 1);
			return 0;
		}
	}
	/* Whose lead it is (docs/CALLING.md): an agent's own, or anyone's for a manager. */
	if (rc == 0 && in->lead_id) {
		struct lead_holder h;

		if ((rc = store_lead_holder(a->store, in->lead_id, &h, err)) == 0)
			rc = calling_may_log(a->actor, !(a->role & APP_AGENT), in->lead_id, &h, app_now(a), err);
	}
	if (rc)
		return rc;
	for (int tries = 1; (rc = store_call_log(a->store, &ci, &call_id, &appointment_id, &replayed, err)) ==
	     TP_EUNAVAILABLE && tries < APP_TRIES; tries++)
		tp_error_clear(err);
	if (rc)
		return rc;
	/* A manager who logs a call for an agent is on record as such. */
	if (!replayed && (a->role & (APP_MANAGER | APP_ADMIN)) && strcmp(a->actor, in->agent) != 0) {
		struct store_who who = app_who(a);
		char detail[160];

		snprintf(detail, sizeof(detail), "for %s", in->agent);
		if ((rc = store_audit(a->store, &who, "call.log", "call", call_id, detail, err)))
			return rc;
	}
	*out = json_pack("{s:I,s:o}", "call_id", (json_int_t)call_id, "appointment_id",
		appointment_id ? json_integer(appointment_id) : json_null());
	if (replayed)
		json_object_set_new(*out, "replayed", json_true());
	return 0;
}

/* The call placed, as a logged call: result, times and the agent's and lead's ids. */
int app__dial_call(struct app *a, int64_t dial_id, const char *agent, int64_t lead_id, struct call_input *ci,
	struct tp_error *err)
{
	struct dial_row r;
	int rc;

	if (a->placing && a->placing->id == dial_id)
		r = *a->placing;
	else if ((rc = store_dial_get(a->store, dial_id, &r, err)))
		return rc;
	if (strcmp(r.agent, agent) != 0 || r.lead_id != lead_id)
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("this call was placed for another agent"
			" or another lead"), 0);
	if (r.d.state != DIAL_ENDED)
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("the call is still going on: hang up"
			" first"), 0);
	/* Logged already: the same request again is answered as the first time (its key),
	 * another is refused as it is written (store_call_log). */
	if (!r.d.result)
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("this call reached nobody: there is"
			" nothing to log"), 0);
	if (!ci->result || strcmp(ci->result, r.d.result) != 0)
		return tp_error_msg(err, TP_ECONFLICT, NULL, 0, "result", 0, TP_MSG("the call placed says '%s'"), 1,
			r.d.result);
	ci->dial_id = dial_id;
	ci->ring_seconds = dial_ring_seconds(&r.d);
	ci->talk_seconds = dial_talk_seconds(&r.d);
	ci->started_at = (r.d.prospect_ms ? r.d.prospect_ms : r.d.started_ms) / 1000;
	return 0;
}

struct appointment_list {
	json_t *list;
	int64_t now;
};

static int list_one(void *vctx, const struct appointment_row *r)
{
	struct appointment_list *ctx = vctx;
	json_t *o;
	char when[32];

	tz_format(r->timezone, r->scheduled_at, when, sizeof(when));
	json_array_append_new(ctx->list, o = json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s}",
		"id", (json_int_t)r->id, "call_id", (json_int_t)r->call_id, "lead_id", (json_int_t)r->lead_id,
		"campaign", r->campaign, "scheduled_at", when, "agent", r->agent, "sales", r->sales,
		"status", r->status, "result", r->result,
		"relevant", r->relevant < 0 ? json_null() : json_boolean(r->relevant),
		"amount_cents", r->amount_cents ? json_integer(r->amount_cents) : json_null(),
		"contact", r->contact, "company", r->company, "phone", r->phone));
	json_object_set_new(o, "due", json_boolean(r->scheduled_at <= ctx->now));
	if (*r->phone && phone_display(r->phone, r->region, when, sizeof(when)) == 0)
		json_object_set_new(o, "phone_display", json_string(when));
	/* What sales need before the meeting: the agent's notes and the prospect's answers. */
	json_object_set_new(o, "notes", json_string(r->notes));
	json_t *q = json_object();

	for (size_t i = 0; i < r->nqual; i++)
		json_object_set_new(q, r->qual_key[i], json_string(r->qual_value[i]));
	json_object_set_new(o, "qualification", q);
	return 0;
}

/* The labels of the qualification answers an appointment shows, as its campaign names its
 * fields ({"key": {"fr", "en"}}; keys without a label are left out): each campaign read once. */
static int label_answers(struct app *a, json_t *list, struct tp_error *err)
{
	json_t *seen = json_object(), *o;
	size_t i;
	int rc = 0;

	json_array_foreach(list, i, o) {
		const char *name = json_string_value(json_object_get(o, "campaign"));
		json_t *labels;

		if (!json_object_size(json_object_get(o, "qualification")) || !name)
			continue;
		if (!(labels = json_object_get(seen, name))) {
			struct campaign c;

			campaign_init(&c);
			labels = json_object();
			if ((rc = store_campaign_settings(a->store, name, &c, err)) == 0)
				for (int k = 0; k < c.nfields; k++)
					if (c.fields[k].label_fr[0])
						json_object_set_new(labels, c.fields[k].key, json_pack("{s:s,s:s}", "fr",
							c.fields[k].label_fr, "en", c.fields[k].label_en));
			campaign_release(&c);
			json_object_set_new(seen, name, labels);
			if (rc)
				break;
		}
		if (json_object_size(labels))
			json_object_set(o, "qualification_labels", labels);
	}
	json_decref(seen);
	return rc;
}

int app__appointments_scope(struct app *a, const char **sales, struct tp_error *err)
{
	/* Sales see their own appointments (theirs by default, for every front end); managers
	 * and admins everyone's. */
	if ((a->role & APP_SALES) && !*sales)
		*sales = a->actor;
	if ((a->role & APP_SALES) && strcmp(*sales, a->actor) != 0)
		return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, "sales", 0,
			TP_MSG("appointment list: sales see their own (--sales %s)"), 1, a->actor);
	return app_require(a, APP_SALES | APP_MANAGER | APP_ADMIN, "appointment list", err);
}

int app_appointment_list(struct app *a, const char *sales, const char *campaign, json_t **out, struct tp_error *err)
{
	struct appointment_list ctx = {NULL, app_now(a)};
	int rc;

	if ((rc = app__appointments_scope(a, &sales, err)))
		return rc;
	ctx.list = json_array();
	if ((rc = store_appointment_list(a->store, &(struct appointment_filter){sales, campaign, 0, 0}, list_one, &ctx,
		     err)) ||
	    (rc = label_answers(a, ctx.list, err))) {
		json_decref(ctx.list);
		return rc;
	}
	*out = ctx.list;
	return 0;
}

int app_appointment_result(struct app *a, int64_t id, const char *status, const char *relevant, const char *result,
	const char *amount, struct tp_error *err)
{
	struct store_who who = app_who(a);
	int64_t cents = -1;
	int rel = -1, rc;

	if ((rc = app_require(a, APP_SALES | APP_MANAGER | APP_ADMIN, "appointment result", err)))
		return rc;
	if ((rc = appointment_values(status, relevant, result, amount, &rel, &cents, err)))
		return rc;
	if (!status && !result && rel < 0 && cents < 0)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, NULL, 0,
			TP_MSG("give at least one of --status, --relevant, --result, --amount"), 0);
	/* Sales record what became of their own appointments; managers and admins of any. */
	if (a->role & APP_SALES) {
		char sales[128], idtext[24];

		if ((rc = store_appointment_sales(a->store, id, sales, sizeof(sales), err)))
			return rc;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
		if (strcmp(sales, a->actor) != 0)
			return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, NULL, 0, sales[0] ? TP_MSG("appointment %s is %s's:"
				" sales record the results of their own appointments") : TP_MSG("appointment %s is"
				" nobody's: sales record the results of their own appointments"), 2, idtext, sales);
	}
	return store_appointment_result(a->store, &who, id, status, rel, result, cents, err);
}

int app_why_phone(struct app *a, const char *campaign, const char *phone, const char *at, json_t **out,
	struct tp_error *err)
{
	struct campaign c;
	char e164[PHONE_E164_MAX];
	const char *why = "not a phone number", *phones[1] = {e164};
	int64_t lead_id = 0;
	int rc;

	if ((rc = app_require(a, APP_AGENT | APP_MANAGER | APP_ADMIN, "why", err)))
		return rc;
	campaign_init(&c);
	if ((rc = store_campaign_settings(a->store, campaign ? campaign : "", &c, err)))
		goto out;
	if (!phone || phone_normalize(phone, strlen(phone), c.region ? c.region : "FR", e164, &why) != PHONE_OK) {
		rc = tp_error_msg(err, TP_EUSAGE, NULL, 0, "phone", 2, TP_MSG("'%s': %s"), 2, phone ? phone : "", why);
		goto out;
	}
	if ((rc = store_leads_by_phone(a->store, c.id, phones, 1, &lead_id, err)))
		goto out;
	if (!lead_id) {
		rc = tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "phone", 0, TP_MSG("%s is not a lead of this campaign"), 1, phone);
		goto out;
	}
	rc = app_why(a, lead_id, at, out, err);
out:
	campaign_release(&c);
	return rc;
}

/* The rules' verdict on lead_id at at (a time in c's zone, or NULL: now) for agent (a lead
 * agent holds is theirs to call): c (initialised by the caller), *when and *r filled. */
int app__lead_verdict(struct app *a, int64_t lead_id, const char *at_text, const char *agent, struct campaign *c,
	int64_t *when, struct rules_consumer *cons, struct rules_result *r, struct tp_error *err)
{
	struct lead_facts f;
	struct rules_lead rl;
	int rc;

	*when = app_now(a);
	if ((rc = store_lead_facts(a->store, lead_id, *when, &f, err)) ||
	    (rc = store_campaign_settings_by_id(a->store, f.campaign_id, c, err)))
		return rc;
	if (at_text && ((rc = resolve_at(a, c, at_text, "at", when, err)) ||
	    (rc = store_lead_facts(a->store, lead_id, *when, &f, err))))
		return rc;
	if (c->nwindows == 0)
		calling_default_windows(c->audience, c);
	rl = (struct rules_lead){f.state, f.next_call_at, f.held_by[0] && strcmp(f.held_by, agent) ? f.held_by : NULL,
		f.held_until,
		f.opposition[0] ? f.opposition : NULL, c->timezone, c->windows, c->nwindows};
	rules_consumer_of(&f.consumer, c->region, c->timezone, cons);
	rules_explain(campaign_rules(c), *when, &rl, cons, r);
	return 0;
}

int app_why(struct app *a, int64_t lead_id, const char *at_text, json_t **out, struct tp_error *err)
{
	struct campaign c;
	struct rules_consumer rc_;
	struct rules_result r;
	int64_t at;
	json_t *rules;
	char when[32];
	int rc;

	if ((rc = app_require(a, APP_AGENT | APP_MANAGER | APP_ADMIN, "why", err)))
		return rc;
	campaign_init(&c);
	if ((rc = app__lead_verdict(a, lead_id, at_text, a->actor, &c, &at, &rc_, &r, err)))
		goto out;
	rules = json_array();
	for (int i = 0; i < r.n; i++) {
		json_t *v = json_pack("{s:s,s:s,s:s,s:b,s:s}", "rule", r.v[i].rule, "label", rules_label(r.v[i].rule),
			"source", r.v[i].source, "ok", r.v[i].ok, "reason", r.v[i].reason);

		/* The reason as a message (its English text and arguments): a page says it in its
		 * reader's language. */
		if (r.v[i].fmt) {
			json_t *args = json_array();

			for (int k = 0; k < r.v[i].nargs; k++)
				json_array_append_new(args, json_string(r.v[i].args[k]));
			json_object_set_new(v, "message", json_pack("{s:s,s:o}", "id", r.v[i].fmt, "args", args));
		}

		if (r.v[i].allowed_from) {
			tz_format(c.timezone, r.v[i].allowed_from, when, sizeof(when));
			json_object_set_new(v, "allowed_from", json_string(when));
		}
		json_array_append_new(rules, v);
	}
	tz_format(c.timezone, at, when, sizeof(when));
	*out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:o}", "lead_id", (json_int_t)lead_id, "campaign", c.name, "at", when,
		"consumer_zone", rc_.where.zone, "rules_set", rules_set_name(campaign_rules(&c)), "callable", r.callable,
		"rules", rules);
out:
	campaign_release(&c);
	return rc;
}

int app_consent_record(struct app *a, int64_t lead_id, const char *source, const char *day_text, const char *wording,
	struct tp_error *err)
{
	struct store_who who = app_who(a);
	struct lead_facts f;
	struct campaign c;
	struct tz_local l;
	char detail[256];
	int day, rc;

	if ((rc = app_require(a, APP_AGENT | APP_MANAGER | APP_ADMIN, "consent", err)))
		return rc;
	if (!source || !*source || strlen(source) > 200)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "source", 0, TP_MSG("where the consent was given: 1 to 200 bytes"), 0);
	if (wording && strlen(wording) > 2000)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "wording", 0, TP_MSG("at most 2000 bytes"), 0);
	campaign_init(&c);
	if ((rc = store_lead_facts(a->store, lead_id, who.at, &f, err)) ||
	    (rc = store_campaign_settings_by_id(a->store, f.campaign_id, &c, err)))
		goto out;
	if (day_text) {
		if ((rc = date_parse_day(day_text, "date", &day, err)))
			goto out;
	} else {
		tz_local(c.timezone, who.at, &l);
		day = l.yyyymmdd;
	}
	/* A consent is given before the call it allows, never in the future. */
	if (tz_day_number(day) * 86400 > who.at) {
		rc = tp_error_msg(err, TP_EUSAGE, NULL, 0, "date", 0, TP_MSG("a consent is not given in the future"), 0);
		goto out;
	}
	if ((rc = store_begin(a->store, err)))
		goto out;
	rc = store_consent_add(a->store, &who, f.consumer.phone, tz_day_number(day) * 86400, source,
		wording && *wording ? wording : NULL, err);
	if (rc >= 0) {
		/* The audit log says what happened, never to whom (the lead's id): docs/PRIVACY.md. */
		snprintf(detail, sizeof(detail), "%04d-%02d-%02d, %s", day / 10000, day / 100 % 100, day % 100, source);
		rc = store_audit(a->store, &who, "consent.add", "lead", lead_id, detail, err);
	}
	if (rc < 0) {
		store_rollback(a->store);
	} else if ((rc = store_commit(a->store, err)) == 0) {
		rc = 0;
	}
out:
	campaign_release(&c);
	return rc;
}
