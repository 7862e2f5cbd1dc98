#include <stdio.h>
#include <string.h>

#include "core/appointment.h"
#include "core/tz.h"
#include "core/units.h"

static bool one_of(const char *v, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, set[i]) == 0)
			return true;
	return false;
}

/* A status and a result as given (NULL: not given): known values, else TP_EUSAGE. */
static int check_names(const char *status, const char *result, struct tp_error *err)
{
	static const char *const statuses[] = {"scheduled", "held", "no_show", "cancelled"};
	static const char *const results[] = {"pending", "won", "lost"};

	if (status && !one_of(status, statuses, sizeof(statuses) / sizeof(statuses[0])))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "status", 0, TP_MSG("'%s': scheduled, held, no_show or cancelled"),
			1, status);
	if (result && !one_of(result, results, sizeof(results) / sizeof(results[0])))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "result", 0, TP_MSG("'%s': pending, won or lost"), 1, result);
	return 0;
}

int appointment_values(const char *status, const char *relevant, const char *result, const char *amount, int *rel,
	int64_t *cents, struct tp_error *err)
{
	int rc;

	if ((rc = check_names(status, result, err)))
		return rc;
	*rel = -1;
	*cents = -1;
	if (relevant) {
		if (strcmp(relevant, "yes") == 0 || strcmp(relevant, "oui") == 0)
			*rel = 1;
		else if (strcmp(relevant, "no") == 0 || strcmp(relevant, "non") == 0)
			*rel = 0;
		else
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "relevant", 0, TP_MSG("'%s': yes or no"), 1, relevant);
	}
	return amount ? units_parse_money(amount, "amount", 100000000000, cents, err) : 0;
}

int appointment_check(const char *status, const char *result, int64_t scheduled_at, int64_t now, const char *zone,
	struct tp_error *err)
{
	char when[32];

	if ((strcmp(result, "won") == 0 || strcmp(result, "lost") == 0) && strcmp(status, "held") != 0)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "result", 3, TP_MSG("an appointment is %s once held, and this one"
			" is %s: record it held first (or with its status held)"), 2, result, status);
	if ((strcmp(status, "held") == 0 || strcmp(status, "no_show") == 0) && scheduled_at > now) {
		tz_format(zone, scheduled_at, when, sizeof(when));
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "status", 0, strcmp(status, "held") == 0
			? TP_MSG("the appointment is on %s: it cannot be held before then")
			: TP_MSG("the appointment is on %s: it cannot be missed before then"), 1, when);
	}
	return 0;
}

void appointment_counts(const struct appointment_state *s, struct kpi_counts *c)
{
	bool won = strcmp(s->result, "won") == 0;

	memset(c, 0, sizeof(*c));
	c->appointments_won = won;
	c->sales = won;
	c->appointments_known = won || strcmp(s->result, "lost") == 0;
	c->appointments_held = strcmp(s->status, "held") == 0;
	c->appointments_no_show = strcmp(s->status, "no_show") == 0;
	c->appointments_relevant = s->relevant == 1;
	c->appointments_rated = s->relevant >= 0;
	c->amount_cents = won && s->amount_cents > 0 ? s->amount_cents : 0;
}

int appointment_decide(const struct appointment_state *old, const char *status, int relevant, const char *result,
	int64_t amount_cents, int64_t scheduled_at, int64_t at, const char *zone, struct appointment_state *now,
	struct kpi_counts *delta, struct tp_error *err)
{
	struct kpi_counts before, after;
	int rc;

	if ((rc = check_names(status, result, err)))
		return rc;
	snprintf(now->status, sizeof(now->status), "%s", status ? status : old->status);
	snprintf(now->result, sizeof(now->result), "%s", result ? result : old->result);
	now->relevant = relevant >= 0 ? relevant : old->relevant;
	now->amount_cents = amount_cents >= 0 ? amount_cents : old->amount_cents;
	if ((rc = appointment_check(now->status, now->result, scheduled_at, at, zone, err)))
		return rc;
	appointment_counts(old, &before);
	appointment_counts(now, &after);
	*delta = after;
	kpi_sub(delta, &before);
	return 0;
}
