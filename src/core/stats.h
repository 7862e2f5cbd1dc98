#ifndef TP_STATS_H
#define TP_STATS_H
/*
 * The tests behind the insights (docs/INSIGHTS.md): which differences between groups of
 * calls are real. Plain arithmetic on counts, no I/O.
 */
#include <stddef.h>
#include <stdint.h>

/* P(Z > z) for a standard normal Z. */
double stats_normal_sf(double z);
/* The upper tail P(X > x) of a chi-square variable with df degrees of freedom. */
double stats_chi2_sf(double x, int df);

struct stats_chi2 {
	double statistic;
	int df;
	double p_value;
};

/* Pearson's chi-square test of homogeneity of a proportion over k groups (successes[i]
 * out of trials[i]; no continuity correction). Groups with no trial are left out; df =
 * groups kept - 1. p_value 1 and df 0 when fewer than two groups or no variation. */
void stats_chi2_homogeneity(const int64_t *successes, const int64_t *trials, size_t k, struct stats_chi2 *out);

/* Two-sided p-value of the pooled two-proportion z-test of x1/n1 against x2/n2. */
double stats_two_proportions(int64_t x1, int64_t n1, int64_t x2, int64_t n2);

/* Two-sided p-value that two Poisson rates are equal: x1 events in exposure t1 against
 * x2 in t2 (the conditional test: given x1 + x2, x1 is binomial with the exposure share;
 * normal approximation). */
double stats_two_rates(int64_t x1, double t1, int64_t x2, double t2);

/* The mixture sequential probability ratio of an estimate theta (variance v) against 0,
 * with a normal mixture of variance tau2 over the true value (Johari, Koomen, Pekelis and
 * Walsh, "Always valid inference", Operations Research 70(3), 2022):
 * sqrt(v / (v + tau2)) exp(theta^2 tau2 / (2 v (v + tau2))). Reaching 1/alpha at any look
 * rejects "no difference" at level alpha, however often it is looked at. */
double stats_msprt(double theta, double v, double tau2);

/* Benjamini-Hochberg q-values of n p-values (in the same order). */
void stats_bh(const double *p, double *q, size_t n);

/* The trials each of two groups needs for a two-sided 5 % test to detect p1 against p2
 * with 80 % power (normal approximation); 0 when p1 == p2. */
int64_t stats_trials_needed(double p1, double p2);

/* A beta prior fitted to rates k[i]/n[i] of several units (agents) by the method of
 * moments: alpha + beta is how many trials the team's rate weighs in each estimate.
 * Units with n[i] == 0 are left out; with no spread beyond chance, the prior is strong
 * (every unit is the team). */
struct stats_beta {
	double alpha, beta;
};
void stats_beta_fit(const int64_t *k, const int64_t *n, size_t units, struct stats_beta *out);

/* The shrunk (empirical-Bayes) estimate of k/n under prior b, with a normal 95 %
 * interval of its posterior. */
void stats_beta_estimate(const struct stats_beta *b, int64_t k, int64_t n, double *value, double *low, double *high);

/* The p-quantile (0 <= p <= 1) of n sorted values, interpolated linearly between the
 * two order statistics around (n - 1) p (Hyndman and Fan's definition 7: R's default,
 * Excel's QUARTILE.INC). The median of an even count is the mean of its two middle
 * values. n must be at least 1. */
double stats_quantile(const double *sorted, size_t n, double p);

#endif
