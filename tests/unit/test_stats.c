/* The statistics of the insights (core/stats.c) against values known in closed form or
 * from the tables every statistics book prints, and a Benjamini-Hochberg case worked by
 * hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/stats.h"

#define assert_close(a, b, tol) \
	do { \
		double a_ = (a), b_ = (b); \
		if (fabs(a_ - b_) > (tol)) \
			fail_msg("%s = %.12g, expected %.12g", #a, a_, b_); \
	} while (0)

static void test_distributions(void **state)
{
	(void)state;
	/* Normal: the two-sided 5 % and 1 % points. */
	assert_close(2 * stats_normal_sf(1.959963984540054), 0.05, 1e-12);
	assert_close(2 * stats_normal_sf(2.5758293035489), 0.01, 1e-12);
	assert_close(stats_normal_sf(0), 0.5, 1e-15);
	/* Chi-square, 2 df: exactly exp(-x/2); 1 df: exactly erfc(sqrt(x/2)). */
	for (double x = 0.1; x < 40; x *= 1.7) {
		assert_close(stats_chi2_sf(x, 2), exp(-x / 2), 1e-12);
		assert_close(stats_chi2_sf(x, 1), erfc(sqrt(x / 2)), 1e-12);
	}
	/* The 5 % critical values of the tables: 1, 5, 10 and 23 df. */
	assert_close(stats_chi2_sf(3.841458820694124, 1), 0.05, 1e-9);
	assert_close(stats_chi2_sf(11.070497693516351, 5), 0.05, 1e-9);
	assert_close(stats_chi2_sf(18.307038053275146, 10), 0.05, 1e-9);
	assert_close(stats_chi2_sf(35.17246162690806, 23), 0.05, 1e-9);
	assert_close(stats_chi2_sf(0, 4), 1.0, 0);
}

static void test_homogeneity(void **state)
{
	/* 2 x 2: the chi-square without continuity correction is the square of the pooled z. */
	int64_t s[] = {60, 40, 0}, n[] = {200, 200, 0};
	struct stats_chi2 c;
	double z = (0.3 - 0.2) / sqrt(0.25 * 0.75 * (1.0 / 200 + 1.0 / 200));

	(void)state;
	stats_chi2_homogeneity(s, n, 3, &c);
	assert_int_equal(c.df, 1);   /* the empty third group is left out */
	assert_close(c.statistic, z * z, 1e-9);
	assert_close(c.p_value, stats_two_proportions(60, 200, 40, 200), 1e-12);
	/* Equal proportions: no evidence at all. */
	{
		int64_t s2[] = {25, 50, 75}, n2[] = {100, 200, 300};

		stats_chi2_homogeneity(s2, n2, 3, &c);
		assert_close(c.statistic, 0, 1e-12);
		assert_close(c.p_value, 1, 1e-12);
		assert_int_equal(c.df, 2);
	}
	/* A 3-group case worked by hand: p = 90/300; expected 30 each; (45-30)^2/30 +
	 * (15-30)^2/30 + 0 + the failures (55-70)^2/70 + (85-70)^2/70 = 15 + 6.428571... */
	{
		int64_t s3[] = {45, 15, 30}, n3[] = {100, 100, 100};

		stats_chi2_homogeneity(s3, n3, 3, &c);
		assert_close(c.statistic, 7.5 + 7.5 + 225.0 / 70 + 225.0 / 70, 1e-9);
		assert_close(c.p_value, exp(-c.statistic / 2), 1e-12);
	}
}

static void test_bh_and_power(void **state)
{
	double p[] = {0.01, 0.04, 0.03, 0.005}, q[4];
	double p2[] = {0.5, 0.9}, q2[2];

	(void)state;
	stats_bh(p, q, 4);
	assert_close(q[0], 0.02, 1e-15);
	assert_close(q[1], 0.04, 1e-15);
	assert_close(q[2], 0.04, 1e-15);
	assert_close(q[3], 0.02, 1e-15);
	stats_bh(p2, q2, 2);
	assert_close(q2[0], 0.9, 1e-15);
	assert_close(q2[1], 0.9, 1e-15);
	/* 25 % against 30 %: (1.959964 sqrt(2 x 0.275 x 0.725) + 0.841621 sqrt(0.1875 + 0.21))^2
	 * / 0.05^2 = (1.237674 + 0.530622)^2 / 0.0025 = 1250.75, so 1,251 calls a group. */
	assert_int_equal(stats_trials_needed(0.25, 0.30), 1251);
	assert_int_equal(stats_trials_needed(0.3, 0.3), 0);
	assert_true(stats_trials_needed(0.10, 0.20) < stats_trials_needed(0.10, 0.12));
}

static void test_quantiles(void **state)
{
	double two[] = {10, 21}, four[] = {1, 2, 3, 4}, one[] = {7}, five[] = {1, 2, 4, 8, 16};

	(void)state;
	/* The median of an even count is the mean of its two middle values, not the upper one. */
	assert_close(stats_quantile(two, 2, 0.5), 15.5, 1e-12);
	assert_close(stats_quantile(four, 4, 0.5), 2.5, 1e-12);
	/* Definition 7 (R's quantile(), Excel's QUARTILE.INC): h = (n - 1) p. */
	assert_close(stats_quantile(four, 4, 0.25), 1.75, 1e-12);
	assert_close(stats_quantile(four, 4, 0.75), 3.25, 1e-12);
	assert_close(stats_quantile(five, 5, 0.5), 4, 1e-12);
	assert_close(stats_quantile(five, 5, 0.75), 8, 1e-12);
	assert_close(stats_quantile(five, 5, 0.0), 1, 1e-12);
	assert_close(stats_quantile(five, 5, 1.0), 16, 1e-12);
	assert_close(stats_quantile(one, 1, 0.25), 7, 1e-12);
}

static void test_rates(void **state)
{
	(void)state;
	/* 30 events in 10 h against 10 in 10 h: z = (30 - 20) / sqrt(40 x 0.25) = 3.1623. */
	assert_close(stats_two_rates(30, 10, 10, 10), 2 * stats_normal_sf(10 / sqrt(10.0)), 1e-12);
	assert_close(stats_two_rates(20, 10, 40, 20), 1.0, 1e-12);   /* the same rate */
	assert_close(stats_two_rates(0, 10, 0, 10), 1.0, 0);
}

static void test_shrinkage(void **state)
{
	/* Agents whose rates differ only by chance: the prior is the team, strong. */
	int64_t k[] = {250, 260, 240, 3}, n[] = {1000, 1000, 1000, 12};
	struct stats_beta b;
	double v, lo, hi;

	(void)state;
	stats_beta_fit(k, n, 4, &b);
	assert_close(b.alpha / (b.alpha + b.beta), 753.0 / 3012, 1e-9);
	assert_true(b.alpha + b.beta > 1000);
	/* 3 of 12 (25 %) stays at the team's rate; so would 9 of 12 (75 %): luck is not skill. */
	stats_beta_estimate(&b, 9, 12, &v, &lo, &hi);
	assert_true(v < 0.26 && v > 0.24);
	assert_true(lo < v && v < hi);
	/* Agents who truly differ: the prior is weak and a large agent keeps their own rate. */
	{
		int64_t k2[] = {100, 300, 500}, n2[] = {1000, 1000, 1000};

		stats_beta_fit(k2, n2, 3, &b);
		assert_true(b.alpha + b.beta < 20);
		stats_beta_estimate(&b, 100, 1000, &v, &lo, &hi);
		assert_close(v, 0.1, 0.01);
	}
	/* Method of moments by hand: m = 0.3, spread = (0.04 + 0 + 0.04) / 3 = 0.0266..., n̄ =
	 * 100, tau² = 0.02667 - 0.21 / 100 = 0.024567, strength = 0.21 / 0.024567 - 1. */
	{
		int64_t k3[] = {10, 30, 50}, n3[] = {100, 100, 100};

		stats_beta_fit(k3, n3, 3, &b);
		assert_close(b.alpha + b.beta, 0.21 / (0.08 / 3 - 0.0021) - 1, 1e-9);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distributions), cmocka_unit_test(test_homogeneity),
		cmocka_unit_test(test_bh_and_power), cmocka_unit_test(test_shrinkage), cmocka_unit_test(test_rates), cmocka_unit_test(test_quantiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
