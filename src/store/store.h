#ifndef TP_STORE_H
#define TP_STORE_H
/*
 * The store: every read and write of Telepro's data, behind one interface whatever the
 * database (DESIGN.md, "Architecture"). Callers pass and get plain structs; no SQL leaves
 * this folder. Functions return 0 (or a documented positive value) on success and a
 * negative tp_status with err filled on failure. A store is used by one thread at a time.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/campaign.h"
#include "core/error.h"
#include "core/import.h"
#include "store/db.h"

struct store {
	struct db *db;
	struct db_stmt *opposition_find; /* prepared on first use, kept until store_close */
	struct db_stmt *opposition_add;
};

/* Opens the database at url and applies pending migrations (*migrated: how many). */
struct store *store_open(const char *url, int *migrated, struct tp_error *err);
void store_close(struct store *s);
int store_schema_version(struct store *s, int64_t *version, struct tp_error *err);

/* A unit of work spanning several store calls (those documented as running in the
 * caller's transaction): begin, then commit, or rollback on any failure. */
int store_begin(struct store *s, struct tp_error *err);
int store_commit(struct store *s, struct tp_error *err);
void store_rollback(struct store *s);

/* Audit log: who did what to which record. Part of the caller's transaction, if any. */
int store_audit(struct store *s, const char *actor, const char *action, const char *entity,
	int64_t entity_id, const char *detail, struct tp_error *err);

/* Users. */
struct user {
	int64_t id;
	char name[128];
	char role[16];
	bool disabled;
	int64_t created_at;
};
typedef int (*store_user_fn)(void *ctx, const struct user *u);

/* Adds a user; TP_EEXIST when the name is taken. *id gets the new id. */
int store_user_add(struct store *s, const char *name, const char *role, const char *password_hash,
	int64_t *id, struct tp_error *err);
int store_user_list(struct store *s, store_user_fn fn, void *ctx, struct tp_error *err);
int store_user_get(struct store *s, const char *name, struct user *u, struct tp_error *err);
int store_user_set_password(struct store *s, const char *name, const char *password_hash, struct tp_error *err);
int store_user_set_disabled(struct store *s, const char *name, bool disabled, struct tp_error *err);
/* The stored Argon2id hash of name's password into buf; TP_ENOTFOUND when no such user. */
int store_user_password_hash(struct store *s, const char *name, char *buf, size_t size, struct tp_error *err);

/* Campaigns: add (TP_EEXIST when the name is taken), get by name (TP_ENOTFOUND), list,
 * update every setting and its calling blocks. */
int store_campaign_add(struct store *s, struct campaign *c, struct tp_error *err);
int store_campaign_get(struct store *s, const char *name, struct campaign *c, struct tp_error *err);
typedef int (*store_campaign_fn)(void *ctx, const struct campaign *c);
int store_campaign_list(struct store *s, store_campaign_fn fn, void *ctx, struct tp_error *err);
int store_campaign_update(struct store *s, const struct campaign *c, struct tp_error *err);

/*
 * Prospect import into one campaign, as one write transaction: begin, one call per
 * prospect (IMPORT_ADDED or IMPORT_DUPLICATE: the phone is already a lead of the
 * campaign), then commit or abort. A contact whose phone is already known is reused.
 */
struct store_import;
struct store_import *store_import_begin(struct store *s, int64_t campaign_id, struct tp_error *err);
int store_import_prospect(struct store_import *imp, const struct prospect *p, struct tp_error *err);
/* Commits, recording the import (file, counts) in the imports table and the audit log. */
int store_import_commit(struct store_import *imp, const char *file, const struct import_stats *st,
	struct tp_error *err);
/* Rolls back and frees. */
void store_import_abort(struct store_import *imp);

/* One prospect of a campaign, as exported. Strings valid during the callback only. */
struct export_row {
	int64_t lead_id;
	const char *field[F_COUNT];
	size_t nqual;
	const char *const *qual_key;    /* the campaign's qualification keys, in key order */
	const char *const *qual_value;  /* "" where this prospect has none */
};
typedef int (*store_export_fn)(void *ctx, const struct export_row *row);

/* Calls fn for each lead of the campaign in import order; qualification keys are the
 * same for every row (all keys used in the campaign). keys_fn (may be NULL) is called
 * once first with the keys. */
int store_export_prospects(struct store *s, int64_t campaign_id,
	void (*keys_fn)(void *ctx, size_t n, const char *const *keys), store_export_fn fn, void *ctx,
	struct tp_error *err);

/* Opposition list: adds phone (E.164) from source; returns 0 when added, 1 when it was
 * already there from that source. Runs in the caller's transaction. */
int store_opposition_add(struct store *s, const char *phone, const char *source, int64_t since,
	struct tp_error *err);
int store_opposition_count(struct store *s, const char *source, int64_t *n, struct tp_error *err);

#endif
