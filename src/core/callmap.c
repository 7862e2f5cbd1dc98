#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/callmap.h"
#include "core/date.h"
#include "core/calling.h"
#include "core/fields.h"
#include "core/xalloc.h"

static const char *const target_names[CM_COUNT] = {
	"agent", "phone", "date", "time", "datetime", "year", "month", "day", "result", "outcome", "talk_seconds",
	"ring_seconds", "notes", "ignore", "attempt", "appointment_at", "appointment_status", "appointment_relevant",
	"appointment_result", "amount", "campaign", "qualify",
};

const char *callmap_target_name(int t)
{
	return t >= 0 && t < CM_COUNT ? target_names[t] : "?";
}

static int target_by_name(const char *name)
{
	for (int i = 0; i < CM_COUNT; i++)
		if (strcmp(name, target_names[i]) == 0)
			return i;
	return -1;
}

void callmap_init(struct callmap *m)
{
	memset(m, 0, sizeof(*m));
}

static void free_pairs(struct callmap_pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].from);
		free(p[i].to);
	}
	free(p);
}

void callmap_release(struct callmap *m)
{
	free_pairs(m->columns, m->ncolumns);
	free_pairs(m->values, m->nvalues);
	for (int i = 0; i < CM_COUNT; i++)
		free(m->fixed[i]);
	free(m->file);
	callmap_init(m);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void push(struct callmap_pair **arr, size_t *n, const char *from, const char *to, int target, long line)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[*n].from = xstrdup(from);
	(*arr)[*n].to = to ? xstrdup(to) : NULL;
	(*arr)[*n].target = target;
	(*arr)[*n].line = line;
	(*n)++;
}

int callmap_parse(struct callmap *m, const char *file, const char *text, size_t len, struct tp_error *err)
{
	enum { NONE, COLUMNS, VALUES, FIXED } section = NONE;
	int values_target = -1;
	long lineno = 0;
	size_t pos = 0;

	callmap_init(m);
	m->file = xstrdup(file);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - text - pos) : len - pos;
		char *buf, *line, *eq, *left, *right;
		int t;

		lineno++;
		if (memchr(text + pos, '\0', ll)) {
			tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "NUL byte in a mapping file");
			goto fail;
		}
		buf = xstrndup(text + pos, ll);
		pos += ll + (nl ? 1 : 0);
		line = trim(buf);
		if (!*line || *line == '#') {
			free(buf);
			continue;
		}
		if (*line == '[') {
			char *close = strchr(line, ']');

			if (!close || close[1]) {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "a section is written [columns], [values TARGET] or [fixed]");
				free(buf);
				goto fail;
			}
			*close = '\0';
			left = trim(line + 1);
			if (strcmp(left, "columns") == 0) {
				section = COLUMNS;
			} else if (strcmp(left, "fixed") == 0) {
				section = FIXED;
			} else if (strncmp(left, "values ", 7) == 0 && (values_target = target_by_name(trim(left + 7))) >= 0) {
				section = VALUES;
			} else {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "unknown section [%.64s]", left);
				free(buf);
				goto fail;
			}
			free(buf);
			continue;
		}
		eq = strchr(line, '=');
		if (!eq || section == NONE) {
			tp_error_at(err, TP_EUSAGE, file, lineno, NULL, section == NONE ?
				"expected a section first: [columns]" : "expected LEFT = RIGHT");
			free(buf);
			goto fail;
		}
		*eq = '\0';
		left = trim(line);
		right = trim(eq + 1);
		if (!*left) {
			tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "nothing left of '='");
			free(buf);
			goto fail;
		}
		if (section == COLUMNS) {
			char folded[256];

			/* qualify.KEY: the column is a qualification value of that key. */
			if (strncmp(right, "qualify.", 8) == 0 && right[8]) {
				field_fold(left, folded, sizeof(folded));
				push(&m->columns, &m->ncolumns, folded, right + 8, CM_QUALIFY, lineno);
				free(buf);
				continue;
			}
			if ((t = target_by_name(right)) < 0 || t == CM_QUALIFY) {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "unknown target '%.64s' (agent, phone, date, time,"
					" datetime, year, month, day, result, outcome, talk_seconds, ring_seconds, notes, attempt, appointment_at,"
					" appointment_status, appointment_relevant, appointment_result, amount, campaign, qualify.KEY, ignore)",
					right);
				free(buf);
				goto fail;
			}
			field_fold(left, folded, sizeof(folded));
			push(&m->columns, &m->ncolumns, folded, NULL, t, lineno);
		} else if (section == VALUES) {
			push(&m->values, &m->nvalues, left, right, values_target, lineno);
		} else {
			if ((t = target_by_name(left)) < 0 || t == CM_IGNORE || t == CM_QUALIFY) {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "unknown target '%.64s'", left);
				free(buf);
				goto fail;
			}
			if (t == CM_YEAR && strstr(right, " increasing")) {
				*strstr(right, " increasing") = '\0';
				m->year_increasing = true;
			}
			free(m->fixed[t]);
			m->fixed[t] = xstrdup(trim(right));
		}
		free(buf);
	}
	return 0;
fail:
	callmap_release(m);
	return TP_EUSAGE;
}

int callmap_column(const struct callmap *m, const char *header, const char **key)
{
	char folded[256];

	field_fold(header, folded, sizeof(folded));
	for (size_t i = 0; i < m->ncolumns; i++) {
		if (strcmp(m->columns[i].from, folded) == 0) {
			if (key)
				*key = m->columns[i].to;
			return m->columns[i].target;
		}
	}
	return -1;
}

const char *callmap_value(const struct callmap *m, int target, const char *raw)
{
	for (size_t i = 0; i < m->nvalues; i++)
		if (m->values[i].target == target && strcmp(m->values[i].from, raw) == 0)
			return m->values[i].to;
	return raw;
}

static int month_number(const char *s)
{
	static const char *const en[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
	static const char *const fr[] = {"janv", "fevr", "mars", "avr", "mai", "juin", "juil", "aout", "sept", "oct",
		"nov", "dec"};
	char folded[32];
	int n = 0;

	field_fold(s, folded, sizeof(folded));
	if (isdigit((unsigned char)folded[0])) {
		n = (int)strtol(folded, NULL, 10);
		return n >= 1 && n <= 12 ? n : 0;
	}
	for (int i = 0; i < 12; i++)
		if (strncmp(folded, en[i], 3) == 0 || strncmp(folded, fr[i], strlen(fr[i])) == 0)
			return i + 1;
	return 0;
}

static bool parse_int(const char *s, long lo, long hi, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	v = strtoll(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static void set_day(struct call_parts *out, int year, int month, int day)
{
	out->year = year;
	out->month = month;
	out->day = day;
}

static void set_time(struct call_parts *out, const struct date_time *t)
{
	out->hour = t->hour;
	out->minute = t->minute;
	out->second = t->second;
}

int callmap_row(const struct callmap *m, const struct call_row *row, int *year_state, int *last_month,
	struct call_parts *out, struct tp_error *err)
{
	const char *v[CM_COUNT];
	int64_t n;

	memset(out, 0, sizeof(*out));
	for (int t = 0; t < CM_COUNT; t++) {
		v[t] = row->v[t] && *row->v[t] ? callmap_value(m, t, row->v[t]) : m->fixed[t];
	}
	out->agent = v[CM_AGENT];
	out->phone = v[CM_PHONE];
	out->result = v[CM_RESULT];
	out->outcome = v[CM_OUTCOME];
	out->notes = v[CM_NOTES];
	out->appointment_at = v[CM_APPOINTMENT_AT] && *v[CM_APPOINTMENT_AT] ? v[CM_APPOINTMENT_AT] : NULL;
	out->appointment_status = v[CM_APPOINTMENT_STATUS] && *v[CM_APPOINTMENT_STATUS] ? v[CM_APPOINTMENT_STATUS] : NULL;
	out->appointment_relevant = v[CM_APPOINTMENT_RELEVANT] && *v[CM_APPOINTMENT_RELEVANT] ? v[CM_APPOINTMENT_RELEVANT]
		: NULL;
	out->appointment_result = v[CM_APPOINTMENT_RESULT] && *v[CM_APPOINTMENT_RESULT] ? v[CM_APPOINTMENT_RESULT] : NULL;
	out->amount = v[CM_AMOUNT] && *v[CM_AMOUNT] ? v[CM_AMOUNT] : NULL;
	out->campaign = v[CM_CAMPAIGN] && *v[CM_CAMPAIGN] ? v[CM_CAMPAIGN] : NULL;
	if (!out->agent || !*out->agent)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "agent", "no agent (map a column or give [fixed] agent = NAME)");
	if (!out->result || !call_result_valid(out->result))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "result", "'%s' is not a result (" CALL_RESULTS ")",
			out->result ? out->result : "");
	if (v[CM_TALK] && !parse_int(v[CM_TALK], 0, 6 * 3600, &out->talk_seconds))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "talk_seconds", "'%s' is not a number of seconds", v[CM_TALK]);
	if (v[CM_RING] && !parse_int(v[CM_RING], 0, 3600, &out->ring_seconds))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "ring_seconds", "'%s' is not a number of seconds", v[CM_RING]);
	if (v[CM_ATTEMPT] && !parse_int(v[CM_ATTEMPT], 1, 1000, &out->attempt))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "attempt", "'%s' is not an attempt number (1, 2, ...)",
			v[CM_ATTEMPT]);
	if (v[CM_DATETIME]) {
		struct date_time t;

		if (date_parse_datetime(v[CM_DATETIME], "datetime", &t, err))
			return err->code;
		set_day(out, t.year, t.month, t.day);
		set_time(out, &t);
	} else {
		if (v[CM_DATE]) {
			int day;

			if (date_parse_day(v[CM_DATE], "date", &day, err))
				return err->code;
			set_day(out, day / 10000, day / 100 % 100, day % 100);
		} else {
			if (!v[CM_MONTH] || !(out->month = month_number(v[CM_MONTH])))
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "month", "'%s' is not a month",
					v[CM_MONTH] ? v[CM_MONTH] : "");
			if (!parse_int(v[CM_DAY], 1, 31, &n))
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "day", "'%s' is not a day of the month",
					v[CM_DAY] ? v[CM_DAY] : "");
			out->day = (int)n;
			if (!parse_int(v[CM_YEAR], DATE_YEAR_MIN, DATE_YEAR_MAX, &n))
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "year", "'%s' is not a year",
					v[CM_YEAR] ? v[CM_YEAR] : "");
			out->year = (int)n;
			if (m->year_increasing && !row->v[CM_YEAR]) {
				if (*year_state == 0)
					*year_state = out->year;
				else if (out->month < *last_month)
					(*year_state)++;
				out->year = *year_state;
				*last_month = out->month;
			}
			if (!date_valid(out->year, out->month, out->day))
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "day", "%d/%02d/%04d: there is no such day in that month",
					out->day, out->month, out->year);
		}
		if (v[CM_TIME]) {
			struct date_time t;

			if (date_parse_time(v[CM_TIME], "time", &t, err))
				return err->code;
			set_time(out, &t);
		}
	}
	return 0;
}
