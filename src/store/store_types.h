#ifndef TP_STORE_TYPES_H
#define TP_STORE_TYPES_H
/*
 * The data the store's interface speaks that the app's speaks too (app.h includes this,
 * never store.h: the front ends see no store function).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/campaign.h"
#include "core/dial.h"
#include "core/fields.h"

/* Users. */
struct user {
	int64_t id;
	char name[128];
	char role[16];
	bool disabled;
	int64_t created_at;
	char lang[8];               /* the language of the web pages ("fr", "en"), "" to follow the browser */
	char phone[256];            /* the phone that rings when Telepro connects a call (a SIP URI), "" none */
};
typedef int (*store_user_fn)(void *ctx, const struct user *u);

/* Campaigns, one at a time (store_campaign_list, app_campaign_list). */
typedef int (*store_campaign_fn)(void *ctx, const struct campaign *c);

/* One prospect of a campaign, as exported. Strings valid during the callback only. */
struct export_row {
	int64_t lead_id;
	const char *field[F_COUNT];
	size_t nqual;
	const char *const *qual_key;    /* the campaign's qualification keys, in key order */
	const char *const *qual_value;  /* "" where this prospect has none */
};
typedef int (*store_export_fn)(void *ctx, const struct export_row *row);

/* A call Telepro placed (core/dial.h), as stored. d.result points into result. */
struct dial_row {
	int64_t id, lead_id, agent_id, campaign_id;
	char agent[128], campaign[256];
	char mode[16];              /* click, progressive */
	struct dial d;
	char result[24];            /* "" when none */
	int64_t call_id;            /* the call logged for it, 0 while none */
	int64_t updated_ms;
};

/* Rows copied, per table (store_copy, app_migrate). */
typedef void (*store_copy_fn)(void *ctx, const char *table, int64_t rows);

#endif
