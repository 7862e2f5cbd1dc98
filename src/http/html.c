/* Safe HTML output and the page layout (html.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "http/html.h"

void html_esc(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			sb_adds(sb, "&amp;");
			break;
		case '<':
			sb_adds(sb, "&lt;");
			break;
		case '>':
			sb_adds(sb, "&gt;");
			break;
		case '"':
			sb_adds(sb, "&quot;");
			break;
		case '\'':
			sb_adds(sb, "&#39;");
			break;
		default:
			sb_addc(sb, *s);
		}
	}
}

void html_f(struct http_req *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			const char *next = strchr(p, '%');
			size_t n = next ? (size_t)(next - p) : strlen(p);

			sb_add(&r->out, p, n);
			p += n - 1;
			continue;
		}
		switch (*++p) {
		case 's':
			html_esc(&r->out, va_arg(ap, const char *));
			break;
		case 'S': {
			const char *s = va_arg(ap, const char *);

			if (s)
				sb_adds(&r->out, s);
			break;
		}
		case 'd':
			sb_addf(&r->out, "%d", va_arg(ap, int));
			break;
		case 'l':
			if (p[1] == 'l' && p[2] == 'd') {
				sb_addf(&r->out, "%lld", va_arg(ap, long long));
				p += 2;
			} else if (p[1] == 'd') {
				sb_addf(&r->out, "%ld", va_arg(ap, long));
				p++;
			}
			break;
		case '%':
			sb_addc(&r->out, '%');
			break;
		default:
			/* Unknown conversion: a bug in a format string, shown rather than guessed. */
			sb_adds(&r->out, "%?");
			if (!*p)
				p--;
		}
	}
	va_end(ap);
}

void html_csrf(struct http_req *r)
{
	html_f(r, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->session.csrf);
}

static const struct {
	const char *href, *label, *key;
	unsigned roles;
} nav[] = {
	{"/desk", N_("Calling desk"), "desk", APP_AGENT | APP_MANAGER | APP_ADMIN},
	{"/team", N_("Team screen"), "team", APP_MANAGER | APP_ADMIN},
	{"/dashboard", N_("Dashboard"), "dashboard", APP_AGENT | APP_MANAGER | APP_ADMIN | APP_SALES},
	{"/campaigns", N_("Campaigns"), "campaigns", APP_MANAGER | APP_ADMIN},
	{"/appointments", N_("Appointments"), "appointments", APP_SALES | APP_MANAGER | APP_ADMIN},
	{"/users", N_("Users"), "users", APP_ADMIN | APP_MANAGER},
	{"/webhooks", N_("Webhooks"), "webhooks", APP_ADMIN},
	{"/account", N_("My account"), "account", APP_AGENT | APP_SALES | APP_MANAGER | APP_ADMIN},
};

void html_begin(struct http_req *r, const char *title, const char *active)
{
	unsigned role = r->signed_in ? app_role_of(r->session.user.role) : 0;

	sb_reset(&r->out);
	html_f(r, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<title>%s — Telepro</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/app.css\">"
		"<script src=\"/static/app.js\" defer></script>", r->lang, title);
	if (r->signed_in)
		html_f(r, "<meta name=\"csrf\" content=\"%s\">", r->session.csrf);
	html_f(r, "<meta name=\"lang\" content=\"%s\"></head><body class=\"page-%s\">"
		"<a class=\"skip\" href=\"#main\">%s</a>", r->lang, active, T(r, "Skip to the content"));
	html_f(r, "<header class=\"top\"><a class=\"brand\" href=\"/\">Telepro</a>");
	if (r->signed_in) {
		html_f(r, "<nav aria-label=\"%s\"><ul>", T(r, "Main"));
		for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++)
			if (nav[i].roles & role)
				html_f(r, "<li><a href=\"%s\"%S>%s</a></li>", nav[i].href,
					strcmp(active, nav[i].key) == 0 ? " aria-current=\"page\"" : "", T(r, nav[i].label));
		html_f(r, "</ul></nav><form class=\"who\" method=\"post\" action=\"/logout\">");
		html_csrf(r);
		html_f(r, "<span>%s (%s)</span> <button type=\"submit\" formaction=\"/lang\" name=\"to\" value=\"%s\" "
			"lang=\"%s\">%s</button> <button type=\"submit\">%s</button></form>", r->session.user.name,
			T(r, r->session.user.role), strcmp(r->lang, "fr") == 0 ? "en" : "fr",
			strcmp(r->lang, "fr") == 0 ? "en" : "fr", strcmp(r->lang, "fr") == 0 ? "English" : "Français",
			T(r, "Sign out"));
	}
	html_f(r, "</header><main id=\"main\"><h1>%s</h1>", title);
}

void html_end(struct http_req *r)
{
	html_f(r, "</main></body></html>\n");
	http_reply_html(r, r->status ? r->status : 200);
}

void html_message(struct http_req *r, int status, const char *title, const char *message)
{
	html_begin(r, title, "");
	html_f(r, "<p class=\"message\" role=\"alert\">%s</p><p><a href=\"/\">%s</a></p>", message, T(r, "Home"));
	r->status = status;
	html_end(r);
}

/* Words the pages show from data (roles, kinds, statuses, weekdays), for the catalogue. */
static const char *const data_words[] __attribute__((unused)) = {
	N_("agent"), N_("sales"), N_("manager"), N_("admin"), N_("appointment"), N_("event"), N_("qualification"),
	N_("survey"), N_("custom"), N_("b2b"), N_("b2c"), N_("scheduled"), N_("held"), N_("no_show"), N_("cancelled"),
	N_("won"), N_("lost"), N_("mon"), N_("tue"), N_("wed"), N_("thu"), N_("fri"), N_("sat"), N_("sun"),
};

/* Every word and sentence app.js writes, so that one catalogue (po/fr.po) holds them all. */
static const char *const script_words[] = {
	N_("no_answer"), N_("busy"), N_("voicemail"), N_("gatekeeper"), N_("wrong_number"), N_("invalid_number"), N_("conversation"),
	N_("refused"), N_("hot_short"), N_("hot_medium"), N_("hot_long"), N_("callback"), N_("appointment"), N_("sale"), N_("do_not_call"), N_("not_target"),
	/* How a campaign dials (core/dialing.h). */
	N_("manual"), N_("click"), N_("progressive"),
	N_("new"), N_("in_progress"), N_("hot"), N_("do_not_call"), N_("exhausted"), N_("invalid"), N_("done"), N_("calling"), N_("paused"), N_("idle"),
	N_("yes"), N_("no"), N_("Attempts"), N_("First call."), N_("No lead to call now."), N_("Try again"), N_("Calls"), N_("Conversations"),
	N_("Appointments"), N_("Calls per hour"), N_("In a calling block now"), N_("Outside the calling blocks"),
	N_("Choose a result first."), N_("Choose the outcome of the conversation."), N_("Give a date and time."), N_("Saved"),
	N_("Appointment date and time"), N_("Callback date and time"), N_("Updated"), N_("Column"), N_("(recognise)"), N_("ignore"),
	N_("First rows of the file; choose a field for the columns that are not recognised."), N_("Importing…"), N_("Rows"),
	N_("imported"), N_("duplicates"), N_("rejected"), N_("Rejected rows"), N_("Line"), N_("Field"), N_("Reason"),
	N_("Rows kept with a remark"), N_("Remark"),
	/* Why the desk offers a lead (store_next_lead's reasons). */
	N_("your callback, due"), N_("shared callback, due"), N_("hot prospect, follow-up due"), N_("new lead"),
	N_("the lead you hold"), N_("retry: attempt {n} of {max}"),
	N_("This lead may be called now."), N_("This lead may not be called now:"),
	/* The desk's own words: the sales person, dates to confirm, calling time. */
	N_("Choose…"), N_("Choose the sales person."), N_("Sales person"), N_("Save again to keep it."),
	N_("Calling time is counted."), N_("Paused: no calling time is counted."),
	N_("Not calling: no calling time is counted."), N_("Resume"), N_("Pause"), N_("Session ended."), N_("not calling"),
	N_("mon"), N_("tue"), N_("wed"), N_("thu"), N_("fri"), N_("sat"), N_("sun"),
	/* Telepro dials (docs/TELEPHONY.md): the call's live states on the desk. */
	N_("Call"), N_("Hang up"), N_("Ringing your phone…"), N_("Ringing the prospect…"), N_("Connecting…"),
	N_("On the line"), N_("Call ended"), N_("logged"), N_("give the outcome"),
	N_("your phone did not answer: the prospect was not called"), N_("not called: the rules refuse this lead now"),
	N_("the call failed on the telephony's side"), N_("the server stopped during the call"),
	N_("sip_off"), N_("sip_trying"), N_("sip_registered"), N_("sip_failed"),
	N_("Start dialing"), N_("Progressive dialing:"), N_("line_ringing"), N_("line_ready"), N_("line_dialing"),
	N_("line_wrapup"), N_("line_paused"), N_("line_waiting"), N_("line_ended"),
	/* The fields a refusal names (a file's columns, a call's). */
	N_("company"), N_("last_name"), N_("first_name"), N_("civility"), N_("role"), N_("phone"), N_("mobile"),
	N_("email"), N_("siren"), N_("siret"), N_("address"), N_("postcode"), N_("city"), N_("country"), N_("sector"),
	N_("size_band"), N_("website"), N_("consent_date"), N_("consent_source"), N_("consent_wording"), N_("record"),
	N_("appointment_at"), N_("callback_at"), N_("sales"), N_("relevant"), N_("result"), N_("amount"), N_("password"),
	N_("current_password"), N_("name"), N_("status"),
	/* Scripts compared (the campaign page). */
	N_("first version"), N_("variant"), N_("weights"), N_("primary"), N_("script"),
	/* Calendar feeds (users page, my account). */
	N_("Revoked: the link no longer works."), N_("Copy this address into your calendar; the old one no longer works."),
	/* Webhooks (admins). */
	N_("Sent: see the log below in a moment."), N_("Its secret, shown once: keep it to check the signatures:"),
	N_("url"), N_("events"),
};

void html_script_words(struct http_req *r)
{
	json_t *o = json_object();
	char *text;

	for (size_t i = 0; i < sizeof(script_words) / sizeof(script_words[0]); i++)
		json_object_set_new(o, script_words[i], json_string(T(r, script_words[i])));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	html_f(r, " data-t=\"%s\"", text);
	free(text);
}

const char *html_url(struct http_req *r, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(&r->arena, 3 * strlen(s) + 1), *o = out;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-_.~", c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
