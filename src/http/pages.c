/*
 * The HTML pages (docs/WEB.md): server-rendered, working without script where a form
 * does the job (login, appointments, users, campaigns); the calling desk and the team
 * screen are driven by app.js over the JSON API. Every page calls the same app use cases
 * as the API and the CLI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "http/html.h"
#include "core/dialing.h"
#include "http/pages.h"

extern const unsigned char asset_app_css[], asset_app_js[];
extern const size_t asset_app_css_len, asset_app_js_len;

/* Where a user lands after signing in. */
static const char *home_of(const char *role)
{
	if (strcmp(role, "agent") == 0)
		return "/desk";
	if (strcmp(role, "sales") == 0)
		return "/appointments";
	if (strcmp(role, "admin") == 0)
		return "/users";
	return "/dashboard";
}

static void home(struct http_req *r)
{
	http_redirect(r, r->signed_in ? home_of(r->session.user.role) : "/login");
}

/* Only a path of this site may follow a login ("//evil.example" may not). */
static const char *safe_next(const char *next)
{
	return next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && !strpbrk(next, "\r\n") ? next : NULL;
}

static void login_form(struct http_req *r, const char *error, const char *login)
{
	const char *next = safe_next(http_query(r, "next"));

	if (!next)
		next = safe_next(http_form(r, "next"));
	html_begin(r, T(r, "Sign in"), "login");
	if (error)
		html_f(r, "<p class=\"message error\" role=\"alert\" id=\"login-error\">%s</p>", error);
	html_f(r, "<form class=\"card narrow\" method=\"post\" action=\"/login\">"
		"<label for=\"login\">%s</label><input id=\"login\" name=\"login\" autocomplete=\"username\" required "
		"autofocus value=\"%s\">"
		"<label for=\"password\">%s</label><input id=\"password\" name=\"password\" type=\"password\" "
		"autocomplete=\"current-password\" required>"
		"<input type=\"hidden\" name=\"next\" value=\"%s\">"
		"<button type=\"submit\" class=\"primary\">%s</button></form>",
		T(r, "Login"), login ? login : "", T(r, "Password"), next ? next : "", T(r, "Sign in"));
	html_end(r);
}

static void login_page(struct http_req *r)
{
	if (r->signed_in) {
		http_redirect(r, home_of(r->session.user.role));
		return;
	}
	login_form(r, NULL, NULL);
}

static void login_post(struct http_req *r)
{
	struct app_web_session s;
	struct tp_error err;
	const char *next = safe_next(http_form(r, "next"));

	tp_error_clear(&err);
	if (app_web_login(r->app, http_form(r, "login"), http_form(r, "password"), r->ip, &s, &err)) {
		if (http_status_of(err.code) == 500) {
			http_reply_error(r, &err);
			return;
		}
		r->log_cause = arena_strdup(&r->arena, err.reason);
		r->status = http_status_of(err.code) == 429 ? 429 : 401;
		if (err.code == TP_ETOOMANY) {
			char wait[24];

			snprintf(wait, sizeof(wait), "%lld", (long long)s.retry_after);
			http_add_header(r, "Retry-After", wait);
		}
		login_form(r, err.code == TP_ETOOMANY ? T(r, "Too many failed logins from here: wait a little, then try again.")
						      : T(r, "Wrong login or password."), http_form(r, "login"));
		return;
	}
	http_set_session_cookie(r, s.token, APP_WEB_SESSION_SECONDS);
	sodium_memzero(s.token, sizeof(s.token));
	http_redirect(r, next ? next : home_of(s.user.role));
}

static void logout_post(struct http_req *r)
{
	struct tp_error err;

	tp_error_clear(&err);
	if (api_logout(r, &err)) {
		http_reply_error(r, &err);
		return;
	}
	http_redirect(r, "/login");
}

static void lang_post(struct http_req *r)
{
	struct tp_error err;
	const char *to = http_form(r, "to");

	tp_error_clear(&err);
	if (app_user_set_lang(r->app, r->session.user.name, to ? to : "", &err)) {
		html_message(r, http_status_of(err.code), T(r, "Language"), http_reason(r, &err));
		return;
	}
	http_redirect(r, "/");
}

static void asset(struct http_req *r, const unsigned char *data, size_t len, const char *type)
{
	sb_reset(&r->out);
	sb_add(&r->out, (const char *)data, len);
	r->status = 200;
	r->content_type = type;
}

static void app_css(struct http_req *r)
{
	asset(r, asset_app_css, asset_app_css_len, "text/css; charset=utf-8");
}

static void app_js(struct http_req *r)
{
	asset(r, asset_app_js, asset_app_js_len, "text/javascript; charset=utf-8");
}

/* GET /calendar/{token}.ics: a sales person's appointments for their calendar to subscribe
 * to (docs/CALENDARS.md). Public: the token in the address is the key; an unknown or
 * revoked one is a 404 like any other address. */
static void calendar_feed(struct http_req *r)
{
	size_t len = strlen(r->params[0]);
	struct tp_error err;
	char *ics = NULL, *token;

	if (len <= 4 || strcmp(r->params[0] + len - 4, ".ics") != 0) {
		http_reply_status(r, 404, NULL, "no such calendar");
		return;
	}
	token = arena_strndup(&r->arena, r->params[0], len - 4);
	tp_error_clear(&err);
	if (app_calendar_feed(r->app, token, api_base_url(r), &ics, &err)) {
		http_reply_error(r, &err);
		return;
	}
	http_reply_bytes(r, 200, "text/calendar; charset=utf-8", ics, strlen(ics));
	free(ics);
	http_add_header(r, "Cache-Control", "private, max-age=300");
}

/* Campaign choice ---------------------------------------------------------------------- */

struct pick {
	struct http_req *r;
	const char *href;
	int n;
};

static int pick_one(void *ctx, const struct campaign *c)
{
	struct pick *p = ctx;

	if (c->archived)
		return 0;
	html_f(p->r, "<li><a class=\"button\" href=\"%s?campaign=%lld\">%s</a> <span class=\"muted\">%s · %s · %lld %s</span></li>",
		p->href, (long long)c->id, c->name, T(p->r, c->kind), c->audience, (long long)c->leads, T(p->r, "leads"));
	p->n++;
	return 0;
}

/* Lists the campaigns to open page href with; false after answering an error. */
static bool pick_campaign(struct http_req *r, const char *title, const char *active, const char *href)
{
	struct pick p = {r, href, 0};
	struct tp_error err;

	tp_error_clear(&err);
	html_begin(r, title, active);
	html_f(r, "<p>%s</p><ul class=\"picks\">", T(r, "Choose a campaign:"));
	if (app_campaign_list(r->app, pick_one, &p, &err)) {
		http_reply_error(r, &err);
		return false;
	}
	html_f(r, "</ul>");
	if (!p.n)
		html_f(r, "<p class=\"muted\">%s</p>", T(r, "No campaign yet."));
	html_end(r);
	return true;
}

/* The campaign of ?campaign=ID into c; false after answering. */
static bool query_campaign(struct http_req *r, struct campaign *c)
{
	const char *q = http_query(r, "campaign");
	struct tp_error err;
	int64_t id = q ? strtoll(q, NULL, 10) : 0;

	tp_error_clear(&err);
	if (id <= 0 || app_campaign_settings_by_id(r->app, id, c, &err)) {
		html_message(r, 404, T(r, "Campaign"), T(r, "No such campaign."));
		return false;
	}
	return true;
}

/* Calling desk ------------------------------------------------------------------------- */

static void desk(struct http_req *r)
{
	struct campaign c;
	json_t *outcomes = NULL, *sales = NULL;
	struct tp_error err;
	char *outcomes_text, *sales_text;

	if (!http_query(r, "campaign")) {
		(void)pick_campaign(r, T(r, "Calling desk"), "desk", "/desk");
		return;
	}
	campaign_init(&c);
	if (!query_campaign(r, &c))
		goto out;
	tp_error_clear(&err);
	if (app_outcomes(r->app, c.name, &outcomes, &err) || app_sales_people(r->app, &sales, &err)) {
		http_reply_error(r, &err);
		goto out;
	}
	outcomes_text = json_dumps(outcomes, JSON_COMPACT);
	sales_text = json_dumps(sales, JSON_COMPACT);
	html_begin(r, c.name, "desk");
	/* The page is a shell: app.js reads these attributes, then drives the API. */
	/* data-dialing: "click" or "progressive" when Telepro places the calls (the campaign
	 * dials so and the server has a SIP account), else "manual" (the tel: link). */
	html_f(r, "<div id=\"desk\" data-campaign-id=\"%lld\" data-campaign=\"%s\" data-agent=\"%s\" "
		"data-call-link=\"%s\" data-outcomes=\"%s\" data-sales=\"%s\" data-dialing=\"%s\"",
		(long long)c.id, c.name, r->session.user.name, r->opt->call_link ? r->opt->call_link : "tel:{phone}",
		outcomes_text, sales_text, !r->opt->dialer || c.dialing == DIALING_MANUAL ? "manual"
		: c.dialing == DIALING_PROGRESSIVE ? "progressive" : "click");
	free(sales_text);
	html_script_words(r);
	html_f(r, ">");
	free(outcomes_text);
	html_f(r, "<section class=\"today card\" aria-labelledby=\"today-h\"><h2 id=\"today-h\">%s</h2>"
		"<div class=\"progress\" id=\"progress\" aria-live=\"polite\"></div>"
		"<p id=\"block\" class=\"block\"></p>"
		"<p class=\"session-bar\"><output id=\"session-state\" class=\"session\"></output> "
		"<button type=\"button\" id=\"pause\" disabled>%s</button> <button type=\"button\" id=\"stop\" disabled>%s</button>"
		"</p></section>", T(r, "Today"), T(r, "Pause"), T(r, "Stop"));
	html_f(r, "<section class=\"lead card\" aria-labelledby=\"lead-h\"><h2 id=\"lead-h\">%s</h2>"
		"<div id=\"lead\"><p class=\"muted\">%s</p></div>"
		"<p class=\"timer\">%s <output id=\"timer\">0:00</output></p>"
		"<p class=\"dial-bar\" id=\"line-bar\" hidden><output id=\"line-state\" aria-live=\"polite\"></output> "
		"<button type=\"button\" id=\"line-start\">%s</button></p>"
		"<p class=\"dial-bar\" id=\"dial-bar\" hidden><output id=\"dial-state\" aria-live=\"polite\"></output> "
		"<button type=\"button\" id=\"hangup\" hidden>%s</button></p>"
		/* Consents are consumers' (B2C): a B2B desk has no such form. */
		"<details id=\"consent-box\"%s><summary>%s</summary><form id=\"consent\">"
		"<label for=\"consent-source\">%s</label><input id=\"consent-source\" required maxlength=\"200\">"
		"<label for=\"consent-date\">%s</label><input id=\"consent-date\" type=\"date\">"
		"<label for=\"consent-wording\">%s</label><input id=\"consent-wording\" maxlength=\"2000\">"
		"<button type=\"submit\">%s</button> <output id=\"consent-status\" role=\"status\"></output>"
		"</form></details></section>",
		T(r, "Current lead"), T(r, "Loading…"), T(r, "Call time"), T(r, "Start dialing"), T(r, "Hang up"),
		c.audience && strcmp(c.audience, "b2c") == 0 ? "" : " hidden", T(r, "The consumer's consent to be called"),
		T(r, "Where it was given (web form, contest…)"), T(r, "On (default today)"), T(r, "The words agreed to"),
		T(r, "Record the consent"));
	html_f(r, "<section class=\"script card\" aria-labelledby=\"script-h\"><h2 id=\"script-h\">%s</h2>"
		"<div id=\"script\" class=\"script-text\"></div></section>", T(r, "Script"));
	/* Qualification beside the lead, out of the result bar (which stays small at the bottom);
	 * saved with the call (app.js reads the fields by id). */
	html_f(r, "<fieldset id=\"qual-box\" class=\"card qual\" form=\"call\" hidden><legend>%s</legend><div id=\"qual\"></div>"
		"</fieldset>", T(r, "Qualification"));
	html_f(r, "<section class=\"history card\" aria-labelledby=\"hist-h\"><h2 id=\"hist-h\">%s</h2>"
		"<ol id=\"calls\" class=\"calls\"></ol></section>", T(r, "Earlier calls"));
	/* Before dialling a number by hand: may this lead be called now, and if not, why. */
	html_f(r, "<section class=\"check card\" aria-labelledby=\"check-h\"><h2 id=\"check-h\">%s</h2>"
		"<form id=\"why\" class=\"inline\"><label for=\"why-lead\">%s</label> "
		"<input id=\"why-lead\" size=\"16\" required> <button type=\"submit\">%s</button></form>"
		"<div id=\"why-out\" role=\"status\"></div></section>",
		T(r, "Before dialling by hand"), T(r, "Lead number or phone number"), T(r, "May I call?"));
	html_f(r, "<form id=\"call\" class=\"call card\" aria-labelledby=\"call-h\"><h2 id=\"call-h\">%s</h2>"
		"<fieldset><legend>%s</legend><div id=\"results\" class=\"buttons\"></div></fieldset>"
		"<fieldset id=\"outcome-box\" hidden><legend>%s</legend><div id=\"outcomes\" class=\"buttons\"></div></fieldset>"
		"<div id=\"when-box\" hidden><label for=\"when\" id=\"when-label\">%s</label>"
		"<input type=\"datetime-local\" id=\"when\" name=\"when\">"
		"<span id=\"sales-box\" hidden><label for=\"sales\">%s</label><select id=\"sales\" name=\"sales\"></select></span></div>"
		"<label for=\"note\">%s</label><textarea id=\"note\" name=\"note\" rows=\"2\" maxlength=\"2000\"></textarea>"
		"<p class=\"keys muted\">%s</p>"
		"<button type=\"submit\" class=\"primary\" id=\"save\">%s</button> "
		"<output id=\"status\" role=\"status\"></output></form></div>",
		T(r, "Result"), T(r, "What happened"), T(r, "Outcome of the conversation"), T(r, "When"), T(r, "Sales person"),
		T(r, "Notes"),
		T(r, "Keys: 1–6 results, C conversation, then 1–9 outcome; Enter saves and shows the next lead; D dials."),
		T(r, "Save and next (Enter)"));
	html_end(r);
out:
	json_decref(outcomes);
	json_decref(sales);
	campaign_release(&c);
}

/* Team screen: a shell that app.js refreshes every few seconds from the KPI API. */
static void team(struct http_req *r)
{
	struct campaign c;

	if (!http_query(r, "campaign")) {
		(void)pick_campaign(r, T(r, "Team screen"), "team", "/team");
		return;
	}
	campaign_init(&c);
	if (query_campaign(r, &c)) {
		html_begin(r, c.name, "team");
		html_f(r, "<div id=\"team\" data-campaign-id=\"%lld\" data-campaign=\"%s\"", (long long)c.id, c.name);
		html_script_words(r);
		html_f(r, " aria-live=\"polite\"><p id=\"team-now\" class=\"big\"></p><div id=\"team-totals\" class=\"tiles big\"></div>"
			"<table id=\"team-agents\" class=\"big\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th></tr></thead><tbody></tbody></table>"
			"<p class=\"muted\" id=\"team-updated\"></p></div>",
			T(r, "Today, per agent"), T(r, "Agent"), T(r, "Calls"),
			T(r, "Conversations"), T(r, "Appointments"), T(r, "Calls per hour"));
		html_end(r);
	}
	campaign_release(&c);
}

/* Appointments ------------------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* A qualification key as a label: "date_projet" reads "Date projet" (keys are the file's
 * own words, usually the reader's). */
static const char *key_label(struct http_req *r, const char *key)
{
	char *label = arena_strdup(&r->arena, key);

	for (char *p = label; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (label[0] >= 'a' && label[0] <= 'z')
		label[0] = (char)(label[0] - 'a' + 'A');
	return label;
}

static void appointments(struct http_req *r)
{
	const char *sales = http_query(r, "sales");
	json_t *list = NULL, *a;
	struct tp_error err;
	size_t i;

	tp_error_clear(&err);
	/* A sales person's own by default (the app's rule). */
	if (app_appointment_list(r->app, sales && *sales ? sales : NULL, NULL, &list, &err)) {
		html_message(r, http_status_of(err.code), T(r, "Appointments"), http_reason(r, &err));
		return;
	}
	html_begin(r, T(r, "Appointments"), "appointments");
	if (http_query(r, "saved"))
		html_f(r, "<p class=\"message ok\" role=\"status\">%s</p>", T(r, "Saved."));
	/* What sales work on: by default the past appointments still to record (newest first)
	 * and those to come (soonest first); "upcoming", "past" (newest first) and "all" too,
	 * and one agent's. */
	const char *show = http_query(r, "show"), *agent = http_query(r, "agent");
	static const char *const shows[][2] = {{"current", N_("To record and upcoming")}, {"record", N_("To record")},
		{"upcoming", N_("Upcoming")}, {"past", N_("Past")}, {"all", N_("All")}};
	size_t nshows = sizeof(shows) / sizeof(shows[0]), which = 0;

	for (size_t t = 0; t < nshows; t++)
		if (show && strcmp(show, shows[t][0]) == 0)
			which = t;
	show = shows[which][0];
	if (agent && !*agent)
		agent = NULL;
	html_f(r, "<nav class=\"tabs\" aria-label=\"%s\"><ul>", T(r, "Appointments"));
	for (size_t t = 0; t < nshows; t++)
		html_f(r, "<li><a href=\"/appointments?show=%s%S\"%S>%s</a></li>", shows[t][0],
			agent ? arena_printf(&r->arena, "&amp;agent=%s", html_url(r, agent)) : "",
			t == which ? " aria-current=\"page\"" : "", T(r, shows[t][1]));
	html_f(r, "</ul></nav><form method=\"get\" action=\"/appointments\" class=\"inline\">"
		"<input type=\"hidden\" name=\"show\" value=\"%s\"><label>%s <select name=\"agent\" id=\"ap-agent\">"
		"<option value=\"\">%s</option>", show, T(r, "Set by"), T(r, "Every agent"));
	{
		/* The agents of these appointments, each once. */
		json_t *seen = json_object();

		json_array_foreach(list, i, a) {
			const char *who = jstr(a, "agent");

			if (*who && !json_object_get(seen, who)) {
				json_object_set_new(seen, who, json_true());
				html_f(r, "<option value=\"%s\"%S>%s</option>", who, agent && strcmp(agent, who) == 0 ? " selected" : "",
					who);
			}
		}
		json_decref(seen);
	}
	html_f(r, "</select></label> <button type=\"submit\">%s</button></form>", T(r, "Show"));
	html_f(r, "<p class=\"downloads\"><a id=\"appointments-xlsx\" download href=\"/api/v1/appointments?format=xlsx\">%s</a></p>",
		T(r, "Download the appointments (Excel)"));
	size_t shown = 0, matching = 0, n = json_array_size(list), ndue = 0;
	/* Upcoming ones soonest first, the others newest first (the list comes soonest first);
	 * "current": those to record, newest first, then those to come, soonest first. */
	bool newest_first = strcmp(show, "upcoming") != 0 && strcmp(show, "current") != 0;

	json_array_foreach(list, i, a)
		ndue += json_is_true(json_object_get(a, "due"));
	for (size_t k = 0; k < n; k++) {
		size_t at = strcmp(show, "current") == 0 ? (k < ndue ? ndue - 1 - k : k) : newest_first ? n - 1 - k : k;
		bool due, open;

		a = json_array_get(list, at);
		due = json_is_true(json_object_get(a, "due"));
		open = strcmp(jstr(a, "status"), "scheduled") == 0 || strcmp(jstr(a, "result"), "pending") == 0;
		if (agent && strcmp(agent, jstr(a, "agent")) != 0)
			continue;
		if ((strcmp(show, "current") == 0 && due && !open) || (strcmp(show, "record") == 0 && !(due && open)) ||
		    (strcmp(show, "upcoming") == 0 && due) || (strcmp(show, "past") == 0 && !due))
			continue;
		if (++matching > 200)
			continue;   /* the first 200; the count says how many more */
		shown++;
		long long id = (long long)json_integer_value(json_object_get(a, "id"));
		const char *status = jstr(a, "status"), *result = jstr(a, "result"), *rel = "";
		json_t *relevant = json_object_get(a, "relevant"), *amount = json_object_get(a, "amount_cents");
		char amount_text[48] = "";

		if (json_is_boolean(relevant))
			rel = json_is_true(relevant) ? "yes" : "no";
		if (json_is_integer(amount))
			snprintf(amount_text, sizeof(amount_text), "%lld,%02lld", (long long)json_integer_value(amount) / 100,
				(long long)json_integer_value(amount) % 100);
		char when[48];

		/* The prospect (company, contact, number) when the appointment has one, its campaign, who set it. */
		html_f(r, "<article class=\"card appointment\" id=\"appointment-%lld\" data-due=\"%s\"><h2>%s%s%s</h2><p>",
			id, due ? "yes" : "no", i18n_datetime(r->lang, jstr(a, "scheduled_at"), when, sizeof(when)),
			*jstr(a, "company") ? " — " : "", jstr(a, "company"));
		if (*jstr(a, "contact"))
			html_f(r, "<strong>%s</strong> · ", jstr(a, "contact"));
		html_f(r, "%s · ", jstr(a, "campaign"));
		if (*jstr(a, "phone"))
			html_f(r, "<a href=\"%s\">%s</a> · ", arena_printf(&r->arena, "tel:%s", jstr(a, "phone")),
				*jstr(a, "phone_display") ? jstr(a, "phone_display") : jstr(a, "phone"));
		html_f(r, "%s %s · <a href=\"/api/v1/appointments/%lld/ics\" class=\"ics\" download>%s</a></p>", T(r, "set by"),
			jstr(a, "agent"), id, T(r, "Add to my calendar (.ics)"));
		/* What the agent learnt on the call: notes and qualification answers. */
		if (*jstr(a, "notes"))
			html_f(r, "<blockquote class=\"notes\"><p>%s</p></blockquote>", jstr(a, "notes"));
		if (json_object_size(json_object_get(a, "qualification"))) {
			const char *key;
			json_t *v;

			html_f(r, "<dl class=\"qualification\">");
			json_object_foreach(json_object_get(a, "qualification"), key, v) {
				/* The field's label in the reader's language, else its key humanised. */
				json_t *l = json_object_get(json_object_get(json_object_get(a, "qualification_labels"), key),
					strcmp(r->lang, "en") == 0 ? "en" : "fr");

				html_f(r, "<dt>%s</dt><dd>%s</dd>", json_is_string(l) ? json_string_value(l) : key_label(r, key),
					json_string_value(v));
			}
			html_f(r, "</dl>");
		}
		html_f(r, "<form method=\"post\" action=\"/appointments/%lld\" class=\"inline\">", id);
		html_csrf(r);
		html_f(r, "<label>%s <select name=\"status\">", T(r, "Status"));
		static const char *const statuses[] = {"scheduled", "held", "no_show", "cancelled"};
		for (size_t s = 0; s < 4; s++)
			html_f(r, "<option value=\"%s\"%S>%s</option>", statuses[s],
				strcmp(status, statuses[s]) == 0 ? " selected" : "", T(r, statuses[s]));
		html_f(r, "</select></label><label>%s <select name=\"relevant\"><option value=\"\"></option>"
			"<option value=\"yes\"%S>%s</option><option value=\"no\"%S>%s</option></select></label>",
			T(r, "Relevant"), strcmp(rel, "yes") == 0 ? " selected" : "", T(r, "yes"),
			strcmp(rel, "no") == 0 ? " selected" : "", T(r, "no"));
		html_f(r, "<label>%s <select name=\"result\"><option value=\"\"></option>"
			"<option value=\"won\"%S>%s</option><option value=\"lost\"%S>%s</option></select></label>",
			T(r, "Result"), strcmp(result, "won") == 0 ? " selected" : "", T(r, "won"),
			strcmp(result, "lost") == 0 ? " selected" : "", T(r, "lost"));
		html_f(r, "<label>%s <input name=\"amount\" inputmode=\"decimal\" size=\"9\" value=\"%s\"></label>"
			"<button type=\"submit\">%s</button></form></article>", T(r, "Amount (€)"), amount_text, T(r, "Save"));
	}
	if (!matching)
		html_f(r, "<p class=\"muted\">%s</p>", T(r, "No appointment."));
	else if (matching > shown)
		html_f(r, "<p class=\"muted\">%s %ld</p>", T(r, "Appointments not shown:"), (long)(matching - shown));
	json_decref(list);
	html_end(r);
}

static void appointment_post(struct http_req *r)
{
	struct tp_error err;
	const char *status = http_form(r, "status"), *rel = http_form(r, "relevant"), *res = http_form(r, "result"),
		   *amount = http_form(r, "amount");

	tp_error_clear(&err);
	if (app_appointment_result(r->app, http_param_id(r, 0), status && *status ? status : NULL,
		rel && *rel ? rel : NULL, res && *res ? res : NULL, amount && *amount ? amount : NULL, &err)) {
		html_message(r, http_status_of(err.code), T(r, "Appointments"),
			arena_printf(&r->arena, "%s%s%s", err.field[0] ? T(r, err.field) : "", err.field[0] ? " : " : "",
				http_reason(r, &err)));
		return;
	}
	http_redirect(r, "/appointments?saved=1");
}

/* A sales person's calendar feed (docs/CALENDARS.md): app.js asks for a new private address
 * (POST /api/v1/users/{name}/calendar) and shows it once, or revokes it. */
static void calendar_control(struct http_req *r, const char *name)
{
	html_f(r, "<div class=\"calendar-feed\" data-user=\"%s\"", name);
	html_script_words(r);
	html_f(r, "><button type=\"button\" class=\"cal-new\">%s</button> <button type=\"button\" class=\"cal-revoke\">%s"
		"</button><input class=\"cal-url\" readonly hidden aria-label=\"%s\" size=\"60\"><span class=\"cal-status\""
		" role=\"status\"></span></div>", T(r, "Calendar subscription link"), T(r, "Revoke the link"),
		T(r, "Calendar subscription link"));
}

/* Users -------------------------------------------------------------------------------- */

static void users(struct http_req *r)
{
	json_t *list = NULL, *u;
	struct tp_error err;
	size_t i;
	bool admin = strcmp(r->session.user.role, "admin") == 0;

	tp_error_clear(&err);
	if (app_user_list(r->app, &list, &err)) {
		html_message(r, http_status_of(err.code), T(r, "Users"), http_reason(r, &err));
		return;
	}
	html_begin(r, T(r, "Users"), "users");
	if (http_query(r, "saved"))
		html_f(r, "<p class=\"message ok\" role=\"status\">%s</p>", T(r, "Saved."));
	/* The server's SIP account: whether Telepro dials, and its registration. */
	{
		json_t *sip = app_dialer_status(r->opt->dialer);
		const char *reg = json_string_value(json_object_get(sip, "register"));

		if (!json_is_true(json_object_get(sip, "sip")))
			html_f(r, "<p class=\"muted\" id=\"sip-status\" data-register=\"none\">%s</p>",
				T(r, "Telephony: this server has no SIP account; agents dial by hand."));
		else
			html_f(r, "<p id=\"sip-status\" data-register=\"%s\">%s %s · %s%s%s</p>", reg, T(r, "Telephony:"),
				jstr(sip, "local"), T(r, arena_printf(&r->arena, "sip_%s", reg)),
				json_integer_value(json_object_get(sip, "status")) > 0 ? " — " : "",
				json_integer_value(json_object_get(sip, "status")) > 0 ? arena_printf(&r->arena, "%lld %s",
					(long long)json_integer_value(json_object_get(sip, "status")), jstr(sip, "reason")) : "");
		json_decref(sip);
	}
	html_f(r, "<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th>%S</tr></thead><tbody>", T(r, "Login"), T(r, "Role"), T(r, "State"),
		T(r, "Phone (SIP)"),
		admin ? arena_printf(&r->arena, "<th scope=\"col\">%s</th>", T(r, "Change")) : "");
	json_array_foreach(list, i, u) {
		const char *name = jstr(u, "name");
		bool disabled = json_is_true(json_object_get(u, "disabled"));

		const char *phone = json_is_string(json_object_get(u, "phone")) ? jstr(u, "phone") : "";

		html_f(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"phone\">%s</td>", name, T(r, jstr(u, "role")),
			disabled ? T(r, "disabled") : T(r, "active"), *phone ? phone : "—");
		if (admin) {
			html_f(r, "<td><form method=\"post\" action=\"/users/%S\" class=\"inline\">", html_url(r, name));
			html_csrf(r);
			html_f(r, "<label>%s <select name=\"role\">", T(r, "Role"));
			for (size_t k = 0; k < 4; k++) {
				static const char *const roles[] = {"agent", "sales", "manager", "admin"};

				html_f(r, "<option value=\"%s\"%S>%s</option>", roles[k],
					strcmp(jstr(u, "role"), roles[k]) == 0 ? " selected" : "", T(r, roles[k]));
			}
			/* The phone that rings when Telepro connects a call (docs/TELEPHONY.md). */
			html_f(r, "</select></label> <label>%s <input name=\"phone\" value=\"%s\" size=\"20\" "
				"placeholder=\"sip:201@pbx.example\" maxlength=\"255\"></label>", T(r, "Phone (SIP)"), phone);
			html_f(r, " <label>%s <input type=\"password\" name=\"password\" "
				"autocomplete=\"new-password\" minlength=\"8\" size=\"12\"></label> <label><input type=\"checkbox\" "
				"name=\"disabled\" value=\"1\"%S> %s</label> <button type=\"submit\">%s</button></form></td>",
				T(r, "New password"), disabled ? " checked" : "", T(r, "disabled"), T(r, "Save"));
			if (strcmp(jstr(u, "role"), "sales") == 0)
				calendar_control(r, name);
		}
		html_f(r, "</tr>");
	}
	html_f(r, "</tbody></table>");
	json_decref(list);
	if (admin) {
		html_f(r, "<h2>%s</h2><form method=\"post\" action=\"/users\" class=\"card narrow\">", T(r, "Add a user"));
		html_csrf(r);
		html_f(r, "<label for=\"nu-name\">%s</label><input id=\"nu-name\" name=\"name\" required maxlength=\"100\">"
			"<label for=\"nu-role\">%s</label><select id=\"nu-role\" name=\"role\">"
			"<option value=\"agent\">%s</option><option value=\"sales\">%s</option>"
			"<option value=\"manager\">%s</option><option value=\"admin\">%s</option></select>"
			"<label for=\"nu-pw\">%s</label><input id=\"nu-pw\" name=\"password\" type=\"password\" "
			"autocomplete=\"new-password\" minlength=\"8\" required>"
			"<button type=\"submit\" class=\"primary\">%s</button></form>",
			T(r, "Login"), T(r, "Role"), T(r, "agent"), T(r, "sales"), T(r, "manager"), T(r, "admin"),
			T(r, "Password"), T(r, "Add"));
	}
	html_end(r);
}

/* GET /webhooks (admins, docs/WEBHOOKS.md): the addresses told of events, each with its
 * latest deliveries (the log) and a test; app.js adds, removes and tests through the API. */
static void webhooks_page(struct http_req *r)
{
	static const char *const events[] = {"call.logged", "appointment.booked", "appointment.result", "lead.opted_out",
		"import.finished"};
	struct tp_error err;
	json_t *hooks = NULL, *h, *log, *d;
	size_t i, k;

	tp_error_clear(&err);
	if (app_webhook_list(r->app, &hooks, &err)) {
		http_reply_error(r, &err);
		return;
	}
	html_begin(r, T(r, "Webhooks"), "webhooks");
	html_f(r, "<section id=\"webhooks\"");
	html_script_words(r);
	html_f(r, "><p class=\"hint\">%s</p>", T(r, "Other tools (CRM, chat, invoicing) are told of each event by a"
		" signed POST; a failed delivery is tried again for a day."));
	json_array_foreach(hooks, i, h) {
		long long id = (long long)json_integer_value(json_object_get(h, "id"));

		html_f(r, "<article class=\"card hook\" data-hook=\"%lld\"><h2>%s</h2><p>%s · %s %lld · %s %lld · %s %lld</p>"
			"<p><button type=\"button\" class=\"hook-test\">%s</button> <button type=\"button\" class=\"hook-remove\">%s"
			"</button> <span class=\"hook-status\" role=\"status\"></span></p>", id,
			json_string_value(json_object_get(h, "url")), json_string_value(json_object_get(h, "events")),
			T(r, "delivered"), (long long)json_integer_value(json_object_get(h, "delivered")), T(r, "pending"),
			(long long)json_integer_value(json_object_get(h, "pending")), T(r, "failed"),
			(long long)json_integer_value(json_object_get(h, "failed")), T(r, "Send a test event"), T(r, "Remove"));
		log = NULL;
		if (app_webhook_deliveries(r->app, id, &log, &err) == 0 && json_array_size(log)) {
			html_f(r, "<table class=\"deliveries\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">%s</th>"
				"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
				T(r, "Event"), T(r, "State"), T(r, "Attempts"), T(r, "Last answer"));
			json_array_foreach(log, k, d) {
				if (k == 20)
					break;
				html_f(r, "<tr data-state=\"%s\"><td>%lld</td><td>%s</td><td>%s</td><td>%lld</td><td>%s</td></tr>",
					json_string_value(json_object_get(d, "state")), (long long)json_integer_value(json_object_get(d, "id")),
					json_string_value(json_object_get(d, "event")), T(r, json_string_value(json_object_get(d, "state"))),
					(long long)json_integer_value(json_object_get(d, "attempts")),
					json_is_string(json_object_get(d, "last_error")) ? json_string_value(json_object_get(d, "last_error")) :
					json_is_integer(json_object_get(d, "last_status")) ? arena_printf(&r->arena, "HTTP %lld",
					(long long)json_integer_value(json_object_get(d, "last_status"))) : "");
			}
			html_f(r, "</tbody></table>");
		}
		tp_error_clear(&err);
		json_decref(log);
		html_f(r, "</article>");
	}
	html_f(r, "<h2>%s</h2><form id=\"hook-add\" class=\"card narrow\"><label for=\"hook-url\">%s</label>"
		"<input id=\"hook-url\" name=\"url\" type=\"url\" required placeholder=\"https://crm.example/hooks/telepro\">"
		"<fieldset><legend>%s</legend>", T(r, "Add a webhook"), T(r, "Address"), T(r, "Events"));
	for (k = 0; k < sizeof(events) / sizeof(events[0]); k++)
		html_f(r, "<label><input type=\"checkbox\" name=\"events\" value=\"%s\"> %s</label>", events[k], events[k]);
	html_f(r, "</fieldset><button type=\"submit\" class=\"primary\">%s</button><p id=\"hook-secret\" role=\"status\"></p>"
		"</form></section>", T(r, "Add"));
	json_decref(hooks);
	html_end(r);
}

/* GET /account: every user's own page, their password and language. */
static void account(struct http_req *r)
{
	const char *lang = r->session.user.lang;

	html_begin(r, T(r, "My account"), "account");
	if (http_query(r, "saved"))
		html_f(r, "<p class=\"message ok\" role=\"status\">%s</p>", T(r, "Saved."));
	html_f(r, "<p>%s <strong>%s</strong> (%s)</p>", T(r, "Signed in as"), r->session.user.name,
		T(r, r->session.user.role));
	html_f(r, "<h2>%s</h2><form method=\"post\" action=\"/account\" class=\"card narrow\">", T(r, "Change my password"));
	html_csrf(r);
	html_f(r, "<label for=\"ac-cur\">%s</label><input id=\"ac-cur\" name=\"current_password\" type=\"password\" "
		"autocomplete=\"current-password\" required>"
		"<label for=\"ac-new\">%s</label><input id=\"ac-new\" name=\"password\" type=\"password\" "
		"autocomplete=\"new-password\" minlength=\"8\" required>"
		"<p class=\"hint\">%s</p><button type=\"submit\" class=\"primary\">%s</button></form>",
		T(r, "Current password"), T(r, "New password"),
		T(r, "At least 8 characters. Your other sessions end: sign in again on your other devices."), T(r, "Save"));
	html_f(r, "<h2>%s</h2><form method=\"post\" action=\"/account\" class=\"card narrow\">", T(r, "Language"));
	html_csrf(r);
	html_f(r, "<label for=\"ac-lang\">%s</label><select id=\"ac-lang\" name=\"lang\">"
		"<option value=\"\"%S>%s</option><option value=\"fr\"%S>Français</option><option value=\"en\"%S>English</option>"
		"</select><button type=\"submit\">%s</button></form>", T(r, "Language of the pages"),
		!*lang ? " selected" : "", T(r, "the browser's"), strcmp(lang, "fr") == 0 ? " selected" : "",
		strcmp(lang, "en") == 0 ? " selected" : "", T(r, "Save"));
	if (strcmp(r->session.user.role, "sales") == 0) {
		html_f(r, "<h2>%s</h2><div class=\"card narrow\"><p class=\"hint\">%s</p>", T(r, "My appointments in my calendar"),
			T(r, "Outlook, Google Calendar or Thunderbird subscribe to this private address: your appointments appear"
			" there and follow their changes. Keep it to yourself; a new link stops the old one."));
		calendar_control(r, r->session.user.name);
		html_f(r, "</div>");
	}
	html_end(r);
}

static void account_post(struct http_req *r)
{
	struct tp_error err;
	const char *pw = http_form(r, "password"), *lang = http_form(r, "lang");
	int rc = 0;

	tp_error_clear(&err);
	if (pw)
		rc = app_user_passwd(r->app, r->session.user.name, http_form(r, "current_password"), pw,
			MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, HTTP_COOKIE), &err);
	if (!rc && lang)
		rc = app_user_set_lang(r->app, r->session.user.name, lang, &err);
	if (rc) {
		html_message(r, http_status_of(err.code), T(r, "My account"), http_reason(r, &err));
		return;
	}
	http_redirect(r, "/account?saved=1");
}

static void user_add_post(struct http_req *r)
{
	struct tp_error err;
	int64_t id;

	tp_error_clear(&err);
	if (app_user_add(r->app, http_form(r, "name"), http_form(r, "role"), http_form(r, "password"), &id, &err)) {
		html_message(r, http_status_of(err.code), T(r, "Users"), http_reason(r, &err));
		return;
	}
	http_redirect(r, "/users?saved=1");
}

static void user_set_post(struct http_req *r)
{
	struct tp_error err;
	const char *pw = http_form(r, "password");
	int rc = 0;

	tp_error_clear(&err);
	if (http_form(r, "role") && *http_form(r, "role"))
		rc = app_user_set_role(r->app, r->params[0], http_form(r, "role"), &err);
	if (!rc && pw && *pw)
		rc = app_user_passwd(r->app, r->params[0], http_form(r, "current_password"), pw,
			MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, HTTP_COOKIE), &err);
	if (!rc)
		rc = app_user_set_disabled(r->app, r->params[0], http_form(r, "disabled") != NULL, &err);
	/* The phone, when the form changed it (each change is audited). */
	if (!rc && http_form(r, "phone")) {
		struct user u;

		if ((rc = app_user_get(r->app, r->params[0], &u, &err)) == 0 && strcmp(u.phone, http_form(r, "phone")) != 0)
			rc = app_user_set_phone(r->app, r->params[0], http_form(r, "phone"), &err);
	}
	if (rc) {
		html_message(r, http_status_of(err.code), T(r, "Users"), http_reason(r, &err));
		return;
	}
	http_redirect(r, "/users?saved=1");
}

const struct http_route page_routes[] = {
	{"GET", "/", home, 0, HTTP_PUBLIC | HTTP_PAGE},
	{"GET", "/login", login_page, 0, HTTP_PUBLIC | HTTP_PAGE},
	{"POST", "/login", login_post, 0, HTTP_PUBLIC | HTTP_PAGE},
	{"POST", "/logout", logout_post, 0, HTTP_PAGE},
	{"POST", "/lang", lang_post, 0, HTTP_PAGE},
	{"GET", "/account", account, 0, HTTP_PAGE},
	{"POST", "/account", account_post, 0, HTTP_PAGE},
	{"GET", "/static/app.css", app_css, 0, HTTP_PUBLIC},
	{"GET", "/static/app.js", app_js, 0, HTTP_PUBLIC},
	{"GET", "/calendar/{token}", calendar_feed, 0, HTTP_PUBLIC},
	{"GET", "/desk", desk, APP_AGENT | APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"GET", "/team", team, APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"GET", "/dashboard", page_dashboard, 0, HTTP_PAGE | HTTP_REPORT},
	{"GET", "/campaigns", page_campaigns, APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"POST", "/campaigns", page_campaign_post, APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"GET", "/campaigns/{id}", page_campaign, APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"POST", "/campaigns/{id}", page_campaign_post, APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"GET", "/appointments", appointments, APP_SALES | APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"POST", "/appointments/{id}", appointment_post, APP_SALES | APP_MANAGER | APP_ADMIN, HTTP_PAGE},
	{"GET", "/users", users, APP_ADMIN | APP_MANAGER, HTTP_PAGE},
	{"GET", "/webhooks", webhooks_page, APP_ADMIN, HTTP_PAGE},
	{"POST", "/users", user_add_post, APP_ADMIN, HTTP_PAGE},
	{"POST", "/users/{name}", user_set_post, APP_ADMIN, HTTP_PAGE},
};
const size_t page_nroutes = sizeof(page_routes) / sizeof(page_routes[0]);
