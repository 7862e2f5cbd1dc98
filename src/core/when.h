#ifndef TP_WHEN_H
#define TP_WHEN_H
/*
 * What a call's time knows (docs/IMPORT.md, "What a history can tell"). A call made at the
 * desk knows its date and time; a call from another system's history may know less: its
 * date without the time of day, its month and weekday, or its month only. Nothing is made
 * up for the rest: such a call's local day is a code that says what is known, and its
 * local hour is -1.
 *
 *   yyyymmdd             the day (and maybe the hour)
 *   yyyymm00 + 40 + wd   the month and the weekday (wd 0 = Sunday .. 6 = Saturday)
 *   yyyymm00 + 50        the month only
 *
 * Codes sort inside their month, after its days: a month's rollups hold them, a day or a
 * week does not. Plain arithmetic, no I/O.
 */
#include <stdbool.h>

enum when_known {
	WHEN_FULL,        /* date and time of day */
	WHEN_DAY,         /* date, no time of day */
	WHEN_WEEKDAY,     /* year, month and weekday */
	WHEN_MONTH,       /* year and month */
};

#define WHEN_WEEKDAY_BASE 40
#define WHEN_MONTH_ONLY 50

/* The local day code of a call: day is yyyymmdd (its day of the month ignored unless
 * known is WHEN_FULL or WHEN_DAY), weekday 0 = Sunday (used by WHEN_WEEKDAY only). */
int when_day_code(enum when_known known, int day, int weekday);

/* True when code is a day of the month (yyyymmdd), not a month with less known. */
bool when_day_known(int code);

/* The weekday (0 = Sunday) a code knows, or -1. */
int when_weekday(int code);

/* What a (day code, hour) pair knows; hour < 0: no time of day. */
enum when_known when_of(int code, int hour);

/* The first code of a period that starts on day (yyyymmdd) which the calls of that month
 * with an unknown day may be counted in: day itself when it is the 1st (the whole month
 * is in), else the next month's first code, yyyymm01 (so that they are left out). Used
 * with the day filter (code >= day AND (code's day known OR code >= this)). */
int when_period_from(int day);

/* The last code of a period that ends on day: the month's last code when day is the
 * month's last day (its calls of unknown day are in), else day. */
int when_period_to(int day);

/* Weekday names: 0 = Sunday .. 6 = Saturday, from "mon", "monday", "lundi", "lun." (any
 * case, accents folded) or an ISO number 1 = Monday .. 7 = Sunday; -1 when text is none. */
int when_weekday_parse(const char *text);

#endif
