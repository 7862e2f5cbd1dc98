/*
 * Time zones read from zoneinfo (core/tz.c) against the system's zdump, around every
 * transition of 2020-2030, in five zones; and conversions from several threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/date.h"
#include "core/tz.h"

static const char *const zones[] = {"Europe/Paris", "America/Guadeloupe", "Indian/Reunion", "Pacific/Noumea",
	"America/New_York"};

static int month_of(const char *m)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
		"Dec"};

	for (int i = 0; i < 12; i++)
		if (strcmp(m, names[i]) == 0)
			return i + 1;
	return 0;
}

/* Each zdump -v line names a UTC time and its local time: ours must agree, and the
 * local time must convert back (the second of a repeated hour back to the first). */
static void test_against_zdump(void **state)
{
	(void)state;
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		char cmd[256], line[512];
		long checked = 0;
		FILE *p;

		snprintf(cmd, sizeof(cmd), "zdump -v -c 2020,2031 %s", zones[z]);
		p = popen(cmd, "r");
		assert_non_null(p);
		while (fgets(line, sizeof(line), p)) {
			char zone[64], wd1[8], mon1[8], wd2[8], mon2[8], abbr[16];
			int d1, h1, mi1, s1, y1, d2, h2, mi2, s2, y2, isdst;
			long gmtoff;
			struct tz_local l;
			int64_t utc;

			if (sscanf(line, "%63s %7s %7s %d %d:%d:%d %d UT = %7s %7s %d %d:%d:%d %d %15s isdst=%d gmtoff=%ld", zone,
				wd1, mon1, &d1, &h1, &mi1, &s1, &y1, wd2, mon2, &d2, &h2, &mi2, &s2, &y2, abbr, &isdst,
				&gmtoff) != 18)
				continue;
			utc = tz_day_number(y1 * 10000 + month_of(mon1) * 100 + d1) * 86400 + h1 * 3600 + mi1 * 60 + s1;
			tz_local(zones[z], utc, &l);
			assert_int_equal(l.year * 10000 + l.month * 100 + l.day, y2 * 10000 + month_of(mon2) * 100 + d2);
			assert_int_equal(l.hour * 3600 + l.minute * 60 + l.second, h2 * 3600 + mi2 * 60 + s2);
			assert_int_equal(tz_offset(zones[z], utc), gmtoff);
			/* Back: the first occurrence of a local time, never a later one. */
			assert_true(tz_utc(zones[z], l.year, l.month, l.day, l.hour, l.minute, l.second) <= utc);
			checked++;
		}
		assert_int_equal(pclose(p), 0);
		/* Paris and New York change twice a year (zdump gives both sides of each change);
		 * the others never in 2020-2030: sample the range against date(1) instead. */
		if (z == 0 || z == 4) {
			assert_int_equal(checked, 44);
			continue;
		}
		assert_int_equal(checked, 0);
		for (int64_t t = 1577836800; t < 1924992000; t += 86400 * 37 + 3671) {
			struct tz_local l;
			long want_day, want_time, want_off, got_off;
			char off[8];

			snprintf(cmd, sizeof(cmd), "TZ=%s date -d @%lld '+%%Y%%m%%d %%H%%M%%S %%z'", zones[z], (long long)t);
			assert_non_null(p = popen(cmd, "r"));
			assert_int_equal(fscanf(p, "%ld %ld %7s", &want_day, &want_time, off), 3);
			assert_int_equal(pclose(p), 0);
			tz_local(zones[z], t, &l);
			assert_int_equal(l.yyyymmdd, want_day);
			assert_int_equal(l.hour * 10000 + l.minute * 100 + l.second, want_time);
			want_off = (off[0] == '-' ? -1 : 1) * ((off[1] - '0') * 36000 + (off[2] - '0') * 3600 + (off[3] - '0') * 600 +
				(off[4] - '0') * 60);
			got_off = tz_offset(zones[z], t);
			assert_int_equal(got_off, want_off);
		}
	}
}

/* The documented choices at Paris's changes of 2026: 29 March 02:30 does not exist and
 * moves to 03:30; 25 October 02:30 happens twice and is the first. */
static void test_gap_and_repeat(void **state)
{
	struct tz_local l;
	int64_t t;

	(void)state;
	t = tz_utc("Europe/Paris", 2026, 3, 29, 2, 30, 0);
	tz_local("Europe/Paris", t, &l);
	assert_int_equal(l.hour * 100 + l.minute, 330);
	t = tz_utc("Europe/Paris", 2026, 10, 25, 2, 30, 0);
	assert_int_equal(tz_offset("Europe/Paris", t), 7200);
	/* After the last transition in the file, the footer rule (2040's summer). */
	t = tz_utc("Europe/Paris", 2040, 7, 14, 12, 0, 0);
	assert_int_equal(tz_offset("Europe/Paris", t), 7200);
	assert_int_equal(tz_offset("Australia/Sydney", tz_utc("Australia/Sydney", 2045, 1, 10, 12, 0, 0)), 11 * 3600);
	assert_false(tz_known("Mars/Olympus"));
	assert_false(tz_known("../etc/passwd"));
	assert_true(tz_known("Pacific/Noumea"));
}

struct job {
	int64_t from;
	long sum;
};

static void *convert_many(void *arg)
{
	struct job *j = arg;

	for (int i = 0; i < 20000; i++) {
		struct tz_local l;
		const char *zone = zones[i % 5];
		int64_t t = j->from + (int64_t)i * 7919;

		tz_local(zone, t, &l);
		j->sum += l.hour + l.day + (tz_utc(zone, l.year, l.month, l.day, l.hour, l.minute, l.second) <= t);
	}
	return NULL;
}

/* Four threads convert at once; each gets what one thread alone gets. */
static void test_threads(void **state)
{
	pthread_t th[4];
	struct job jobs[4], alone[4];

	(void)state;
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){1577836800 + i * 86400 * 97, 0};
		alone[i] = jobs[i];
		convert_many(&alone[i]);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, convert_many, &jobs[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].sum, alone[i].sum);
	}
}

static void test_dates(void **state)
{
	struct tp_error err;
	struct date_time t;
	int day;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(date_parse_day("2028-02-29", "d", &day, &err), 0);
	assert_int_equal(day, 20280229);
	assert_int_equal(date_parse_day("29/02/2027", "d", &day, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'29/02/2027': there is no such day in that month");
	assert_int_equal(date_parse_day("2026-13-01", "d", &day, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'2026-13-01': there is no such month");
	assert_int_equal(date_parse_day("2026-1-01", "d", &day, &err), TP_EUSAGE);
	assert_int_equal(date_parse_datetime("2026-12-03T10:00", "at", &t, &err), 0);
	assert_int_equal(t.hour * 100 + t.minute + t.second, 1000);
	assert_int_equal(date_parse_datetime("03/12/2026 23:59:59", "at", &t, &err), 0);
	assert_int_equal(t.second, 59);
	assert_int_equal(date_parse_datetime("2026-12-03T24:00", "at", &t, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'2026-12-03T24:00': there is no such time of day");
	assert_int_equal(date_parse_datetime("2026-04-31T10:00", "at", &t, &err), TP_EUSAGE);
	assert_string_equal(err.field, "at");
	assert_int_equal(date_parse_time("9:30", "time", &t, &err), TP_EUSAGE);
}

/* A report's period (date_parse_period): ISO weeks as Python's isocalendar gives them, months,
 * ranges; weeks, months and days that do not exist refused. */
static void test_periods(void **state)
{
	static const struct {
		const char *text;
		int from, to;
	} ok[] = {{"2026-W49", 20261130, 20261206}, {"2026-W53", 20261228, 20270103}, {"2026-W01", 20251229, 20260104},
		{"2020-W53", 20201228, 20210103}, {"2026-11", 20261101, 20261130}, {"2026-02", 20260201, 20260228},
		{"2028-02", 20280201, 20280229}, {"2026-12-01..2026-12-31", 20261201, 20261231}, {"2026-12-03", 20261203, 20261203}};
	static const char *const bad[] = {"2027-W53", "2026-W00", "2026-13", "2026-04-31", "2026-12-31..2026-12-01", "W49",
		"", "2026-W4", "2026-11-"};
	struct tp_error err;
	int from, to;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(date_parse_period(ok[i].text, "period", &from, &to, &err), 0);
		assert_int_equal(from, ok[i].from);
		assert_int_equal(to, ok[i].to);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(date_parse_period(bad[i], "period", &from, &to, &err), TP_EUSAGE);
		assert_string_equal(err.field, "period");
	}
	assert_int_equal(date_parse_period("2027-W53", "period", &from, &to, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'2027-W53': no such ISO week");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_zdump),
		cmocka_unit_test(test_gap_and_repeat),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_periods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
