#ifndef TP_STORE_INT_H
#define TP_STORE_INT_H
/* Helpers shared by the store's files (store_base.c and the others); not for
 * use outside src/store. */
#include "core/calling.h"
#include "core/session.h"
#include "core/campaign.h"
#include "core/xalloc.h"
#include "store/db.h"
#include "store/store.h"

#define STORE_CACHE_SIZE 32
#define STORE_DESK_AGENTS 64
#define STORE_DESK_CAMPAIGNS 16

/* Ids by name, up to a number of names fixed by the first store__name_id_keep (a full
 * table replaces its oldest name); the names are copies. */
struct name_ids {
	struct name_id {
		char *name;
		int64_t id;
	} *v;
	int n, cap, next;
};
/* True and *id when name is there. */
bool store__name_id(const struct name_ids *t, const char *name, int64_t *id);
void store__name_id_keep(struct name_ids *t, int cap, const char *name, int64_t id);
/* Forgets every name (the table stays usable). */
void store__name_ids_clear(struct name_ids *t);

/*
 * What the end of a unit of work does, in order (store_open.c names them, so that no part
 * of the store calls another in a loop): flush writes what the unit kept in memory before
 * its commit (spans, then counters: the order the desk writes them), discard forgets it
 * after a rollback, bulk_ended forgets what a bulk transaction kept. NULL ends a list.
 */
#define STORE_HOOKS_MAX 8
struct store_hooks {
	int (*flush[STORE_HOOKS_MAX])(struct store *s, struct tp_error *err);
	void (*discard[STORE_HOOKS_MAX])(struct store *s);
	void (*bulk_ended[STORE_HOOKS_MAX])(struct store *s);
};

struct store {
	struct db *db;
	/* The database's name in keys of the process-wide memo (core/memo.h): its address and
	 * its own random id (settings 'memo.id', so that a database made again at the same
	 * address is another), read at the first use; memo_url NULL: none (a scratch one). */
	char *memo_url, *memo_name;
	/* store_kpi_hold: the revisions read first by a page's readings, by campaign. */
	bool kpi_held;
	struct kpi_held {
		int64_t campaign_id, counters, settings;
	} held[8];
	int nheld;
	const struct store_hooks *hooks;
	/* Statements of hot paths, prepared on first use and kept until store_close
	 * (the slots are named below). */
	struct db_stmt *cache[STORE_CACHE_SIZE];
	/* KPI counter changes of the current unit of work, written when it ends (with flat
	 * nesting, when the outermost unit ends), and an open-addressing index over them
	 * (pending_slots entries, a power of two, holding row + 1; 0 is empty). */
	void *pending;
	size_t npending, pending_cap;
	uint32_t *pending_index;
	size_t pending_slots;
	/* Campaign rules read by this connection, by id and revision (store__rules_cached);
	 * none are kept from a transaction that changed a campaign (rules_changed_in) until it
	 * ends, committed or not. */
	struct campaign rules[8];
	int nrules, rules_next;
	bool rules_changed;
	uint64_t rules_changed_in;
	/* Inside store_begin_bulk: what the bulk transaction keeps in memory (store_bulk.c). */
	bool bulk;
	struct bulk_cache *bc;
	/* Agents' and campaigns' ids as this connection's "next" found them by their names
	 * (store_next.c: its claim goes with the queries that read them again). */
	struct name_ids desk_agents, desk_campaigns;
	/* Whether any webhook is registered, as read at webhooks_read (monotonic seconds):
	 * read again after two seconds (store_webhooks.c). */
	bool webhooks_any;
	int64_t webhooks_read;
};

/* Webhooks (store_webhooks.c, docs/WEBHOOKS.md): whether a live event should be written
 * to the outbox at all (cheap: remembered two seconds), and its deliveries written, one
 * per registered hook that takes event, in the caller's transaction. body: the JSON. */
TP_MUST_USE int store__webhooks_any(struct store *s, bool *any, struct tp_error *err);
TP_MUST_USE int store__webhook_event(struct store *s, const char *event, const char *body, int64_t at,
	struct tp_error *err);

/* The rules of campaign c (id and revision read) copied into c when this connection has
 * them; store__rules_keep keeps a copy of c's; store__rules_changed before a change. */
bool store__rules_cached(struct store *s, struct campaign *c);
void store__rules_keep(struct store *s, const struct campaign *c);
void store__rules_changed(struct store *s);
/* Scripts (store_scripts.c): a new version of variant's text when it changed; the text a
 * campaign's settings saved, as a version of its first variant. */
TP_MUST_USE int store__script_save(struct store *s, const struct store_who *who, int64_t campaign_id,
	const char *variant, const char *body, struct tp_error *err);
TP_MUST_USE int store__script_campaign_saved(struct store *s, const struct store_who *who, int64_t campaign_id,
	const char *body, struct tp_error *err);
/* The whole campaign (settings and rules) into c when this connection read it at that
 * revision (a change of any setting bumps it). */
bool store__campaign_known(struct store *s, int64_t id, int64_t revision, int64_t created_at, struct campaign *c);

/* Writes the agents' day spans a bulk transaction kept in memory (a commit hook). */
TP_MUST_USE int store__bulk_spans_flush(struct store *s, struct tp_error *err);
/* Forgets all it kept (the transaction ended), or only what it read (rules changed). */
void store__bulk_forget(struct store *s);
void store__bulk_forget_rules(struct store *s);
/* Inside a bulk transaction, what was read once: true and *out filled when known (a
 * campaign by id, or by name when name is not NULL); the _keep functions remember it.
 * Outside one they find nothing and keep nothing. */
bool store__bulk_campaign(struct store *s, int64_t id, const char *name, struct campaign *c);
void store__bulk_campaign_keep(struct store *s, const struct campaign *c);
bool store__bulk_outcome(struct store *s, int64_t campaign_id, const char *code, struct outcome *o);
void store__bulk_outcome_keep(struct store *s, int64_t campaign_id, const struct outcome *o);
bool store__bulk_user(struct store *s, const char *name, int64_t *id);
/* An agent's open session (id 0: none), with what it needs of its campaign. */
/* Agents' sessions as the bulk transaction found or left them (the demo's agents are its
 * own; a call history's have none): read once, then kept as it writes them. */
bool store__bulk_session(struct store *s, int64_t agent_id, struct session *ses);
/* keep is false when the session is not kept (outside a bulk transaction, or too many). */
bool store__bulk_session_keep(struct store *s, int64_t agent_id, const struct session *ses);
void store__bulk_session_forget(struct store *s, int64_t agent_id);
/* A session's row as the bulk transaction leaves it (ended_at 0: open), written once at the
 * commit (store__sessions_write, store_sessions.c): only for a session kept above, which
 * the transaction then reads from the cache, not from its row. */
void store__bulk_session_write(struct store *s, const struct session *ses, int64_t ended_at);
TP_MUST_USE int store__sessions_write(struct store *s, struct tp_error *err);
/* Each session row to write, in session id order, then forgets them all. */
typedef int (*store_session_row_fn)(struct store *s, const struct session *ses, int64_t ended_at,
	struct tp_error *err);
TP_MUST_USE int store__bulk_sessions_each(struct store *s, store_session_row_fn fn, struct tp_error *err);
/* What a call log reads of its lead. */
struct lead_row {
	int64_t id, campaign_id, contact_id;
	int attempts;
	char phone[24];
	int64_t campaign_revision, campaign_created;  /* to know the campaign without reading it */
};
/* Leads a bulk transaction read for the call logs that follow (the one a "next" just
 * claimed, locked till its end; a call history's batch): kept, up to BULK_LEADS, with
 * the attempts each call logged adds (store__bulk_lead_called); clear starts afresh. */
#define BULK_LEADS 256
bool store__bulk_lead_get(struct store *s, int64_t lead_id, struct lead_row *l);
void store__bulk_lead_keep(struct store *s, const struct lead_row *l);
void store__bulk_lead_called(struct store *s, int64_t lead_id);
void store__bulk_leads_clear(struct store *s);
/* The hold a bulk transaction's "next" has not written yet: the call log that follows
 * clears it anyway, so it is written only before something else that could see holds
 * (store__hold_flush: another "next", a call log of another lead, the commit). keep is
 * false outside a bulk transaction (write it then); peek gives it; clear forgets it when
 * it is lead_id's. */
bool store__bulk_hold_keep(struct store *s, int64_t lead_id, int64_t agent_id, int64_t until);
bool store__bulk_hold_peek(struct store *s, int64_t *lead_id, int64_t *agent_id, int64_t *until);
void store__bulk_hold_clear(struct store *s, int64_t lead_id);
/* Writes the pending hold unless it is lead except's (store_next.c). */
TP_MUST_USE int store__hold_flush(struct store *s, int64_t except, struct tp_error *err);
void store__bulk_user_keep(struct store *s, const char *name, int64_t id);
/* An agent's first call start and last call end of a day on a campaign: kept in memory
 * (written at commit) inside a bulk transaction; span_keep is false outside one. */
bool store__bulk_span(struct store *s, int64_t campaign_id, int64_t agent_id, int64_t day, int64_t *first,
	int64_t *last);
bool store__bulk_span_keep(struct store *s, int64_t campaign_id, int64_t agent_id, int64_t day, int64_t first,
	int64_t last);
TP_MUST_USE int store__span_write(struct store *s, int64_t campaign_id, int64_t agent_id, int64_t day, int64_t first,
	int64_t last, struct tp_error *err);

/* Runs a statement that returns no row, then finalizes it. */
TP_MUST_USE int store__run_done(struct db_stmt *st, struct tp_error *err);
/* Steps a statement returning one integer into *out, then resets it. */
TP_MUST_USE int store__run_id(struct db_stmt *st, int64_t *out, struct tp_error *err);
/* Steps a SELECT returning one id or nothing (*id = 0), then resets it. */
TP_MUST_USE int store__find_id(struct db_stmt *st, int64_t *id, struct tp_error *err);
/* Commits the unit of work although rc reports a refusal that must not undo it (an
 * idle session closed, nothing to call); returns rc with err as it was, or the commit's
 * error. */
TP_MUST_USE int store__commit_keeping(struct store *s, int rc, struct tp_error *err);
/* Commits when rc >= 0, else rolls back; returns rc or the commit's error. */
/* TP_ENOTFOUND: "no lead 12" (what: "lead", "appointment" or "campaign"), as a message. */
int store__no_such(struct tp_error *err, const char *what, int64_t id);
TP_MUST_USE int store__finish(struct store *s, int rc, struct tp_error *err);
/* Optional integers: -1 is SQL NULL. */
int64_t store__col_opt(struct db_stmt *st, int col);
void store__bind_opt(struct db_stmt *st, int idx, int64_t v);

/* A campaign's settings and rules without its lead count (for hot paths). */
TP_MUST_USE int store__campaign_rules(struct store *s, int64_t id, struct campaign *c, struct tp_error *err);

/* Appends head, then n placeholders and ")": "... IN (" gives "... IN (?, ?, ?)". */
void store__sql_in_list(struct strbuf *sb, const char *head, int n);
/* Binds items[from..] to the per parameters from first on (a short last group repeats its
 * last item); returns how many of them the group has. */
size_t store__bind_group(struct db_stmt *st, int first, const char *const *items, size_t n, size_t from,
	size_t per);

/* Appends s as a COPY text field (NULL when s is NULL; "" stays "") and a separator. */
void store__copy_text(struct strbuf *sb, const char *s, char sep);
/* The same, with an empty s written as NULL (an import's absent field). */
void store__copy_field(struct strbuf *sb, const char *s, char sep);
/* Loads rows (COPY text) by copy_sql ("COPY t (...) FROM STDIN") when there are any, and
 * empties rows whatever the outcome. */
TP_MUST_USE int store__copy_in(struct db *db, const char *copy_sql, struct strbuf *rows, struct tp_error *err);

/* A bulk transaction's new calls whose ids nobody reads (a call history's), kept as COPY
 * rows to be written together where the driver bulk loads (copy_in); NULL elsewhere and
 * outside a bulk transaction. */
struct strbuf *store__bulk_calls(struct store *s);
/* Writes them (store_calls.c): before a call is written otherwise (ids keep the order of
 * the calls), before calls are looked up by key, and at the commit. Only calls whose
 * caller checked their keys go there (call_input.key_new: a call history, which reads no
 * call between two checks). */
TP_MUST_USE int store__calls_flush(struct store *s, struct tp_error *err);

/* Slots of struct store's statement cache. */
enum stmt_slot {
	SLOT_OPPOSITION_ADD, SLOT_COUNTERS_ADD, SLOT_USER_BY_NAME, SLOT_LEAD_FOR_CALL,
	SLOT_CALL_BY_KEY, SLOT_OUTCOME_BY_CODE, SLOT_CALL_ADD, SLOT_QUAL_LATEST, SLOT_QUAL_ADD_CALL,
	SLOT_APPOINTMENT_ADD, SLOT_LEAD_UPDATE, SLOT_SESSION_OPEN, SLOT_SESSION_TOUCH, SLOT_SPAN_GET,
	SLOT_SPAN_SET, SLOT_APPOINTMENT_BY_CALL, SLOT_ROLLUP_AGENT_MONTH, SLOT_ROLLUP_HOUR_MONTH, SLOT_ROLLUP_DAY,
	SLOT_QUEUE_0, SLOT_QUEUE_1, SLOT_QUEUE_2, SLOT_QUEUE_3, SLOT_QUEUE_4, SLOT_HELD, SLOT_HOLD,
	SLOT_OUTCOME_DAY, SLOT_OUTCOME_MONTH, SLOT_CALL_ADD_LATER, SLOT_CALLS_KNOWN,
	SLOT_KPI_REVISION,
	SLOT_COUNT,
};

_Static_assert(SLOT_COUNT <= STORE_CACHE_SIZE, "struct store's statement cache is too small");

/* The cached statement of slot, prepared from sql the first time. */
struct db_stmt *store__cached(struct store *s, enum stmt_slot slot, const char *sql, struct tp_error *err);

/* The same for an INSERT run with db_insert. */
struct db_stmt *store__cached_insert(struct store *s, enum stmt_slot slot, const char *sql, struct tp_error *err);

/* Adds a conversation's delta to the outcome counters of (campaign, agent, local day,
 * outcome) and their month rollup; written with the others when the unit of work ends. */
TP_MUST_USE int store__outcome_counters_add(struct store *s, int64_t campaign_id, int64_t agent_id, int day,
	int64_t outcome_id, const struct kpi_counts *delta, struct tp_error *err);
/* Adds delta to the counters of (campaign, agent, local day, local hour) and their
 * rollups; written by counters_flush when the unit of work ends (finish_tx). */
TP_MUST_USE int store__counters_add(struct store *s, int64_t campaign_id, int64_t agent_id, int day, int hour,
	const struct kpi_counts *delta, struct tp_error *err);

TP_MUST_USE int store__counters_flush(struct store *s, struct tp_error *err);
void store__counters_discard(struct store *s);

/* Credits calling time [from, to) to the counters, split at local hour boundaries. */
TP_MUST_USE int store__credit_calling_time(struct store *s, int64_t campaign_id, int64_t agent_id, const char *zone, int64_t from,
	int64_t to, struct tp_error *err);

/* Shared by the desk's files (store_sessions.c): a user's id by name, refused when
 * disabled (field names the input); the agent and their open session, its query sent
 * ahead (send), read (store__agent_session), then its statement released (done); a step
 * of a session core decided, applied (calling time, then the session saved or closed). */
TP_MUST_USE int store__user_id(struct store *s, const char *name, const char *field, int64_t *id, struct tp_error *err);
TP_MUST_USE int store__agent_session_send(struct store *s, const char *name, struct tp_error *err);
void store__agent_session_done(struct store *s);
TP_MUST_USE int store__agent_session(struct store *s, const char *name, int64_t *agent_id, struct session *ses,
	struct tp_error *err);
TP_MUST_USE int store__session_apply(struct store *s, int64_t agent_id, const struct session *ses,
	const struct session_step *step, struct tp_error *err);
/* A lead as the call log reads it (store_leads.c), its query sent ahead first (send). */
TP_MUST_USE int store__load_lead_send(struct store *s, int64_t id, struct tp_error *err);
TP_MUST_USE int store__load_lead(struct store *s, int64_t id, struct lead_row *l, struct tp_error *err);

#endif
