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
