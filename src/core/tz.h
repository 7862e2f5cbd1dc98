#ifndef TP_TZ_H
#define TP_TZ_H
/*
 * Local time in a campaign's time zone (IANA name), from the system's tz database.
 * Calls are serialised by a mutex (the C library keeps one current zone), so these are
 * safe from several threads. Times are UTC seconds.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct tz_local {
	int year, month, day;       /* month 1..12 */
	int hour, minute, second;
	int weekday;                /* 0 = Sunday .. 6 = Saturday */
	int yyyymmdd;               /* the local day as an integer, e.g. 20261203 */
};

/* Breaks utc down into local time in zone. */
void tz_local(const char *zone, int64_t utc, struct tz_local *out);

/* The UTC time of a local time in zone. In a DST gap the later offset applies; in a
 * repeated hour, the first occurrence. */
int64_t tz_utc(const char *zone, int year, int month, int day, int hour, int minute, int second);

/* The UTC time at which the local hour containing utc ends. */
int64_t tz_hour_end(const char *zone, int64_t utc);

/* Parses "YYYY-MM-DDTHH:MM[:SS]" (or with a space for T) as local time in zone.
 * TP_EUSAGE naming field when the text is not such a time. */
int tz_parse_local(const char *zone, const char *text, const char *field, int64_t *utc, struct tp_error *err);

/* Formats utc as "YYYY-MM-DD HH:MM" local time in zone. */
void tz_format(const char *zone, int64_t utc, char *buf, size_t size);

/* Day arithmetic on yyyymmdd integers: days since 1970-01-01, and back. */
int64_t tz_day_number(int yyyymmdd);
int tz_day_from_number(int64_t days);
/* ISO 8601 week of a day as yyyyww (e.g. 202649), and the weekday 0 = Sunday. */
int tz_iso_week(int yyyymmdd);
int tz_weekday(int yyyymmdd);

#endif
