#ifndef TP_APPOINTMENT_H
#define TP_APPOINTMENT_H
/*
 * What sales record of an appointment, decided here on plain data and applied by the store
 * (docs/CALLING.md, "Appointments"): the values a status, relevance, result and amount
 * take, the order they follow (won or lost once held; held or missed once its time has
 * come) and what a change adds to the KPI counters of the call that set it.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/kpi.h"

/* An appointment as sales left it. */
struct appointment_state {
	char status[16];            /* scheduled, held, no_show, cancelled */
	int relevant;               /* 1 yes, 0 no, -1 not said */
	char result[16];            /* pending, won, lost */
	int64_t amount_cents;       /* 0: none */
};

/*
 * Reads the values as given (NULL: not given): a status, a relevance (yes/no, oui/non:
 * *relevant 1 or 0, else -1), a result, an amount in euros (*cents, else -1). TP_EUSAGE
 * naming the field.
 */
TP_MUST_USE int appointment_values(const char *status, const char *relevant, const char *result, const char *amount,
	int *rel, int64_t *cents, struct tp_error *err);

/*
 * Whether an appointment may take status and result (the new values, the old ones kept
 * when not given): won or lost once held; held or no_show not before scheduled_at (now is
 * the time of the change; zone says the time in the message). TP_EUSAGE naming the field.
 */
TP_MUST_USE int appointment_check(const char *status, const char *result, int64_t scheduled_at, int64_t now,
	const char *zone, struct tp_error *err);

/* What an appointment in state s counts (its share of the call's counters). */
void appointment_counts(const struct appointment_state *s, struct kpi_counts *c);

/*
 * A change of an appointment scheduled at scheduled_at from old: status, result NULL and
 * relevant, amount_cents -1 keep the old values. *now is the state to store, *delta what
 * the counters of the call that set it move by. TP_EUSAGE when a value is unknown or the
 * change may not be made (appointment_check).
 */
TP_MUST_USE int appointment_decide(const struct appointment_state *old, const char *status, int relevant,
	const char *result, int64_t amount_cents, int64_t scheduled_at, int64_t at, const char *zone,
	struct appointment_state *now, struct kpi_counts *delta, struct tp_error *err);

#endif
