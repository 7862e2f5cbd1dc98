#ifndef TP_UNITS_H
#define TP_UNITS_H
/*
 * The one parser for each quantity users write, in every input: durations ("90", "90s",
 * "15m", "2h", "3d") and amounts of money in euros ("4800", "4800.50", "4 800,50").
 * Exact (no floating point), bounded, and refusing anything else with a reason.
 */
#include <stdint.h>

#include "core/error.h"

/* A duration into seconds within [min, max]. TP_EUSAGE naming field. */
TP_MUST_USE int units_parse_duration(const char *text, const char *field, int64_t min, int64_t max, int64_t *seconds,
	struct tp_error *err);

/* Euros with at most two decimals ('.' or ',' before them; spaces between thousands)
 * into cents within [0, max_cents]. TP_EUSAGE naming field. */
TP_MUST_USE int units_parse_money(const char *text, const char *field, int64_t max_cents, int64_t *cents,
	struct tp_error *err);

#endif
