/* KPI arithmetic: Wilson bounds against published values, zero denominators, a
 * hand-computed day, per-hour and mean intervals; time zone and calendar helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "core/kpi_json.h"
#include "core/tz.h"

static void near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.6f, want %.6f", got, want);
}

static void test_wilson_published(void **state)
{
	/* Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score). */
	static const struct { int64_t k, n; double lo, hi; } cases[] = {
		{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611},
		{1, 29, 0.0061, 0.1718}, {29, 29, 0.8830, 1.0},
		/* bank-full.csv sales per conversation (tests/data/bank-marketing/README.md) */
		{5289, 45211, 0.1141, 0.1200},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kpi_interval r = kpi_wilson(cases[i].k, cases[i].n);

		assert_true(r.defined);
		assert_int_equal(r.n, cases[i].n);
		near(r.value, (double)cases[i].k / (double)cases[i].n, 1e-12);
		near(r.low, cases[i].lo, 0.00006);
		near(r.high, cases[i].hi, 0.00006);
	}
}

static void test_zero_denominators(void **state)
{
	struct kpi_counts c;
	json_t *j, *r;

	(void)state;
	assert_false(kpi_wilson(0, 0).defined);
	assert_false(kpi_per_hour(5, 0).defined);
	assert_false(kpi_mean(0, 0, 0).defined);
	memset(&c, 0, sizeof(c));
	j = kpi_json(&c, 3000);
	r = json_object_get(j, "contact_rate");
	assert_true(json_is_null(json_object_get(r, "value")));
	assert_true(json_is_null(json_object_get(r, "low")));
	assert_int_equal(json_integer_value(json_object_get(r, "n")), 0);
	assert_true(json_is_null(json_object_get(j, "cost_per_appointment")));
	json_decref(j);
}

static void test_hand_computed_day(void **state)
{
	/* 40 calls in 2 h of calling, 10 conversations of 100..190 s, 2 appointments, one won
	 * for 4,800 EUR, one sale on the phone, 30 EUR an hour. */
	struct kpi_counts c;
	json_t *j;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.calls = 40;
	c.conversations = 10;
	for (int i = 0; i < 10; i++) {
		c.talk_seconds += 100 + 10 * i;
		c.talk_seconds_sq += (100 + 10 * i) * (100 + 10 * i);
	}
	c.appointments = 2;
	c.appointments_won = 1;
	c.appointments_known = 1;
	c.sales = 2;
	c.calling_seconds = 7200;
	c.amount_cents = 480000;
	j = kpi_json(&c, 3000);
	near(json_real_value(json_object_get(json_object_get(j, "calls_per_hour"), "value")), 20.0, 1e-9);
	near(json_real_value(json_object_get(json_object_get(j, "conversations_per_hour"), "value")), 5.0, 1e-9);
	near(json_real_value(json_object_get(json_object_get(j, "contact_rate"), "value")), 0.25, 1e-9);
	near(json_real_value(json_object_get(json_object_get(j, "appointment_rate"), "value")), 0.05, 1e-9);
	near(json_real_value(json_object_get(json_object_get(j, "appointments_per_conversation"), "value")), 0.2, 1e-9);
	near(json_real_value(json_object_get(json_object_get(j, "sales_per_appointment"), "value")), 0.5, 1e-9);
	near(json_real_value(json_object_get(json_object_get(j, "sales_per_conversation"), "value")), 0.2, 1e-9);
	near(json_real_value(json_object_get(json_object_get(j, "avg_conversation_seconds"), "value")), 145.0, 1e-9);
	/* sd of 100..190 step 10 = 30.2765; half-width 1.959964 * 30.2765 / sqrt(10) = 18.765 */
	near(json_real_value(json_object_get(json_object_get(j, "avg_conversation_seconds"), "low")), 126.235, 0.001);
	near(json_real_value(json_object_get(j, "cost_per_appointment")), 30.0, 1e-9);
	near(json_real_value(json_object_get(j, "cost_per_sale")), 30.0, 1e-9);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "calls_per_hour"), "n")), 7200);
	json_decref(j);
}

static void test_per_hour_interval(void **state)
{
	/* Byar's approximation for 10 events in an hour: [4.788, 18.39]; the exact Poisson
	 * interval is [4.795, 18.390]. For 0 events in 2 h: upper 3.668 / 2 (exact 3.689 / 2). */
	struct kpi_interval r = kpi_per_hour(10, 3600);

	(void)state;
	near(r.value, 10.0, 1e-12);
	near(r.low, 4.795, 0.01);
	near(r.high, 18.39, 0.02);
	r = kpi_per_hour(0, 7200);
	near(r.low, 0.0, 1e-12);
	near(r.high, 3.668 / 2.0, 0.002);
}

static void test_calendar(void **state)
{
	struct tz_local l;

	(void)state;
	assert_int_equal(tz_day_number(19700101), 0);
	assert_int_equal(tz_day_from_number(tz_day_number(20261203)), 20261203);
	assert_int_equal(tz_weekday(20261203), 4);       /* a Thursday */
	assert_int_equal(tz_iso_week(20261203), 202649);
	assert_int_equal(tz_iso_week(20210103), 202053); /* Sunday 3 Jan 2021 is in 2020-W53 */
	assert_int_equal(tz_iso_week(20241230), 202501);
	/* Paris: UTC+1 in winter, UTC+2 in summer; the clocks went forward on 2026-03-29. */
	tz_local("Europe/Paris", 1795000000, &l);         /* 2026-11-18 11:06:40 UTC */
	assert_int_equal(l.yyyymmdd, 20261118);
	assert_int_equal(l.hour, 12);
	assert_int_equal(l.weekday, 3);
	assert_int_equal(tz_utc("Europe/Paris", 2026, 7, 1, 14, 0, 0), 1782907200); /* 12:00 UTC in summer */
	assert_int_equal(tz_hour_end("Europe/Paris", 1795000000), 1795003200);
	/* Kolkata is UTC+05:30 (16:36:40 local): its hours end at :30 UTC. */
	assert_int_equal(tz_hour_end("Asia/Kolkata", 1795000000), 1795001400);
}

/* The dialing breakdown: each call in its way's group; the idle time before a call is the
 * gap since the same agent's previous call ended that day, under half an hour. */
static void test_dialing(void **state)
{
	struct kpi_dialing_group g[KPI_DIAL_COUNT] = {{0}};
	const struct kpi_dialing_call calls[] = {
		/* agent 1, day 1: manual at 9:00 (20 s ring, 60 s talk), progressive 10 s later, click 2 h later */
		{KPI_DIAL_MANUAL, 1, 20261207, true, 32400, 20, 60, true},
		{KPI_DIAL_PROGRESSIVE, 1, 20261207, true, 32490, 25, 0, false},
		{KPI_DIAL_PROGRESSIVE, 1, 20261207, true, 32520, 3, 100, true},
		{KPI_DIAL_CLICK, 1, 20261207, true, 40000, 5, 0, false},
		/* agent 2: its first call has no gap before it; a history's untimed call none either */
		{KPI_DIAL_PROGRESSIVE, 2, 20261207, true, 32600, 4, 0, false},
		{KPI_DIAL_MANUAL, 2, 20261207, false, 32610, 0, 0, false},
		/* agent 2 the next day: no gap across days */
		{KPI_DIAL_PROGRESSIVE, 2, 20261208, true, 32700, 4, 0, false},
	};
	enum kpi_dialing d;

	(void)state;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		kpi_dialing_add(g, i ? &calls[i - 1] : NULL, &calls[i]);
	assert_int_equal(g[KPI_DIAL_MANUAL].calls, 2);
	assert_int_equal(g[KPI_DIAL_MANUAL].conversations, 1);
	assert_int_equal(g[KPI_DIAL_MANUAL].idle_gaps, 0);
	assert_int_equal(g[KPI_DIAL_PROGRESSIVE].calls, 4);
	assert_int_equal(g[KPI_DIAL_PROGRESSIVE].conversations, 1);
	assert_int_equal(g[KPI_DIAL_PROGRESSIVE].ring_seconds, 36);
	assert_int_equal(g[KPI_DIAL_PROGRESSIVE].talk_seconds, 100);
	/* 32490 - (32400 + 80) = 10, then 32520 - (32490 + 25) = 5 */
	assert_int_equal(g[KPI_DIAL_PROGRESSIVE].idle_gaps, 2);
	assert_int_equal(g[KPI_DIAL_PROGRESSIVE].idle_seconds, 15);
	/* 40000 - (32520 + 103) = 7377 s: a break, not time between calls */
	assert_int_equal(g[KPI_DIAL_CLICK].calls, 1);
	assert_int_equal(g[KPI_DIAL_CLICK].idle_gaps, 0);
	assert_int_equal(kpi_dialing_parse("progressive", &d), 0);
	assert_int_equal(d, KPI_DIAL_PROGRESSIVE);
	assert_int_equal(kpi_dialing_parse("predictive", &d), -1);
	assert_string_equal(kpi_dialing_name(KPI_DIAL_CLICK), "click");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dialing),
		cmocka_unit_test(test_wilson_published),
		cmocka_unit_test(test_zero_denominators),
		cmocka_unit_test(test_hand_computed_day),
		cmocka_unit_test(test_per_hour_interval),
		cmocka_unit_test(test_calendar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
