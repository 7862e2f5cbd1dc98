/* Spreadsheets (sheet.h): libxlsxwriter, one worksheet, row by row. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "app/sheet.h"
#include "core/xalloc.h"

struct sheet {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *header, *fmt[SHEET_DATE + 1];
	struct sheet_col *cols;
	size_t ncols;
	lxw_row_t row;
};

struct sheet *sheet_open(const char *path, const char *name, const struct sheet_col *cols, size_t ncols,
	struct tp_error *err)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	struct sheet *s = xcalloc(1, sizeof(*s));
	static const char *const numbers[] = {NULL, "0", "0.0", "0.0%", "#,##0.00 \"€\"", "dd/mm/yyyy hh:mm",
		"dd/mm/yyyy"};

	if (!(s->wb = workbook_new_opt(path, &opt)) || !(s->ws = workbook_add_worksheet(s->wb, name))) {
		tp_error_set(err, TP_ERR, "%s: cannot write a workbook there", path);
		if (s->wb)
			workbook_close(s->wb);
		free(s);
		return NULL;
	}
	s->header = workbook_add_format(s->wb);
	format_set_bold(s->header);
	for (int k = SHEET_INT; k <= SHEET_DATE; k++) {
		s->fmt[k] = workbook_add_format(s->wb);
		format_set_num_format(s->fmt[k], numbers[k]);
	}
	s->cols = xmalloc(ncols * sizeof(*s->cols));
	memcpy(s->cols, cols, ncols * sizeof(*s->cols));
	s->ncols = ncols;
	for (size_t i = 0; i < ncols; i++) {
		worksheet_write_string(s->ws, 0, (lxw_col_t)i, cols[i].title, s->header);
		worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].kind == SHEET_DATETIME ? 17 :
			cols[i].kind == SHEET_TEXT ? 18 : 11, NULL);
	}
	/* The titles stay in view, with a filter on each column. */
	worksheet_freeze_panes(s->ws, 1, 0);
	s->row = 1;
	return s;
}

/* "YYYY-MM-DD[ HH:MM[:SS]]" as a date-time; false when it is not one. */
static bool datetime_of(const char *v, lxw_datetime *dt)
{
	int y, mo, d, h = 0, mi = 0, n = 0;
	double sec = 0;

	if (sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return false;
	if (v[10] && (sscanf(v + 10, " %2d:%2d%n", &h, &mi, &n) != 2 ||
	    (v[10 + n] && sscanf(v + 10 + n, ":%lf", &sec) != 1)))
		return false;
	*dt = (lxw_datetime){y, mo, d, h, mi, sec};
	return y > 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60;
}

static int check(lxw_error e, struct tp_error *err)
{
	return e == LXW_NO_ERROR ? 0 : tp_error_set(err, TP_ERR, "spreadsheet: %s", lxw_strerror(e));
}

int sheet_row(struct sheet *s, const char *const *cells, struct tp_error *err)
{
	for (size_t i = 0; i < s->ncols; i++) {
		const char *v = cells[i];
		lxw_col_t col = (lxw_col_t)i;
		lxw_datetime dt;
		char *end;
		double x;
		int rc;

		if (!v || !*v)
			continue;
		switch (s->cols[i].kind) {
		case SHEET_TEXT:
			rc = check(worksheet_write_string(s->ws, s->row, col, v, NULL), err);
			break;
		case SHEET_DATETIME:
		case SHEET_DATE:
			rc = datetime_of(v, &dt) ? check(worksheet_write_datetime(s->ws, s->row, col, &dt,
				s->fmt[s->cols[i].kind]), err) : check(worksheet_write_string(s->ws, s->row, col, v, NULL), err);
			break;
		default:
			x = strtod(v, &end);
			rc = *end ? check(worksheet_write_string(s->ws, s->row, col, v, NULL), err)
				: check(worksheet_write_number(s->ws, s->row, col, x, s->fmt[s->cols[i].kind]), err);
			break;
		}
		if (rc)
			return rc;
	}
	s->row++;
	return 0;
}

int sheet_close(struct sheet *s, struct tp_error *err)
{
	int rc;

	worksheet_autofilter(s->ws, 0, 0, s->row > 1 ? s->row - 1 : 0, (lxw_col_t)(s->ncols ? s->ncols - 1 : 0));
	rc = check(workbook_close(s->wb), err);
	free(s->cols);
	free(s);
	return rc;
}
