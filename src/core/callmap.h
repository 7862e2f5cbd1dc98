#ifndef TP_CALLMAP_H
#define TP_CALLMAP_H
/*
 * Call-history mapping files (docs/IMPORT.md, "Call history"): how the columns of another
 * system's export become calls. Sections:
 *
 *   [columns]          COLUMN = TARGET   (agent, phone, date, time, datetime, year, month,
 *                                         day, weekday, result, outcome, talk_seconds,
 *                                         ring_seconds, notes, attempt, appointment_at,
 *                                         appointment_status, appointment_relevant,
 *                                         appointment_result, amount, campaign,
 *                                         script, qualify.KEY, ignore)
 *   [values TARGET]    RAW = VALUE       (translate a column's values, e.g. yes = sale)
 *   [fixed]            TARGET = VALUE    (a constant for every row; "year = 2008 increasing":
 *                                         rows are in date order, the year goes up each
 *                                         time the month goes back)
 *
 * Blank lines and '#' comments are ignored; COLUMN is compared like prospect headers.
 * A call keeps what its row knows of its time (core/when.h): nothing is made up, so a
 * constant day, weekday or time of day is refused ([fixed] date or datetime is fine: a
 * file of one day). [fixed] appointment fields apply to the rows that book one.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/when.h"

enum callmap_target {
	CM_AGENT, CM_PHONE, CM_DATE, CM_TIME, CM_DATETIME, CM_YEAR, CM_MONTH, CM_DAY, CM_RESULT, CM_OUTCOME,
	CM_TALK, CM_RING, CM_NOTES, CM_IGNORE, CM_ATTEMPT, CM_APPOINTMENT_AT, CM_APPOINTMENT_STATUS,
	CM_APPOINTMENT_RELEVANT, CM_APPOINTMENT_RESULT, CM_AMOUNT, CM_CAMPAIGN, CM_WEEKDAY, CM_SCRIPT, CM_QUALIFY,
	CM_COUNT,
};

struct callmap_pair {
	char *from, *to;         /* [columns] qualify.KEY: to is KEY */
	char *name;              /* [columns]: the column as the mapping writes it */
	int target;              /* for [values]: which target's values */
	long line;
};

struct callmap {
	char *file;
	struct callmap_pair *columns;    /* from = folded column, target set */
	size_t ncolumns;
	struct callmap_pair *values;     /* from = raw value, to = translation */
	size_t nvalues;
	char *fixed[CM_COUNT];           /* constants, NULL when none */
	long fixed_line[CM_COUNT];
	bool year_increasing;
};

const char *callmap_target_name(int t);
void callmap_init(struct callmap *m);
void callmap_release(struct callmap *m);
TP_MUST_USE int callmap_parse(struct callmap *m, const char *file, const char *text, size_t len, struct tp_error *err);

/*
 * Checks the mapping against a file's header before any row is read: every column it
 * names is in the file, the targets a call needs are there (agent, result, and a date:
 * datetime, date, or month and year), each [values] section translates a mapped column,
 * no target is both a column and a constant, and qualification columns have a phone
 * column to reach their lead. TP_EUSAGE with one message naming the mapping's line (or
 * the file) and what to do.
 */
TP_MUST_USE int callmap_check(const struct callmap *m, const char *file, const char *const *headers, size_t nheaders,
	struct tp_error *err);

/* The column a target is read from ("as written"), or NULL when it is a constant or absent. */
const char *callmap_column_name(const struct callmap *m, int target);

/* The target of a (folded-compared) column header, or -1 when the mapping does not name it;
 * *key (may be NULL) gets the qualification key of a qualify.KEY column. */
int callmap_column(const struct callmap *m, const char *header, const char **key);

/* The translation of raw for target, or raw itself. */
const char *callmap_value(const struct callmap *m, int target, const char *raw);

/* One row's values by target (NULL: absent), turned into a call's parts. */
struct call_row {
	const char *v[CM_COUNT];
};

struct call_parts {
	enum when_known known;           /* what the row says of the call's time */
	int year, month, day, hour, minute, second;   /* day, hour...: 0 when not known */
	int weekday;                     /* 0 = Sunday; -1: not known */
	int64_t talk_seconds, ring_seconds;
	int64_t attempt;                 /* the call's rank among the calls to its lead, 0: unknown */
	const char *agent, *phone, *result, *outcome, *notes;
	/* As written (checked by the caller, which knows the campaign's zone), NULL: absent. */
	const char *appointment_at, *appointment_status, *appointment_relevant, *appointment_result, *amount;
	const char *campaign;
	const char *script;              /* the script variant, "B" or "B@2" (docs/SCRIPTS.md), NULL: none */
};

/* Reads the parts of a row; *year_state carries the increasing-year inference across rows
 * (start it at 0). TP_EUSAGE with the target at fault in err->field. [fixed] appointment
 * fields are left out of a row with no appointment_at. */
TP_MUST_USE int callmap_row(const struct callmap *m, const struct call_row *row, int *year_state, int *last_month,
	struct call_parts *out, struct tp_error *err);

#endif
