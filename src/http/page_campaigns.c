/*
 * Campaign pages (manager): the list, a form to create or edit one (its fields are the
 * CLI's settings, applied by the same app use case), and the prospect-file import: app.js
 * previews the file in the browser, lets the manager map its columns, uploads it to
 * POST /api/v1/imports and shows the reject report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/dialing.h"
#include "core/phone.h"
#include "http/html.h"
#include "http/i18n.h"
#include "http/pages.h"

static int row(void *ctx, const struct campaign *c)
{
	struct http_req *r = ctx;

	html_f(r, "<tr><th scope=\"row\"><a href=\"/campaigns/%lld\">%s</a></th><td>%s</td><td>%s</td><td>%lld</td>"
		"<td>%s</td><td><a href=\"/dashboard?campaign=%S\">%s</a> · <a href=\"/team?campaign=%lld\">%s</a></td></tr>",
		(long long)c->id, c->name, T(r, c->kind), c->audience, (long long)c->leads,
		c->archived ? T(r, "archived") : T(r, "active"), html_url(r, c->name), T(r, "Dashboard"), (long long)c->id, T(r, "Team screen"));
	return 0;
}

void page_campaigns(struct http_req *r)
{
	struct tp_error err;

	tp_error_clear(&err);
	html_begin(r, T(r, "Campaigns"), "campaigns");
	html_f(r, "<p><a class=\"button primary\" href=\"/campaigns/new\">%s</a></p>"
		"<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\"></th></tr></thead><tbody>",
		T(r, "New campaign"), T(r, "Name"), T(r, "Kind"), T(r, "Audience"), T(r, "Leads"), T(r, "State"));
	if (app_campaign_list(r->app, row, r, &err)) {
		http_reply_error(r, &err);
		return;
	}
	html_f(r, "</tbody></table>");
	html_end(r);
}

/* Slots as the reader writes their days ("lun-ven 14:00-16:00" on a French page): the
 * three-letter names have the same length in both languages. */
static void days_in_lang(struct http_req *r, char *text)
{
	static const char *const en[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

	for (char *p = text; *p; p++) {
		if (p != text && !strchr(" ,-\n", p[-1]))
			continue;
		for (int i = 0; i < 7; i++)
			if (strncmp(p, en[i], 3) == 0 && (!p[3] || strchr(" ,-", p[3])))
				memcpy(p, T(r, en[i]), 3);
	}
}

/* The form being drawn: after a refused save, what was typed (not the stored campaign),
 * and the refusal beside the field it names. */
struct form_state {
	bool posted;
	const char *field, *message;
};

static const char *typed(struct http_req *r, const struct form_state *fs, const char *name, const char *stored)
{
	const char *v = fs->posted ? http_form(r, name) : NULL;

	return v ? v : stored ? stored : "";
}

/* The refusal under its field (aria-describedby names it), when it is this field's. */
static const char *field_attrs(struct http_req *r, const struct form_state *fs, const char *name)
{
	if (!fs->field || strcmp(fs->field, name) != 0)
		return "";
	return arena_printf(&r->arena, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", name);
}

static void field_error(struct http_req *r, const struct form_state *fs, const char *name)
{
	if (fs->field && strcmp(fs->field, name) == 0)
		html_f(r, "<p class=\"field-error\" id=\"e-%s\" role=\"alert\">%s</p>", name, fs->message);
}

static void select_of(struct http_req *r, const struct form_state *fs, const char *name, const char *label,
	const char *const *values, size_t n, const char *current)
{
	current = typed(r, fs, name, current);
	html_f(r, "<label for=\"c-%s\">%s</label><select id=\"c-%s\" name=\"%s\"%S>", name, label, name, name,
		field_attrs(r, fs, name));
	for (size_t i = 0; i < n; i++)
		html_f(r, "<option value=\"%s\"%S>%s</option>", values[i],
			strcmp(current, values[i]) == 0 ? " selected" : "", T(r, values[i]));
	html_f(r, "</select>");
	field_error(r, fs, name);
}

static void number_input(struct http_req *r, const struct form_state *fs, const char *name, const char *label,
	int64_t v, const char *hint)
{
	const char *value = typed(r, fs, name, v >= 0 ? arena_printf(&r->arena, "%lld", (long long)v) : "");

	html_f(r, "<label for=\"c-%s\">%s</label><input id=\"c-%s\" name=\"%s\" inputmode=\"numeric\" value=\"%s\"%S>"
		"<small>%s</small>", name, label, name, name, value, field_attrs(r, fs, name), hint ? hint : "");
	field_error(r, fs, name);
}

/* A textarea of one setting a line; its hint, then the syntax to type (code, may be NULL). */
static void lines_input(struct http_req *r, const struct form_state *fs, const char *name, const char *label,
	const char *stored, int rows, const char *hint, const char *code)
{
	html_f(r, "<label for=\"c-%s\">%s</label><textarea id=\"c-%s\" name=\"%s\" rows=\"%d\"%S>%s</textarea>"
		"<small>%s", name, label, name, name, rows, field_attrs(r, fs, name), typed(r, fs, name, stored), hint);
	if (code)
		html_f(r, " <code>%s</code>", code);
	html_f(r, "</small>");
	field_error(r, fs, name);
}

/* The form of a campaign (c NULL: a new one); fs says whether it comes back refused. */
/* Scripts compared (docs/SCRIPTS.md): the variants with their version, words and reading
 * time beside the expected call length; an editor of the running ones (app.js PUTs them to
 * /api/v1/campaigns/{id}/scripts); each variant's versions, with what changed (app.js). */
static void scripts_card(struct http_req *r, const struct campaign *c)
{
	static const char *const rates[] = {"appointments_per_conversation", "relevant_appointments_per_conversation",
		"contact_rate", "conversations_per_hour", "qualification_rate", "relevant_appointment_rate",
		"sales_per_appointment"};
	static const char *const rate_labels[] = {N_("Appointments per conversation"),
		N_("Relevant appointments per conversation"), N_("Contact rate"), N_("Conversations per hour"),
		N_("Qualification rate"), N_("Relevant appointments"), N_("Sales per appointment")};
	struct tp_error err;
	json_t *out = NULL, *v;
	const char *primary;
	size_t i;

	tp_error_clear(&err);
	if (app_scripts_get(r->app, c->name, &out, &err))
		return;
	primary = json_is_string(json_object_get(out, "primary")) ? json_string_value(json_object_get(out, "primary"))
		: "appointments_per_conversation";
	html_f(r, "<section class=\"card\" id=\"scripts\" data-campaign-id=\"%lld\"", (long long)c->id);
	html_script_words(r);
	html_f(r, " aria-labelledby=\"scripts-h\"><h2 id=\"scripts-h\">%s</h2><p class=\"muted\">%s</p>",
		T(r, "Scripts compared"), T(r, "Run several scripts at once: each lead gets one at its first call, and keeps"
		" it. Every change of a text is a new version, kept. The dashboard says which one works."));
	html_f(r, "<table class=\"agents\" id=\"variants\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
		"</thead><tbody>", T(r, "Script"), T(r, "Weight"), T(r, "Version"), T(r, "Words"), T(r, "Reading time"),
		T(r, "State"));
	json_array_foreach(json_object_get(out, "variants"), i, v)
		html_f(r, "<tr data-variant=\"%s\"><th scope=\"row\">%s</th><td>%lld</td><td>%lld</td><td>%lld</td>"
			"<td>%lld s</td><td>%s</td></tr>", json_string_value(json_object_get(v, "variant")),
			json_string_value(json_object_get(v, "variant")), (long long)json_integer_value(json_object_get(v, "weight")),
			(long long)json_integer_value(json_object_get(v, "version")),
			(long long)json_integer_value(json_object_get(v, "words")),
			(long long)json_integer_value(json_object_get(v, "reading_seconds")),
			json_is_true(json_object_get(v, "stopped")) ? T(r, "stopped") : T(r, "running"));
	html_f(r, "</tbody></table>");
	if (c->expected_call_seconds > 0)
		html_f(r, "<p class=\"muted\" id=\"call-length\">%s %lld s</p>", T(r, "Expected call length:"),
			(long long)c->expected_call_seconds);
	html_f(r, "<form id=\"scripts-form\">");
	json_array_foreach(json_object_get(out, "variants"), i, v) {
		if (json_is_true(json_object_get(v, "stopped")))
			continue;
		html_f(r, "<fieldset class=\"variant\"><label>%s <input name=\"variant\" maxlength=\"16\" required"
			" value=\"%s\"></label><label>%s <input type=\"number\" name=\"weight\" min=\"1\" max=\"1000\""
			" value=\"%lld\"></label><label>%s<textarea name=\"text\" rows=\"6\">%s</textarea></label></fieldset>",
			T(r, "Script"), json_string_value(json_object_get(v, "variant")), T(r, "Weight"),
			(long long)json_integer_value(json_object_get(v, "weight")), T(r, "Text (Markdown)"),
			json_string_value(json_object_get(v, "text")));
	}
	html_f(r, "<template id=\"variant-blank\"><fieldset class=\"variant\"><label>%s <input name=\"variant\""
		" maxlength=\"16\" required></label><label>%s <input type=\"number\" name=\"weight\" min=\"1\" max=\"1000\""
		" value=\"50\"></label><label>%s<textarea name=\"text\" rows=\"6\"></textarea></label></fieldset></template>",
		T(r, "Script"), T(r, "Weight"), T(r, "Text (Markdown)"));
	html_f(r, "<button type=\"button\" id=\"variant-add\">%s</button><label>%s <select name=\"primary\" id=\"primary\">",
		T(r, "Add a script"), T(r, "Decide on"));
	for (size_t k = 0; k < sizeof(rates) / sizeof(rates[0]); k++)
		html_f(r, "<option value=\"%s\"%S>%s</option>", rates[k], strcmp(rates[k], primary) == 0 ? " selected" : "",
			T(r, rate_labels[k]));
	html_f(r, "</select></label><button type=\"submit\" class=\"primary\" id=\"scripts-save\">%s</button>"
		"<p class=\"muted\">%s</p><div id=\"scripts-status\" role=\"status\"></div></form>", T(r, "Save the scripts"),
		T(r, "A script left out of the list is stopped: its leads get the others at their next call."));
	json_array_foreach(json_object_get(out, "variants"), i, v)
		html_f(r, "<details class=\"versions\" data-variant=\"%s\"><summary>%s %s</summary><div></div></details>",
			json_string_value(json_object_get(v, "variant")), T(r, "Versions of"),
			json_string_value(json_object_get(v, "variant")));
	html_f(r, "</section>");
	json_decref(out);
}

static void campaign_form(struct http_req *r, const struct campaign *c, const struct form_state *fs)
{
	static const char *const kinds[] = {"appointment", "event", "qualification", "survey", "sales", "custom"};
	static const char *const audiences[] = {"b2b", "b2c"};
	static const struct form_state fresh = {false, NULL, NULL};
	char blocks[1024] = "", windows[1024] = "";
	struct strbuf fields, outcomes;

	if (!fs)
		fs = &fresh;
	sb_init(&fields);
	sb_init(&outcomes);
	if (c) {
		for (int i = 0; i < c->noutcomes; i++) {
			char text[300];

			campaign_format_outcome(&c->outcomes[i], text, sizeof(text));
			sb_addf(&outcomes, "%s\n", text);
		}
		/* One a line, as the form reads them back. */
		campaign_format_slots_sep(c->blocks, c->nblocks, "\n", blocks, sizeof(blocks));
		campaign_format_slots_sep(c->windows, c->nwindows, "\n", windows, sizeof(windows));
		days_in_lang(r, blocks);
		days_in_lang(r, windows);
		for (int i = 0; i < c->nfields; i++) {
			char text[600];

			campaign_format_field(&c->fields[i], text, sizeof(text));
			sb_addf(&fields, "%s\n", text);
		}
	}
	html_begin(r, c ? c->name : T(r, "New campaign"), "campaigns");
	if (fs->message)
		html_f(r, "<p class=\"message error\" role=\"alert\" id=\"form-error\">%s%s%s</p>", T(r, "Not saved:"),
			" ", fs->field ? T(r, "a field below says why.") : fs->message);
	else if (http_query(r, "saved"))
		html_f(r, "<p class=\"message ok\" role=\"status\">%s</p>", T(r, "Saved."));
	html_f(r, "<form method=\"post\" action=\"%S\" class=\"card campaign-form\">",
		c ? arena_printf(&r->arena, "/campaigns/%lld", (long long)c->id) : "/campaigns");
	html_csrf(r);
	html_f(r, "<label for=\"c-name\">%s</label><input id=\"c-name\" name=\"name\" required maxlength=\"200\" value=\"%s\"%S>",
		T(r, "Name"), typed(r, fs, "name", c ? c->name : ""), field_attrs(r, fs, "name"));
	field_error(r, fs, "name");
	select_of(r, fs, "kind", T(r, "Kind"), kinds, 6, c ? c->kind : NULL);
	select_of(r, fs, "audience", T(r, "Audience"), audiences, 2, c ? c->audience : NULL);
	html_f(r, "<label for=\"c-timezone\">%s</label><input id=\"c-timezone\" name=\"timezone\" value=\"%s\"%S>",
		T(r, "Time zone"), typed(r, fs, "timezone", c ? c->timezone : "Europe/Paris"), field_attrs(r, fs, "timezone"));
	field_error(r, fs, "timezone");
	number_input(r, fs, "daily-calls", T(r, "Calls a day (per agent)"), c ? c->daily_calls : 40, NULL);
	number_input(r, fs, "weekly-calls", T(r, "Calls a week"), c ? c->weekly_calls : -1, NULL);
	number_input(r, fs, "daily-appointments", T(r, "Appointments a day"), c ? c->daily_appointments : -1, NULL);
	number_input(r, fs, "weekly-appointments", T(r, "Appointments a week"), c ? c->weekly_appointments : -1, NULL);
	number_input(r, fs, "max-attempts", T(r, "Attempts per lead at most"), c ? c->max_attempts : 6, NULL);
	/* How the campaign dials and the number it presents (docs/TELEPHONY.md). */
	{
		static const char *const dialings[] = {"manual", "click", "progressive"};
		char shown[64] = "";

		/* The number as people read it (04 78 ..., +44 ...), read back to the same one. */
		if (c && c->caller_id && phone_format_for(c->caller_id, c->region ? c->region : "FR", shown, sizeof(shown)))
			snprintf(shown, sizeof(shown), "%s", c->caller_id);

		select_of(r, fs, "dialing", T(r, "Dialing"), dialings, 3, dialing_name(c ? (enum dialing)c->dialing
			: DIALING_MANUAL));
		html_f(r, "<label for=\"c-caller-id\">%s</label><input id=\"c-caller-id\" name=\"caller-id\" value=\"%s\""
			" inputmode=\"tel\" maxlength=\"40\"%S><small>%s</small>", T(r, "Number presented (caller ID)"),
			typed(r, fs, "caller-id", shown), field_attrs(r, fs, "caller-id"),
			T(r, "Progressive dialing in France presents a number of 01 62, 01 63, 02 70, 02 71, 03 77, 03 78,"
			" 04 24, 04 25, 05 68, 05 69, 09 48, 09 49 or 09 475 to 09 479 (ARCEP), never a mobile."));
		field_error(r, fs, "caller-id");
		number_input(r, fs, "ring-timeout", T(r, "Seconds an attempt rings before it is given up"),
			c ? c->ring_timeout_seconds : 25, NULL);
	}
	lines_input(r, fs, "block", T(r, "Calling blocks"), blocks, 2, T(r, "One a line, e.g. mon-fri 14:00-16:00"), NULL);
	lines_input(r, fs, "window", T(r, "Calling windows"), windows, 2,
		T(r, "No lead is offered outside them. Empty: the default of the audience."), NULL);
	lines_input(r, fs, "field", T(r, "Qualification fields"), fields.buf, 3, T(r, "One a line, with its type:"),
		"KEY=text|number|date|yesno|choice:a|b|c;Libellé|Label");
	lines_input(r, fs, "outcome", T(r, "Outcomes of the campaign's own"), outcomes.buf, 2,
		T(r, "Beside the built-in ones, added or relabelled, never dropped. One a line, with its flags:"),
		"CODE=Libellé|Label;refusal,final,callback,appointment,sale,do_not_call");
	lines_input(r, fs, "script", T(r, "Script (Markdown)"), c && c->script ? c->script : "", 8, T(r, "Merge fields:"),
		"{{first_name}} {{last_name}} {{company}} {{city}} {{agent}}");
	html_f(r, "<button type=\"submit\" class=\"primary\">%s</button></form>", T(r, "Save"));
	sb_release(&fields);
	sb_release(&outcomes);
	if (c)
		scripts_card(r, c);
	if (c) {
		html_f(r, "<section class=\"card\" id=\"import\" data-campaign=\"%s\"", c->name);
		html_script_words(r);
		html_f(r, " aria-labelledby=\"imp-h\"><h2 id=\"imp-h\">%s</h2><label for=\"imp-file\">%s</label>"
			"<input type=\"file\" id=\"imp-file\" accept=\".csv,.txt,text/csv\">"
			"<label for=\"imp-existing\">%s</label><select id=\"imp-existing\"><option value=\"keep\">%s</option>"
			"<option value=\"update\">%s</option><option value=\"reject\">%s</option></select>"
			"<div id=\"imp-preview\"></div><button type=\"button\" id=\"imp-go\" class=\"primary\" disabled>%s</button>"
			"<div id=\"imp-report\" role=\"status\"></div></section>",
			T(r, "Import a prospect file"), T(r, "CSV file (comma or semicolon, UTF-8 or Latin-1)"),
			T(r, "A number already a contact of another campaign"), T(r, "keep the contact as it is (said in the report)"),
			T(r, "update the contact from the file"), T(r, "reject the row"),
			T(r, "Import"));
		html_f(r, "<template id=\"imp-targets\">");
		for (int f = 0; f < F_COUNT; f++)
			html_f(r, "<option value=\"%s\">%s</option>", field_name(f), T(r, field_name(f)));
		html_f(r, "</template>");
	}
	html_end(r);
}

void page_campaign(struct http_req *r)
{
	struct campaign c;
	struct tp_error err;
	int64_t id;

	if (r->nparams && strcmp(r->params[0], "new") == 0) {
		campaign_form(r, NULL, NULL);
		return;
	}
	id = http_param_id(r, 0);
	tp_error_clear(&err);
	campaign_init(&c);
	if (!id || app_campaign_get_by_id(r->app, id, &c, &err))
		html_message(r, 404, T(r, "Campaign"), T(r, "No such campaign."));
	else
		campaign_form(r, &c, NULL);
	campaign_release(&c);
}

/* Adds one setting per non-empty line of a textarea; "clear" when it has none. */
static void lines_to_settings(struct http_req *r, const char *key, const char *clear, struct campaign_setting *set,
	size_t *n, size_t cap)
{
	const char *text = http_form(r, key);
	size_t before = *n;

	if (!text)
		return;   /* not in the form: unchanged */
	for (const char *p = text; p && *p && *n < cap;) {
		size_t len = strcspn(p, "\r\n");
		char *line = arena_strndup(&r->arena, p, len);

		while (*line == ' ')
			line++;
		if (*line)
			set[(*n)++] = (struct campaign_setting){key, line};
		p += len;
		p += strspn(p, "\r\n");
	}
	if (*n == before && clear && *n < cap)
		set[(*n)++] = (struct campaign_setting){clear, NULL};
}

void page_campaign_post(struct http_req *r)
{
	static const char *const simple[] = {"kind", "audience", "timezone", "daily-calls", "weekly-calls",
		"daily-appointments", "weekly-appointments", "max-attempts", "script", "dialing", "ring-timeout"};
	struct campaign_setting set[3 * CAMPAIGN_BLOCKS_MAX + CAMPAIGN_FIELDS_MAX + CAMPAIGN_OUTCOMES_MAX + 16];
	size_t n = 0, cap = sizeof(set) / sizeof(set[0]);
	struct campaign c;
	struct tp_error err;
	int64_t id = r->nparams ? http_param_id(r, 0) : 0;
	int rc;

	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		const char *v = http_form(r, simple[i]);

		/* A browser sends a textarea's lines with CRLF (HTML's form encoding): stored as
		 * they were written, with LF, so that a form saved unchanged changes nothing. */
		if (v && strchr(v, '\r')) {
			char *lf = arena_strdup(&r->arena, v), *o = lf;

			for (const char *p = v; *p; p++)
				if (!(p[0] == '\r' && p[1] == '\n'))
					*o++ = *p;
			*o = '\0';
			v = lf;
		}
		/* An objective left empty is not set; other empty fields keep their value. */
		if (v && *v)
			set[n++] = (struct campaign_setting){simple[i], v};
	}
	/* The number presented: emptied on the form, it is removed. */
	if (http_form(r, "caller-id") && n < cap)
		set[n++] = (struct campaign_setting){"caller-id", http_form(r, "caller-id")};
	lines_to_settings(r, "block", "no-blocks", set, &n, cap);
	lines_to_settings(r, "window", "no-windows", set, &n, cap);
	lines_to_settings(r, "field", NULL, set, &n, cap);
	lines_to_settings(r, "outcome", NULL, set, &n, cap);
	tp_error_clear(&err);
	campaign_init(&c);
	if (id) {
		rc = app_campaign_get_by_id(r->app, id, &c, &err);
		/* Renamed on the form: the new name, the campaign's calls and figures kept. */
		if (rc == 0 && http_form(r, "name") && *http_form(r, "name") && strcmp(http_form(r, "name"), c.name) != 0 &&
		    n < cap)
			set[n++] = (struct campaign_setting){"name", http_form(r, "name")};
		if (rc == 0)
			rc = app_campaign_set(r->app, c.name, set, n, &err);
	} else {
		rc = app_campaign_add(r->app, http_form(r, "name"), set, n, &c, &err);
	}
	if (rc) {
		static const char *const inputs[] = {"name", "kind", "audience", "timezone", "daily-calls", "weekly-calls",
			"daily-appointments", "weekly-appointments", "max-attempts", "block", "window", "field", "outcome",
			"script", "dialing", "caller-id", "ring-timeout"};
		struct form_state fs = {true, NULL, NULL};

		/* The refusal beside its field when the form has it, else at the top with its name. */
		for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
			if (strcmp(err.field, inputs[i]) == 0)
				fs.field = inputs[i];
		fs.message = fs.field ? http_reason(r, &err)
			: arena_printf(&r->arena, "%s%s%s", err.field, err.field[0] ? ": " : "", http_reason(r, &err));
		if (id && c.name) {
			campaign_form(r, &c, &fs);
		} else {
			campaign_release(&c);
			campaign_init(&c);
			campaign_form(r, NULL, &fs);
		}
		r->status = http_status_of(err.code);
		http_reply_html(r, r->status);
	} else {
		http_redirect(r, arena_printf(&r->arena, "/campaigns/%lld?saved=1", (long long)c.id));
	}
	campaign_release(&c);
}
