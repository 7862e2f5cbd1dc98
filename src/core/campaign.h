#ifndef TP_CAMPAIGN_H
#define TP_CAMPAIGN_H
/*
 * A campaign's settings and the rules on their values (DESIGN.md, "Data model"). Plain
 * data: the store reads and writes it, the CLI fills it from options. Strings are owned
 * by the struct (campaign_release frees them). A value of -1 in an integer setting
 * means "not set".
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define CAMPAIGN_BLOCKS_MAX 32

struct calling_block {
	int weekday;        /* 0 = Sunday .. 6 = Saturday, as tm_wday */
	int start_minute;   /* minutes after local midnight */
	int end_minute;
};

struct campaign {
	int64_t id;
	char *name;
	char *kind;         /* appointment, event, qualification, survey, sales, custom */
	char *audience;     /* b2b, b2c */
	char *timezone;     /* IANA name, e.g. Europe/Paris */
	char *region;       /* ISO 3166 alpha-2 for national phone numbers, e.g. FR */
	char *script;       /* Markdown, may be NULL */
	int64_t expected_call_seconds;
	int64_t daily_calls;
	int64_t weekly_calls;
	int64_t daily_appointments;
	int64_t weekly_appointments;
	int64_t max_attempts;
	int64_t hourly_cost_cents;
	bool archived;
	int64_t created_at;
	int nblocks;
	struct calling_block blocks[CAMPAIGN_BLOCKS_MAX];
	int64_t leads;      /* filled by store_campaign_get: number of leads */
};

void campaign_init(struct campaign *c);
void campaign_release(struct campaign *c);

/* Replaces *slot's string with a copy of value (NULL clears). */
void campaign_set_str(char **slot, const char *value);

bool campaign_kind_valid(const char *kind);
bool campaign_audience_valid(const char *audience);
/* True when name is a time zone the system knows (a file under /usr/share/zoneinfo). */
bool campaign_timezone_valid(const char *name);

/*
 * Parses "HH:MM-HH:MM" or "DAYS HH:MM-HH:MM" (DAYS: mon-fri, mon,wed, sat, ...; default
 * Monday to Friday) and appends one block per day to c. TP_EUSAGE with a reason when the
 * text is not such a block or there are too many blocks.
 */
int campaign_add_blocks(struct campaign *c, const char *text, struct tp_error *err);

/* Writes "mon-fri 14:00-16:00"-like text for the blocks into buf. */
void campaign_format_blocks(const struct campaign *c, char *buf, size_t size);

/* Checks the whole struct (kind, audience, time zone, numbers); TP_EUSAGE naming the field. */
int campaign_validate(const struct campaign *c, struct tp_error *err);

#endif
