#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/callmap.h"
#include "core/date.h"
#include "core/call_log.h"
#include "core/calling.h"
#include "core/fields.h"
#include "core/tz.h"
#include "core/units.h"
#include "core/xalloc.h"

static const char *const target_names[CM_COUNT] = {
	"agent", "phone", "date", "time", "datetime", "year", "month", "day", "result", "outcome", "talk_seconds",
	"ring_seconds", "notes", "ignore", "attempt", "appointment_at", "appointment_status", "appointment_relevant",
	"appointment_result", "amount", "campaign", "weekday", "script", "qualify",
};

/* The targets a [columns] line may name, for the message that lists them. */
static const char target_list[] = "agent, phone, date, time, datetime, year, month, day, weekday, result, outcome,"
	" talk_seconds, ring_seconds, notes, attempt, appointment_at, appointment_status, appointment_relevant,"
	" appointment_result, amount, campaign, script, qualify.KEY, ignore";

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
		free(p[i].name);
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

static void push(struct callmap_pair **arr, size_t *n, const char *from, const char *to, const char *name, int target,
	long line)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[*n].from = xstrdup(from);
	(*arr)[*n].to = to ? xstrdup(to) : NULL;
	(*arr)[*n].name = name ? xstrdup(name) : NULL;
	(*arr)[*n].target = target;
	(*arr)[*n].line = line;
	(*n)++;
}

/* Why a constant of target t would make up what the file does not say, or NULL. */
static const char *made_up(int t)
{
	switch (t) {
	case CM_DAY:
		return "the same day of the month for every call would be made up: leave it out (calls then keep"
			" their month, and their weekday when a column gives it)";
	case CM_WEEKDAY:
		return "the same weekday for every call would be made up: leave it out";
	case CM_TIME:
		return "the same time of day for every call would be made up: leave it out (calls then have no"
			" time of day, and the reports say so)";
	case CM_APPOINTMENT_AT:
		return "every call would book an appointment at the same time: map the column that has it";
	default:
		return NULL;
	}
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
		const char *why;
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
				push(&m->columns, &m->ncolumns, folded, right + 8, left, CM_QUALIFY, lineno);
				free(buf);
				continue;
			}
			if ((t = target_by_name(right)) < 0 || t == CM_QUALIFY) {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "unknown target '%.64s' (%s)", right, target_list);
				free(buf);
				goto fail;
			}
			field_fold(left, folded, sizeof(folded));
			push(&m->columns, &m->ncolumns, folded, NULL, left, t, lineno);
		} else if (section == VALUES) {
			push(&m->values, &m->nvalues, left, right, NULL, values_target, lineno);
		} else {
			if ((t = target_by_name(left)) < 0 || t == CM_IGNORE || t == CM_QUALIFY) {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "unknown target '%.64s'", left);
				free(buf);
				goto fail;
			}
			if ((why = made_up(t))) {
				tp_error_at(err, TP_EUSAGE, file, lineno, NULL, "[fixed] %s: %s", left, why);
				free(buf);
				goto fail;
			}
			if (t == CM_YEAR && strstr(right, " increasing")) {
				*strstr(right, " increasing") = '\0';
				m->year_increasing = true;
			}
			free(m->fixed[t]);
			m->fixed[t] = xstrdup(trim(right));
			m->fixed_line[t] = lineno;
		}
		free(buf);
	}
	return 0;
fail:
	callmap_release(m);
	return TP_EUSAGE;
}

const char *callmap_column_name(const struct callmap *m, int target)
{
	for (size_t i = 0; i < m->ncolumns; i++)
		if (m->columns[i].target == target)
			return m->columns[i].name;
	return NULL;
}

/* The mapping's line of a [columns] target, or 0. */
static long column_line(const struct callmap *m, int target)
{
	for (size_t i = 0; i < m->ncolumns; i++)
		if (m->columns[i].target == target)
			return m->columns[i].line;
	return 0;
}

int callmap_check(const struct callmap *m, const char *file, const char *const *headers, size_t nheaders,
	struct tp_error *err)
{
	/* Targets that say the same as another: a date column and a constant day, say. */
	static const struct {
		int a, b;
	} overlaps[] = {
		{CM_DATETIME, CM_DATE}, {CM_DATETIME, CM_TIME}, {CM_DATETIME, CM_YEAR}, {CM_DATETIME, CM_MONTH},
		{CM_DATETIME, CM_DAY}, {CM_DATE, CM_YEAR}, {CM_DATE, CM_MONTH}, {CM_DATE, CM_DAY},
	};
	bool column[CM_COUNT] = {false}, in_file;
	char folded[256];
	int t;

	for (size_t i = 0; i < m->ncolumns; i++) {
		in_file = false;
		for (size_t h = 0; h < nheaders && !in_file; h++) {
			field_fold(headers[h], folded, sizeof(folded));
			in_file = strcmp(folded, m->columns[i].from) == 0;
		}
		if (!in_file)
			return tp_error_at(err, TP_EUSAGE, m->file, m->columns[i].line, NULL,
				"column '%s' (mapped to %s) is not in %s", m->columns[i].name,
				m->columns[i].target == CM_QUALIFY ? "a qualification" : callmap_target_name(m->columns[i].target),
				file);
		column[m->columns[i].target] = true;
	}
	for (t = 0; t < CM_COUNT; t++) {
		if (column[t] && m->fixed[t])
			return tp_error_at(err, TP_EUSAGE, m->file, m->fixed_line[t], NULL, "%s is both column '%s' and"
				" [fixed] %s = %s: keep one", callmap_target_name(t), callmap_column_name(m, t),
				callmap_target_name(t), m->fixed[t]);
	}
	for (size_t i = 0; i < sizeof(overlaps) / sizeof(overlaps[0]); i++) {
		int a = overlaps[i].a, b = overlaps[i].b;

		if ((column[a] || m->fixed[a]) && (column[b] || m->fixed[b]))
			return tp_error_at(err, TP_EUSAGE, m->file, m->fixed[b] ? m->fixed_line[b] : column_line(m, b), NULL,
				"%s and %s say the same thing twice (the %s has the %s): keep one", callmap_target_name(a),
				callmap_target_name(b), callmap_target_name(a), callmap_target_name(b));
	}
	for (size_t i = 0; i < m->nvalues; i++) {
		t = m->values[i].target;
		if (!column[t])
			return tp_error_at(err, TP_EUSAGE, m->file, m->values[i].line, NULL, "[values %s] translates a"
				" column's values, but no column is mapped to %s", callmap_target_name(t), callmap_target_name(t));
	}
	if (!column[CM_AGENT] && !m->fixed[CM_AGENT])
		return tp_error_at(err, TP_EUSAGE, m->file, 0, NULL, "no agent: map the column that names who called"
			" (COLUMN = agent), or give [fixed] agent = NAME for a history of one agent or team");
	if (!column[CM_RESULT] && !m->fixed[CM_RESULT])
		return tp_error_at(err, TP_EUSAGE, m->file, 0, NULL, "no result: map the column that says how each call"
			" ended (COLUMN = result, its values translated in [values result]), or give [fixed] result ="
			" conversation for a history of conversations only");
	if (!column[CM_DATETIME] && !column[CM_DATE] && !m->fixed[CM_DATETIME] && !m->fixed[CM_DATE]) {
		if (!column[CM_MONTH] && !m->fixed[CM_MONTH])
			return tp_error_at(err, TP_EUSAGE, m->file, 0, NULL, "no date: map a datetime or date column, or"
				" at least the month (with the year): a call is counted in its month at least");
		if (!column[CM_YEAR] && !m->fixed[CM_YEAR])
			return tp_error_at(err, TP_EUSAGE, m->file, column_line(m, CM_MONTH), NULL, "a month needs its year:"
				" map the year column, or give [fixed] year = YYYY (YYYY increasing when rows are in date order"
				" and the year is not written)");
		if (column[CM_TIME] && !column[CM_DAY])
			return tp_error_at(err, TP_EUSAGE, m->file, column_line(m, CM_TIME), NULL, "a time of day needs"
				" its day: map the day (or a date) column, or leave the time out");
	}
	if (column[CM_QUALIFY] && !column[CM_PHONE])
		return tp_error_at(err, TP_EUSAGE, m->file, column_line(m, CM_QUALIFY), NULL, "qualification columns"
			" need a phone column: a qualification answer belongs to a prospect, found by the call's number,"
			" and %s has none mapped", file);
	for (t = CM_APPOINTMENT_STATUS; t <= CM_AMOUNT; t++)
		if ((column[t] || m->fixed[t]) && !column[CM_APPOINTMENT_AT])
			return tp_error_at(err, TP_EUSAGE, m->file, m->fixed[t] ? m->fixed_line[t] : column_line(m, t), NULL,
				"%s needs an appointment_at column: what sales made of an appointment goes with the rows that"
				" book one", callmap_target_name(t));
	return 0;
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
	out->weekday = -1;
	for (int t = 0; t < CM_COUNT; t++) {
		v[t] = row->v[t] && *row->v[t] ? callmap_value(m, t, row->v[t]) : m->fixed[t];
	}
	/* A constant result of an appointment is the result of the rows that book one. */
	if (!row->v[CM_APPOINTMENT_AT] || !*row->v[CM_APPOINTMENT_AT])
		for (int t = CM_APPOINTMENT_STATUS; t <= CM_AMOUNT; t++)
			if (!row->v[t] || !*row->v[t])
				v[t] = NULL;
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
	out->script = v[CM_SCRIPT] && *v[CM_SCRIPT] ? v[CM_SCRIPT] : NULL;
	if (!out->agent || !*out->agent)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "agent", "no agent (map a column or give [fixed] agent = NAME)");
	if (!out->result || !call_result_valid(out->result))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "result", "'%s' is not a result (" CALL_RESULTS ")",
			out->result ? out->result : "");
	/* Seconds (261), or with their unit (4m): the one duration parser, the call's limits. */
	if (v[CM_TALK] && units_parse_duration(v[CM_TALK], "talk_seconds", 0, CALL_TALK_MAX, &out->talk_seconds, err))
		return err->code;
	if (v[CM_RING] && units_parse_duration(v[CM_RING], "ring_seconds", 0, CALL_RING_MAX, &out->ring_seconds, err))
		return err->code;
	if (v[CM_ATTEMPT] && !parse_int(v[CM_ATTEMPT], 1, 1000, &out->attempt))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "attempt", "'%s' is not an attempt number (1, 2, ...)",
			v[CM_ATTEMPT]);
	if (v[CM_WEEKDAY] && (out->weekday = when_weekday_parse(v[CM_WEEKDAY])) < 0)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "weekday", "'%s' is not a weekday (mon...sun, lundi...dimanche,"
			" 1-7 from Monday; other words through [values weekday])", v[CM_WEEKDAY]);
	if (v[CM_DATETIME]) {
		struct date_time t;

		if (date_parse_datetime(v[CM_DATETIME], "datetime", &t, err))
			return err->code;
		set_day(out, t.year, t.month, t.day);
		set_time(out, &t);
		out->known = WHEN_FULL;
	} else {
		out->known = WHEN_DAY;
		if (v[CM_DATE]) {
			int day;

			if (date_parse_day(v[CM_DATE], "date", &day, err))
				return err->code;
			set_day(out, day / 10000, day / 100 % 100, day % 100);
		} else {
			if (!v[CM_MONTH] || !(out->month = month_number(v[CM_MONTH])))
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "month", "'%s' is not a month",
					v[CM_MONTH] ? v[CM_MONTH] : "");
			if (v[CM_DAY] && !parse_int(v[CM_DAY], 1, 31, &n))
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "day", "'%s' is not a day of the month", v[CM_DAY]);
			out->day = v[CM_DAY] ? (int)n : 0;
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
			if (!out->day)
				out->known = out->weekday >= 0 ? WHEN_WEEKDAY : WHEN_MONTH;
			else if (!date_valid(out->year, out->month, out->day))
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "day", "%d/%02d/%04d: there is no such day in that month",
					out->day, out->month, out->year);
		}
		if (v[CM_TIME] && out->day) {
			struct date_time t;

			if (date_parse_time(v[CM_TIME], "time", &t, err))
				return err->code;
			set_time(out, &t);
			out->known = WHEN_FULL;
		}
	}
	if (out->day) {
		int day = out->year * 10000 + out->month * 100 + out->day, wd = tz_weekday(day);
		static const char *const names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
			"Saturday"};

		if (out->weekday >= 0 && out->weekday != wd)
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "weekday", "%d/%02d/%04d is a %s, the row says '%s'",
				out->day, out->month, out->year, names[wd], v[CM_WEEKDAY]);
		out->weekday = wd;
	}
	return 0;
}
