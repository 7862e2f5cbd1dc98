#include <stdio.h>
#include <string.h>

#include "core/date.h"

int date_days_in_month(int year, int month)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && leap ? 29 : d[month - 1];
}

bool date_valid(int year, int month, int day)
{
	return year >= DATE_YEAR_MIN && year <= DATE_YEAR_MAX && day >= 1 && day <= date_days_in_month(year, month);
}

/* Reads exactly n digits at *p. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* The text as a message shows it: its first 40 bytes. */
static const char *shown(const char *text, char buf[48])
{
	snprintf(buf, 48, "%.40s", text ? text : "");
	return buf;
}

/* Reads a day at *p, leaving *p after it; false when it is not one. *why says what. */
static bool day_at(const char **p, struct date_time *t, const char **why)
{
	const char *s = *p;

	*why = TP_MSG("expected a date YYYY-MM-DD or DD/MM/YYYY");
	if (digits(&s, 4, &t->year) && *s == '-') {
		s++;
		if (!digits(&s, 2, &t->month) || *s++ != '-' || !digits(&s, 2, &t->day))
			return false;
	} else {
		s = *p;
		if (!digits(&s, 2, &t->day) || *s++ != '/' || !digits(&s, 2, &t->month) || *s++ != '/' ||
		    !digits(&s, 4, &t->year))
			return false;
	}
	if (t->year < DATE_YEAR_MIN || t->year > DATE_YEAR_MAX) {
		*why = TP_MSG("the year is out of range (1970 to 2200)");
		return false;
	}
	if (t->month < 1 || t->month > 12) {
		*why = TP_MSG("there is no such month");
		return false;
	}
	if (!date_valid(t->year, t->month, t->day)) {
		*why = TP_MSG("there is no such day in that month");
		return false;
	}
	*p = s;
	return true;
}

static bool time_at(const char **p, struct date_time *t, const char **why)
{
	const char *s = *p;

	*why = TP_MSG("expected a time HH:MM or HH:MM:SS");
	t->second = 0;
	if (!digits(&s, 2, &t->hour) || *s++ != ':' || !digits(&s, 2, &t->minute))
		return false;
	if (*s == ':') {
		s++;
		if (!digits(&s, 2, &t->second))
			return false;
	}
	if (t->hour > 23 || t->minute > 59 || t->second > 59) {
		*why = TP_MSG("there is no such time of day");
		return false;
	}
	*p = s;
	return true;
}

int date_parse_day(const char *text, const char *field, int *yyyymmdd, struct tp_error *err)
{
	char buf[48];
	struct date_time t;
	const char *p = text ? text : "", *why;

	bool ok = day_at(&p, &t, &why);

	if (!ok || *p)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 2, TP_MSG("'%s': %s"), 2, shown(text, buf),
			ok ? TP_MSG("expected a date YYYY-MM-DD or DD/MM/YYYY") : why);
	*yyyymmdd = t.year * 10000 + t.month * 100 + t.day;
	return 0;
}

int date_parse_time(const char *text, const char *field, struct date_time *out, struct tp_error *err)
{
	char buf[48];
	const char *p = text ? text : "", *why;

	bool ok = time_at(&p, out, &why);

	if (!ok || *p)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 2, TP_MSG("'%s': %s"), 2, shown(text, buf),
			ok ? TP_MSG("expected a time HH:MM or HH:MM:SS") : why);
	return 0;
}

int date_parse_datetime(const char *text, const char *field, struct date_time *out, struct tp_error *err)
{
	char buf[48];
	const char *p = text ? text : "", *why = TP_MSG("expected a date and time YYYY-MM-DDTHH:MM[:SS]");

	if (day_at(&p, out, &why) && (*p == 'T' || *p == ' ')) {
		p++;
		if (time_at(&p, out, &why)) {
			if (!*p)
				return 0;
			why = TP_MSG("expected a date and time YYYY-MM-DDTHH:MM[:SS]");
		} else if (strstr(why, "expected")) {
			why = TP_MSG("expected a date and time YYYY-MM-DDTHH:MM[:SS]");
		}
	} else if (strstr(why, "expected")) {
		why = TP_MSG("expected a date and time YYYY-MM-DDTHH:MM[:SS]");
	}
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 2, TP_MSG("'%s': %s"), 2, shown(text, buf), why);
}

/* Days since 1970-01-01 of a valid date (proleptic Gregorian), and back. */
static long days_of(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int ymd_of(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);

	return (int)(y + (m <= 2)) * 10000 + m * 100 + d;
}

int date_parse_period(const char *text, const char *field, int *from, int *to, struct tp_error *err)
{
	char buf[48], a[32];
	const char *dots = text ? strstr(text, "..") : NULL;
	int y, w, m, n = 0;

	if (!text)
		text = "";
	if (dots) {
		size_t len = (size_t)(dots - text);

		if (len >= sizeof(a))
			len = sizeof(a) - 1;
		memcpy(a, text, len);
		a[len] = '\0';
		if (date_parse_day(a, field, from, err) || date_parse_day(dots + 2, field, to, err))
			return err->code;
		if (*from > *to)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': the period ends before it starts"),
				1, shown(text, buf));
		return 0;
	}
	if (sscanf(text, "%4d-W%2d%n", &y, &w, &n) == 2 && !text[n] && n == 8) {
		/* ISO week w of year y: the week of 4 January is week 1; weeks start on Monday. */
		long jan4 = date_valid(y, 1, 4) ? days_of(y, 1, 4) : -1, monday;
		int weeks = 52;

		if (jan4 >= 0) {
			int dow = (int)((jan4 + 3) % 7);   /* 0 Monday ... 6 Sunday (1970-01-01 was a Thursday) */
			long dec28 = days_of(y, 12, 28);

			monday = jan4 - dow;
			weeks = (int)((dec28 - ((dec28 + 3) % 7) - monday) / 7) + 1;
			if (w >= 1 && w <= weeks) {
				*from = ymd_of(monday + 7L * (w - 1));
				*to = ymd_of(monday + 7L * (w - 1) + 6);
				return 0;
			}
		}
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': no such ISO week"), 1, shown(text, buf));
	}
	if (sscanf(text, "%4d-%2d%n", &y, &m, &n) == 2 && !text[n] && n == 7) {
		if (!date_valid(y, m, 1))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': no such month"), 1,
				shown(text, buf));
		*from = y * 10000 + m * 100 + 1;
		*to = y * 10000 + m * 100 + date_days_in_month(y, m);
		return 0;
	}
	if (date_parse_day(text, field, from, err) == 0) {
		*to = *from;
		return 0;
	}
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, field, 0, TP_MSG("'%s': a week (2026-W49), a month (2026-11), a day,"
		" or FROM..TO"), 1, shown(text, buf));
}
