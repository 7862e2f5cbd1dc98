#ifndef TP_DATE_H
#define TP_DATE_H
/*
 * The one parser for calendar dates and times that users write, in every input (options,
 * call histories, qualification values, the API). A date that does not exist (31 April,
 * 29 February 2027) is refused, never moved to another day. No I/O, no global state.
 */
#include <stdbool.h>

#include "core/error.h"

struct date_time {
	int year, month, day;       /* month 1..12 */
	int hour, minute, second;
};

/* Years accepted in dates. */
#define DATE_YEAR_MIN 1970
#define DATE_YEAR_MAX 2200

int date_days_in_month(int year, int month);

/* True when year-month-day exists (and the year is within the bounds above). */
bool date_valid(int year, int month, int day);

/* "YYYY-MM-DD" or "DD/MM/YYYY" into *yyyymmdd (e.g. 20261203). TP_EUSAGE naming field. */
TP_MUST_USE int date_parse_day(const char *text, const char *field, int *yyyymmdd, struct tp_error *err);

/* "HH:MM" or "HH:MM:SS" (00:00:00 to 23:59:59). TP_EUSAGE naming field. */
TP_MUST_USE int date_parse_time(const char *text, const char *field, struct date_time *out, struct tp_error *err);

/* A day then 'T' or one space then a time, e.g. "2026-12-03T10:00" or "03/12/2026 10:00:30". */
TP_MUST_USE int date_parse_datetime(const char *text, const char *field, struct date_time *out, struct tp_error *err);

/* A report's period: an ISO week "2026-W49" (Monday to Sunday), a month "2026-11", a day,
 * or "FROM..TO" (two days, FROM not after TO), into its first and last days (YYYYMMDD).
 * TP_EUSAGE naming field. */
TP_MUST_USE int date_parse_period(const char *text, const char *field, int *from, int *to, struct tp_error *err);

#endif
