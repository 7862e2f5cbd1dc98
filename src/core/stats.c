/* The tests behind the insights (stats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"

double stats_normal_sf(double z)
{
	return 0.5 * erfc(z / sqrt(2.0));
}

/* The regularized upper incomplete gamma function Q(a, x): a series below a + 1, a
 * continued fraction (modified Lentz) above, as in every numerical library. */
static double gamma_q(double a, double x)
{
	const double eps = 1e-15, tiny = 1e-300;
	double lg = lgamma(a);

	if (x <= 0)
		return 1.0;
	if (x < a + 1.0) {
		double sum = 1.0 / a, term = sum, ap = a;

		for (int n = 0; n < 100000; n++) {
			ap += 1.0;
			term *= x / ap;
			sum += term;
			if (fabs(term) < fabs(sum) * eps)
				break;
		}
		return 1.0 - sum * exp(-x + a * log(x) - lg);
	} else {
		double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;

		for (int i = 1; i < 100000; i++) {
			double an = -i * (i - a), del;

			b += 2.0;
			d = an * d + b;
			if (fabs(d) < tiny)
				d = tiny;
			c = b + an / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1.0 / d;
			del = d * c;
			h *= del;
			if (fabs(del - 1.0) < eps)
				break;
		}
		return exp(-x + a * log(x) - lg) * h;
	}
}

double stats_chi2_sf(double x, int df)
{
	if (df <= 0)
		return 1.0;
	return gamma_q(df / 2.0, x / 2.0);
}

void stats_chi2_homogeneity(const int64_t *successes, const int64_t *trials, size_t k, struct stats_chi2 *out)
{
	int64_t total = 0, hits = 0;
	size_t groups = 0;
	double p, chi = 0;

	memset(out, 0, sizeof(*out));
	out->p_value = 1.0;
	for (size_t i = 0; i < k; i++) {
		if (trials[i] <= 0)
			continue;
		total += trials[i];
		hits += successes[i];
		groups++;
	}
	if (groups < 2 || hits == 0 || hits == total)
		return;
	p = (double)hits / (double)total;
	/* Sum over the 2 x k table of (observed - expected)^2 / expected. */
	for (size_t i = 0; i < k; i++) {
		double e1, e0, o1, o0;

		if (trials[i] <= 0)
			continue;
		e1 = (double)trials[i] * p;
		e0 = (double)trials[i] * (1 - p);
		o1 = (double)successes[i];
		o0 = (double)(trials[i] - successes[i]);
		chi += (o1 - e1) * (o1 - e1) / e1 + (o0 - e0) * (o0 - e0) / e0;
	}
	out->statistic = chi;
	out->df = (int)groups - 1;
	out->p_value = stats_chi2_sf(chi, out->df);
}

double stats_two_proportions(int64_t x1, int64_t n1, int64_t x2, int64_t n2)
{
	double p1, p2, p, se;

	if (n1 <= 0 || n2 <= 0)
		return 1.0;
	p1 = (double)x1 / (double)n1;
	p2 = (double)x2 / (double)n2;
	p = (double)(x1 + x2) / (double)(n1 + n2);
	se = sqrt(p * (1 - p) * (1.0 / (double)n1 + 1.0 / (double)n2));
	if (se == 0)
		return 1.0;
	return 2.0 * stats_normal_sf(fabs(p1 - p2) / se);
}

double stats_two_rates(int64_t x1, double t1, int64_t x2, double t2)
{
	double n = (double)(x1 + x2), p0, sd;

	if (n <= 0 || t1 <= 0 || t2 <= 0)
		return 1.0;
	p0 = t1 / (t1 + t2);
	sd = sqrt(n * p0 * (1 - p0));
	return 2.0 * stats_normal_sf(fabs((double)x1 - n * p0) / sd);
}

struct ranked {
	double p;
	size_t i;
};

static int by_p(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p ? 1 : (x->i > y->i) - (x->i < y->i);
}

void stats_bh(const double *p, double *q, size_t n)
{
	struct ranked *r = malloc(n * sizeof(*r) + 1);
	double min = 1.0;

	if (!r)
		abort();
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){p[i], i};
	qsort(r, n, sizeof(*r), by_p);
	/* q of rank k (1-based) = min over ranks j >= k of p_j * n / j, at most 1. */
	for (size_t k = n; k-- > 0;) {
		double v = r[k].p * (double)n / (double)(k + 1);

		if (v < min)
			min = v;
		q[r[k].i] = min;
	}
	free(r);
}

int64_t stats_trials_needed(double p1, double p2)
{
	const double z_alpha = 1.959963984540054, z_beta = 0.8416212335729143;
	double pbar = (p1 + p2) / 2, d = fabs(p1 - p2), a, b;

	if (d <= 0)
		return 0;
	a = z_alpha * sqrt(2 * pbar * (1 - pbar));
	b = z_beta * sqrt(p1 * (1 - p1) + p2 * (1 - p2));
	return (int64_t)ceil((a + b) * (a + b) / (d * d));
}

void stats_beta_fit(const int64_t *k, const int64_t *n, size_t units, struct stats_beta *out)
{
	double sk = 0, sn = 0, m, spread = 0, nbar, tau2, strength;
	size_t used = 0;

	for (size_t i = 0; i < units; i++) {
		if (n[i] <= 0)
			continue;
		sk += (double)k[i];
		sn += (double)n[i];
		used++;
	}
	if (!used || sn <= 0) {
		out->alpha = out->beta = 1;
		return;
	}
	m = sk / sn;
	for (size_t i = 0; i < units; i++) {
		double p;

		if (n[i] <= 0)
			continue;
		p = (double)k[i] / (double)n[i];
		spread += (double)n[i] * (p - m) * (p - m);
	}
	spread /= sn;
	nbar = sn / (double)used;
	/* The spread between units beyond what binomial chance gives at their sizes. */
	tau2 = spread - m * (1 - m) / nbar;
	if (m <= 0 || m >= 1 || tau2 <= 0)
		strength = 1e6;
	else
		strength = m * (1 - m) / tau2 - 1;
	if (strength < 1)
		strength = 1;
	if (strength > 1e6)
		strength = 1e6;
	out->alpha = m * strength;
	out->beta = (1 - m) * strength;
}

void stats_beta_estimate(const struct stats_beta *b, int64_t k, int64_t n, double *value, double *low, double *high)
{
	double a = b->alpha + (double)k, c = b->beta + (double)(n - k), mean = a / (a + c);
	double sd = sqrt(mean * (1 - mean) / (a + c + 1));

	*value = mean;
	*low = mean - 1.959963984540054 * sd < 0 ? 0 : mean - 1.959963984540054 * sd;
	*high = mean + 1.959963984540054 * sd > 1 ? 1 : mean + 1.959963984540054 * sd;
}

double stats_quantile(const double *sorted, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)h;

	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

double stats_msprt(double theta, double v, double tau2)
{
	return sqrt(v / (v + tau2)) * exp(theta * theta * tau2 / (2 * v * (v + tau2)));
}
