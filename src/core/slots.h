#ifndef TP_SLOTS_H
#define TP_SLOTS_H
/*
 * Slots of the week: a campaign's calling blocks and calling windows ("mon-fri
 * 14:00-16:00", "lun-ven 14:00-16:00"), read, written and looked up; the legal hours for
 * consumers in France (docs/RULES.md) and the default windows of an audience.
 */
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define SLOTS_MAX 32

struct calling_block {
	int weekday;        /* 0 = Sunday .. 6 = Saturday, as tm_wday */
	int start_minute;   /* minutes after local midnight */
	int end_minute;
};

/* The hours consumers may be called in France, Monday to Friday (Code de la consommation,
 * art. D.223-9): minutes of the day, [start, end). */
#define SLOTS_FR_CONSUMER_N 2
extern const struct slots_hours {
	int start_minute, end_minute;
} slots_fr_consumer[SLOTS_FR_CONSUMER_N];

/* Adds the slots of one line ("mon-fri 14:00-16:00", "lun,mer 09:30-11:30", "14:00-16:00"
 * for Monday to Friday) to b[0..*n), at most SLOTS_MAX; TP_EUSAGE naming field when the
 * text is not such a line or there are too many. */
TP_MUST_USE int slots_add(struct calling_block *b, int *n, const char *text, const char *field, struct tp_error *err);

/* Writes "mon-fri 14:00-16:00"-like text for b[0..n) into buf, lines separated by sep;
 * slots with the same hours on consecutive days are written once. */
void slots_format(const struct calling_block *b, int n, const char *sep, char *buf, size_t size);

/* True when (weekday, minute of day) falls in one of b[0..n). */
bool slots_in(const struct calling_block *b, int n, int weekday, int minute);

/* The default calling windows of an audience into b (*n of them): B2B Monday-Friday
 * 09:00-19:00; B2C the legal hours for consumers (slots_fr_consumer). */
void slots_default_windows(const char *audience, struct calling_block b[SLOTS_MAX], int *n);

#endif
