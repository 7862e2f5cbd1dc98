#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tz.h"

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static char current[128];

/* Makes zone the C library's zone; called with tz_lock held. */
static void use_zone(const char *zone)
{
	if (strcmp(current, zone) == 0)
		return;
	snprintf(current, sizeof(current), "%s", zone);
	setenv("TZ", zone, 1);
	tzset();
}

void tz_local(const char *zone, int64_t utc, struct tz_local *out)
{
	time_t t = (time_t)utc;
	struct tm tm;

	pthread_mutex_lock(&tz_lock);
	use_zone(zone);
	localtime_r(&t, &tm);
	pthread_mutex_unlock(&tz_lock);
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	out->second = tm.tm_sec;
	out->weekday = tm.tm_wday;
	out->yyyymmdd = out->year * 10000 + out->month * 100 + out->day;
}

int64_t tz_utc(const char *zone, int year, int month, int day, int hour, int minute, int second)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	tm.tm_isdst = -1;
	pthread_mutex_lock(&tz_lock);
	use_zone(zone);
	t = mktime(&tm);
	pthread_mutex_unlock(&tz_lock);
	return (int64_t)t;
}

int64_t tz_hour_end(const char *zone, int64_t utc)
{
	struct tz_local l;

	tz_local(zone, utc, &l);
	return utc + (3600 - (l.minute * 60 + l.second));
}

static int days_in_month(int year, int month)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : d[month - 1];
}

int tz_parse_local(const char *zone, const char *text, const char *field, int64_t *utc, struct tp_error *err)
{
	int y, mo, d, h, mi, s = 0, n = 0;
	char sep;

	if (sscanf(text, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) != 6 || (sep != 'T' && sep != ' '))
		goto bad;
	if (text[n] == ':') {
		int n2 = 0;

		if (sscanf(text + n, ":%2d%n", &s, &n2) != 1)
			goto bad;
		n += n2;
	}
	if (text[n] != '\0' || y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || h < 0 || mi < 0 || mi > 59 || s < 0 || s > 59)
		goto bad;
	*utc = tz_utc(zone, y, mo, d, h, mi, s);
	return 0;
bad:
	return tp_error_at(err, TP_EUSAGE, NULL, 0, field, "'%s': expected a local time YYYY-MM-DDTHH:MM[:SS]", text);
}

void tz_format(const char *zone, int64_t utc, char *buf, size_t size)
{
	struct tz_local l;

	tz_local(zone, utc, &l);
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour, l.minute);
}

/* Days from civil (Howard Hinnant's algorithm), proleptic Gregorian calendar. */
int64_t tz_day_number(int yyyymmdd)
{
	int64_t y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int tz_day_from_number(int64_t z)
{
	int64_t era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	return (int)(y * 10000 + m * 100 + d);
}

int tz_weekday(int yyyymmdd)
{
	int64_t n = tz_day_number(yyyymmdd);

	return (int)(((n % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

int tz_iso_week(int yyyymmdd)
{
	int64_t n = tz_day_number(yyyymmdd);
	int wd = tz_weekday(yyyymmdd);
	int iso_wd = wd == 0 ? 7 : wd;
	int64_t thursday = n + (4 - iso_wd);
	int ty = tz_day_from_number(thursday) / 10000;
	int64_t jan1 = tz_day_number(ty * 10000 + 101);

	return ty * 100 + (int)((thursday - jan1) / 7 + 1);
}
