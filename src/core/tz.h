#ifndef TP_TZ_H
#define TP_TZ_H
/*
 * Local time in a campaign's time zone (IANA name), from the system's tz database
 * (/usr/share/zoneinfo). Each zone's file is read once, on first use, and kept for the
 * life of the process; conversions only read it. Safe from any number of threads at
 * once, and the process's environment (TZ) is never touched. Times are UTC seconds.
 * A name that is not a zone converts as UTC: check names with tz_known first.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct tz_local {
	int year, month, day;       /* month 1..12 */
	int hour, minute, second;
	int weekday;                /* 0 = Sunday .. 6 = Saturday */
	int yyyymmdd;               /* the local day as an integer, e.g. 20261203 */
};

/* True when name is a zone of the system's tz database (it is loaded on the way). */
bool tz_known(const char *name);

/* Seconds east of UTC in zone at utc (3600 for Paris in winter). */
int32_t tz_offset(const char *zone, int64_t utc);

/* Breaks utc down into local time in zone. */
void tz_local(const char *zone, int64_t utc, struct tz_local *out);

/* The UTC time of a local time in zone. A local time that a change to summer time skips
 * (02:30 on the last Sunday of March in Paris) moves forward by the gap (03:30 CEST); in
 * a repeated hour, the first occurrence. */
int64_t tz_utc(const char *zone, int year, int month, int day, int hour, int minute, int second);

/* The UTC time at which the local hour containing utc ends. */
int64_t tz_hour_end(const char *zone, int64_t utc);

/* Parses a local date and time in zone (date_parse_datetime's forms, e.g.
 * "2026-12-03T10:00"). TP_EUSAGE naming field when the text is not such a time. */
TP_MUST_USE int tz_parse_local(const char *zone, const char *text, const char *field, int64_t *utc, struct tp_error *err);

/* Formats utc as "YYYY-MM-DD HH:MM" local time in zone. */
void tz_format(const char *zone, int64_t utc, char *buf, size_t size);

/* Day arithmetic on yyyymmdd integers: days since 1970-01-01, and back. */
int64_t tz_day_number(int yyyymmdd);
int tz_day_from_number(int64_t days);
/* ISO 8601 week of a day as yyyyww (e.g. 202649), and the weekday 0 = Sunday. */
int tz_iso_week(int yyyymmdd);
int tz_weekday(int yyyymmdd);

#endif
