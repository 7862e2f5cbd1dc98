/*
 * The campaign report as PDF (docs/REPORT.md): the dashboard on paper, A4, in French or
 * English, fonts embedded. Drawn with cairo (its PDF surface), the charts the dashboard
 * draws rendered from their SVG by librsvg: the key figures with their intervals and n, the
 * funnel, objectives against actual, what the figures say, the hour chart, the weekday ×
 * hour heatmap and the agents' table (quantity beside quality).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>

#include "core/date.h"
#include "core/xalloc.h"
#include "http/html.h"
#include "http/pages.h"
#include "http/report.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 42.0
#define FONT "DejaVu Sans"

/* The charts' own look (app.css's, which the SVG names by class). */
static const char chart_style[] =
	"<style>text{font-family:'DejaVu Sans',sans-serif}.grid{stroke:#e3e8ed}.axis{font-size:12px;fill:#4f5b69}"
	".axis.unit{font-size:11px;font-style:italic}.bar.calls{fill:#2a6f97}.bar.convs{fill:#8c5a00}.rate{fill:#a4161a}"
	"line.ci{stroke:#a4161a;stroke-width:2}.trend{fill:none;stroke:#2a6f97;stroke-width:2}"
	".cell{font-size:11px;fill:#1b2430}.cell.dark{fill:#fff}</style>";

struct page {
	cairo_t *cr;
	double y;
};

static cairo_status_t to_buffer(void *closure, const unsigned char *data, unsigned int length)
{
	sb_add(closure, (const char *)data, length);
	return CAIRO_STATUS_SUCCESS;
}

static void font(cairo_t *cr, double size, bool bold)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static void ink(cairo_t *cr, bool muted)
{
	if (muted)
		cairo_set_source_rgb(cr, 0x4f / 255.0, 0x5b / 255.0, 0x69 / 255.0);
	else
		cairo_set_source_rgb(cr, 0x1b / 255.0, 0x24 / 255.0, 0x30 / 255.0);
}

static void text_at(cairo_t *cr, double x, double y, const char *s)
{
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s ? s : "");
}

/* A new page when what comes needs more than what is left. */
static void room(struct page *p, double need)
{
	if (p->y + need > PAGE_H - MARGIN) {
		cairo_show_page(p->cr);
		p->y = MARGIN;
	}
}

static void heading(struct page *p, const char *title)
{
	room(p, 60);
	p->y += 18;
	font(p->cr, 13, true);
	ink(p->cr, false);
	text_at(p->cr, MARGIN, p->y, title);
	p->y += 10;
}

/* A paragraph wrapped to the page's width. */
static void paragraph(struct page *p, const char *s, double size, bool muted)
{
	const double width = PAGE_W - 2 * MARGIN;
	char *copy = xstrdup(s), *word, *save = NULL;
	struct strbuf line;

	font(p->cr, size, false);
	ink(p->cr, muted);
	sb_init(&line);
	for (word = strtok_r(copy, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
		cairo_text_extents_t e;
		struct strbuf next;

		sb_init(&next);
		sb_addf(&next, "%s%s%s", line.buf ? line.buf : "", line.buf ? " " : "", word);
		cairo_text_extents(p->cr, next.buf, &e);
		if (e.x_advance > width && line.buf) {
			room(p, size * 1.5);
			p->y += size * 1.45;
			text_at(p->cr, MARGIN, p->y, line.buf);
			sb_reset(&line);
			sb_adds(&line, word);
		} else {
			sb_reset(&line);
			sb_adds(&line, next.buf);
		}
		sb_release(&next);
	}
	if (line.buf) {
		room(p, size * 1.5);
		p->y += size * 1.45;
		text_at(p->cr, MARGIN, p->y, line.buf);
	}
	sb_release(&line);
	free(copy);
}

/* The SVG the dashboard drew into r->out (from its <svg to its </svg>), styled, rendered at
 * the page's width, at most max_width, and at most scale times its own size (0: no such
 * limit), keeping its proportions. */
static void svg_block(struct page *p, struct http_req *r, double max_width, double scale)
{
	const char *start = r->out.buf ? strstr(r->out.buf, "<svg") : NULL, *end = start ? strstr(start, "</svg>") : NULL,
		   *open_end = start ? strchr(start, '>') : NULL, *vb;
	double vw = 0, vh = 0, width, height;
	struct strbuf svg;
	RsvgHandle *h;
	GError *gerr = NULL;

	if (!start || !end || !open_end || !(vb = strstr(start, "viewBox=\"")) || vb > open_end ||
	    sscanf(vb + 9, "0 0 %lf %lf", &vw, &vh) != 2 || vw <= 0 || vh <= 0)
		return;
	sb_init(&svg);
	sb_add(&svg, start, (size_t)(open_end + 1 - start));
	sb_adds(&svg, chart_style);
	sb_add(&svg, open_end + 1, (size_t)(end + 6 - (open_end + 1)));
	/* The dashboard's SVG names no XML namespace (HTML does without): librsvg needs it. */
	if (!strstr(svg.buf, "xmlns=")) {
		struct strbuf ns;

		sb_init(&ns);
		sb_adds(&ns, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
		sb_adds(&ns, svg.buf + 4);
		sb_release(&svg);
		svg = ns;
	}
	width = fmin(PAGE_W - 2 * MARGIN, max_width);
	if (scale > 0)
		width = fmin(width, vw * scale);
	height = width * vh / vw;
	h = rsvg_handle_new_from_data((const guint8 *)svg.buf, svg.len, &gerr);
	if (h) {
		RsvgRectangle viewport = {MARGIN, 0, width, height};

		room(p, height + 8);
		viewport.y = p->y + 6;
		if (!rsvg_handle_render_document(h, p->cr, &viewport, &gerr))
			g_clear_error(&gerr);
		p->y += height + 8;
		g_object_unref(h);
	} else {
		g_clear_error(&gerr);
	}
	sb_release(&svg);
}

/* A figure: its label, value and, for a rate, its 95 % interval and n. */
static void tile(struct page *p, struct http_req *r, double x, double y, const char *label, json_t *t, const char *key,
	int kind)
{
	json_t *v = json_object_get(t, key);
	const char *value = "—", *sub = NULL;

	if (kind == 0 && json_is_integer(v)) {
		value = page_num(r, (double)json_integer_value(v), 0);
	} else if (kind > 0 && json_is_number(json_object_get(v, "value"))) {
		double val = json_number_value(json_object_get(v, "value")), lo = json_number_value(json_object_get(v, "low")),
		       hi = json_number_value(json_object_get(v, "high"));

		value = kind == 1 ? page_pct(r, val) : page_num(r, val, 1);
		sub = arena_printf(&r->arena, "%s %s – %s · n = %s", T(r, "95% interval"), kind == 1 ? page_pct(r, lo) :
			page_num(r, lo, 1), kind == 1 ? page_pct(r, hi) : page_num(r, hi, 1),
			page_num(r, (double)json_integer_value(json_object_get(v, "n")), 0));
	}
	cairo_set_source_rgb(p->cr, 0.81, 0.84, 0.87);
	cairo_rectangle(p->cr, x, y, 165, 50);
	cairo_set_line_width(p->cr, 0.6);
	cairo_stroke(p->cr);
	font(p->cr, 8, false);
	ink(p->cr, true);
	text_at(p->cr, x + 6, y + 12, label);
	font(p->cr, 15, true);
	ink(p->cr, false);
	text_at(p->cr, x + 6, y + 31, value);
	if (sub) {
		font(p->cr, 6.5, false);
		ink(p->cr, true);
		text_at(p->cr, x + 6, y + 44, sub);
	}
}

static const char *day_text(struct http_req *r, int ymd)
{
	return strcmp(r->lang, "fr") == 0 ? arena_printf(&r->arena, "%02d/%02d/%04d", ymd % 100, ymd / 100 % 100, ymd / 10000)
		: arena_printf(&r->arena, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

int http_report_pdf(struct app *a, const struct report_query *q, const char *lang, struct strbuf *pdf,
	struct tp_error *err)
{
	struct http_req r = {0};
	struct app_kpi_query kq = {q->campaign, q->agent, NULL, NULL, NULL, false};
	json_t *kpi = NULL, *heat = NULL, *agents = NULL, *t, *g;
	char from[32], to[32];
	int from_day, to_day, rc;
	cairo_surface_t *surface;
	struct page p;
	size_t i;

	if (!q->campaign)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "campaign", 0, TP_MSG("the campaign is required"), 0);
	if ((rc = date_parse_period(q->period, "period", &from_day, &to_day, err)))
		return rc;
	snprintf(from, sizeof(from), "%04d-%02d-%02d", from_day / 10000, from_day / 100 % 100, from_day % 100);
	snprintf(to, sizeof(to), "%04d-%02d-%02d", to_day / 10000, to_day / 100 % 100, to_day % 100);
	kq.from = from;
	kq.to = to;
	kq.by = "hour";
	/* One revision of the counters for the whole report, as for a page. */
	app_kpi_hold(a, true);
	if ((rc = app_kpi(a, &kq, &kpi, err)))
		goto out;
	kq.by = "weekday-hour";
	if ((rc = app_kpi(a, &kq, &heat, err)))
		goto out;
	kq.by = "agent";
	if (!q->agent && (rc = app_kpi(a, &kq, &agents, err)))
		goto out;
	arena_init(&r.arena);
	sb_init(&r.out);
	r.app = a;
	r.lang = lang && strcmp(lang, "en") == 0 ? "en" : "fr";
	surface = cairo_pdf_surface_create_for_stream(to_buffer, pdf, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, arena_printf(&r.arena, "%s — %s",
		T(&r, "Campaign report"), q->campaign));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Telepro");
	p.cr = cairo_create(surface);
	p.y = MARGIN;

	/* Title: the campaign, the period, the agent. */
	font(p.cr, 20, true);
	ink(p.cr, false);
	text_at(p.cr, MARGIN, p.y + 14, arena_printf(&r.arena, "%s — %s", T(&r, "Campaign report"), q->campaign));
	p.y += 34;
	font(p.cr, 10, false);
	ink(p.cr, true);
	{
		/* "From {from} to {to}" in the reader's words, the days in their form. */
		const char *tpl = T(&r, "From {from} to {to}"), *f = strstr(tpl, "{from}"), *t2 = strstr(tpl, "{to}");

		if (f && t2 && f < t2)
			text_at(p.cr, MARGIN, p.y, arena_printf(&r.arena, "%.*s%s%.*s%s%s%s%s", (int)(f - tpl), tpl,
				day_text(&r, from_day), (int)(t2 - f - 6), f + 6, day_text(&r, to_day), t2 + 4,
				q->agent ? " · " : "", q->agent ? q->agent : ""));
	}
	p.y += 10;

	/* Key figures. */
	t = json_object_get(kpi, "totals");
	heading(&p, T(&r, "Key figures"));
	{
		static const struct {
			const char *label, *key;
			int kind;               /* 0 count, 1 percentage, 2 per hour or seconds */
		} tiles[] = {{N_("Calls"), "calls", 0}, {N_("Conversations"), "conversations", 0},
			{N_("Appointments"), "appointments", 0}, {N_("Calls per hour"), "calls_per_hour", 2},
			{N_("Conversations per hour"), "conversations_per_hour", 2}, {N_("Contact rate"), "contact_rate", 1},
			{N_("Appointment rate"), "appointment_rate", 1},
			{N_("Appointments per conversation"), "appointments_per_conversation", 1},
			{N_("Sales per appointment"), "sales_per_appointment", 1},
			{N_("Relevant appointments"), "relevant_appointment_rate", 1},
			{N_("Qualification rate"), "qualification_rate", 1}, {N_("Sales"), "sales", 0}};

		for (size_t k = 0; k < sizeof(tiles) / sizeof(tiles[0]); k++) {
			if (k % 3 == 0) {
				room(&p, 58);
				p.y += k ? 56 : 6;
			}
			tile(&p, &r, MARGIN + (double)(k % 3) * 172, p.y, T(&r, tiles[k].label), t, tiles[k].key, tiles[k].kind);
		}
		p.y += 56;
	}

	/* The funnel. */
	heading(&p, T(&r, "Funnel"));
	{
		const char *labels[] = {T(&r, "Calls"), T(&r, "Conversations"), T(&r, "Appointments"), T(&r, "Sales")};
		long long values[] = {json_integer_value(json_object_get(t, "calls")),
			json_integer_value(json_object_get(t, "conversations")),
			json_integer_value(json_object_get(t, "appointments")), json_integer_value(json_object_get(t, "sales"))};

		sb_reset(&r.out);
		page_bars(&r, T(&r, "Funnel"), 4, labels, values);
		svg_block(&p, &r, 380, 0);
	}

	/* Objectives against actual, when the campaign has some. */
	{
		json_t *obj = json_object_get(kpi, "objectives"), *v;
		const char *key;
		bool any = false;

		static const struct {
			const char *key, *label;
		} names[] = {{"daily_calls", N_("Calls a day")}, {"weekly_calls", N_("Calls a week")},
			{"daily_appointments", N_("Appointments a day")}, {"weekly_appointments", N_("Appointments a week")}};

		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			v = json_object_get(obj, names[k].key);
			if (!json_is_object(v) || !json_is_number(json_object_get(v, "target")))
				continue;
			if (!any)
				heading(&p, arena_printf(&r.arena, "%s (%s)", T(&r, "Objectives against actual"),
					json_string_value(json_object_get(obj, "day"))));
			any = true;
			paragraph(&p, arena_printf(&r.arena, "%s%s%s / %s", T(&r, names[k].label), strcmp(r.lang, "fr") == 0 ?
				" : " : ": ", page_num(&r, json_number_value(json_object_get(v, "done")), 0),
				page_num(&r, json_number_value(json_object_get(v, "target")), 0)), 10, false);
		}
		(void)key;
	}

	/* What the figures say: the slots' findings in a sentence each. */
	heading(&p, T(&r, "What the figures say"));
	{
		static const char *const bys[] = {"hour", "weekday"};
		char said[512] = "";

		for (size_t k = 0; k < 2; k++) {
			struct app_insights_query iq = {q->campaign, q->agent, from, to, bys[k], "contact_rate", false};
			json_t *ins = NULL;
			const char *sentence;

			if (app_insights_slots(a, &iq, &ins, err) == 0 &&
			    (sentence = json_string_value(json_object_get(ins, strcmp(r.lang, "fr") == 0 ? "summary" : "summary_en")))
			    && strcmp(sentence, said) != 0) {
				paragraph(&p, arena_printf(&r.arena, "• %s", sentence), 10, false);
				snprintf(said, sizeof(said), "%s", sentence);
			}
			tp_error_clear(err);
			json_decref(ins);
		}
	}

	/* The charts, each with its heading on its page. */
	room(&p, 260);
	heading(&p, T(&r, "By hour of day"));
	sb_reset(&r.out);
	page_chart_hours(&r, json_object_get(kpi, "groups"));
	svg_block(&p, &r, 1000, 0);
	room(&p, 260);
	heading(&p, T(&r, "Contact rate, weekday × hour"));
	sb_reset(&r.out);
	page_chart_heatmap(&r, json_object_get(heat, "groups"));
	svg_block(&p, &r, 1000, 0.75);

	/* The agents: quantity beside quality. */
	if (json_array_size(json_object_get(agents, "groups"))) {
		static const double cols[] = {0, 90, 135, 215, 300, 425};

		heading(&p, T(&r, "Quantity and quality, side by side"));
		room(&p, 30);
		p.y += 12;
		font(p.cr, 7, true);
		ink(p.cr, true);
		{
			const char *head[] = {T(&r, "Agent"), T(&r, "Calls"), T(&r, "Calls per hour"), T(&r, "Contact rate"),
				T(&r, "Appointments per conversation"), T(&r, "Relevant appointments")};

			for (int c = 0; c < 6; c++)
				text_at(p.cr, MARGIN + cols[c], p.y, head[c]);
		}
		json_array_foreach(json_object_get(agents, "groups"), i, g) {
			const char *cells[6];
			static const char *const rates[] = {"calls_per_hour", "contact_rate", "appointments_per_conversation",
				"relevant_appointment_rate"};

			cells[0] = json_string_value(json_object_get(g, "key"));
			cells[1] = page_num(&r, (double)json_integer_value(json_object_get(g, "calls")), 0);
			for (int k = 0; k < 4; k++) {
				json_t *v = json_object_get(json_object_get(g, rates[k]), "value");

				cells[2 + k] = !json_is_number(v) ? "—" : k == 0 ? page_num(&r, json_number_value(v), 1)
					: page_pct(&r, json_number_value(v));
			}
			room(&p, 14);
			p.y += 13;
			font(p.cr, 9, false);
			ink(p.cr, false);
			for (int c = 0; c < 6; c++)
				text_at(p.cr, MARGIN + cols[c], p.y, cells[c]);
		}
	}
	cairo_show_page(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(surface);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
		rc = tp_error_set(err, TP_ERR, "report: %s", cairo_status_to_string(cairo_surface_status(surface)));
	cairo_surface_destroy(surface);
	sb_release(&r.out);
	arena_release(&r.arena);
out:
	app_kpi_hold(a, false);
	json_decref(kpi);
	json_decref(heat);
	json_decref(agents);
	return rc;
}

/* GET /api/v1/report?campaign=&period=&agent=: the report as a PDF to download. */
void page_report_pdf(struct http_req *r)
{
	struct report_query q = {http_query(r, "campaign"), http_query(r, "agent"), http_query(r, "period")};
	struct tp_error err;
	struct strbuf pdf;

	tp_error_clear(&err);
	sb_init(&pdf);
	if (http_report_pdf(r->app, &q, r->lang, &pdf, &err)) {
		sb_release(&pdf);
		http_reply_error(r, &err);
		return;
	}
	http_reply_bytes(r, 200, "application/pdf", pdf.buf, pdf.len);
	sb_release(&pdf);
	http_add_header(r, "Content-Disposition", arena_printf(&r->arena, "attachment; filename=\"rapport.pdf\""));
}
