#ifndef TP_STORE_H
#define TP_STORE_H
/*
 * The store: every read and write of Telepro's data, behind one interface whatever the
 * database (docs/ARCHITECTURE.md). Callers pass and get plain structs; no SQL leaves
 * this folder. Functions return 0 (or a documented positive value) on success and a
 * negative tp_status with err filled on failure. A store is used by one thread at a time.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/call_log.h"
#include "core/calling.h"
#include "core/campaign.h"
#include "core/error.h"
#include "core/import.h"
#include "core/kpi.h"
#include "core/rules.h"
#include "core/when.h"
#include "store/store_types.h"

/* A connection and its cached statements; opaque outside src/store. */
struct store;

/* Who makes a change, and when: every write that the audit log records names both
 * (the app layer fills it from its actor and clock; the store never guesses). */
struct store_who {
	const char *actor;          /* a login, or the operating-system user on the CLI */
	int64_t at;                 /* UTC seconds */
};

/* Opens the database at url and applies pending migrations (*migrated: how many). */
struct store *store_open(const char *url, int *migrated, struct tp_error *err);
/* A scratch database: SQLite, private to the caller, in memory while small (spilled to a
 * temporary file as it grows) and gone when closed. */
struct store *store_open_scratch(struct tp_error *err);
void store_close(struct store *s);
/* Sizes this connection's page cache (SQLite; PostgreSQL's cache is the server's). The
 * web server gives each of its threads a smaller one than a command's 32 MiB. */
TP_MUST_USE int store_set_cache_kib(struct store *s, int64_t kib, struct tp_error *err);
TP_MUST_USE int store_schema_version(struct store *s, int64_t *version, struct tp_error *err);

/* A unit of work spanning several store calls (those documented as running in the
 * caller's transaction): begin, then commit, or rollback on any failure. */
TP_MUST_USE int store_begin(struct store *s, struct tp_error *err);
TP_MUST_USE int store_commit(struct store *s, struct tp_error *err);
void store_rollback(struct store *s);
/* The same for a bulk job that is all-or-nothing anyway (a call history, the demo): the
 * units inside it share the transaction without savepoints, and counter changes and the
 * campaign rules, outcomes and users it reads are kept in memory until it ends. A unit
 * refused before it wrote anything (a rejected row) is dropped; one that fails after
 * writing makes the commit fail and nothing is kept. Must be the outermost unit. */
TP_MUST_USE int store_begin_bulk(struct store *s, struct tp_error *err);

/* Audit log: who did what to which record. Part of the caller's transaction, if any. */
TP_MUST_USE int store_audit(struct store *s, const struct store_who *who, const char *action, const char *entity,
	int64_t entity_id, const char *detail, struct tp_error *err);


/* The phone that rings for user name (core/dialing.h checked it; NULL or "": none). */
TP_MUST_USE int store_user_set_phone(struct store *s, const struct store_who *who, const char *name, const char *phone,
	struct tp_error *err);
/* Adds a user; TP_EEXIST when the name is taken. *id gets the new id. */
TP_MUST_USE int store_user_add(struct store *s, const struct store_who *who, const char *name, const char *role,
	const char *password_hash, int64_t *id, struct tp_error *err);
TP_MUST_USE int store_user_list(struct store *s, store_user_fn fn, void *ctx, struct tp_error *err);
TP_MUST_USE int store_user_get(struct store *s, const char *name, struct user *u, struct tp_error *err);
TP_MUST_USE int store_user_set_password(struct store *s, const struct store_who *who, const char *name,
	const char *password_hash, struct tp_error *err);
TP_MUST_USE int store_user_set_disabled(struct store *s, const struct store_who *who, const char *name, bool disabled,
	struct tp_error *err);
TP_MUST_USE int store_user_set_lang(struct store *s, const struct store_who *who, const char *name, const char *lang,
	struct tp_error *err);
/* Changes a user's role; disabling a user or changing a role is refused (TP_ECONFLICT)
 * when no enabled admin would be left. */
TP_MUST_USE int store_user_set_role(struct store *s, const struct store_who *who, const char *name, const char *role,
	struct tp_error *err);
/* The stored Argon2id hash of name's password into buf; TP_ENOTFOUND when no such user. */
TP_MUST_USE int store_user_password_hash(struct store *s, const char *name, char *buf, size_t size, struct tp_error *err);

/* An agent named in an imported history: found, or added (role agent, no usable
 * password: an admin sets one with user passwd), in one statement that two writers can
 * run at once. */
TP_MUST_USE int store_user_ensure_agent(struct store *s, const struct store_who *who, const char *name, int64_t *id,
	struct tp_error *err);

/* The leads of campaign with these n phones (E.164): ids[i], 0 when none; one query per
 * 63 of them. Inside a bulk
 * transaction the leads' rows are kept for the call logs that follow, which then do not
 * read them again (a call history's batch). */
TP_MUST_USE int store_leads_by_phone(struct store *s, int64_t campaign_id, const char *const *phones, size_t n,
	int64_t *ids, struct tp_error *err);

/* Campaigns: add (TP_EEXIST when the name is taken), get by name (TP_ENOTFOUND), list,
 * update every setting and its calling blocks. add and update check the campaign with
 * campaign_validate first. */
TP_MUST_USE int store_campaign_add(struct store *s, const struct store_who *who, struct campaign *c, struct tp_error *err);
TP_MUST_USE int store_campaign_get(struct store *s, const char *name, struct campaign *c, struct tp_error *err);
TP_MUST_USE int store_campaign_get_by_id(struct store *s, int64_t id, struct campaign *c, struct tp_error *err);
/* The same without the lead count (which counts every lead of the campaign). */
TP_MUST_USE int store_campaign_settings_by_id(struct store *s, int64_t id, struct campaign *c, struct tp_error *err);
TP_MUST_USE int store_campaign_list(struct store *s, store_campaign_fn fn, void *ctx, struct tp_error *err);
/* The same, settings only (no rules, lead count -1): one query, for a page's selector. */
TP_MUST_USE int store_campaign_settings_list(struct store *s, store_campaign_fn fn, void *ctx, struct tp_error *err);
TP_MUST_USE int store_campaign_update(struct store *s, const struct store_who *who, const struct campaign *c,
	struct tp_error *err);
/* A campaign's settings and rules without its lead count (cheaper than get). */
TP_MUST_USE int store_campaign_settings(struct store *s, const char *name, struct campaign *c, struct tp_error *err);
/* Inside the caller's transaction: reads the campaign and keeps other writers of it
 * waiting until the transaction ends (a read-modify-write loses no change). */
TP_MUST_USE int store_campaign_get_for_update(struct store *s, const char *name, struct campaign *c, struct tp_error *err);

/*
 * Call scripts (store_scripts.c, docs/SCRIPTS.md; core/scripts.h decides): a campaign's
 * variants, each with its latest version; every save of a text that changed is a new
 * version. store_scripts_set makes v[0..n) the running variants in that order (the others
 * stopped), the campaign's script the first one's text, primary (NULL: kept) its primary
 * rate, and seed its assignment's seed unless it has one.
 */
struct script_row {
	const char *variant;
	int position, weight;
	bool stopped;
	int64_t version;
	const char *body, *author;  /* author NULL: unknown (a script from before versions) */
	int64_t created_at;
};
typedef int (*store_script_fn)(void *ctx, const struct script_row *r);
struct store_script_in {
	const char *variant, *body;
	int weight;
};
TP_MUST_USE int store_scripts_set(struct store *s, const struct store_who *who, int64_t campaign_id,
	const struct store_script_in *v, size_t n, const char *primary, uint64_t seed, struct tp_error *err);
/* The variants, running ones first in their order (stopped ones only when with_stopped). */
TP_MUST_USE int store_scripts(struct store *s, int64_t campaign_id, bool with_stopped, store_script_fn fn, void *ctx,
	struct tp_error *err);
/* A variant's versions, the newest first. */
TP_MUST_USE int store_script_history(struct store *s, int64_t campaign_id, const char *variant, store_script_fn fn,
	void *ctx, struct tp_error *err);
/* The campaign's primary rate ("" none) and assignment seed. */
TP_MUST_USE int store_scripts_meta(struct store *s, int64_t campaign_id, char *primary, size_t size, uint64_t *seed,
	struct tp_error *err);
TP_MUST_USE int store_lead_script_set(struct store *s, int64_t lead_id, const char *variant, struct tp_error *err);
/* A lead's campaign and variant ("" none yet). */
TP_MUST_USE int store_lead_script(struct store *s, int64_t lead_id, int64_t *campaign_id, char *variant, size_t size,
	struct tp_error *err);
/* The latest version of a variant (0: no such variant). */
TP_MUST_USE int store_script_version_of(struct store *s, int64_t campaign_id, const char *variant, int64_t *version,
	struct tp_error *err);
/* The campaign's calls in order of time, as the comparison folds them (variant: the one
 * each was made with, NULL before the variants). */
struct script_call;
typedef int (*store_script_call_fn)(void *ctx, const char *variant, const struct script_call *c);
TP_MUST_USE int store_script_calls(struct store *s, int64_t campaign_id, store_script_call_fn fn, void *ctx,
	struct tp_error *err);

/*
 * Webhooks (store_webhooks.c, docs/WEBHOOKS.md): the addresses an admin registered, per
 * events ("call.logged,appointment.booked"), each with its signing secret; the deliveries
 * (the outbox, written with their event by the store); the worker claims those due
 * (store_webhook_due: each held for lease seconds, with its hook's url and secret) and
 * writes each attempt's outcome.
 */
struct webhook_row {
	int64_t id;
	const char *url, *events, *secret;
	int64_t created_at, delivered, pending, failed;
};
typedef int (*store_webhook_fn)(void *ctx, const struct webhook_row *w);
struct delivery_row {
	int64_t id, hook_id;
	const char *event, *body;
	int64_t created_at, next_at, attempts;
	const char *state;          /* pending, delivered, failed */
	int64_t last_status;        /* the HTTP status of the last attempt, 0: none (no answer) */
	const char *last_error;
	int64_t delivered_at;
	const char *url, *secret;   /* store_webhook_due only */
};
typedef int (*store_delivery_fn)(void *ctx, const struct delivery_row *d);
TP_MUST_USE int store_webhook_add(struct store *s, const struct store_who *who, const char *url, const char *events,
	const char *secret, int64_t *id, struct tp_error *err);
TP_MUST_USE int store_webhook_remove(struct store *s, const struct store_who *who, int64_t id, struct tp_error *err);
TP_MUST_USE int store_webhooks(struct store *s, store_webhook_fn fn, void *ctx, struct tp_error *err);
TP_MUST_USE int store_webhook_deliveries(struct store *s, int64_t hook_id, int limit, store_delivery_fn fn, void *ctx,
	struct tp_error *err);
TP_MUST_USE int store_webhook_due(struct store *s, int64_t now, int64_t lease, int limit, store_delivery_fn fn,
	void *ctx, struct tp_error *err);
/* The outcomes of a round of attempts, in one transaction (one commit for the round). */
struct webhook_attempt {
	int64_t id;
	const char *state;          /* delivered, pending (tried again at next_at), failed */
	int64_t next_at;
	int status;                 /* the answer's HTTP status, 0: none */
	char error[160];            /* why it failed, "" when it did not */
	int64_t at;
};
TP_MUST_USE int store_webhook_attempted(struct store *s, const struct webhook_attempt *a, size_t n,
	struct tp_error *err);
/* An event for the hooks that take it, in its own transaction; a test event for one hook
 * (TP_ENOTFOUND when there is none). */
TP_MUST_USE int store_webhook_event(struct store *s, const char *event, const char *body, int64_t at,
	struct tp_error *err);
TP_MUST_USE int store_webhook_test(struct store *s, int64_t hook_id, const char *body, int64_t at,
	struct tp_error *err);

/*
 * Prospect import into one campaign, as one write transaction: begin, one call per
 * prospect (IMPORT_ADDED or IMPORT_DUPLICATE: the phone is already a lead of the
 * campaign), then commit or abort. A contact whose phone is already known is reused.
 * A row's address (address, postcode, city, country) is its company's in a business
 * campaign, and the person's own in a consumer one (consumers true: B2C), where a company
 * named by the row gets none (docs/PRIVACY.md: a consumer's address is erased with them).
 */
struct store_import;
struct store_import *store_import_begin(struct store *s, const struct store_who *who, int64_t campaign_id,
	bool consumers, struct tp_error *err);
TP_MUST_USE int store_import_prospect(struct store_import *imp, const struct prospect *p, struct tp_error *err);
/* Commits, recording the import (file, counts) in the imports table and the audit log.
 * Prospects taken as IMPORT_PENDING (the bulk path of backends that have one) are
 * settled here: st->imported and st->duplicates get their share, st->pending goes to 0. */
TP_MUST_USE int store_import_commit(struct store_import *imp, const char *file, struct import_stats *st,
	struct tp_error *err);
/* Rolls back and frees. */
void store_import_abort(struct store_import *imp);

/* A row that found a contact of another campaign (by its number) becomes a lead of that
 * contact, whose names and e-mail stay as they are (docs/IMPORT.md, "Contacts found
 * again"): fn hears of each such row after the commit, in file order, with the reason in
 * words, a message (which contact, its campaign, the fields the file says otherwise), rows 1; beyond
 * the first 1000, once more for all the others (line 0, rows their number). */
typedef void (*store_merge_fn)(void *ctx, long line, bool refused, const struct tp_error *said, long rows);
void store_import_on_merge(struct store_import *imp, store_merge_fn fn, void *ctx);
/* What such a row does (default keep): keep the contact as it is, update its names, role
 * and e-mail from the file's non-empty ones, or reject the row (refused true, counted in
 * st->rejected at the commit). */
enum store_existing { STORE_EXISTING_KEEP, STORE_EXISTING_UPDATE, STORE_EXISTING_REJECT };
void store_import_existing(struct store_import *imp, enum store_existing mode);

/* While *flag is 0 the import goes on; once set (e.g. by a SIGINT handler), the commit
 * stops at its next step and rolls back ("interrupted: nothing was imported"). */
void store_import_cancel_on(struct store_import *imp, volatile sig_atomic_t *flag);


/* Calls fn for each lead of the campaign in import order; qualification keys are the
 * same for every row (all keys used in the campaign). keys_fn (may be NULL) is called
 * once first with the keys. */
TP_MUST_USE int store_export_prospects(struct store *s, int64_t campaign_id,
	void (*keys_fn)(void *ctx, size_t n, const char *const *keys), store_export_fn fn, void *ctx,
	struct tp_error *err);

/* Records a consumer's consent to be called (phone E.164); 0 when added, 1 when that
 * consent (number, source, day) was known. Runs in the caller's transaction. */
TP_MUST_USE int store_consent_add(struct store *s, const struct store_who *who, const char *phone, int64_t at,
	const char *source, const char *wording, struct tp_error *err);

/* The numbers of a campaign's open leads (new, in progress, callback, hot), each once. */
TP_MUST_USE int store_open_numbers(struct store *s, int64_t campaign_id, int (*fn)(void *ctx, const char *phone),
	void *ctx, struct tp_error *err);

/* Records a screening against an opposition service (source "bloctel") made on screened_at;
 * in the caller's transaction. */
TP_MUST_USE int store_screening_add(struct store *s, const char *source, int64_t screened_at, int64_t numbers,
	int64_t imported_at, struct tp_error *err);

/* Opposition list: adds phone (E.164) from source; returns 0 when added, 1 when it was
 * already there from that source (one statement: two writers at once add it once).
 * Runs in the caller's transaction. */
TP_MUST_USE int store_opposition_add(struct store *s, const char *phone, const char *source, int64_t since,
	struct tp_error *err);
TP_MUST_USE int store_opposition_count(struct store *s, const char *source, int64_t *n, struct tp_error *err);

/* Calling desk (store_sessions.c, store_next.c, store_leads.c, store_calls.c, store_appointments.c) */

/* Sessions: calling time, the denominator of every per-hour KPI. start fails with
 * TP_EEXIST when the agent has an open session; the others with TP_ENOTFOUND when not. */
TP_MUST_USE int store_session_start(struct store *s, const char *agent, const char *campaign, int64_t at, int64_t *session_id,
	struct tp_error *err);
TP_MUST_USE int store_session_pause(struct store *s, const char *agent, int64_t at, struct tp_error *err);
TP_MUST_USE int store_session_resume(struct store *s, const char *agent, int64_t at, struct tp_error *err);
/* Stops the session; *calling_seconds gets its calling time (pauses excluded). */
TP_MUST_USE int store_session_stop(struct store *s, const char *agent, int64_t at, int64_t *calling_seconds,
	struct tp_error *err);

/* The campaign of the agent's open session / of a lead (its settings and rules, not its
 * lead count). TP_ENOTFOUND when there is none. */
TP_MUST_USE int store_session_campaign(struct store *s, const char *agent, struct campaign *c, struct tp_error *err);
TP_MUST_USE int store_lead_campaign(struct store *s, int64_t lead_id, struct campaign *c, struct tp_error *err);
/* The call recorded with an idempotency key (*found false when none), with what a replay
 * of its request is compared with. */
struct call_summary {
	int64_t id, appointment_id, lead_id, talk_seconds, ring_seconds, callback_at;
	char result[24], outcome[64], agent[128];
	char *note;                 /* NULL when none; the caller frees it */
};
TP_MUST_USE int store_call_by_key(struct store *s, const char *key, struct call_summary *out, bool *found,
	struct tp_error *err);
/* Calls Telepro places (store_dials.c). store_dial_add writes r (its id set); save writes
 * its state as the signalling goes; get reads one; store_dials_live gives those not ended
 * (a server restarted mid-call), in an array the caller frees. */
TP_MUST_USE int store_dial_add(struct store *s, struct dial_row *r, struct tp_error *err);
TP_MUST_USE int store_dial_save(struct store *s, const struct dial_row *r, struct tp_error *err);
TP_MUST_USE int store_dial_get(struct store *s, int64_t id, struct dial_row *r, struct tp_error *err);
TP_MUST_USE int store_dials_live(struct store *s, struct dial_row **rows, size_t *n, struct tp_error *err);
/* Who holds the lead and whose callback it is (core/calling.h). */
TP_MUST_USE int store_lead_holder(struct store *s, int64_t lead_id, struct lead_holder *out, struct tp_error *err);
/* The sales person of an appointment ("" when none). */
TP_MUST_USE int store_appointment_sales(struct store *s, int64_t id, char *sales, size_t size, struct tp_error *err);

struct next_lead {
	int64_t lead_id;
	char phone[24];
	char state[24];
	char reason[256];
	int attempts;
};

/*
 * The lead agent should call now in campaign, held for them (the same lead again while
 * they hold it). TP_ENOTHING with err->reason saying why when there is none.
 */
TP_MUST_USE int store_next_lead(struct store *s, const char *agent, const char *campaign, int64_t at, struct next_lead *out,
	struct tp_error *err);

/* What the desk shows about a lead. Strings are owned by the struct (NULL where the
 * database has none); lead_view_release frees them. */
struct lead_view {
	int64_t lead_id, attempts, campaign_id;
	char *phone, *state, *campaign, *timezone, *region;
	/* The script the lead reads: its variant's latest version (script_variant NULL: none
	 * given yet, script the campaign's, script_version 0). */
	char *script, *script_variant;
	int64_t script_version;
	char *civility, *first_name, *last_name, *role, *contact_phone, *mobile, *email;
	char *company, *siren, *sector, *city, *postcode;
};
void lead_view_release(struct lead_view *v);

/* An earlier call of a lead, and a qualification value; strings valid during the
 * callback only, outcome and note NULL when none. */
struct lead_call {
	int64_t call_id, started_at, talk_seconds;
	const char *result, *outcome, *agent, *note;
};
typedef int (*store_lead_call_fn)(void *ctx, const struct lead_call *c);
typedef int (*store_lead_qual_fn)(void *ctx, const char *key, const char *value);

/* The lead, then its calls in time order and its contact's qualification values (either
 * callback may be NULL). TP_ENOTFOUND when there is no such lead. */
TP_MUST_USE int store_lead_view(struct store *s, int64_t lead_id, struct lead_view *out, store_lead_call_fn on_call,
	store_lead_qual_fn on_qual, void *ctx, struct tp_error *err);

/* struct call_input: core/call_log.h. */

/* For each of the n idempotency keys, whether a call has it (known[i]): one query per 64
 * keys, where the call log asks once per call. */
TP_MUST_USE int store_calls_known(struct store *s, const char *const *keys, size_t n, bool *known,
	struct tp_error *err);

/*
 * Records a call and all it implies in one transaction: the lead's new state, the
 * appointment, qualification values, the opposition list for do_not_call, calling time
 * and the KPI counters. Bad input: TP_EUSAGE / TP_ENOTFOUND naming the field, nothing
 * recorded. With an idempotency key already used, records nothing and returns the first
 * call's ids (*replayed true).
 */
TP_MUST_USE int store_call_log(struct store *s, const struct call_input *in, int64_t *call_id, int64_t *appointment_id,
	bool *replayed, struct tp_error *err);

/* Appointment results; a field left as NULL / -1 keeps its value. relevant: 1 yes, 0 no. */
TP_MUST_USE int store_appointment_result(struct store *s, const struct store_who *who, int64_t id, const char *status,
	int relevant, const char *result, int64_t amount_cents, struct tp_error *err);

struct appointment_row {
	int64_t id, call_id, lead_id, scheduled_at, amount_cents;
	const char *campaign, *timezone, *agent, *sales, *status, *result, *contact, *company, *phone;
	int relevant;               /* -1 unknown */
	const char *notes;          /* the agent's notes on the call that set it, "" when none */
	const char *region;         /* the campaign's, for the number's national form */
	/* The lead's qualification answers, latest value of each key (what sales need to know). */
	size_t nqual;
	const char *const *qual_key, *const *qual_value;
	/* Where it takes place (the person's address for a consumer, else the company's; ""
	 * when none), and how many times it changed, when last (calendars). */
	const char *address, *postcode, *city;
	int64_t sequence, updated_at;
};
typedef int (*store_appointment_fn)(void *ctx, const struct appointment_row *row);
/* Which appointments: NULL and 0 say any. */
struct appointment_filter {
	const char *sales, *campaign;
	int64_t id;
	int64_t since;              /* scheduled at or after (UTC seconds) */
};
/* Appointments, soonest first. */
TP_MUST_USE int store_appointment_list(struct store *s, const struct appointment_filter *f, store_appointment_fn fn,
	void *ctx, struct tp_error *err);
/* A user's calendar feed (docs/CALENDARS.md): set the keyed hash of its token (NULL:
 * revoked); find the user a token's hash belongs to (*found false when none). */
TP_MUST_USE int store_user_calendar_set(struct store *s, const struct store_who *who, const char *user,
	const char *token_hash, struct tp_error *err);
TP_MUST_USE int store_user_by_calendar(struct store *s, const char *token_hash, char *user, size_t size, bool *found,
	struct tp_error *err);

/* Copies every row of from into to (a new, empty database: TP_EUSAGE otherwise), in one
 * transaction, checking each table's row count; fn (may be NULL) hears of each table. */
TP_MUST_USE int store_copy(struct store *from, struct store *to, store_copy_fn fn, void *ctx, struct tp_error *err);
/* What s holds: nothing but its schema and built-in outcomes (a new database), or besides
 * them only users and the audit of their creation (a new team's first users), or more. */
enum store_content { STORE_NEW, STORE_PEOPLE, STORE_FILLED };
TP_MUST_USE int store_content(struct store *s, enum store_content *content, struct tp_error *err);
/* The demo into a database of STORE_NEW or STORE_PEOPLE content: its users and audit log,
 * ids kept, copied into a new (scratch) database, where the demo is made; then what the
 * demo added copied back, in one transaction, each table's row count checked (TP_EUSAGE
 * when the database changed meanwhile: nothing is copied). */
TP_MUST_USE int store_copy_people(struct store *from, struct store *to, struct tp_error *err);
TP_MUST_USE int store_copy_added(struct store *from, struct store *to, struct tp_error *err);
/* Whether s loads rows in bulk (PostgreSQL's COPY), so that rows made elsewhere and
 * copied in cost far less than the same rows written a statement at a time. */
bool store_bulk_loads(const struct store *s);

/* KPIs (store_kpi.c) ------------------------------------------------------------------ */

struct kpi_filter {
	int64_t campaign_id;        /* 0: all */
	int64_t agent_id;           /* 0: all */
	int from_day, to_day;       /* yyyymmdd, inclusive; 0: open */
};

enum kpi_group {
	KPI_BY_NONE, KPI_BY_HOUR, KPI_BY_WEEKDAY_HOUR, KPI_BY_DAY, KPI_BY_WEEK, KPI_BY_MONTH, KPI_BY_AGENT,
	KPI_BY_CAMPAIGN, KPI_BY_OUTCOME, KPI_BY_BLOCK, KPI_BY_WEEKDAY,
};

/* A group of counters, typed (what it stands for) and as reports print it (label: "mon
 * 09", "2026-12-07", "2026-W49", "2026-12", an agent's or campaign's name, an outcome's
 * code, inside/outside). The calls a grouping cannot place come with label NULL. */
struct kpi_group_key {
	enum kpi_group by;
	const char *label;
	int weekday;                /* ISO 1 = Monday .. 7 = Sunday (weekday, weekday-hour), else 0 */
	int hour;                   /* 0..23 (hour, weekday-hour), else -1 */
	int year, month, day;       /* day: all three; week: year and week (ISO); month: year and month */
	int week;
	int64_t id;                 /* agent, campaign or outcome id (0: no outcome) */
	bool inside;                /* block: inside the campaign's calling blocks */
};

/* Calls fn with each group (its key, its counts) in key order, from the counters
 * (from raw calls for KPI_BY_OUTCOME, which counters do not split). History calls that
 * did not say what the grouping needs (their hour for hour, weekday-hour and block, their
 * weekday for weekday; core/when.h) come last, once, with key NULL; for day and week
 * they are refused (TP_EUSAGE naming "by"). */
typedef int (*store_kpi_fn)(void *ctx, const struct kpi_group_key *key, const struct kpi_counts *c);
TP_MUST_USE int store_kpi_groups(struct store *s, const struct kpi_filter *f, enum kpi_group by, store_kpi_fn fn, void *ctx,
	struct tp_error *err);
/* The dialing breakdown of f's calls (core/kpi.h) into g: how each was dialed (dials.mode,
 * "manual" without one), each agent's calls folded in their order of time; kept in the
 * memo at the campaign's revision. */
TP_MUST_USE int store_kpi_dialing(struct store *s, const struct kpi_filter *f, struct kpi_dialing_group g[KPI_DIAL_COUNT],
	struct tp_error *err);
/* Whether Telepro dialed any call of f's campaign and agent (whatever the period). */
TP_MUST_USE int store_kpi_dialed_any(struct store *s, const struct kpi_filter *f, bool *any, struct tp_error *err);
TP_MUST_USE int store_kpi_totals(struct store *s, const struct kpi_filter *f, struct kpi_counts *out, struct tp_error *err);
/* What the KPIs of a campaign (0: of all campaigns) are computed from, as a key for the
 * process-wide memo (core/memo.h): the database, the revision of its counters (bumped in
 * each transaction that changes them: calls, appointments' fates, calling time) and of
 * its settings. "" when nothing may be kept: inside a transaction (it may roll back) or on
 * a scratch database. store_kpi_groups and store_kpi_totals keep their answers under it;
 * the app keeps what it computes from other reads of the same data (dialing, scripts). */
TP_MUST_USE int store_kpi_revision(struct store *s, int64_t campaign_id, char *key, size_t size, struct tp_error *err);
/* A page's readings (hold true, until false): store_kpi_revision gives each campaign's
 * revision as it read it first, so that the page's readings share what they read (its
 * objectives, its agents) even while calls are logged meanwhile. What is kept under it
 * is still at least as recent as its revision. */
void store_kpi_hold(struct store *s, bool hold);

/* The follow-ups of a campaign: each conversation with a hot or callback outcome (its
 * outcome's code and time) and the first later call to the same lead that set an
 * appointment or made a sale (0: none yet). */
typedef int (*store_followup_fn)(void *ctx, const char *code, int64_t at, int64_t converted_at);
TP_MUST_USE int store_followups(struct store *s, int64_t campaign_id, store_followup_fn fn, void *ctx,
	struct tp_error *err);
/* The campaign's won appointments: when the call booked it, when it was, when sales
 * recorded it won. */
typedef int (*store_won_fn)(void *ctx, int64_t booked_at, int64_t scheduled_at, int64_t won_at);
TP_MUST_USE int store_won_appointments(struct store *s, int64_t campaign_id, store_won_fn fn, void *ctx,
	struct tp_error *err);

/* The health of a campaign's prospect file, state by state: how many leads, how many with
 * each part of their identity, how many open ones nobody called since before stale_before. */
struct file_state {
	const char *state;
	int64_t leads, first_name, last_name, email, role, postcode, company, stale;
};
typedef int (*store_file_state_fn)(void *ctx, const struct file_state *fs);
TP_MUST_USE int store_file_states(struct store *s, int64_t campaign_id, int64_t stale_before, store_file_state_fn fn,
	void *ctx, struct tp_error *err);
/* The campaign's prospect imports in order: file, when, imported, duplicates, rejected. */
typedef int (*store_import_row_fn)(void *ctx, const char *file, int64_t at, int64_t imported, int64_t duplicates,
	int64_t rejected);
TP_MUST_USE int store_imports_of(struct store *s, int64_t campaign_id, store_import_row_fn fn, void *ctx,
	struct tp_error *err);

/* How many agents made calls for the campaign between two local days (inclusive): read
 * agent by agent from the counters' key, never by scanning the campaign's hours. */
TP_MUST_USE int store_kpi_agents_active(struct store *s, int64_t campaign_id, int from_day, int to_day, int64_t *n,
	struct tp_error *err);

/* Each agent's calls per local day in the filter (campaign): fn(ctx, agent, day, calls),
 * from the counters. */
typedef int (*store_agent_day_fn)(void *ctx, const char *agent, int day, int64_t calls);
TP_MUST_USE int store_agent_days(struct store *s, const struct kpi_filter *f, store_agent_day_fn fn, void *ctx,
	struct tp_error *err);

/* Calls by their attempt number (the rank among their lead's calls; calls without one are
 * left out), from the raw calls of the filter: fn(ctx, attempt, calls, conversations,
 * successes: conversations whose outcome is an appointment or a sale), attempts in order. */
typedef int (*store_attempt_fn)(void *ctx, int64_t attempt, int64_t calls, int64_t conversations, int64_t successes);
TP_MUST_USE int store_attempt_groups(struct store *s, const struct kpi_filter *f, store_attempt_fn fn, void *ctx,
	struct tp_error *err);

/* The same totals recomputed from raw calls, appointments and sessions, ignoring the
 * counters: the reference the counters are tested against (closed sessions only). */
TP_MUST_USE int store_kpi_recompute(struct store *s, const struct kpi_filter *f, struct kpi_counts *out, struct tp_error *err);
/* The groups by outcome from the raw calls (the reference for the outcome counters). */
TP_MUST_USE int store_kpi_recompute_by_outcome(struct store *s, const struct kpi_filter *f, store_kpi_fn fn, void *ctx,
	struct tp_error *err);

/* What the rules of the trade need about the person a lead calls, at a time: where they
 * live, and the latest calls to their number (from every campaign) before that time. */
TP_MUST_USE int store_lead_consumer(struct store *s, int64_t lead_id, int64_t at, struct rules_facts *out,
	struct tp_error *err);

/* What the desk knows of a lead when it explains why it may or may not be called. */
struct lead_facts {
	int64_t campaign_id;
	char state[24];
	int64_t next_call_at;
	char held_by[128];              /* "" when nobody holds it */
	int64_t held_until;
	char opposition[16];            /* internal, bloctel, other, or "" */
	struct rules_facts consumer;
};
TP_MUST_USE int store_lead_facts(struct store *s, int64_t lead_id, int64_t at, struct lead_facts *out,
	struct tp_error *err);

/* The outcomes a conversation of the campaign may have: the built-in ones and its own,
 * in a stable order (built-in first). */
struct outcome_row {
	const char *code, *label_fr, *label_en;
	bool refusal, final, hot, callback, appointment, sale, do_not_call;
};
typedef int (*store_outcome_fn)(void *ctx, const struct outcome_row *o);
TP_MUST_USE int store_outcome_list(struct store *s, int64_t campaign_id, store_outcome_fn fn, void *ctx,
	struct tp_error *err);

/* The calling sessions of a campaign still open (not stopped), by agent name. */
struct open_session {
	const char *agent;
	int64_t started_at, last_activity_at;
	bool paused;
};
typedef int (*store_open_session_fn)(void *ctx, const struct open_session *o);
TP_MUST_USE int store_open_sessions(struct store *s, int64_t campaign_id, store_open_session_fn fn, void *ctx,
	struct tp_error *err);

/* A consistent copy of the whole database, to the new file path, while others work on
 * (SQLite); TP_EUSAGE on a backend whose own tools do it (PostgreSQL: pg_dump). */
TP_MUST_USE int store_backup(struct store *s, const char *path, struct tp_error *err);

/* A person's data for the GDPR (store_person.c, docs/PRIVACY.md). */
typedef int (*store_id_fn)(void *ctx, int64_t id);
/* Each row of a section ("contact", "company", "leads", "calls", "appointments",
 * "qualification", "consents", "opposition"): column names and values (NULL for SQL
 * NULL), valid during the call. */
typedef int (*store_row_fn)(void *ctx, const char *section, int n, const char *const *names,
	const char *const *values);
struct person_review {
	int64_t contact_id;
	const char *last_name, *phone;
	int64_t created_at, last_call_at;   /* last_call_at 0 when never called */
};
typedef int (*store_review_fn)(void *ctx, const struct person_review *r);

/* The contacts whose phone or mobile is phone (E.164), or whose email is email. */
TP_MUST_USE int store_person_find(struct store *s, const char *phone, const char *email, store_id_fn fn, void *ctx,
	struct tp_error *err);
TP_MUST_USE int store_person_rows(struct store *s, int64_t contact_id, store_row_fn fn, void *ctx, struct tp_error *err);
/* The numbers a contact is known by (phone, mobile, their leads'), each once. */
TP_MUST_USE int store_person_numbers(struct store *s, int64_t contact_id, int (*fn)(void *ctx, const char *e164),
	void *ctx, struct tp_error *err);
/* One of the numbers an erasure removes, and its keyed hash (core/privacy.h). */
struct erased_number {
	const char *e164, *hash;
};
/* Erases the contact in one transaction: identity, address (and a company's address
 * that only they had), notes, qualification, consents, the consents' audit details;
 * each of numbers leaves the opposition list for its hash, and, do_not_call, joins it as
 * an internal hash entry. Counters and call results stay (numbers, not people);
 * audited by id. The backend then drops the erased content from its files where it can
 * (SQLite: zeroed pages, the journal emptied). */
TP_MUST_USE int store_person_erase(struct store *s, const struct store_who *who, int64_t contact_id,
	const struct erased_number *numbers, int nnumbers, bool do_not_call, struct tp_error *err);
/* The database's key for the erased numbers' hashes: the one stored, else fresh (when
 * not NULL) stored and returned. 1 when there is none (fresh NULL), else 0. */
TP_MUST_USE int store_privacy_key(struct store *s, const unsigned char *fresh, unsigned char key[32],
	struct tp_error *err);
/* The hashes of the erased numbers kept in the opposition list, each to fn. */
TP_MUST_USE int store_forgotten(struct store *s, int (*fn)(void *ctx, const char *hash), void *ctx,
	struct tp_error *err);
/* Contacts not erased whose last call (or, never called, their arrival) is before before. */
TP_MUST_USE int store_person_review(struct store *s, int64_t before, store_review_fn fn, void *ctx,
	struct tp_error *err);

/* Web sessions (store_web.c). Tokens are stored only as their hash: a copy of the
 * database gives no usable session. */
struct web_session {
	struct user user;
	char csrf[65];
	int64_t expires_at;
};
/* Adds a session and deletes the expired ones. */
TP_MUST_USE int store_web_session_add(struct store *s, const char *token_hash, int64_t user_id, const char *csrf,
	int64_t now, int64_t expires_at, struct tp_error *err);
/* The live session of an enabled user; TP_ENOTFOUND otherwise. */
TP_MUST_USE int store_web_session_get(struct store *s, const char *token_hash, int64_t now, struct web_session *ws,
	struct tp_error *err);
TP_MUST_USE int store_web_session_extend(struct store *s, const char *token_hash, int64_t expires_at,
	struct tp_error *err);
TP_MUST_USE int store_web_session_delete(struct store *s, const char *token_hash, struct tp_error *err);
/* Ends every session of the user named but the one whose hash is keep (NULL: all). */
TP_MUST_USE int store_web_sessions_end(struct store *s, const char *name, const char *keep, struct tp_error *err);
/* Failed logins since a time: of that login from that address, and of any login from that
 * address, each with the time of the latest (0 when none). */
struct login_failures {
	int64_t pair, pair_last, ip, ip_last;
};
TP_MUST_USE int store_login_failures(struct store *s, const char *login, const char *ip, int64_t since,
	struct login_failures *out, struct tp_error *err);
/* Records a failed login and forgets those before forget_before. */
TP_MUST_USE int store_login_failure_add(struct store *s, const char *login, const char *ip, int64_t at,
	int64_t forget_before, struct tp_error *err);

#endif
