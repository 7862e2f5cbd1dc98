/*
 * Local time without the C library's global zone: each zone's TZif file (RFC 8536) is
 * read once from the system's zoneinfo directory and kept for the life of the process;
 * conversions only read it, so they run in parallel and never touch the environment.
 * Times past the file's last transition follow its POSIX TZ footer rule.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/tz.h"
#include "core/xalloc.h"

#define TZ_DIR "/usr/share/zoneinfo"
#define TZ_FILE_MAX (512 * 1024)
#define TZ_TYPES_MAX 256

/* A POSIX TZ rule date: Mm.w.d (month, week 1..5 where 5 is the last, weekday), Jn
 * (day 1..365, 29 February never counted) or n (day 0..365, counted). */
struct tz_rule_day {
	char kind;                  /* 'M', 'J' or 'n' */
	int month, week, weekday, day;
	int32_t seconds;            /* local time of the change, may be negative or past 24 h */
};

struct tz_zone {
	char *name;
	int64_t *trans;             /* transition times, ascending */
	uint8_t *trans_type;
	size_t ntrans;
	int32_t offsets[TZ_TYPES_MAX];
	int ntypes;
	/* The footer rule for times after the last transition. */
	bool has_rule, rule_dst;
	int32_t std_offset, dst_offset;     /* seconds east of UTC */
	struct tz_rule_day start, end;
	struct tz_zone *next;
};

/* Loaded zones: a list that only grows. Readers walk it without a lock (each node is
 * complete before it is published); loaders take the mutex. */
static _Atomic(struct tz_zone *) zones;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

/* The UTC zone, used for a name that cannot be loaded (campaign zones are checked when
 * they are set, so this only happens when the system's tz data lost a zone). */
static struct tz_zone utc_zone = {.name = "UTC", .ntypes = 1};

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* Parses "[+-]hh[:mm[:ss]]" at *p into seconds. */
static bool rule_time(const char **p, int32_t *out)
{
	int sign = 1, part = 0;
	long v[3] = {0, 0, 0};
	const char *s = *p;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (*s < '0' || *s > '9')
		return false;
	for (;;) {
		char *end;

		v[part] = strtol(s, &end, 10);
		if (end == s || v[part] > 167)
			return false;
		s = end;
		if (*s != ':' || part == 2)
			break;
		s++;
		part++;
	}
	*out = (int32_t)(sign * (v[0] * 3600 + v[1] * 60 + v[2]));
	*p = s;
	return true;
}

/* Skips a zone abbreviation: letters, or <...>. */
static bool rule_name(const char **p)
{
	const char *s = *p;

	if (*s == '<') {
		while (*s && *s != '>')
			s++;
		if (*s != '>')
			return false;
		s++;
	} else {
		while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			s++;
		if (s - *p < 3)
			return false;
	}
	*p = s;
	return true;
}

static bool rule_day(const char **p, struct tz_rule_day *d)
{
	const char *s = *p;
	char *end;

	d->seconds = 7200;
	if (*s == 'M') {
		d->kind = 'M';
		d->month = (int)strtol(s + 1, &end, 10);
		if (*end != '.')
			return false;
		d->week = (int)strtol(end + 1, &end, 10);
		if (*end != '.')
			return false;
		d->weekday = (int)strtol(end + 1, &end, 10);
		if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 || d->weekday < 0 || d->weekday > 6)
			return false;
	} else {
		d->kind = *s == 'J' ? 'J' : 'n';
		if (*s == 'J')
			s++;
		d->day = (int)strtol(s, &end, 10);
		if (end == s || d->day < 0 || d->day > 365)
			return false;
	}
	s = end;
	if (*s == '/') {
		s++;
		if (!rule_time(&s, &d->seconds))
			return false;
	}
	*p = s;
	return true;
}

/* Parses a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" (offsets there are west
 * of UTC, ours east). */
static bool parse_rule(struct tz_zone *z, const char *s)
{
	int32_t off;

	if (!*s)
		return false;
	if (!rule_name(&s) || !rule_time(&s, &off))
		return false;
	z->std_offset = -off;
	z->has_rule = true;
	if (!*s)
		return true;
	if (!rule_name(&s))
		return false;
	z->dst_offset = z->std_offset + 3600;
	if (*s && *s != ',') {
		if (!rule_time(&s, &off))
			return false;
		z->dst_offset = -off;
	}
	if (*s++ != ',' || !rule_day(&s, &z->start) || *s++ != ',' || !rule_day(&s, &z->end) || *s)
		return false;
	z->rule_dst = true;
	return true;
}

static void zone_free(struct tz_zone *z)
{
	free(z->name);
	free(z->trans);
	free(z->trans_type);
	free(z);
}

/* Reads a TZif file (version 2 or later: the 64-bit block and the footer). */
static struct tz_zone *zone_read(const char *name)
{
	char path[512];
	unsigned char *buf = NULL, *p, *end;
	struct tz_zone *z = NULL;
	int64_t cnt[6];
	size_t n;
	FILE *f;

	if (!*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", TZ_DIR, name);
	if (!(f = fopen(path, "rb")))
		return NULL;
	buf = xmalloc(TZ_FILE_MAX);
	n = fread(buf, 1, TZ_FILE_MAX, f);
	fclose(f);
	end = buf + n;
	/* Header: magic, version, 15 reserved bytes, six counts. */
	if (n < 44 || memcmp(buf, "TZif", 4) != 0 || buf[4] < '2')
		goto bad;
	for (int i = 0; i < 6; i++)
		cnt[i] = be(buf + 20 + 4 * i, 4);
	/* Skip the 32-bit block: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt. */
	p = buf + 44 + cnt[3] * 5 + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
	if (p + 44 > end || memcmp(p, "TZif", 4) != 0)
		goto bad;
	for (int i = 0; i < 6; i++)
		cnt[i] = be(p + 20 + 4 * i, 4);
	p += 44;
	if (cnt[4] < 1 || cnt[4] > TZ_TYPES_MAX || cnt[3] < 0 ||
	    p + cnt[3] * 9 + cnt[4] * 6 + cnt[5] + cnt[2] * 12 + cnt[1] + cnt[0] > end)
		goto bad;
	z = xcalloc(1, sizeof(*z));
	z->ntrans = (size_t)cnt[3];
	z->trans = xmalloc((z->ntrans + 1) * sizeof(*z->trans));
	z->trans_type = xmalloc(z->ntrans + 1);
	for (size_t i = 0; i < z->ntrans; i++)
		z->trans[i] = be(p + 8 * i, 8);
	p += 8 * z->ntrans;
	for (size_t i = 0; i < z->ntrans; i++) {
		z->trans_type[i] = p[i];
		if (p[i] >= cnt[4] || (i > 0 && z->trans[i] <= z->trans[i - 1]))
			goto bad;
	}
	p += z->ntrans;
	z->ntypes = (int)cnt[4];
	for (int i = 0; i < z->ntypes; i++)
		z->offsets[i] = (int32_t)be(p + 6 * i, 4);
	p += cnt[4] * 6 + cnt[5] + cnt[2] * 12 + cnt[1] + cnt[0];
	/* Footer: "\nTZ string\n". */
	if (p < end && *p == '\n') {
		unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));

		if (nl) {
			*nl = '\0';
			if (nl > p + 1 && !parse_rule(z, (const char *)p + 1))
				goto bad;
		}
	}
	z->name = xstrdup(name);
	free(buf);
	return z;
bad:
	if (z)
		zone_free(z);
	free(buf);
	return NULL;
}

/* The loaded zone of that name, or NULL. */
static struct tz_zone *zone_find(const char *name)
{
	for (struct tz_zone *z = atomic_load_explicit(&zones, memory_order_acquire); z; z = z->next)
		if (strcmp(z->name, name) == 0)
			return z;
	return NULL;
}

static struct tz_zone *zone_load(const char *name)
{
	struct tz_zone *z = zone_find(name);

	if (z)
		return z;
	pthread_mutex_lock(&load_lock);
	if (!(z = zone_find(name)) && (z = zone_read(name))) {
		z->next = atomic_load_explicit(&zones, memory_order_relaxed);
		atomic_store_explicit(&zones, z, memory_order_release);
	}
	pthread_mutex_unlock(&load_lock);
	return z;
}

bool tz_known(const char *name)
{
	return name && zone_load(name) != NULL;
}

static const struct tz_zone *zone(const char *name)
{
	const struct tz_zone *z = name ? zone_load(name) : NULL;

	return z ? z : &utc_zone;
}

/* Local day number (days since 1970-01-01) of a rule day in year. */
static int64_t rule_day_number(const struct tz_rule_day *d, int year)
{
	int64_t jan1 = tz_day_number(year * 10000 + 101);

	if (d->kind == 'J') {
		/* Day 1..365, 29 February never counted. */
		return jan1 + d->day - 1 + (date_days_in_month(year, 2) == 29 && d->day >= 60 ? 1 : 0);
	}
	if (d->kind == 'n')
		return jan1 + d->day;
	{
		int64_t first = tz_day_number(year * 10000 + d->month * 100 + 1);
		int wd = tz_weekday(year * 10000 + d->month * 100 + 1);
		int64_t day = first + (d->weekday - wd + 7) % 7 + 7 * (d->week - 1);
		int64_t last = first + date_days_in_month(year, d->month) - 1;

		while (day > last)
			day -= 7;
		return day;
	}
}

/* The offset the footer rule gives at utc. */
static int32_t rule_offset(const struct tz_zone *z, int64_t utc)
{
	int year;
	int64_t start, end;

	if (!z->rule_dst)
		return z->std_offset;
	year = tz_day_from_number((utc + z->std_offset) / 86400 - ((utc + z->std_offset) % 86400 < 0)) / 10000;
	/* Start is given in standard time, end in daylight time. */
	start = rule_day_number(&z->start, year) * 86400 + z->start.seconds - z->std_offset;
	end = rule_day_number(&z->end, year) * 86400 + z->end.seconds - z->dst_offset;
	if (start < end)
		return utc >= start && utc < end ? z->dst_offset : z->std_offset;
	return utc >= end && utc < start ? z->std_offset : z->dst_offset; /* southern hemisphere */
}

/* Seconds east of UTC in zone at utc. */
static int32_t offset_at(const struct tz_zone *z, int64_t utc)
{
	size_t lo = 0, hi = z->ntrans;

	if (z->ntrans == 0 || utc < z->trans[0]) {
		if (z->ntrans == 0 && z->has_rule)
			return rule_offset(z, utc);
		return z->offsets[0];
	}
	if (utc >= z->trans[z->ntrans - 1] && z->has_rule)
		return rule_offset(z, utc);
	/* The last transition at or before utc. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return z->offsets[z->trans_type[lo]];
}

int32_t tz_offset(const char *zone_name, int64_t utc)
{
	return offset_at(zone(zone_name), utc);
}

void tz_local(const char *zone_name, int64_t utc, struct tz_local *out)
{
	int64_t local = utc + offset_at(zone(zone_name), utc);
	int64_t days = local / 86400 - (local % 86400 < 0);
	int64_t secs = local - days * 86400;
	int day = tz_day_from_number(days);

	out->year = day / 10000;
	out->month = day / 100 % 100;
	out->day = day % 100;
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	out->weekday = tz_weekday(day);
	out->yyyymmdd = day;
}

int64_t tz_utc(const char *zone_name, int year, int month, int day, int hour, int minute, int second)
{
	const struct tz_zone *z = zone(zone_name);
	int64_t local = tz_day_number(year * 10000 + month * 100 + day) * 86400 + hour * 3600 + minute * 60 + second;
	/* Transitions are more than a day apart: the offsets a day before and a day after
	 * are the only candidates. */
	int32_t before = offset_at(z, local - 86400 - 14 * 3600), after = offset_at(z, local + 86400 + 14 * 3600);

	if (offset_at(z, local - before) == before)
		return local - before;       /* also the first of a repeated hour */
	if (offset_at(z, local - after) == after)
		return local - after;
	return local - before;               /* in a gap: moved forward by the gap's length */
}

int64_t tz_hour_end(const char *zone_name, int64_t utc)
{
	struct tz_local l;

	tz_local(zone_name, utc, &l);
	return utc + (3600 - (l.minute * 60 + l.second));
}

int tz_parse_local(const char *zone_name, const char *text, const char *field, int64_t *utc, struct tp_error *err)
{
	struct date_time t;
	int rc = date_parse_datetime(text, field, &t, err);

	if (rc)
		return rc;
	*utc = tz_utc(zone_name, t.year, t.month, t.day, t.hour, t.minute, t.second);
	return 0;
}

void tz_format(const char *zone_name, int64_t utc, char *buf, size_t size)
{
	struct tz_local l;

	tz_local(zone_name, utc, &l);
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
