/* What a team reworks in Excel (docs/EXPORTS.md): the KPIs, the appointments and the
 * prospect file as spreadsheets (sheet.c), from the same use cases as their JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/sheet.h"
#include "core/fields.h"
#include "core/xalloc.h"

/* The KPI columns: counts, then each rate as value, low, high and n. */
static const struct {
	const char *key;
	enum sheet_kind kind;
} kpi_counts[] = {
	{"calls", SHEET_INT}, {"conversations", SHEET_INT}, {"appointments", SHEET_INT}, {"sales", SHEET_INT},
	{"calling_seconds", SHEET_INT}, {"talk_seconds", SHEET_INT}, {"hot_prospects", SHEET_INT},
	{"callbacks", SHEET_INT}, {"refusals", SHEET_INT}, {"appointments_won", SHEET_INT},
	{"appointments_held", SHEET_INT}, {"appointments_no_show", SHEET_INT},
}, kpi_rates[] = {
	{"calls_per_hour", SHEET_DECIMAL}, {"conversations_per_hour", SHEET_DECIMAL}, {"contact_rate", SHEET_PERCENT},
	{"appointment_rate", SHEET_PERCENT}, {"appointments_per_conversation", SHEET_PERCENT},
	{"appointments_per_call", SHEET_PERCENT}, {"sales_per_appointment", SHEET_PERCENT},
	{"sales_per_conversation", SHEET_PERCENT}, {"sales_per_call", SHEET_PERCENT},
	{"qualification_rate", SHEET_PERCENT}, {"relevant_appointment_rate", SHEET_PERCENT},
	{"show_rate", SHEET_PERCENT}, {"avg_conversation_seconds", SHEET_DECIMAL},
};
#define N(a) (sizeof(a) / sizeof(a[0]))
#define KPI_NCOLS (1 + N(kpi_counts) + 1 + 4 * N(kpi_rates))

/* A JSON number as the text sheet_row reads ("" for null). */
static const char *num(json_t *v, char *buf, size_t size)
{
	if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%.15g", json_real_value(v));
	else
		buf[0] = '\0';
	return buf;
}

/* A rate's columns from column c: key with each suffix, the last one (its n) a count;
 * their titles allocated in titles. Returns the next column. */
static size_t rate_columns(struct sheet_col *cols, char **titles, size_t c, const char *key, enum sheet_kind kind,
	const char *const *suffix, int nsuffix)
{
	for (int p = 0; p < nsuffix; p++, c++) {
		size_t len = strlen(key) + strlen(suffix[p]) + 1;

		titles[c] = xmalloc(len);
		snprintf(titles[c], len, "%s%s", key, suffix[p]);
		cols[c] = (struct sheet_col){titles[c], p == nsuffix - 1 ? SHEET_INT : kind};
	}
	return c;
}

static int kpi_row(struct sheet *s, const char *key, json_t *g, struct tp_error *err)
{
	char bufs[KPI_NCOLS][40];
	const char *cells[KPI_NCOLS];
	size_t c = 0;

	cells[c++] = key;
	for (size_t i = 0; i < N(kpi_counts); i++, c++)
		cells[c] = num(json_object_get(g, kpi_counts[i].key), bufs[c], sizeof(bufs[c]));
	/* Euros, not cents. */
	snprintf(bufs[c], sizeof(bufs[c]), "%.2f", (double)json_integer_value(json_object_get(g, "amount_cents")) / 100);
	cells[c] = bufs[c];
	c++;
	for (size_t i = 0; i < N(kpi_rates); i++) {
		json_t *r = json_object_get(g, kpi_rates[i].key);
		static const char *const parts[] = {"value", "low", "high", "n"};

		for (int p = 0; p < 4; p++, c++)
			cells[c] = num(json_object_get(r, parts[p]), bufs[c], sizeof(bufs[c]));
	}
	return sheet_row(s, cells, err);
}

int app_kpi_xlsx(struct app *a, const struct app_kpi_query *q, const char *path, struct tp_error *err)
{
	struct sheet_col cols[KPI_NCOLS];
	char *titles[KPI_NCOLS] = {0};
	json_t *out = NULL, *g;
	struct sheet *s;
	size_t c = 0, i;
	int rc;

	if ((rc = app_kpi(a, q, &out, err)))
		return rc;
	cols[c++] = (struct sheet_col){q->by ? q->by : "key", SHEET_TEXT};
	for (i = 0; i < N(kpi_counts); i++)
		cols[c++] = (struct sheet_col){kpi_counts[i].key, kpi_counts[i].kind};
	cols[c++] = (struct sheet_col){"amount_eur", SHEET_MONEY};
	for (i = 0; i < N(kpi_rates); i++) {
		static const char *const suffix[] = {"", "_low", "_high", "_n"};

		c = rate_columns(cols, titles, c, kpi_rates[i].key, kpi_rates[i].kind, suffix, 4);
	}
	if (!(s = sheet_open(path, "KPI", cols, c, err))) {
		rc = err->code;
	} else {
		json_array_foreach(json_object_get(out, "groups"), i, g)
			if ((rc = kpi_row(s, json_string_value(json_object_get(g, "key")), g, err)))
				break;
		if (rc == 0)
			rc = kpi_row(s, "total", json_object_get(out, "totals"), err);
		if (sheet_close(s, err) && rc == 0)
			rc = err->code;
	}
	for (i = 0; i < c; i++)
		free(titles[i]);
	json_decref(out);
	return rc;
}

int app_appointments_xlsx(struct app *a, const char *sales, const char *campaign, const char *path,
	struct tp_error *err)
{
	static const struct sheet_col cols[] = {{"id", SHEET_INT}, {"scheduled_at", SHEET_DATETIME},
		{"campaign", SHEET_TEXT}, {"company", SHEET_TEXT}, {"contact", SHEET_TEXT}, {"phone", SHEET_TEXT},
		{"agent", SHEET_TEXT}, {"sales", SHEET_TEXT}, {"status", SHEET_TEXT}, {"relevant", SHEET_TEXT},
		{"result", SHEET_TEXT}, {"amount_eur", SHEET_MONEY}, {"notes", SHEET_TEXT}};
	json_t *list = NULL, *o;
	struct sheet *s;
	size_t i;
	int rc;

	if ((rc = app_appointment_list(a, sales, campaign, &list, err)))
		return rc;
	if (!(s = sheet_open(path, "Rendez-vous", cols, N(cols), err))) {
		json_decref(list);
		return err->code;
	}
	json_array_foreach(list, i, o) {
		char id[24], amount[32];
		json_t *rel = json_object_get(o, "relevant"), *cents = json_object_get(o, "amount_cents");
		const char *cells[N(cols)] = {num(json_object_get(o, "id"), id, sizeof(id)),
			json_string_value(json_object_get(o, "scheduled_at")), json_string_value(json_object_get(o, "campaign")),
			json_string_value(json_object_get(o, "company")), json_string_value(json_object_get(o, "contact")),
			json_is_string(json_object_get(o, "phone_display")) ? json_string_value(json_object_get(o, "phone_display"))
			: json_string_value(json_object_get(o, "phone")), json_string_value(json_object_get(o, "agent")),
			json_string_value(json_object_get(o, "sales")), json_string_value(json_object_get(o, "status")),
			json_is_null(rel) ? "" : json_is_true(rel) ? "yes" : "no", json_string_value(json_object_get(o, "result")),
			"", json_string_value(json_object_get(o, "notes"))};

		if (json_is_integer(cents)) {
			snprintf(amount, sizeof(amount), "%.2f", (double)json_integer_value(cents) / 100);
			cells[11] = amount;
		}
		if ((rc = sheet_row(s, cells, err)))
			break;
	}
	json_decref(list);
	if (sheet_close(s, err) && !rc)
		rc = err->code;
	return rc;
}

struct prospects_sheet {
	const char *path;
	struct sheet *s;
	size_t ncols;
	struct tp_error *err;
	int rc;
};

/* The columns: the export's fields, then the campaign's qualification keys. */
static void prospects_header(void *vctx, size_t n, const char *const *keys)
{
	struct prospects_sheet *p = vctx;
	struct sheet_col *cols = xcalloc(app_export_ncolumns + n + 1, sizeof(*cols));

	for (size_t i = 0; i < app_export_ncolumns; i++)
		cols[i] = (struct sheet_col){field_name(app_export_columns[i]), SHEET_TEXT};
	for (size_t k = 0; k < n; k++)
		cols[app_export_ncolumns + k] = (struct sheet_col){keys[k], SHEET_TEXT};
	p->ncols = app_export_ncolumns + n;
	if (!(p->s = sheet_open(p->path, "Prospects", cols, p->ncols, p->err)))
		p->rc = p->err->code;
	free(cols);
}

static int prospects_row(void *vctx, const struct export_row *row)
{
	struct prospects_sheet *p = vctx;
	const char **cells;
	int rc;

	if (!p->s)
		return 1;
	cells = xcalloc(p->ncols + 1, sizeof(*cells));
	/* Text cells are never formulas in a workbook: nothing to guard, unlike CSV. */
	for (size_t i = 0; i < app_export_ncolumns; i++)
		cells[i] = row->field[app_export_columns[i]];
	for (size_t k = 0; k < row->nqual && app_export_ncolumns + k < p->ncols; k++)
		cells[app_export_ncolumns + k] = row->qual_value[k];
	rc = sheet_row(p->s, cells, p->err);
	free(cells);
	if (rc)
		p->rc = rc;
	return rc ? 1 : 0;
}

int app_export_prospects_xlsx(struct app *a, const char *campaign, const char *path, struct tp_error *err)
{
	struct prospects_sheet p = {path, NULL, 0, err, 0};
	int rc = app_export_prospects(a, campaign, prospects_header, prospects_row, &p, err);

	/* The sheet's own failure is said in err; the store stopped at its row. */
	if (p.rc)
		rc = p.rc;
	if (p.s && sheet_close(p.s, err) && rc == 0)
		rc = err->code;
	return rc;
}

/* insights agents as a workbook: each agent's quantity, then each quality rate raw and
 * shrunk toward the team (empirical Bayes), with its n, and the flags. */
int app_insights_agents_xlsx(struct app *a, const struct app_insights_query *q, const char *path,
	struct tp_error *err)
{
	static const char *const rates[] = {"contact_rate", "appointments_per_conversation", "relevant_appointment_rate",
		"show_rate", "sales_per_appointment", "qualification_rate"};
	struct sheet_col cols[8 + 3 * N(rates)];
	char *titles[N(cols)] = {0};
	json_t *out = NULL, *g;
	struct sheet *s;
	size_t c = 0, i;
	int rc;

	if ((rc = app_insights_agents(a, q, &out, err)))
		return rc;
	cols[c++] = (struct sheet_col){"agent", SHEET_TEXT};
	cols[c++] = (struct sheet_col){"calls", SHEET_INT};
	cols[c++] = (struct sheet_col){"conversations", SHEET_INT};
	cols[c++] = (struct sheet_col){"appointments", SHEET_INT};
	cols[c++] = (struct sheet_col){"sales", SHEET_INT};
	cols[c++] = (struct sheet_col){"calls_per_hour", SHEET_DECIMAL};
	cols[c++] = (struct sheet_col){"conversations_per_hour", SHEET_DECIMAL};
	for (i = 0; i < N(rates); i++) {
		static const char *const suffix[] = {"", "_shrunk", "_n"};

		c = rate_columns(cols, titles, c, rates[i], SHEET_PERCENT, suffix, 3);
	}
	cols[c++] = (struct sheet_col){"flags", SHEET_TEXT};
	if (!(s = sheet_open(path, "Agents", cols, c, err))) {
		rc = err->code;
	} else {
		json_array_foreach(json_object_get(out, "agents"), i, g) {
			char bufs[N(cols)][40], flags[256] = "";
			const char *cells[N(cols)];
			size_t k = 0;
			json_t *f;
			size_t fi;

			cells[k++] = json_string_value(json_object_get(g, "agent"));
			cells[k] = num(json_object_get(g, "calls"), bufs[k], sizeof(bufs[k]));
			k++;
			cells[k] = num(json_object_get(g, "conversations"), bufs[k], sizeof(bufs[k]));
			k++;
			cells[k] = num(json_object_get(g, "appointments"), bufs[k], sizeof(bufs[k]));
			k++;
			cells[k] = num(json_object_get(g, "sales"), bufs[k], sizeof(bufs[k]));
			k++;
			cells[k] = num(json_object_get(json_object_get(g, "calls_per_hour"), "value"), bufs[k], sizeof(bufs[k]));
			k++;
			cells[k] = num(json_object_get(json_object_get(g, "conversations_per_hour"), "value"), bufs[k],
				sizeof(bufs[k]));
			k++;
			for (size_t r = 0; r < N(rates); r++) {
				json_t *rate = json_object_get(g, rates[r]);

				static const char *const parts[] = {"value", "eb_value", "n"};

				for (int p = 0; p < 3; p++, k++)
					cells[k] = num(json_object_get(rate, parts[p]), bufs[k], sizeof(bufs[k]));
			}
			json_array_foreach(json_object_get(g, "flags"), fi, f)
				snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s%s", fi ? "," : "",
					json_string_value(f));
			cells[k++] = flags;
			if ((rc = sheet_row(s, cells, err)))
				break;
		}
		if (sheet_close(s, err) && rc == 0)
			rc = err->code;
	}
	for (i = 0; i < c; i++)
		free(titles[i]);
	json_decref(out);
	return rc;
}
