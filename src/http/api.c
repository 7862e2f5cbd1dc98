/*
 * The JSON API under /api/v1 (docs/API.md). Each handler reads the request, calls one use
 * case of src/app acting as the session's user, and answers with its JSON; refusals are
 * {"error","field"} with the status of the error (http_status_of).
 */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "core/xalloc.h"
#include "core/scripts.h"
#include "http/api.h"
#include "http/i18n.h"
#include "http/pages.h"
#include "http/report.h"

/* A JSON member as the text the app layer parses (numbers and booleans written out);
 * NULL when absent or null. */
const char *api_text(struct http_req *r, json_t *j, const char *key)
{
	return api_value_text(r, j ? json_object_get(j, key) : NULL);
}

const char *api_value_text(struct http_req *r, json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(&r->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(&r->arena, "%.17g", json_real_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	return "";  /* an object or array where text is expected: refused by the parser */
}

/* The name of campaign {id} (path parameter i); NULL after answering 404. */
const char *api_campaign_name(struct http_req *r, int i)
{
	struct tp_error err;
	struct campaign c;
	const char *name = NULL;
	int64_t id = http_param_id(r, i);

	tp_error_clear(&err);
	campaign_init(&c);
	if (!id) {
		http_reply_status(r, 404, "campaign", "no such campaign");
	} else if (app_campaign_settings_by_id(r->app, id, &c, &err)) {
		http_reply_error(r, &err);
	} else {
		name = arena_strdup(&r->arena, c.name);
	}
	campaign_release(&c);
	return name;
}

/* Answers with *out (200) or the error; out is read after rc was computed. */
static void answer(struct http_req *r, int rc, json_t **out, const struct tp_error *err)
{
	if (rc)
		http_reply_error(r, err);
	else
		http_reply_json(r, 200, *out);
}

static void health(struct http_req *r)
{
	struct tp_error err;
	int64_t version = 0;
	json_t *out;
	int rc;

	tp_error_clear(&err);
	rc = app_schema_version(r->app, &version, &err);
	out = rc ? NULL : json_pack("{s:s,s:I}", "status", "ok", "schema", (json_int_t)version);
	answer(r, rc, &out, &err);
}

static json_t *user_json(const struct user *u)
{
	return json_pack("{s:s,s:s,s:s}", "name", u->name, "role", u->role, "lang", u->lang);
}

static void login(struct http_req *r)
{
	json_t *j = http_json_body(r, HTTP_FIELDS("login", "password"));
	struct app_web_session s;
	struct tp_error err;

	if (!j)
		return;
	tp_error_clear(&err);
	if (app_web_login(r->app, api_text(r, j, "login"), api_text(r, j, "password"), r->ip, &s, &err)) {
		/* Wrong credentials are a 401, whatever the app layer calls them. */
		if (err.code == TP_EUSAGE) {
			http_reply_status(r, 401, err.field, err.reason);
		} else {
			if (err.code == TP_ETOOMANY) {
				char wait[24];

				snprintf(wait, sizeof(wait), "%lld", (long long)s.retry_after);
				http_add_header(r, "Retry-After", wait);
			}
			http_reply_error(r, &err);
		}
		return;
	}
	http_set_session_cookie(r, s.token, APP_WEB_SESSION_SECONDS);
	sodium_memzero(s.token, sizeof(s.token));
	http_reply_json(r, 200, json_pack("{s:o,s:s}", "user", user_json(&s.user), "csrf", s.csrf));
}

static void logout(struct http_req *r)
{
	struct tp_error err;

	tp_error_clear(&err);
	if (api_logout(r, &err)) {
		http_reply_error(r, &err);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:b}", "signed_out", 1));
}

int api_logout(struct http_req *r, struct tp_error *err)
{
	const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, HTTP_COOKIE);
	int rc = app_web_logout(r->app, token, err);

	if (rc == 0)
		http_set_session_cookie(r, "", 0);
	return rc;
}

static void me(struct http_req *r)
{
	http_reply_json(r, 200, json_pack("{s:o,s:s}", "user", user_json(&r->session.user), "csrf", r->session.csrf));
}

/* Campaigns ---------------------------------------------------------------------------- */

static int list_one(void *ctx, const struct campaign *c)
{
	json_array_append_new(ctx, app_campaign_json(c));
	return 0;
}

static void campaigns(struct http_req *r)
{
	struct tp_error err;
	json_t *list = json_array();
	int rc;

	tp_error_clear(&err);
	rc = app_campaign_list(r->app, list_one, list, &err);
	if (rc)
		json_decref(list);
	answer(r, rc, &list, &err);
}

/* The settings of a JSON object, named as the CLI's options ({"daily-calls":40,
 * "block":["14:00-16:00"],"no-blocks":true}); NULL after answering 400. */
static struct campaign_setting *settings_of(struct http_req *r, json_t *j, const char *skip, size_t *n)
{
	struct campaign_setting *set;
	const char *key;
	json_t *v;
	size_t cap = 0;

	json_object_foreach(j, key, v)
		cap += json_is_array(v) ? json_array_size(v) : 1;
	set = arena_alloc(&r->arena, (cap + 1) * sizeof(*set));
	*n = 0;
	json_object_foreach(j, key, v) {
		bool takes_value;

		if (skip && strcmp(key, skip) == 0)
			continue;
		if (campaign_setting_find(key, &takes_value) < 0) {
			http_reply_status(r, 400, key, "not a campaign setting (docs/API.md lists them)");
			return NULL;
		}
		if (!takes_value) {
			if (json_is_true(v))
				set[(*n)++] = (struct campaign_setting){key, NULL};
			continue;
		}
		if (json_is_array(v)) {
			size_t i;
			json_t *e;

			json_array_foreach(v, i, e) {
				const char *text = api_value_text(r, e);

				set[(*n)++] = (struct campaign_setting){key, text ? text : ""};
			}
			continue;
		}
		set[(*n)++] = (struct campaign_setting){key, api_text(r, j, key)};
		if (!set[*n - 1].value)
			set[*n - 1].value = "";
	}
	return set;
}

static void campaign_add(struct http_req *r)
{
	json_t *j = http_json_body(r, NULL);
	struct campaign_setting *set;
	struct tp_error err;
	struct campaign c;
	size_t n;

	if (!j || !(set = settings_of(r, j, "name", &n)))
		return;
	tp_error_clear(&err);
	campaign_init(&c);
	if (app_campaign_add(r->app, api_text(r, j, "name"), set, n, &c, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 201, app_campaign_json(&c));
	campaign_release(&c);
}

static void campaign_get(struct http_req *r)
{
	const char *name = api_campaign_name(r, 0);
	struct tp_error err;
	struct campaign c;

	if (!name)
		return;
	tp_error_clear(&err);
	campaign_init(&c);
	if (app_campaign_get(r->app, name, &c, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 200, app_campaign_json(&c));
	campaign_release(&c);
}

static void campaign_set(struct http_req *r)
{
	const char *name = api_campaign_name(r, 0);
	struct campaign_setting *set;
	json_t *j;
	struct tp_error err;
	size_t n;

	if (!name || !(j = http_json_body(r, NULL)) || !(set = settings_of(r, j, NULL, &n)))
		return;
	tp_error_clear(&err);
	if (app_campaign_set(r->app, name, set, n, &err)) {
		http_reply_error(r, &err);
		return;
	}
	campaign_get(r);
}

/* Answers with what a use case of the campaign {id} gives (outcomes, now, agents now). */
static void campaign_view(struct http_req *r, int (*view)(struct app *, const char *, json_t **, struct tp_error *))
{
	const char *name = api_campaign_name(r, 0);
	struct tp_error err;
	json_t *out = NULL;

	if (!name)
		return;
	tp_error_clear(&err);
	answer(r, view(r->app, name, &out, &err), &out, &err);
}

static void campaign_outcomes(struct http_req *r)
{
	campaign_view(r, app_outcomes);
}

static void campaign_now(struct http_req *r)
{
	campaign_view(r, app_campaign_now);
}

static void campaign_agents_now(struct http_req *r)
{
	campaign_view(r, app_campaign_agents_now);
}

static void campaign_scripts(struct http_req *r)
{
	campaign_view(r, app_scripts_get);
}

/* PUT {"variants":[{"variant":"A","text":"..."}],"weights":[50,50],"primary":RATE}: the
 * running variants, as `telepro campaign script`. */
static void campaign_scripts_set(struct http_req *r)
{
	const char *name = api_campaign_name(r, 0), *weights = NULL;
	struct app_script_variant v[SCRIPT_VARIANTS_MAX];
	json_t *j, *list, *w, *o;
	struct tp_error err;
	size_t i, n;

	if (!name || !(j = http_json_body(r, HTTP_FIELDS("variants", "weights", "primary"))))
		return;
	list = json_object_get(j, "variants");
	if (!json_is_array(list) || (n = json_array_size(list)) == 0 || n > SCRIPT_VARIANTS_MAX) {
		http_reply_status(r, 400, "variants", "1 to 8 variants: [{\"variant\":\"A\",\"text\":\"...\"}]");
		return;
	}
	json_array_foreach(list, i, o) {
		const char *key;
		json_t *val;

		json_object_foreach(o, key, val)
			if (strcmp(key, "variant") && strcmp(key, "text")) {
				http_reply_status(r, 400, "variants", "a variant has \"variant\" and \"text\" only");
				return;
			}
		if (!json_is_string(json_object_get(o, "variant")) || !json_is_string(json_object_get(o, "text"))) {
			http_reply_status(r, 400, "variants", "each variant: {\"variant\":\"A\",\"text\":\"...\"}");
			return;
		}
		v[i].name = json_string_value(json_object_get(o, "variant"));
		v[i].body = json_string_value(json_object_get(o, "text"));
	}
	if ((w = json_object_get(j, "weights")) && !json_is_null(w)) {
		struct strbuf sb;
		json_t *x;

		if (!json_is_array(w)) {
			http_reply_status(r, 400, "weights", "an array of whole numbers, one per variant");
			return;
		}
		sb_init(&sb);
		json_array_foreach(w, i, x) {
			if (!json_is_integer(x)) {
				sb_release(&sb);
				http_reply_status(r, 400, "weights", "an array of whole numbers, one per variant");
				return;
			}
			sb_addf(&sb, "%s%lld", i ? "," : "", (long long)json_integer_value(x));
		}
		weights = arena_strdup(&r->arena, sb.buf ? sb.buf : "");
		sb_release(&sb);
	}
	tp_error_clear(&err);
	if (app_scripts_set(r->app, name, v, n, weights, api_text(r, j, "primary"), &err)) {
		http_reply_error(r, &err);
		return;
	}
	campaign_scripts(r);
}

static void campaign_script_versions(struct http_req *r)
{
	const char *name = api_campaign_name(r, 0);
	struct tp_error err;
	json_t *out = NULL;

	if (!name)
		return;
	tp_error_clear(&err);
	answer(r, app_script_history(r->app, name, r->params[1], &out, &err), &out, &err);
}

/* Calling desk -------------------------------------------------------------------------- */

/* The agent a desk call is for: the body's "agent", else the signed-in user. */
static const char *agent_of(struct http_req *r, json_t *j)
{
	const char *agent = api_text(r, j, "agent");

	return agent ? agent : r->session.user.name;
}

static void next(struct http_req *r)
{
	const char *name = api_campaign_name(r, 0);
	json_t *j = NULL, *out = NULL;
	struct tp_error err;
	int rc;

	if (!name || (r->body_len && !(j = http_json_body(r, HTTP_FIELDS("agent", "at")))))
		return;
	tp_error_clear(&err);
	rc = app_next(r->app, agent_of(r, j), name, api_text(r, j, "at"), &out, &err);
	if (rc == TP_ENOTHING) {
		/* Nothing to call now is an answer, not a failure. */
		http_reply_json(r, 200, json_pack("{s:n,s:s}", "lead_id", "reason", http_reason(r, &err)));
		return;
	}
	/* ?script=html: the script merged with the lead and rendered, for the desk. */
	if (rc == 0 && http_query(r, "script") && strcmp(http_query(r, "script"), "html") == 0)
		json_object_set_new(out, "script_html", json_string(page_script_html(r, out)));
	answer(r, rc, &out, &err);
}

static void call_log(struct http_req *r)
{
	json_t *j = http_json_body(r, HTTP_FIELDS("agent", "lead_id", "campaign", "result", "outcome", "talk", "ring",
		"callback_at", "appointment_at", "at", "sales", "note", "idempotency_key", "qualification", "confirm", "dial",
		"script_variant", "script_version")),
		*qual,
		*v, *out = NULL;
	struct app_call in = {0};
	struct tp_error err;
	const char **keys = NULL, **values = NULL;
	const char *key;
	size_t n = 0;

	if (!j)
		return;
	in.agent = agent_of(r, j);
	in.lead_id = json_integer_value(json_object_get(j, "lead_id"));
	if (json_object_get(j, "lead_id") && !json_is_integer(json_object_get(j, "lead_id"))) {
		http_reply_status(r, 400, "lead_id", "a lead id is a number");
		return;
	}
	in.campaign = api_text(r, j, "campaign");
	in.result = api_text(r, j, "result");
	in.outcome = api_text(r, j, "outcome");
	in.talk = api_text(r, j, "talk");
	in.ring = api_text(r, j, "ring");
	in.callback_at = api_text(r, j, "callback_at");
	in.appointment_at = api_text(r, j, "appointment_at");
	in.at = api_text(r, j, "at");
	in.sales = api_text(r, j, "sales");
	in.note = api_text(r, j, "note");
	in.idempotency_key = api_text(r, j, "idempotency_key");
	if (json_object_get(j, "confirm") && !json_is_boolean(json_object_get(j, "confirm"))) {
		http_reply_status(r, 400, "confirm", "true or false");
		return;
	}
	in.confirm = json_is_true(json_object_get(j, "confirm"));
	if (json_object_get(j, "dial") && !json_is_integer(json_object_get(j, "dial"))) {
		http_reply_status(r, 400, "dial", "the id of the call Telepro placed");
		return;
	}
	in.dial = json_integer_value(json_object_get(j, "dial"));
	/* The script on the agent's screen: next's script_variant and script_version. */
	in.script_variant = api_text(r, j, "script_variant");
	if ((json_object_get(j, "script_version") && !json_is_integer(json_object_get(j, "script_version"))) ||
	    (!in.script_variant != !json_object_get(j, "script_version"))) {
		http_reply_status(r, 400, "script_version", "script_variant and script_version (a number) go together");
		return;
	}
	in.script_version = json_integer_value(json_object_get(j, "script_version"));
	if (!in.idempotency_key)
		in.idempotency_key = http_header(r, "Idempotency-Key");
	qual = json_object_get(j, "qualification");
	if (qual && !json_is_object(qual) && !json_is_null(qual)) {
		http_reply_status(r, 400, "qualification", "an object of field: value");
		return;
	}
	if (json_is_object(qual) && json_object_size(qual)) {
		keys = arena_alloc(&r->arena, json_object_size(qual) * sizeof(*keys));
		values = arena_alloc(&r->arena, json_object_size(qual) * sizeof(*values));
		json_object_foreach(qual, key, v) {
			const char *text = api_text(r, qual, key);

			if (!text || !*text)
				continue;   /* a field left empty on the desk says nothing */
			keys[n] = key;
			values[n] = text;
			n++;
		}
	}
	in.nqual = n;
	in.qual_key = keys;
	in.qual_value = values;
	tp_error_clear(&err);
	if (app_call_log(r->app, &in, &out, &err)) {
		/* The app layer names fields as the CLI's options (appointment-at); this body's
		 * keys are snake_case (appointment_at). */
		for (char *p = err.field; *p; p++)
			if (*p == '-')
				*p = '_';
		if (strcmp(err.field, "lead") == 0)
			snprintf(err.field, sizeof(err.field), "lead_id");
		http_reply_error(r, &err);
	} else {
		/* The outcome of a call placed on a line: the agent is free for the next. */
		if (in.dial)
			app_dialer_notify(r->opt->dialer, in.agent, APP_LINE_LOGGED);
		http_reply_json(r, 201, out);
	}
}

static void session(struct http_req *r)
{
	static const struct {
		const char *name;
		enum app_session_op op;
	} ops[] = {{"start", APP_SESSION_START}, {"pause", APP_SESSION_PAUSE}, {"resume", APP_SESSION_RESUME},
		{"stop", APP_SESSION_STOP}};
	json_t *j = NULL;
	struct app_session_result res = {0};
	struct tp_error err;
	int op = -1;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(r->params[0], ops[i].name) == 0)
			op = (int)i;
	if (op < 0) {
		http_reply_status(r, 404, "action", "start, pause, resume or stop");
		return;
	}
	if (r->body_len && !(j = http_json_body(r, HTTP_FIELDS("agent", "campaign", "at"))))
		return;
	tp_error_clear(&err);
	if (app_session(r->app, ops[op].op, agent_of(r, j), api_text(r, j, "campaign"), api_text(r, j, "at"), &res,
		&err)) {
		http_reply_error(r, &err);
		return;
	}
	/* Progressive dialing follows the agent's session (this server's dialer). */
	if (ops[op].op != APP_SESSION_START)
		app_dialer_notify(r->opt->dialer, agent_of(r, j), ops[op].op == APP_SESSION_PAUSE ? APP_LINE_PAUSED
			: ops[op].op == APP_SESSION_RESUME ? APP_LINE_RESUMED : APP_LINE_STOPPED);
	http_reply_json(r, 200, json_pack("{s:s,s:s,s:o,s:o}", "action", ops[op].name, "agent", agent_of(r, j),
		"session_id", res.session_id ? json_integer(res.session_id) : json_null(), "calling_seconds",
		ops[op].op == APP_SESSION_STOP ? json_integer(res.calling_seconds) : json_null()));
}

/* The answer of app_why in the reader's language. */
static void why_answer(struct http_req *r, int rc, json_t *out, struct tp_error *err);

/* GET /leads/{id}/why?at=…: why the lead may or may not be called, rule by rule. */
static void why(struct http_req *r)
{
	struct tp_error err;
	json_t *out = NULL;
	int64_t id = http_param_id(r, 0);
	int rc;

	if (!id) {
		http_reply_status(r, 404, "lead", "no such lead");
		return;
	}
	tp_error_clear(&err);
	rc = app_why(r->app, id, http_query(r, "at"), &out, &err);
	why_answer(r, rc, out, &err);
}

/* GET /campaigns/{id}/why?phone=…&at=…: the same for the campaign's lead with that number. */
static void why_phone(struct http_req *r)
{
	const char *name = api_campaign_name(r, 0);
	struct tp_error err;
	json_t *out = NULL;
	int rc;

	if (!name)
		return;
	tp_error_clear(&err);
	rc = app_why_phone(r->app, name, http_query(r, "phone"), http_query(r, "at"), &out, &err);
	why_answer(r, rc, out, &err);
}

static void why_answer(struct http_req *r, int rc, json_t *out, struct tp_error *err)
{
	if (rc == 0) {
		size_t i;
		json_t *v;

		/* Each rule in the reader's language: its name, its source, its reason. */
		json_array_foreach(json_object_get(out, "rules"), i, v) {
			json_t *m = json_object_get(v, "message");

			json_object_set_new(v, "label", json_string(i18n(r->lang, json_string_value(json_object_get(v, "label")))));
			json_object_set_new(v, "source", json_string(i18n(r->lang, json_string_value(json_object_get(v, "source")))));
			if (m) {
				struct rule_verdict rv = {0};
				char text[512];
				size_t k;
				json_t *a;

				json_array_foreach(json_object_get(m, "args"), k, a)
					if (k < RULES_ARGS) {
						/* A weekday or a state is a word of the catalogue too. */
						snprintf(rv.args[k], sizeof(rv.args[k]), "%s", i18n(r->lang, json_string_value(a)));
						rv.nargs = (int)k + 1;
					}
				rules_format(i18n(r->lang, json_string_value(json_object_get(m, "id"))), &rv, text, sizeof(text));
				json_object_set_new(v, "reason", json_string(text));
			}
		}
	}
	answer(r, rc, &out, err);
}

/* POST /leads/{id}/consent {"source","date","wording"}: the consumer's consent, recorded. */
static void consent(struct http_req *r)
{
	json_t *j = http_json_body(r, HTTP_FIELDS("source", "date", "wording"));
	struct tp_error err;
	int64_t id = http_param_id(r, 0);

	if (!j)
		return;
	tp_error_clear(&err);
	if (app_consent_record(r->app, id, api_text(r, j, "source"), api_text(r, j, "date"), api_text(r, j, "wording"),
		&err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 201, json_pack("{s:I,s:b}", "lead_id", (json_int_t)id, "recorded", 1));
}

/* Telepro dials (docs/TELEPHONY.md) ----------------------------------------------------- */

static const char *const no_fields[] = {NULL};

static void dial(struct http_req *r)
{
	struct tp_error err;
	int64_t id = http_param_id(r, 0), dial_id;

	if (r->body_len && !http_json_body(r, no_fields))
		return;
	tp_error_clear(&err);
	if (!id)
		http_reply_status(r, 404, "lead", "no such lead");
	else if (app_dial(r->app, r->opt->dialer, id, &dial_id, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 202, json_pack("{s:I,s:s}", "id", (json_int_t)dial_id, "state", "ringing_agent"));
}

static void dial_get(struct http_req *r)
{
	struct tp_error err;
	json_t *out = NULL;
	int64_t id = http_param_id(r, 0);

	tp_error_clear(&err);
	answer(r, app_dial_get(r->app, id, &out, &err), &out, &err);
}

static void dial_hangup(struct http_req *r)
{
	struct tp_error err;
	int64_t id = http_param_id(r, 0);

	if (r->body_len && !http_json_body(r, no_fields))
		return;
	tp_error_clear(&err);
	if (app_dial_hangup(r->app, r->opt->dialer, id, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 202, json_pack("{s:I}", "id", (json_int_t)id));
}

/* Progressive dialing: the agent's line. */
static void line_start(struct http_req *r)
{
	const char *name = api_campaign_name(r, 0);
	struct tp_error err;

	if (!name || (r->body_len && !http_json_body(r, no_fields)))
		return;
	tp_error_clear(&err);
	if (app_line_start(r->app, r->opt->dialer, name, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 202, json_pack("{s:s}", "state", "ringing"));
}

static void line_get(struct http_req *r)
{
	struct tp_error err;
	struct app_line line;

	tp_error_clear(&err);
	if (app_line_get(r->app, r->opt->dialer, &line, &err)) {
		http_reply_error(r, &err);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:s,s:o,s:o,s:o}", "state", line.state, "campaign", line.campaign[0] ?
		json_string(line.campaign) : json_null(), "dial", line.dial_id ? json_integer(line.dial_id) : json_null(),
		"reason", line.why.code ? json_string(http_reason(r, &line.why)) : json_null()));
}

static void line_stop(struct http_req *r)
{
	if (r->body_len && !http_json_body(r, no_fields))
		return;
	app_dialer_notify(r->opt->dialer, r->session.user.name, APP_LINE_STOPPED);
	http_reply_json(r, 202, json_pack("{s:s}", "state", "ended"));
}

static void dialer_status(struct http_req *r)
{
	http_reply_json(r, 200, app_dialer_status(r->opt->dialer));
}

/* Appointments ------------------------------------------------------------------------- */

/* A workbook written by write(ctx, path) to a scratch file, sent as the download name. */
static void send_xlsx(struct http_req *r, const char *name, int (*write)(struct http_req *, void *, const char *,
	struct tp_error *), void *ctx)
{
	char path[] = "/tmp/telepro-xlsx-XXXXXX";
	struct tp_error err;
	FILE *f;
	int fd = mkstemp(path);
	long len;

	tp_error_clear(&err);
	if (fd < 0) {
		tp_error_set(&err, TP_ERR, "scratch file: %s", strerror(errno));
		http_reply_error(r, &err);
		return;
	}
	close(fd);
	if (write(r, ctx, path, &err)) {
		unlink(path);
		http_reply_error(r, &err);
		return;
	}
	if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		if (f)
			fclose(f);
		unlink(path);
		tp_error_set(&err, TP_ERR, "scratch file: %s", strerror(errno));
		http_reply_error(r, &err);
		return;
	}
	{
		char *buf = xmalloc((size_t)len + 1);
		size_t got = fread(buf, 1, (size_t)len, f);

		http_reply_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf, got);
		free(buf);
	}
	fclose(f);
	unlink(path);
	http_add_header(r, "Content-Disposition", arena_printf(&r->arena, "attachment; filename=\"%s\"", name));
}

static int appointments_xlsx(struct http_req *r, void *ctx, const char *path, struct tp_error *err)
{
	(void)ctx;
	return app_appointments_xlsx(r->app, http_query(r, "sales"), http_query(r, "campaign"), path, err);
}

static void appointments(struct http_req *r)
{
	struct tp_error err;
	json_t *out = NULL;
	const char *sales = http_query(r, "sales"), *format = http_query(r, "format");

	if (format && strcmp(format, "xlsx") == 0) {
		send_xlsx(r, "rendez-vous.xlsx", appointments_xlsx, NULL);
		return;
	}
	if (format && strcmp(format, "json") != 0) {
		http_reply_status(r, 400, "format", "json (default) or xlsx");
		return;
	}
	tp_error_clear(&err);
	answer(r, app_appointment_list(r->app, sales, http_query(r, "campaign"), &out, &err), &out, &err);
}

/* The server's address as the client reached it ("https://host:port"), for links. */
const char *api_base_url(struct http_req *r)
{
	const char *proto = http_header(r, "X-Forwarded-Proto"), *host = http_header(r, "Host");

	if (!host || !*host || strpbrk(host, " /\\\"<>"))
		return NULL;
	return arena_printf(&r->arena, "%s://%s", proto && strcmp(proto, "https") == 0 ? "https" : "http", host);
}

/* GET /appointments/{id}/ics: one appointment as an iCalendar file to open in a calendar. */
static void appointment_ics(struct http_req *r)
{
	int64_t id = http_param_id(r, 0);
	struct tp_error err;
	char *ics = NULL;

	if (!id) {
		http_reply_status(r, 404, "appointment", "no such appointment");
		return;
	}
	tp_error_clear(&err);
	if (app_appointments_ics(r->app, NULL, NULL, id, api_base_url(r), strcmp(r->lang, "en") != 0, &ics, &err)) {
		http_reply_error(r, &err);
		return;
	}
	http_reply_bytes(r, 200, "text/calendar; charset=utf-8", ics, strlen(ics));
	free(ics);
	http_add_header(r, "Content-Disposition", arena_printf(&r->arena, "attachment; filename=\"rdv-%lld.ics\"",
		(long long)id));
}

/* POST /users/{name}/calendar: a new private feed address (the old one stops working);
 * DELETE: none any more. An admin, or the user. */
static void user_calendar(struct http_req *r)
{
	char token[64];
	struct tp_error err;
	const char *base = api_base_url(r);
	bool revoke = strcmp(r->method, "DELETE") == 0;

	tp_error_clear(&err);
	if (app_calendar_token(r->app, r->params[0], revoke, token, sizeof(token), &err)) {
		http_reply_error(r, &err);
		return;
	}
	if (revoke)
		http_reply_json(r, 200, json_pack("{s:s,s:b}", "name", r->params[0], "revoked", 1));
	else
		http_reply_json(r, 201, json_pack("{s:s,s:s}", "name", r->params[0], "url",
			arena_printf(&r->arena, "%s/calendar/%s.ics", base ? base : "", token)));
}

static void appointment_result(struct http_req *r)
{
	json_t *j = http_json_body(r, HTTP_FIELDS("status", "relevant", "result", "amount"));
	int64_t id = http_param_id(r, 0);
	struct tp_error err;

	if (!j)
		return;
	tp_error_clear(&err);
	if (app_appointment_result(r->app, id, api_text(r, j, "status"), api_text(r, j, "relevant"),
		api_text(r, j, "result"), api_text(r, j, "amount"), &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "recorded", 1));
}

/* Reports ------------------------------------------------------------------------------ */

static int kpi_xlsx(struct http_req *r, void *ctx, const char *path, struct tp_error *err)
{
	return app_kpi_xlsx(r->app, ctx, path, err);
}

static void kpi(struct http_req *r)
{
	struct app_kpi_query q = {http_query(r, "campaign"), http_query(r, "agent"), http_query(r, "from"),
		http_query(r, "to"), http_query(r, "by"), false};
	const char *format = http_query(r, "format");
	struct tp_error err;
	json_t *out = NULL;

	if (format && strcmp(format, "xlsx") == 0) {
		send_xlsx(r, "kpi.xlsx", kpi_xlsx, &q);
		return;
	}
	if (format && strcmp(format, "json") != 0) {
		http_reply_status(r, 400, "format", "json (default) or xlsx");
		return;
	}
	tp_error_clear(&err);
	answer(r, app_kpi(r->app, &q, &out, &err), &out, &err);
}

/* Insights ------------------------------------------------------------------------------ */

/* GET /insights/{kind}?campaign=&agent=&from=&to=&by=&rate=: the JSON of `telepro insights`. */
static void insights(struct http_req *r)
{
	static const struct {
		const char *kind;
		int (*fn)(struct app *, const struct app_insights_query *, json_t **, struct tp_error *);
	} kinds[] = {{"slots", app_insights_slots}, {"agents", app_insights_agents}, {"attempts", app_insights_attempts},
		{"objectives", app_insights_objectives}, {"followups", app_insights_followups}, {"file", app_insights_file},
		{"scripts", app_insights_scripts}};
	struct app_insights_query q = {http_query(r, "campaign"), http_query(r, "agent"), http_query(r, "from"),
		http_query(r, "to"), http_query(r, "by"), http_query(r, "rate"), false};
	struct tp_error err;
	json_t *out = NULL;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(r->params[0], kinds[i].kind) == 0) {
			tp_error_clear(&err);
			answer(r, kinds[i].fn(r->app, &q, &out, &err), &out, &err);
			return;
		}
	}
	http_reply_status(r, 404, "kind", "slots, agents, attempts, objectives, followups, file or scripts");
}

/* Webhooks (admins, docs/WEBHOOKS.md) ----------------------------------------------------- */

static void webhooks(struct http_req *r)
{
	struct tp_error err;
	json_t *out = NULL;

	tp_error_clear(&err);
	answer(r, app_webhook_list(r->app, &out, &err), &out, &err);
}

/* POST {"url","events":["call.logged",...]}: 201 with the secret, shown once. */
static void webhook_add(struct http_req *r)
{
	json_t *j = http_json_body(r, HTTP_FIELDS("url", "events")), *ev, *x, *out = NULL;
	struct strbuf list;
	struct tp_error err;
	size_t i;

	if (!j)
		return;
	ev = json_object_get(j, "events");
	if (!json_is_array(ev)) {
		http_reply_status(r, 400, "events", "an array of events, e.g. [\"appointment.booked\"]");
		return;
	}
	sb_init(&list);
	json_array_foreach(ev, i, x) {
		if (!json_is_string(x)) {
			sb_release(&list);
			http_reply_status(r, 400, "events", "an array of events, e.g. [\"appointment.booked\"]");
			return;
		}
		sb_addf(&list, "%s%s", i ? "," : "", json_string_value(x));
	}
	tp_error_clear(&err);
	if (app_webhook_add(r->app, api_text(r, j, "url"), list.buf ? list.buf : "", &out, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 201, out);
	sb_release(&list);
}

static void webhook_remove(struct http_req *r)
{
	struct tp_error err;
	int64_t id = http_param_id(r, 0);

	tp_error_clear(&err);
	if (app_webhook_remove(r->app, id, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "removed", 1));
}

static void webhook_deliveries(struct http_req *r)
{
	struct tp_error err;
	json_t *out = NULL;

	tp_error_clear(&err);
	answer(r, app_webhook_deliveries(r->app, http_param_id(r, 0), &out, &err), &out, &err);
}

static void webhook_test(struct http_req *r)
{
	struct tp_error err;
	int64_t id = http_param_id(r, 0);

	tp_error_clear(&err);
	if (app_webhook_test(r->app, id, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 202, json_pack("{s:I,s:s}", "id", (json_int_t)id, "sent", "test"));
}

/* Users -------------------------------------------------------------------------------- */

static void users(struct http_req *r)
{
	struct tp_error err;
	json_t *out = NULL;

	tp_error_clear(&err);
	answer(r, app_user_list(r->app, &out, &err), &out, &err);
}

static void user_add(struct http_req *r)
{
	json_t *j = http_json_body(r, HTTP_FIELDS("name", "role", "password"));
	struct tp_error err;
	int64_t id = 0;

	if (!j)
		return;
	tp_error_clear(&err);
	if (app_user_add(r->app, api_text(r, j, "name"), api_text(r, j, "role"), api_text(r, j, "password"), &id, &err))
		http_reply_error(r, &err);
	else
		http_reply_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", api_text(r, j, "name")));
}

/* PATCH /users/{name}: {"password", "current_password"}, {"role"}, {"disabled": bool},
 * {"lang"}, {"phone"} (the SIP address that rings for them, "" none); each optional. */
static void user_set(struct http_req *r)
{
	json_t *j = http_json_body(r, HTTP_FIELDS("password", "current_password", "role", "disabled", "lang",
		"phone")), *dis;
	const char *name = r->params[0], *pw, *lang, *phone;
	struct tp_error err;
	int rc = 0;

	if (!j)
		return;
	tp_error_clear(&err);
	pw = api_text(r, j, "password");
	lang = api_text(r, j, "lang");
	phone = api_text(r, j, "phone");
	dis = json_object_get(j, "disabled");
	if (dis && !json_is_boolean(dis)) {
		http_reply_status(r, 400, "disabled", "true or false");
		return;
	}
	if (json_object_get(j, "role"))
		rc = app_user_set_role(r->app, name, api_text(r, j, "role"), &err);
	if (!rc && pw)
		rc = app_user_passwd(r->app, name, api_text(r, j, "current_password"), pw,
			MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, HTTP_COOKIE), &err);
	if (!rc && lang)
		rc = app_user_set_lang(r->app, name, lang, &err);
	if (!rc && dis)
		rc = app_user_set_disabled(r->app, name, json_is_true(dis), &err);
	if (!rc && phone)
		rc = app_user_set_phone(r->app, name, phone, &err);
	if (rc)
		http_reply_error(r, &err);
	else
		http_reply_json(r, 200, json_pack("{s:s,s:b}", "name", name, "updated", 1));
}

/* Prospects ------------------------------------------------------------------------------ */

struct page_of {
	json_t *list;
	long skip, left;
	bool more;
};

static int prospect_one(void *vctx, const struct export_row *row)
{
	struct page_of *p = vctx;

	if (p->skip > 0) {
		p->skip--;
		return 0;
	}
	if (p->left == 0) {
		p->more = true;
		return 1;   /* stops the export: this page is full */
	}
	json_array_append_new(p->list, app_export_row_json(row));
	p->left--;
	return 0;
}

/* GET /prospects?campaign=…&offset=0&limit=500: a page of the campaign's prospects, in
 * import order, as `telepro export prospects --format json` writes them. */
static void prospects(struct http_req *r)
{
	struct page_of p = {NULL, 0, 500, false};
	struct tp_error err;
	int64_t offset = 0, limit = 500;

	if (!http_query(r, "campaign")) {
		http_reply_status(r, 400, "campaign", "which campaign's prospects: ?campaign=NAME");
		return;
	}
	if (!http_query_int(r, "offset", 0, 100000000, &offset) || !http_query_int(r, "limit", 1, 5000, &limit))
		return;
	p.skip = (long)offset;
	p.left = (long)limit;
	p.list = json_array();

	tp_error_clear(&err);
	if (app_export_prospects(r->app, http_query(r, "campaign"), NULL, prospect_one, &p, &err)) {
		json_decref(p.list);
		http_reply_error(r, &err);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:s,s:I,s:I,s:o,s:b}", "campaign", http_query(r, "campaign"), "offset",
		(json_int_t)offset, "limit", (json_int_t)limit, "prospects", p.list, "more", p.more));
}

/* Imports ------------------------------------------------------------------------------ */

struct rejects {
	struct http_req *r;
	json_t *list, *notes;
};

/* The first thousand of a list are listed; the count says the rest. */
/* A rejected row or a remark, its reason in the reader's language. */
static void list_row(struct http_req *r, json_t *list, const struct tp_error *e)
{
	if (json_array_size(list) < 1000)
		json_array_append_new(list, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)e->line, "field", e->field,
			"reason", http_reason(r, e)));
}

static void on_reject(void *arg, const struct tp_error *e)
{
	list_row(((struct rejects *)arg)->r, ((struct rejects *)arg)->list, e);
}

static void on_note(void *arg, const struct tp_error *e)
{
	list_row(((struct rejects *)arg)->r, ((struct rejects *)arg)->notes, e);
}

/* POST /imports?kind=prospects|dnc&campaign=…: the body is the file itself. */
static void import(struct http_req *r)
{
	const char *kind = http_query(r, "kind"), *file = http_query(r, "file"), *delim = http_query(r, "delimiter");
	struct rejects rj = {r, json_array(), json_array()};
	struct app_import_opts o = {0};
	struct app_import_result res = {0};
	struct app_import *im;
	struct tp_error err;

	tp_error_clear(&err);
	if (kind && strcmp(kind, "prospects") == 0) {
		o.kind = APP_IMPORT_PROSPECTS;
	} else if (kind && strcmp(kind, "dnc") == 0) {
		o.kind = APP_IMPORT_DNC;
	} else {
		json_decref(rj.list);
		json_decref(rj.notes);
		http_reply_status(r, 400, "kind", "prospects or dnc");
		return;
	}
	o.file = file && *file ? file : "upload";
	o.campaign = http_query(r, "campaign");
	o.delimiter = delim && strlen(delim) == 1 ? delim[0] : 0;
	o.latin1 = http_query(r, "encoding") && strcmp(http_query(r, "encoding"), "latin1") == 0;
	o.existing = http_query(r, "existing");
	o.mapping_text = http_query(r, "mapping");
	o.mapping_file = o.mapping_text ? "mapping" : NULL;
	o.mapping_len = o.mapping_text ? strlen(o.mapping_text) : 0;
	o.source = http_query(r, "source");
	o.region = http_query(r, "region");
	o.on_reject = on_reject;
	o.on_note = on_note;
	o.arg = &rj;
	if (!(im = app_import_begin(r->app, &o, &err))) {
		json_decref(rj.list);
		json_decref(rj.notes);
		http_reply_error(r, &err);
		return;
	}
	if (app_import_feed(im, r->body ? r->body : "", r->body_len, &err)) {
		app_import_abort(im);
		json_decref(rj.list);
		json_decref(rj.notes);
		http_reply_error(r, &err);
		return;
	}
	if (app_import_finish(im, &res, &err)) {
		json_decref(rj.list);
		json_decref(rj.notes);
		http_reply_error(r, &err);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:I,s:o}", "file", o.file, "rows", (json_int_t)res.rows,
		"added", (json_int_t)res.added, "duplicates", (json_int_t)res.duplicates, "rejected",
		(json_int_t)res.rejected, "rejects", rj.list, "noted", (json_int_t)res.notes, "notes", rj.notes));
}

const struct http_route api_routes[] = {
	{"GET", "/api/v1/health", health, 0, HTTP_PUBLIC},
	{"POST", "/api/v1/login", login, 0, HTTP_PUBLIC},
	{"POST", "/api/v1/logout", logout, 0, 0},
	{"GET", "/api/v1/me", me, 0, 0},
	{"GET", "/api/v1/campaigns", campaigns, 0, 0},
	{"POST", "/api/v1/campaigns", campaign_add, APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/campaigns/{id}", campaign_get, 0, 0},
	{"PATCH", "/api/v1/campaigns/{id}", campaign_set, APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/campaigns/{id}/outcomes", campaign_outcomes, 0, 0},
	{"GET", "/api/v1/campaigns/{id}/now", campaign_now, 0, 0},
	{"GET", "/api/v1/campaigns/{id}/agents-now", campaign_agents_now, APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/campaigns/{id}/scripts", campaign_scripts, 0, 0},
	{"PUT", "/api/v1/campaigns/{id}/scripts", campaign_scripts_set, APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/campaigns/{id}/scripts/{variant}/versions", campaign_script_versions, APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/campaigns/{id}/next", next, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/leads/{id}/why", why, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/campaigns/{id}/why", why_phone, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/leads/{id}/consent", consent, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/calls", call_log, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/leads/{id}/dial", dial, APP_AGENT, 0},
	{"POST", "/api/v1/campaigns/{id}/line", line_start, APP_AGENT, 0},
	{"GET", "/api/v1/line", line_get, APP_AGENT, 0},
	{"POST", "/api/v1/line/stop", line_stop, APP_AGENT, 0},
	{"GET", "/api/v1/dialer", dialer_status, APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/dialer/{id}", dial_get, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/dialer/{id}/hangup", dial_hangup, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/sessions/{action}", session, APP_AGENT | APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/appointments", appointments, APP_SALES | APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/appointments/{id}/result", appointment_result, APP_SALES | APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/appointments/{id}/ics", appointment_ics, APP_SALES | APP_MANAGER | APP_ADMIN, 0},
	{"GET", "/api/v1/kpi", kpi, 0, HTTP_REPORT},
	{"GET", "/api/v1/report", page_report_pdf, APP_MANAGER | APP_ADMIN, HTTP_REPORT},
	{"GET", "/api/v1/prospects", prospects, APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/imports", import, APP_MANAGER | APP_ADMIN, HTTP_UPLOAD},
	{"GET", "/api/v1/insights/{kind}", insights, 0, HTTP_REPORT},
	{"GET", "/api/v1/webhooks", webhooks, APP_ADMIN, 0},
	{"POST", "/api/v1/webhooks", webhook_add, APP_ADMIN, 0},
	{"DELETE", "/api/v1/webhooks/{id}", webhook_remove, APP_ADMIN, 0},
	{"GET", "/api/v1/webhooks/{id}/deliveries", webhook_deliveries, APP_ADMIN, 0},
	{"POST", "/api/v1/webhooks/{id}/test", webhook_test, APP_ADMIN, 0},
	{"GET", "/api/v1/users", users, APP_MANAGER | APP_ADMIN, 0},
	{"POST", "/api/v1/users", user_add, APP_ADMIN, 0},
	{"PATCH", "/api/v1/users/{name}", user_set, 0, 0},
	{"POST", "/api/v1/users/{name}/calendar", user_calendar, 0, 0},
	{"DELETE", "/api/v1/users/{name}/calendar", user_calendar, 0, 0},
};
const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
