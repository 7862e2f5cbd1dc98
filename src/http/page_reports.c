/*
 * The manager's dashboard: the KPIs of docs/KPI.md for a filter, each rate with its
 * denominator and 95 % interval, and charts drawn here as SVG (nothing is loaded from
 * another site, no script needed). Every number comes from app_kpi, the same JSON as
 * `telepro kpi`. Also the desk's script rendering (cmark, safe mode).
 */
#include <math.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmark.h>

#include "core/script.h"
#include "core/date.h"
#include "http/html.h"
#include "http/pages.h"

/* JSON helpers --------------------------------------------------------------------------- */

/* A group's key ("16", "mon 14", "2026-W49", an agent's name). */
static const char *jstr(json_t *o, const char *key);

static const char *jstr_key(json_t *g)
{
	return jstr(g, "key");
}

/* A string member of o, "" when it is none. */
static const char *jstr(json_t *o, const char *key)
{
	json_t *k = json_object_get(o, key);

	return json_is_string(k) ? json_string_value(k) : "";
}

/* A part of a rate; a rate per hour over too short a calling time is not shown (docs/KPI.md). */
static double rate_value(json_t *g, const char *key, const char *part)
{
	json_t *rate = json_object_get(g, key), *v = json_object_get(rate, part);

	if (json_is_true(json_object_get(rate, "short")) && strcmp(part, "n") != 0)
		return NAN;
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static long long count_of(json_t *g, const char *key)
{
	return (long long)json_integer_value(json_object_get(g, key));
}

const char *page_pct(struct http_req *r, double v)
{
	char buf[48];

	if (isnan(v))
		return "–";
	return arena_printf(&r->arena, "%s %%", i18n_number(r->lang, v * 100, 1, buf, sizeof(buf)));
}

const char *page_num(struct http_req *r, double v, int decimals)
{
	char buf[48];

	if (isnan(v))
		return "–";
	return arena_strdup(&r->arena, i18n_number(r->lang, v, decimals, buf, sizeof(buf)));
}

/* One KPI tile: the value, its interval and its denominator. */
static void tile_rate(struct http_req *r, json_t *t, const char *key, const char *label, bool percent, int decimals)
{
	double v = rate_value(t, key, "value"), lo = rate_value(t, key, "low"), hi = rate_value(t, key, "high");
	long long n = (long long)json_integer_value(json_object_get(json_object_get(t, key), "n"));

	html_f(r, "<div class=\"tile\" data-kpi=\"%s\"><span class=\"label\">%s</span><span class=\"value\"%s>%s</span>",
		key, label, json_is_true(json_object_get(json_object_get(t, key), "short"))
		? arena_printf(&r->arena, " title=\"%s\"", T(r, "Less than 15 minutes of calling time: too early for a rate per hour"))
		: "", percent ? page_pct(r, v) : page_num(r, v, decimals));
	if (!isnan(lo))
		html_f(r, "<span class=\"ci\">%s %s – %s</span>", T(r, "95% interval"), percent ? page_pct(r, lo) : page_num(r, lo, decimals),
			percent ? page_pct(r, hi) : page_num(r, hi, decimals));
	/* Per-hour rates count calling time: their n is shown in hours. */
	if (strstr(key, "_per_hour"))
		html_f(r, "<span class=\"n\">n = %s h</span></div>", page_num(r, (double)n / 3600.0, 1));
	else
		html_f(r, "<span class=\"n\">n = %lld</span></div>", n);
}

/* Seconds as a call's length reads: 18:45 (minutes and seconds). */
static const char *mmss(struct http_req *r, double seconds)
{
	long s;

	if (isnan(seconds))
		return "–";
	s = lround(seconds);
	return arena_printf(&r->arena, "%ld:%02ld", s / 60, s % 60);
}

/* A tile of a mean duration: the value and its interval as minutes and seconds. */
static void tile_duration(struct http_req *r, json_t *t, const char *key, const char *label)
{
	double v = rate_value(t, key, "value"), lo = rate_value(t, key, "low"), hi = rate_value(t, key, "high");
	long long n = (long long)json_integer_value(json_object_get(json_object_get(t, key), "n"));

	html_f(r, "<div class=\"tile\" data-kpi=\"%s\"><span class=\"label\">%s</span><span class=\"value\">%s</span>",
		key, label, mmss(r, v));
	if (!isnan(lo))
		html_f(r, "<span class=\"ci\">%s %s – %s</span>", T(r, "95% interval"), mmss(r, lo), mmss(r, hi));
	html_f(r, "<span class=\"n\">n = %lld</span></div>", n);
}

static void tile_count(struct http_req *r, json_t *t, const char *key, const char *label)
{
	html_f(r, "<div class=\"tile\" data-kpi=\"%s\"><span class=\"label\">%s</span><span class=\"value\">%s</span></div>",
		key, label, page_num(r, (double)count_of(t, key), 0));
}

/* Charts --------------------------------------------------------------------------------- */

/* Hour of day: bars of calls and conversations per hour, contact rate as dots with their
 * interval (right axis, 0–100 %). */
/* Says how many calls of an imported history the hours cannot show (docs/IMPORT.md);
 * true when no call has a time of day, so that there is no chart to draw. */
static bool unplaced_note(struct http_req *r, json_t *report)
{
	json_t *n = json_object_get(report, "unplaced_calls");

	if (!n)
		return false;
	html_f(r, "<p class=\"muted\" data-unplaced=\"%lld\">%s %s</p>", (long long)json_integer_value(n),
		page_num(r, (double)json_integer_value(n), 0), T(r, "calls of an imported history have no time of day: no hour shows them."));
	return json_array_size(json_object_get(report, "groups")) == 0;
}

void page_chart_hours(struct http_req *r, json_t *groups)
{
	const int W = 720, H = 260, L = 40, B = 30, top = 10;
	double max = 0;
	size_t i, n = json_array_size(groups);
	json_t *g;

	if (!n) {
		html_f(r, "<p class=\"muted\">%s</p>", T(r, "No calls in this period."));
		return;
	}
	json_array_foreach(groups, i, g) {
		double c = rate_value(g, "calls_per_hour", "value");

		if (!isnan(c) && c > max)
			max = c;
	}
	if (max <= 0)
		max = 1;
	double step = (double)(W - L - 40) / (double)n, ph = H - B - top;

	html_f(r, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"hours-t\">"
		"<title id=\"hours-t\">%s</title>", W, H + 14, T(r, "Calls and conversations per hour, contact rate, by hour of day"));
	/* The axes' units: per calling hour on the left, the contact rate on the right. */
	html_f(r, "<text class=\"axis unit\" x=\"%d\" y=\"%d\">%s</text><text class=\"axis unit\" x=\"%d\" y=\"%d\""
		" text-anchor=\"end\">%s</text>", 2, H + 10, T(r, "per calling hour"), W - 2, H + 10, T(r, "contact rate"));
	for (int k = 0; k <= 4; k++) {
		double y = top + ph - ph * k / 4.0;

		html_f(r, "<line x1=\"%d\" x2=\"%d\" y1=\"%S\" y2=\"%S\" class=\"grid\"/>"
			"<text x=\"%d\" y=\"%S\" class=\"axis\" text-anchor=\"end\">%s</text>"
			"<text x=\"%d\" y=\"%S\" class=\"axis\">%d%%</text>",
			L, W - 40, arena_printf(&r->arena, "%.1f", y), arena_printf(&r->arena, "%.1f", y), L - 4,
			arena_printf(&r->arena, "%.1f", y + 4), page_num(r, max * k / 4.0, max < 8 ? 1 : 0), W - 36,
			arena_printf(&r->arena, "%.1f", y + 4), k * 25);
	}
	json_array_foreach(groups, i, g) {
		double x = L + step * (double)i, cph = rate_value(g, "calls_per_hour", "value"),
		       vph = rate_value(g, "conversations_per_hour", "value"), cr = rate_value(g, "contact_rate", "value"),
		       lo = rate_value(g, "contact_rate", "low"), hi = rate_value(g, "contact_rate", "high");
		double bw = step * 0.38;

		if (!isnan(cph))
			html_f(r, "<rect class=\"bar calls\" x=\"%S\" y=\"%S\" width=\"%S\" height=\"%S\"><title>%s %s: %s</title></rect>",
				arena_printf(&r->arena, "%.1f", x + step * 0.1), arena_printf(&r->arena, "%.1f", top + ph - ph * cph / max),
				arena_printf(&r->arena, "%.1f", bw), arena_printf(&r->arena, "%.1f", ph * cph / max),
				jstr_key(g), T(r, "calls per hour"), page_num(r, cph, 1));
		if (!isnan(vph))
			html_f(r, "<rect class=\"bar convs\" x=\"%S\" y=\"%S\" width=\"%S\" height=\"%S\"><title>%s %s: %s</title></rect>",
				arena_printf(&r->arena, "%.1f", x + step * 0.1 + bw), arena_printf(&r->arena, "%.1f", top + ph - ph * vph / max),
				arena_printf(&r->arena, "%.1f", bw), arena_printf(&r->arena, "%.1f", ph * vph / max),
				jstr_key(g), T(r, "conversations per hour"), page_num(r, vph, 1));
		if (!isnan(cr)) {
			double cx = x + step / 2;

			html_f(r, "<line class=\"ci\" x1=\"%S\" x2=\"%S\" y1=\"%S\" y2=\"%S\"/>"
				"<circle class=\"rate\" cx=\"%S\" cy=\"%S\" r=\"4\"><title>%s %s: %s (%s – %s)</title></circle>",
				arena_printf(&r->arena, "%.1f", cx), arena_printf(&r->arena, "%.1f", cx),
				arena_printf(&r->arena, "%.1f", top + ph - ph * lo), arena_printf(&r->arena, "%.1f", top + ph - ph * hi),
				arena_printf(&r->arena, "%.1f", cx), arena_printf(&r->arena, "%.1f", top + ph - ph * cr),
				jstr_key(g), T(r, "contact rate"), page_pct(r, cr), page_pct(r, lo), page_pct(r, hi));
		}
		html_f(r, "<text class=\"axis\" x=\"%S\" y=\"%d\" text-anchor=\"middle\">%s h</text>",
			arena_printf(&r->arena, "%.1f", x + step / 2), H - 10, jstr_key(g));
	}
	html_f(r, "</svg><p class=\"legend\"><span class=\"sw calls\"></span>%s <span class=\"sw convs\"></span>%s "
		"<span class=\"sw rate\"></span>%s</p>", T(r, "calls per hour"), T(r, "conversations per hour"),
		T(r, "contact rate (95% interval)"));
}

/* Weekday × hour heatmap of the contact rate; pale cells have few calls. */
void page_chart_heatmap(struct http_req *r, json_t *groups)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	int hmin = 24, hmax = -1;
	size_t i;
	json_t *g;

	json_array_foreach(groups, i, g) {
		int h = (int)json_integer_value(json_object_get(g, "hour"));

		if (h < hmin)
			hmin = h;
		if (h > hmax)
			hmax = h;
	}
	if (hmax < 0) {
		html_f(r, "<p class=\"muted\">%s</p>", T(r, "No calls in this period."));
		return;
	}
	int cw = 44, ch = 26, L = 46, top = 22, W = L + cw * (hmax - hmin + 1) + 4, H = top + ch * 7 + 4;

	/* Drawn at its own size (a few hours are not blown up to the page's width). */
	html_f(r, "<svg class=\"chart heat\" viewBox=\"0 0 %d %d\" width=\"%d\" role=\"img\" aria-labelledby=\"heat-t\">"
		"<title id=\"heat-t\">%s</title>", W, H, W * 3 / 2, T(r, "Contact rate by weekday and hour"));
	for (int h = hmin; h <= hmax; h++)
		html_f(r, "<text class=\"axis\" x=\"%d\" y=\"16\" text-anchor=\"middle\">%d h</text>", L + cw * (h - hmin) + cw / 2, h);
	for (int d = 0; d < 7; d++)
		html_f(r, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", L - 6, top + ch * d + 17,
			T(r, days[d]));
	json_array_foreach(groups, i, g) {
		/* The group typed (ISO weekday, hour), never its label parsed again. */
		int d = (int)json_integer_value(json_object_get(g, "weekday")) - 1,
			h = (int)json_integer_value(json_object_get(g, "hour"));
		double v = rate_value(g, "contact_rate", "value");
		long long n = count_of(g, "calls");

		if (d < 0 || isnan(v))
			continue;
		/* Colour by rate (white to dark teal), opacity by evidence (30 calls and more: full). */
		int shade = (int)(235 - 175 * fmin(1.0, v / 0.6));
		double op = fmin(1.0, 0.25 + (double)n / 40.0);

		html_f(r, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,%d)\" fill-opacity=\"%S\">"
			"<title>%s %d h: %s, n = %lld</title></rect><text class=\"cell%S\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%S</text>",
			L + cw * (h - hmin), top + ch * d, cw - 2, ch - 2, shade - 40 > 0 ? shade - 40 : 0, shade, shade - 20 > 0 ? shade - 20 : 0,
			arena_printf(&r->arena, "%.2f", op), T(r, days[d]), h, page_pct(r, v), n, shade < 150 ? " dark" : "",
			L + cw * (h - hmin) + cw / 2 - 1, top + ch * d + 17, arena_printf(&r->arena, "%.0f", v * 100));
	}
	html_f(r, "</svg><p class=\"legend\" id=\"heat-legend\">%s</p>",
		T(r, "Each cell: the contact rate in % of that weekday and hour; darker is higher, paler has fewer calls (full colour from 30)."));
}

/* Horizontal bars: label, count, share of the first bar. */
void page_bars(struct http_req *r, const char *title, int nbars, const char *const *labels, const long long *values)
{
	const int W = 560, L = 170, bh = 24;
	long long max = 1;

	for (int i = 0; i < nbars; i++)
		if (values[i] > max)
			max = values[i];
	html_f(r, "<svg class=\"chart bars\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", W, nbars * (bh + 6) + 4, title);
	for (int i = 0; i < nbars; i++) {
		double w = (double)(W - L - 90) * (double)values[i] / (double)max;

		html_f(r, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
			"<rect class=\"bar calls\" x=\"%d\" y=\"%d\" width=\"%S\" height=\"%d\"/>"
			"<text class=\"axis\" x=\"%S\" y=\"%d\">%s</text>",
			L - 8, i * (bh + 6) + 17, labels[i], L, i * (bh + 6), arena_printf(&r->arena, "%.1f", w), bh,
			arena_printf(&r->arena, "%.1f", L + w + 6), i * (bh + 6) + 17, page_num(r, (double)values[i], 0));
	}
	html_f(r, "</svg>");
}

/* A line chart over the weeks of one rate-like KPI (value per group). */
static void chart_weeks(struct http_req *r, json_t *groups, const char *key, const char *title, bool percent)
{
	const int W = 560, H = 180, L = 50, B = 26, top = 10, R = 40;
	size_t i, n = json_array_size(groups);
	double max = 0;
	json_t *g;
	struct strbuf pts;

	if (n < 2) {
		html_f(r, "<p class=\"muted\">%s</p>", T(r, "Too few weeks for a trend."));
		return;
	}
	json_array_foreach(groups, i, g) {
		double v = rate_value(g, key, "value");

		if (!isnan(v) && v > max)
			max = v;
	}
	if (max <= 0)
		max = 1;
	sb_init(&pts);
	html_f(r, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", W, H, title);
	json_array_foreach(groups, i, g) {
		double v = rate_value(g, key, "value"), x = L + (double)(W - L - R) * (double)i / (double)(n - 1);

		if (isnan(v))
			continue;
		double y = top + (H - B - top) * (1 - v / max);

		sb_addf(&pts, "%.1f,%.1f ", x, y);
		html_f(r, "<circle class=\"rate\" cx=\"%S\" cy=\"%S\" r=\"3\"><title>%s: %s</title></circle>",
			arena_printf(&r->arena, "%.1f", x), arena_printf(&r->arena, "%.1f", y), jstr_key(g),
			percent ? page_pct(r, v) : page_num(r, v, 1));
		if (i == 0 || i == n - 1 || n <= 8)
			html_f(r, "<text class=\"axis\" x=\"%S\" y=\"%d\" text-anchor=\"middle\">%s</text>",
				arena_printf(&r->arena, "%.1f", x), H - 8, jstr_key(g));
	}
	html_f(r, "<polyline class=\"trend\" points=\"%s\"/>"
		"<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
		"<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text></svg>",
		pts.buf, L - 6, top + 8, percent ? page_pct(r, max) : page_num(r, max, 1), L - 6, H - B);
	sb_release(&pts);
}

/* The dashboard ---------------------------------------------------------------------------- */

struct campaign_opts {
	struct http_req *r;
	const char *selected;
	json_t *kinds;              /* name: kind, for one funnel per kind */
};

static int campaign_option(void *ctx, const struct campaign *c)
{
	struct campaign_opts *o = ctx;

	html_f(o->r, "<option%S>%s</option>", o->selected && strcmp(o->selected, c->name) == 0 ? " selected" : "", c->name);
	json_object_set_new(o->kinds, c->name, json_string(c->kind));
	return 0;
}

/* The funnel of one kind of campaign: a sales campaign sells on the call (calls,
 * conversations, sales); the others set appointments that sales win. */
static void funnel(struct http_req *r, const char *kind, const char *title, const long long counts[4])
{
	bool sales = kind && strcmp(kind, "sales") == 0;
	const char *labels[] = {T(r, "Calls"), T(r, "Conversations"), sales ? T(r, "Sales") : T(r, "Appointments"),
		T(r, "Sales")};
	long long values[] = {counts[0], counts[1], sales ? counts[3] : counts[2], counts[3]};

	html_f(r, "<section class=\"half funnel\" data-kind=\"%s\" aria-labelledby=\"funnel-h-%s\"><h2 id=\"funnel-h-%s\">%s</h2>",
		kind ? kind : "", kind ? kind : "all", kind ? kind : "all", title);
	page_bars(r, title, sales ? 3 : 4, labels, values);
	html_f(r, "</section>");
}

static int kpi(struct http_req *r, const struct app_kpi_query *base, const char *by, json_t **out)
{
	struct app_kpi_query q = *base;
	struct tp_error err;

	q.by = by;
	tp_error_clear(&err);
	if (app_kpi(r->app, &q, out, &err)) {
		html_f(r, "<p class=\"message error\" role=\"alert\">%s%s%s</p>", err.field, err.field[0] ? ": " : "",
			http_reason(r, &err));
		return -1;
	}
	return 0;
}

/* A q-value as a reader reads it: "< 0,001" when tiny, else three decimals, in the page's
 * number format. */
static const char *q_text(struct http_req *r, double q)
{
	return q < 0.001 ? arena_printf(&r->arena, "< %s", page_num(r, 0.001, 3)) : arena_printf(&r->arena, "= %s", page_num(r, q, 3));
}

/* The fates of appointments the forced-appointment tests look at, for the catalogue. */
static const char *const fates[] __attribute__((unused)) = {N_("irrelevant"), N_("no_show"), N_("lost")};

/* The agent's forced-appointment evidence from `insights agents`, NULL when not flagged. */
static json_t *forced_evidence(json_t *insights, const char *agent)
{
	size_t i;
	json_t *a;

	json_array_foreach(json_object_get(insights, "agents"), i, a)
		if (strcmp(json_string_value(json_object_get(a, "agent")), agent) == 0 &&
		    json_array_size(json_object_get(a, "flags")))
			return json_object_get(a, "evidence");
	return NULL;
}

/* What the figures say (docs/INSIGHTS.md): the best slots by hour and by weekday. */
static void insights_section(struct http_req *r, const struct app_kpi_query *q)
{
	static const char *const bys[] = {"hour", "weekday"};
	struct tp_error err;
	bool french = strcmp(r->lang, "fr") == 0;

	char said[512] = "";

	html_f(r, "<section class=\"insights card\" aria-labelledby=\"ins-h\"><h2 id=\"ins-h\">%s</h2><ul>",
		T(r, "What the figures say"));
	for (size_t i = 0; i < sizeof(bys) / sizeof(bys[0]); i++) {
		struct app_insights_query iq = {q->campaign, q->agent, q->from, q->to, bys[i], "contact_rate", false};
		json_t *out = NULL;
		const char *sentence;

		tp_error_clear(&err);
		/* Each finding once ("too few calls" is the same by hour and by weekday). */
		if (app_insights_slots(r->app, &iq, &out, &err) == 0 &&
		    strcmp(sentence = json_string_value(json_object_get(out, french ? "summary" : "summary_en")), said) != 0) {
			html_f(r, "<li data-insight=\"%s\">%s</li>", bys[i], sentence);
			snprintf(said, sizeof(said), "%s", sentence);
		}
		json_decref(out);
	}
	html_f(r, "</ul><p class=\"muted\">%s</p></section>",
		T(r, "Differences are called significant when chance alone would rarely make them (q ≤ 0.05 after Benjamini-Hochberg)."));
}

/* A rate of the comparison as "12,3 % [10,1–14,8]" (per hour: "18,2 [16,0–20,5]"), or "—". */
static const char *compared(struct http_req *r, json_t *rate, bool per_hour)
{
	json_t *v = json_object_get(rate, "value");

	if (!json_is_number(v))
		return "—";
	if (per_hour)
		return arena_printf(&r->arena, "%s [%s–%s]", page_num(r, json_number_value(v), 1),
			page_num(r, json_number_value(json_object_get(rate, "low")), 1),
			page_num(r, json_number_value(json_object_get(rate, "high")), 1));
	return arena_printf(&r->arena, "%s [%s–%s]", page_pct(r, json_number_value(v)),
		page_pct(r, json_number_value(json_object_get(rate, "low"))), page_pct(r, json_number_value(json_object_get(rate, "high"))));
}

/* Scripts compared (docs/SCRIPTS.md), once the campaign runs two variants or more: the
 * verdict on the primary rate in a sentence, then each variant's rates. */
static void scripts_section(struct http_req *r, const char *campaign)
{
	static const char *const rates[] = {"contact_rate", "conversations_per_hour", "appointments_per_conversation",
		"relevant_appointments_per_conversation", "relevant_appointment_rate", "sales_per_appointment"};
	static const char *const labels[] = {N_("Contact rate"), N_("Conversations per hour"),
		N_("Appointments per conversation"), N_("Relevant appointments per conversation"), N_("Relevant appointments"),
		N_("Sales per appointment")};
	struct app_insights_query iq = {.campaign = campaign, .compared_only = true};
	struct tp_error err;
	json_t *out = NULL, *v;
	const char *primary;
	size_t i;

	tp_error_clear(&err);
	if (app_insights_scripts(r->app, &iq, &out, &err) || json_array_size(json_object_get(out, "variants")) < 2) {
		json_decref(out);
		return;
	}
	primary = json_string_value(json_object_get(out, "primary"));
	html_f(r, "<section aria-labelledby=\"scripts-h\" id=\"scripts-compared\" data-state=\"%s\"><h2 id=\"scripts-h\">%s"
		"</h2><p class=\"finding\">%s</p><table class=\"agents\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
		"</th><th scope=\"col\">%s</th>", json_string_value(json_object_get(json_object_get(out, "verdict"), "state")),
		T(r, "Scripts compared"), json_string_value(json_object_get(json_object_get(out, "verdict"),
		strcmp(r->lang, "fr") == 0 ? "summary" : "summary_en")), T(r, "Script"), T(r, "Calls"), T(r, "Conversations"));
	for (size_t k = 0; k < sizeof(rates) / sizeof(rates[0]); k++)
		html_f(r, "<th scope=\"col\"%s>%s</th>", strcmp(rates[k], primary) == 0 ? " class=\"primary\"" : "",
			T(r, labels[k]));
	html_f(r, "</tr></thead><tbody>");
	json_array_foreach(json_object_get(out, "variants"), i, v) {
		html_f(r, "<tr data-variant=\"%s\"><th scope=\"row\">%s · v%lld%s</th><td>%lld</td><td>%lld</td>",
			jstr(v, "variant"), jstr(v, "variant"), count_of(v, "version"),
			json_is_true(json_object_get(v, "stopped")) ? arena_printf(&r->arena, " (%s)", T(r, "stopped")) : "",
			count_of(v, "calls"), count_of(v, "conversations"));
		for (size_t k = 0; k < sizeof(rates) / sizeof(rates[0]); k++)
			html_f(r, "<td data-rate=\"%s\">%s</td>", rates[k], compared(r, json_object_get(v, rates[k]), k == 1));
		html_f(r, "</tr>");
	}
	html_f(r, "</tbody></table><p class=\"muted\">%s</p></section>", T(r, "Over the campaign's whole history. The"
		" verdict is on the primary rate, by a sequential test that stays valid however often it is looked at; the"
		" other rates are there to weigh it (a script that books more appointments sales find irrelevant is worse)."));
	json_decref(out);
}

/* This month ("2026-12"), in UTC, for a report with no period chosen. */
static const char *current_month(struct http_req *r)
{
	time_t now = (time_t)app_now(r->app);
	struct tm tm;

	gmtime_r(&now, &tm);
	return arena_printf(&r->arena, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

void page_dashboard(struct http_req *r)
{
	const char *campaign = http_query(r, "campaign"), *agent = http_query(r, "agent");
	struct app_kpi_query q = {campaign && *campaign ? campaign : NULL, agent && *agent ? agent : NULL,
		http_query(r, "from"), http_query(r, "to"), NULL, false};
	struct campaign_opts co = {r, q.campaign, json_object()};
	json_t *hours = NULL, *heat = NULL, *weeks = NULL, *agents = NULL, *outcomes = NULL, *insights = NULL, *dialed = NULL,
		*t, *g;
	struct tp_error err;
	bool is_agent = strcmp(r->session.user.role, "agent") == 0;
	size_t i;

	if (q.from && !*q.from)
		q.from = NULL;
	if (q.to && !*q.to)
		q.to = NULL;
	html_begin(r, T(r, "Dashboard"), "dashboard");
	html_f(r, "<form class=\"filters\" method=\"get\" action=\"/dashboard\"><label>%s <select name=\"campaign\">"
		"<option value=\"\">%s</option>", T(r, "Campaign"), T(r, "All campaigns"));
	tp_error_clear(&err);
	if (app_campaign_settings_list(r->app, campaign_option, &co, &err)) {
		http_reply_error(r, &err);
		return;
	}
	html_f(r, "</select></label>");
	/* One revision of the counters for the whole page: its readings share what they read. */
	app_kpi_hold(r->app, true);
	if (!is_agent)
		html_f(r, "<label>%s <input name=\"agent\" value=\"%s\" size=\"10\"></label>", T(r, "Agent"), q.agent);
	html_f(r, "<label>%s <input type=\"date\" name=\"from\" value=\"%s\"></label><label>%s <input type=\"date\" "
		"name=\"to\" value=\"%s\"></label><button type=\"submit\">%s</button></form>",
		T(r, "From"), q.from, T(r, "To"), q.to, T(r, "Show"));
	/* The figures by hour and by day as a workbook (docs/EXPORTS.md). */
	/* The campaign's report on paper: the period shown (or this month), the agent's alone if one is chosen. */
	if (q.campaign && (strcmp(r->session.user.role, "manager") == 0 || strcmp(r->session.user.role, "admin") == 0))
		html_f(r, "<p class=\"downloads\"><a id=\"report-pdf\" download href=\"/api/v1/report?campaign=%S&amp;period=%S%S%S\">%s</a></p>",
			html_url(r, q.campaign), html_url(r, q.from && q.to ? arena_printf(&r->arena, "%s..%s", q.from, q.to)
			: q.from ? arena_printf(&r->arena, "%s..%s", q.from, q.from) : current_month(r)),
			q.agent ? "&amp;agent=" : "", q.agent ? html_url(r, q.agent) : "", T(r, "Download the report (PDF)"));
	html_f(r, "<p class=\"downloads\"><a id=\"kpi-xlsx\" download href=\"/api/v1/kpi?by=day&amp;format=xlsx%S%S%S%S%S%S%S%S\">%s</a></p>",
		q.campaign ? "&amp;campaign=" : "", q.campaign ? html_url(r, q.campaign) : "", q.agent ? "&amp;agent=" : "",
		q.agent ? html_url(r, q.agent) : "", q.from ? "&amp;from=" : "", q.from ? html_url(r, q.from) : "",
		q.to ? "&amp;to=" : "", q.to ? html_url(r, q.to) : "", T(r, "Download the figures by day (Excel)"));
	if (kpi(r, &q, "hour", &hours))
		goto out;
	t = json_object_get(hours, "totals");
	html_f(r, "<section aria-labelledby=\"kpi-h\"><h2 id=\"kpi-h\">%s</h2><div class=\"tiles\">", T(r, "Key figures"));
	tile_count(r, t, "calls", T(r, "Calls"));
	tile_count(r, t, "conversations", T(r, "Conversations"));
	tile_count(r, t, "appointments", T(r, "Appointments"));
	tile_count(r, t, "sales", T(r, "Sales"));
	/* Unknown for a history without times of day (docs/KPI.md): said, not shown as 0. */
	if (json_is_null(json_object_get(t, "calling_seconds")))
		html_f(r, "<div class=\"tile\" data-kpi=\"calling_seconds\"><span class=\"label\">%s</span><span class=\"value\""
			" title=\"%s\">—</span></div>", T(r, "Calling hours"), T(r, "No time of day in this history"));
	else
		html_f(r, "<div class=\"tile\" data-kpi=\"calling_seconds\"><span class=\"label\">%s</span><span class=\"value\">%s h</span></div>",
			T(r, "Calling hours"), page_num(r, (double)count_of(t, "calling_seconds") / 3600.0, 1));
	tile_rate(r, t, "calls_per_hour", T(r, "Calls per hour"), false, 1);
	tile_rate(r, t, "conversations_per_hour", T(r, "Conversations per hour"), false, 1);
	tile_rate(r, t, "contact_rate", T(r, "Contact rate"), true, 1);
	tile_rate(r, t, "appointment_rate", T(r, "Appointment rate"), true, 1);
	tile_rate(r, t, "appointments_per_conversation", T(r, "Appointments per conversation"), true, 1);
	tile_rate(r, t, "sales_per_appointment", T(r, "Sales per appointment"), true, 1);
	tile_rate(r, t, "relevant_appointment_rate", T(r, "Relevant appointments"), true, 1);
	tile_rate(r, t, "qualification_rate", T(r, "Qualification rate"), true, 1);
	tile_duration(r, t, "avg_conversation_seconds", T(r, "Average conversation"));
	html_f(r, "</div></section>");
	if (json_object_get(hours, "objectives")) {
		json_t *o = json_object_get(hours, "objectives");
		static const char *const keys[] = {"daily_calls", "weekly_calls", "daily_appointments", "weekly_appointments"};
		static const char *const labels[] = {N_("Calls of the day"), N_("Calls of the week"),
			N_("Appointments of the day"), N_("Appointments of the week")};
		char day[32];
		json_t *d = json_object_get(o, "day");

		const char *dt = json_is_string(d) ? json_string_value(d) : "";
		struct tp_error derr;
		int ymd = 0;

		/* The one parser of dates (core/date.h). */
		tp_error_clear(&derr);
		if (date_parse_day(dt, "day", &ymd, &derr))
			ymd = 0;

		html_f(r, "<section aria-labelledby=\"obj-h\"><h2 id=\"obj-h\">%s, %s</h2><div class=\"tiles\">",
			T(r, "Objectives against actual"), ymd ? i18n_day(r->lang, ymd, day, sizeof(day)) : dt);
		for (int k = 0; k < 4; k++) {
			json_t *x = json_object_get(o, keys[k]);

			if (!x)
				continue;
			double progress = rate_value(o, keys[k], "progress");
			/* The team's target when no agent is chosen (the target times the agents who called). */
			long long goal = json_object_get(x, "team_target") ? count_of(x, "team_target") : count_of(x, "target");

			if (goal <= 0) {
				/* The team's target counts the agents who called: none yet. */
				html_f(r, "<div class=\"tile\" data-objective=\"%s\"><span class=\"label\">%s</span>"
					"<span class=\"value\">–</span><span class=\"n\">%s (%lld %s)</span></div>", keys[k],
					T(r, labels[k]), T(r, "nobody has called yet"), count_of(x, "target"), T(r, "per agent"));
				continue;
			}
			html_f(r, "<div class=\"tile\" data-objective=\"%s\"><span class=\"label\">%s</span>"
				"<span class=\"value\">%lld / %lld</span>", keys[k], T(r, labels[k]), count_of(x, "done"), goal);
			if (!isnan(progress))
				html_f(r, "<meter min=\"0\" max=\"1\" value=\"%S\">%s</meter>",
					arena_printf(&r->arena, "%.3f", fmin(1.0, progress)), page_pct(r, progress));
			if (json_object_get(x, "agents"))
				html_f(r, "<span class=\"n\">%lld × %lld %s</span>", count_of(x, "target"), count_of(x, "agents"),
					T(r, "agents"));
			html_f(r, "</div>");
		}
		html_f(r, "</div></section>");
	}
	if (q.campaign && strcmp(r->session.user.role, "sales") != 0)
		insights_section(r, &q);
	/* How the calls were dialed, once Telepro placed some (docs/KPI.md): what its dialing
	 * changed, beside the calls dialed by hand. */
	{
		struct app_kpi_query dq = q;

		dq.dialed_only = true;
		if (kpi(r, &dq, "dialing", &dialed))
			goto out;
	}
	if (json_array_size(json_object_get(dialed, "groups")) > 1 ||
	    (json_array_size(json_object_get(dialed, "groups")) == 1 &&
	     strcmp(jstr_key(json_array_get(json_object_get(dialed, "groups"), 0)), "manual") != 0)) {
		html_f(r, "<section aria-labelledby=\"dial-h\"><h2 id=\"dial-h\">%s</h2><table class=\"agents\" id=\"dialing\">"
			"<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"</tr></thead><tbody>", T(r, "How the calls were dialed"), T(r, "Dialing"), T(r, "Calls"),
			T(r, "Connected"), T(r, "Mean ring"), T(r, "Mean wait between calls"), T(r, "Average conversation"),
			T(r, "Calls per busy hour"));
		json_array_foreach(json_object_get(dialed, "groups"), i, g) {
			json_t *c = json_object_get(g, "connected");
			const char *cells[4];
			static const char *const keys[] = {"ring_seconds_mean", "idle_seconds_mean", "talk_seconds_mean",
				"calls_per_busy_hour"};

			for (int k = 0; k < 4; k++) {
				json_t *v = json_object_get(g, keys[k]);

				cells[k] = json_is_number(v) ? arena_printf(&r->arena, k == 3 ? "%s" : "%s s",
					page_num(r, json_number_value(v), k == 3 ? 1 : 0)) : "—";
			}
			html_f(r, "<tr data-dialing=\"%s\"><th scope=\"row\">%s</th><td>%lld</td><td>%s [%s–%s]</td><td>%s</td>"
				"<td>%s</td><td>%s</td><td>%s</td></tr>", jstr_key(g), T(r, jstr_key(g)), count_of(g, "calls"),
				page_pct(r, json_number_value(json_object_get(c, "value"))), page_pct(r, json_number_value(json_object_get(c, "low"))),
				page_pct(r, json_number_value(json_object_get(c, "high"))), cells[0], cells[1], cells[2], cells[3]);
		}
		html_f(r, "</tbody></table><p class=\"muted\">%s</p></section>",
			T(r, "Calls per busy hour: the calls over the agents' time ringing, talking and waiting between calls (a wait over 30 min is a break)."));
	}
	if (q.campaign && (strcmp(r->session.user.role, "manager") == 0 || strcmp(r->session.user.role, "admin") == 0))
		scripts_section(r, q.campaign);
	html_f(r, "<section aria-labelledby=\"hours-h\"><h2 id=\"hours-h\">%s</h2>", T(r, "By hour of day"));
	if (!unplaced_note(r, hours))
		page_chart_hours(r, json_object_get(hours, "groups"));
	html_f(r, "</section><section aria-labelledby=\"heat-h\"><h2 id=\"heat-h\">%s</h2>", T(r, "Contact rate, weekday × hour"));
	if (kpi(r, &q, "weekday-hour", &heat))
		goto out;
	if (!unplaced_note(r, heat))
		page_chart_heatmap(r, json_object_get(heat, "groups"));
	html_f(r, "</section>");
	if (q.campaign) {
		long long counts[] = {count_of(t, "calls"), count_of(t, "conversations"), count_of(t, "appointments"),
			count_of(t, "sales")};
		json_t *k = json_object_get(co.kinds, q.campaign);

		funnel(r, json_is_string(k) ? json_string_value(k) : NULL, T(r, "Funnel"), counts);
	} else {
		/* All campaigns: one funnel per kind, so that sales made on the call do not outnumber
		 * the appointments of appointment-setting campaigns. */
		json_t *by = NULL, *sums = json_object(), *x;
		const char *kind;

		if (kpi(r, &q, "campaign", &by)) {
			json_decref(sums);
			goto out;
		}
		json_array_foreach(json_object_get(by, "groups"), i, g) {
			json_t *k = json_object_get(co.kinds, jstr_key(g)), *s;
			const char *name = json_is_string(k) ? json_string_value(k) : "custom";

			if (!(s = json_object_get(sums, name)))
				json_object_set_new(sums, name, s = json_pack("[I,I,I,I]", (json_int_t)0, (json_int_t)0, (json_int_t)0,
					(json_int_t)0));
			for (size_t c = 0; c < 4; c++) {
				static const char *const keys[] = {"calls", "conversations", "appointments", "sales"};

				json_array_set_new(s, c, json_integer(json_integer_value(json_array_get(s, c)) + count_of(g, keys[c])));
			}
		}
		json_object_foreach(sums, kind, x) {
			long long counts[4];

			for (size_t c = 0; c < 4; c++)
				counts[c] = (long long)json_integer_value(json_array_get(x, c));
			funnel(r, kind, arena_printf(&r->arena, "%s — %s", T(r, "Funnel"), T(r, kind)), counts);
		}
		json_decref(sums);
		json_decref(by);
	}
	if (kpi(r, &q, "outcome", &outcomes))
		goto out;
	{
		json_t *og = json_object_get(outcomes, "groups");
		size_t n = json_array_size(og);
		const char **labels = arena_alloc(&r->arena, (n + 1) * sizeof(*labels));
		long long *values = arena_alloc(&r->arena, (n + 1) * sizeof(*values));

		json_t *known = NULL;
		struct tp_error oerr;

		/* Outcomes by their labels in the reader's language (a campaign's own ones too). */
		tp_error_clear(&oerr);
		if (q.campaign && app_outcomes(r->app, q.campaign, &known, &oerr))
			known = NULL;
		json_array_foreach(og, i, g) {
			size_t k;
			json_t *o;

			labels[i] = T(r, jstr_key(g));
			json_array_foreach(known, k, o)
				if (strcmp(jstr_key(g), json_string_value(json_object_get(o, "code"))) == 0)
					labels[i] = arena_strdup(&r->arena, json_string_value(json_object_get(o,
						strcmp(r->lang, "fr") == 0 ? "label_fr" : "label_en")));
			values[i] = count_of(g, "conversations");
		}
		json_decref(known);
		html_f(r, "<section class=\"half\" aria-labelledby=\"out-h\"><h2 id=\"out-h\">%s</h2>", T(r, "Outcomes of conversations"));
		if (n)
			page_bars(r, T(r, "Outcomes of conversations"), (int)n, labels, values);
		else
			html_f(r, "<p class=\"muted\">%s</p>", T(r, "No conversation in this period."));
		html_f(r, "</section>");
	}
	if (!is_agent) {
		struct app_insights_query iq = {q.campaign, NULL, q.from, q.to, NULL, NULL, false};

		if (kpi(r, &q, "agent", &agents))
			goto out;
		tp_error_clear(&err);
		if (app_insights_agents(r->app, &iq, &insights, &err))
			insights = NULL;
		html_f(r, "<section aria-labelledby=\"agents-h\"><h2 id=\"agents-h\">%s</h2><p class=\"muted\">%s</p>"
			"<table class=\"agents\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
			T(r, "Quantity and quality, side by side"),
			T(r, "Flagged: sales mark the agent's appointments irrelevant, no-show or lost significantly more often than the rest of the team (docs/INSIGHTS.md)."),
			T(r, "Agent"), T(r, "Calls"), T(r, "Calls per hour"), T(r, "Contact rate"),
			T(r, "Appointments per conversation"), T(r, "Relevant appointments"), T(r, "Sales per appointment"),
			T(r, "Qualification rate"), T(r, "Flags"));
		json_array_foreach(json_object_get(agents, "groups"), i, g) {
			json_t *evidence = insights ? forced_evidence(insights, jstr_key(g)) : NULL;
			bool flag = evidence != NULL;
			struct strbuf why;
			size_t e;
			json_t *x;

			/* The evidence in the flag's title: which fate, the agent's share against the team's. */
			sb_init(&why);
			json_array_foreach(evidence, e, x)
				if (json_is_true(json_object_get(x, "significant")))
					sb_addf(&why, "%s%s%s%s / %s (q %s)", why.len ? "; " : "",
						T(r, json_string_value(json_object_get(x, "test"))), strcmp(r->lang, "fr") == 0 ? " : " : ": ",
						page_pct(r, json_real_value(json_object_get(x, "agent_share"))),
						page_pct(r, json_real_value(json_object_get(x, "team_share"))),
						q_text(r, json_real_value(json_object_get(x, "q_value"))));

			html_f(r, "<tr%S><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s <small>n=%lld</small></td>"
				"<td>%s <small>n=%lld</small></td><td>%s</td><td>%s</td></tr>",
				flag ? " class=\"flagged\"" : "", jstr_key(g), page_num(r, (double)count_of(g, "calls"), 0),
				page_num(r, rate_value(g, "calls_per_hour", "value"), 1), page_pct(r, rate_value(g, "contact_rate", "value")),
				page_pct(r, rate_value(g, "appointments_per_conversation", "value")),
				page_pct(r, rate_value(g, "relevant_appointment_rate", "value")),
				(long long)rate_value(g, "relevant_appointment_rate", "n"),
				page_pct(r, rate_value(g, "sales_per_appointment", "value")),
				(long long)rate_value(g, "sales_per_appointment", "n"), page_pct(r, rate_value(g, "qualification_rate", "value")),
				flag ? T(r, "forced appointments?") : "");
			if (flag)
				html_f(r, "<tr class=\"flagged evidence\"><td></td><td colspan=\"8\"><small>%s</small></td></tr>", why.buf);
			sb_release(&why);
		}
		html_f(r, "</tbody></table></section>");
	}
	{
		/* By week; by month when the period has history calls that did not say their day
		 * (docs/IMPORT.md), which no week can hold. */
		struct app_kpi_query wq = q;
		bool monthly = false;
		const char *t1, *t2;

		wq.by = "week";
		tp_error_clear(&err);
		if (app_kpi(r->app, &wq, &weeks, &err) == TP_EUSAGE && strcmp(err.field, "by") == 0)
			monthly = true;
		else if (err.code)
			weeks = NULL;
		if (monthly && kpi(r, &q, "month", &weeks))
			goto out;
		if (!weeks) {
			html_f(r, "<p class=\"message error\" role=\"alert\">%s</p>", http_reason(r, &err));
			goto out;
		}
		t1 = monthly ? T(r, "Calls per hour, by month") : T(r, "Calls per hour, by week");
		t2 = monthly ? T(r, "Contact rate, by month") : T(r, "Contact rate, by week");
		html_f(r, "<section class=\"half\" aria-labelledby=\"wk1-h\"><h2 id=\"wk1-h\">%s</h2>", t1);
		chart_weeks(r, json_object_get(weeks, "groups"), "calls_per_hour", t1, false);
		html_f(r, "</section><section class=\"half\" aria-labelledby=\"wk2-h\"><h2 id=\"wk2-h\">%s</h2>", t2);
		chart_weeks(r, json_object_get(weeks, "groups"), "contact_rate", t2, true);
		html_f(r, "</section>");
	}
out:
	app_kpi_hold(r->app, false);
	json_decref(hours);
	json_decref(heat);
	json_decref(weeks);
	json_decref(agents);
	json_decref(outcomes);
	json_decref(insights);
	json_decref(dialed);
	json_decref(co.kinds);
	html_end(r);
}

/* Scripts ---------------------------------------------------------------------------------- */

struct merge_ctx {
	json_t *lead;
	const char *agent;
};

static const char *merge_value(void *vctx, const char *name)
{
	static const struct {
		const char *name, *object, *key;
	} fields[] = {
		{"first_name", "contact", "first_name"}, {"last_name", "contact", "last_name"},
		{"civility", "contact", "civility"}, {"role", "contact", "role"}, {"email", "contact", "email"},
		{"company", "company", "name"}, {"city", "company", "city"}, {"sector", "company", "sector"},
		{"postcode", "company", "postcode"}, {"phone", NULL, "phone"}, {"campaign", NULL, "campaign"},
	};
	struct merge_ctx *ctx = vctx;

	if (strcmp(name, "agent") == 0)
		return ctx->agent;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(name, fields[i].name) == 0) {
			json_t *o = fields[i].object ? json_object_get(ctx->lead, fields[i].object) : ctx->lead;
			json_t *v = json_object_get(o, fields[i].key);

			return json_is_string(v) ? json_string_value(v) : "";
		}
	}
	return NULL;
}

const char *page_script_html(struct http_req *r, json_t *lead)
{
	json_t *script = json_object_get(lead, "script");
	struct merge_ctx ctx = {lead, r->session.user.name};
	struct strbuf md;
	char *html, *out;

	if (!json_is_string(script))
		return "";
	sb_init(&md);
	script_merge(&md, json_string_value(script), merge_value, &ctx);
	/* Safe mode is cmark's default since 0.29: raw HTML and javascript: links are dropped. */
	html = cmark_markdown_to_html(md.buf, md.len, CMARK_OPT_DEFAULT);
	out = arena_strdup(&r->arena, html);
	free(html);
	sb_release(&md);
	return out;
}
