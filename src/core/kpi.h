#ifndef TP_KPI_H
#define TP_KPI_H
/*
 * The KPI arithmetic: counts in, KPIs out, each rate
 * with its denominator and a 95 % interval (docs/KPI.md). Plain data, no I/O;
 * kpi_json.h turns counts into the documented JSON.
 */
#include <stdbool.h>
#include <stdint.h>

/* What the counters hold for one (campaign, agent, local day, local hour), or a sum. */
struct kpi_counts {
	int64_t calls;
	int64_t conversations;
	int64_t appointments;         /* conversations whose outcome has the appointment flag */
	int64_t sales;                /* sale outcomes + appointments won */
	int64_t talk_seconds;         /* of conversations */
	int64_t talk_seconds_sq;      /* sum of squares, for the interval of the mean */
	int64_t qualified;            /* conversations that added or changed qualification */
	int64_t hot;
	int64_t callbacks;
	int64_t refusals;
	int64_t appointments_won;
	int64_t appointments_known;   /* result won or lost */
	int64_t appointments_held;
	int64_t appointments_no_show;
	int64_t appointments_relevant;
	int64_t appointments_rated;   /* relevance recorded (yes or no) */
	int64_t amount_cents;         /* of won appointments and sales */
	int64_t calling_seconds;
	/* Calls of a history that did not say their time of day (core/when.h): counted in
	 * calls and conversations, left out of the per-hour rates (no calling time is known). */
	int64_t untimed_calls;
	int64_t untimed_conversations;
};

void kpi_add(struct kpi_counts *acc, const struct kpi_counts *c);

struct kpi_interval {
	bool defined;                 /* false when the denominator is 0 */
	double value, low, high;
	int64_t n;                    /* the denominator */
};

#define KPI_Z95 1.959964

/* Below this calling time a rate per hour is noise (4 calls in 4 minutes read 60 an hour):
 * its JSON says "short": true and the pages show "—" (docs/KPI.md). */
#define KPI_PER_HOUR_MIN_SECONDS 900

/* Wilson score interval for k successes out of n trials. */
struct kpi_interval kpi_wilson(int64_t k, int64_t n);

/* Events per hour over seconds of exposure, with an exact-in-practice Poisson interval
 * (Byar's approximation); n is the exposure in seconds. */
struct kpi_interval kpi_per_hour(int64_t events, int64_t seconds);

/* Mean of n values from their sum and sum of squares, with a normal 95 % interval. */
struct kpi_interval kpi_mean(int64_t n, int64_t sum, int64_t sum_sq);

#endif
