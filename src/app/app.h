#ifndef TP_APP_H
#define TP_APP_H
/*
 * The application layer: every use case of Telepro, called alike by the CLI and the
 * server (docs/ARCHITECTURE.md). A use case takes a context (the store, who acts, the
 * clock), checks the actor's role, parses and validates what users typed through core's
 * one parser for each kind of value, runs in one transaction, and returns a domain
 * struct or the documented JSON. Front ends only parse their own syntax (options, HTTP)
 * and print. Errors: 0 or a negative tp_status with err filled (TP_EFORBIDDEN when the
 * actor's role may not). JSON returned through json_t ** belongs to the caller.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "core/campaign.h"
#include "core/error.h"
#include "store/store_types.h"

/* Roles, as a mask for the checks. The operating-system user of the CLI is "system":
 * whoever can open the database file can do everything. */
enum app_role {
	APP_AGENT = 1,
	APP_SALES = 2,
	APP_MANAGER = 4,
	APP_ADMIN = 8,
	APP_SYSTEM = 16,
};

/* The use cases' context: a database connection, who acts, and the clock; opaque outside
 * src/app (app_int.h). */
struct app;

/* Opens the database at url (applying migrations: *migrated says how many, may be NULL),
 * acting as the system actor named os_user until app_act_as; *out, closed and freed by
 * app_close (NULL: nothing). */
TP_MUST_USE int app_open(struct app **out, const char *url, const char *os_user, int *migrated, struct tp_error *err);
void app_close(struct app *a);
/* The clock the app reads (NULL: the system's), e.g. a fixed time for tests and demos. */
void app_set_clock(struct app *a, int64_t (*clock)(void *arg), void *arg);
/* Acts as nobody (a request not signed in): no role, named "anonymous" in the logs. */
void app_act_as_nobody(struct app *a);
/* Sizes the database connection's page cache (store_set_cache_kib). */
TP_MUST_USE int app_set_cache_kib(struct app *a, int64_t kib, struct tp_error *err);
/* Acts as the Telepro user login from now on (it must exist and be enabled). */
TP_MUST_USE int app_act_as(struct app *a, const char *login, struct tp_error *err);
/* Acts as an already authenticated user (the server, after a login). */
void app_act_as_user(struct app *a, const struct user *u);
int64_t app_now(const struct app *a);
/* TP_EFORBIDDEN naming what when the actor's role is not in roles (system always is). */
TP_MUST_USE int app_require(const struct app *a, unsigned roles, const char *what, struct tp_error *err);
unsigned app_role_of(const char *role);
TP_MUST_USE int app_schema_version(struct app *a, int64_t *version, struct tp_error *err);

/* A desk operation (next, call log, session) that found the database busy past its
 * timeout, or its connection lost, did nothing: it is tried again, this many times in all,
 * before the error reaches the agent. */
#define APP_TRIES 3

/* Users (app_users.c) ------------------------------------------------------------------ */

#define APP_PASSWORD_MIN 8
#define APP_PASSWORD_MAX 200

/* Checks a new password against the policy (8 to 200 bytes). */
TP_MUST_USE int app_password_check(const char *password, struct tp_error *err);
TP_MUST_USE int app_user_add(struct app *a, const char *name, const char *role, const char *password, int64_t *id,
	struct tp_error *err);
TP_MUST_USE int app_user_get(struct app *a, const char *name, struct user *u, struct tp_error *err);
/* Sets name's password. A user changing their own gives the current one (current; the
 * system actor, the CLI without --as, need not); admins change anyone's. Every other web
 * session of that user ends (keep_token: the cookie of the session asking, kept; NULL:
 * none kept). */
TP_MUST_USE int app_user_passwd(struct app *a, const char *name, const char *current, const char *password,
	const char *keep_token, struct tp_error *err);
/* Admins only; the last enabled admin can be neither disabled nor demoted (TP_ECONFLICT). */
TP_MUST_USE int app_user_set_disabled(struct app *a, const char *name, bool disabled, struct tp_error *err);
TP_MUST_USE int app_user_set_role(struct app *a, const char *name, const char *role, struct tp_error *err);
/* [{"id","name","role","disabled","created_at"}] */
TP_MUST_USE int app_user_list(struct app *a, json_t **out, struct tp_error *err);
/* The enabled sales people, whom an agent hands appointments to: ["marc","sophie"]. */
TP_MUST_USE int app_sales_people(struct app *a, json_t **out, struct tp_error *err);
/* The user when name and password match an enabled user; TP_EUSAGE "wrong login or
 * password" otherwise (the same words whatever was wrong). */
TP_MUST_USE int app_user_login(struct app *a, const char *name, const char *password, struct user *u,
	struct tp_error *err);

/* The language of a user's web pages: "fr", "en", or "" to follow the browser. A user
 * sets their own; admins anyone's. */
TP_MUST_USE int app_user_set_lang(struct app *a, const char *name, const char *lang, struct tp_error *err);
/* The phone that rings for name when Telepro connects a call (a SIP URI; "" removes it):
 * the user themself or an admin. */
TP_MUST_USE int app_user_set_phone(struct app *a, const char *name, const char *phone, struct tp_error *err);

/* Web sessions (app_web.c) -------------------------------------------------------------- */

#define APP_WEB_SESSION_SECONDS (12 * 3600)   /* a working day; extended while used */
/* Failed logins (docs/WEB.md, "Sign-in"): counted over an hour, per login from one address
 * and per address. Past the free ones, the next try waits 30 s after the last failure,
 * doubling with each further failure, at most 15 minutes: a guesser is slowed down to a
 * few tries an hour, and nobody can lock a user out from another address. */
#define APP_LOGIN_WINDOW_SECONDS 3600
#define APP_LOGIN_FREE_PER_PAIR 5             /* a login from one address */
#define APP_LOGIN_FREE_PER_IP 30              /* every login from one address */
#define APP_LOGIN_WAIT_FIRST 30
#define APP_LOGIN_WAIT_MAX 900

/* Seconds a login must still wait after failures (the latest at last) when free of them
 * are free, at now; 0 when it may try. */
int64_t app_login_wait(int64_t failures, int64_t last, int64_t free, int64_t now);

struct app_web_session {
	struct user user;
	char token[65];             /* 256 random bits in hex: the cookie's value, never stored */
	char csrf[65];              /* 256 random bits in hex: forms and state-changing API calls */
	int64_t expires_at;
	int64_t retry_after;        /* TP_ETOOMANY: the seconds to wait before trying again */
};

/* The stored name of a session token (its BLAKE2b hash, hex). */
void app_web_token_hash(const char *token, char out[65]);
/* Checks login and password (throttled per login and address, and per address ip:
 * TP_ETOOMANY, out->retry_after the seconds to wait) and opens a session; the app then acts as
 * that user. An unknown login costs the same Argon2id check as a known one. */
TP_MUST_USE int app_web_login(struct app *a, const char *login, const char *password, const char *ip,
	struct app_web_session *out, struct tp_error *err);
/* The live session of token (TP_ENOTFOUND when none), extended when half used; the app
 * then acts as its user. out->token is left empty. */
TP_MUST_USE int app_web_session(struct app *a, const char *token, struct app_web_session *out, struct tp_error *err);
TP_MUST_USE int app_web_logout(struct app *a, const char *token, struct tp_error *err);

/* Campaigns (app_campaigns.c) ---------------------------------------------------------- */

/* Adds a campaign with the defaults, then settings; c gets the stored campaign. */
TP_MUST_USE int app_campaign_add(struct app *a, const char *name, const struct campaign_setting *set, size_t n,
	struct campaign *c, struct tp_error *err);
/* Applies settings to the stored campaign, read and written in one transaction. */
TP_MUST_USE int app_campaign_set(struct app *a, const char *name, const struct campaign_setting *set, size_t n,
	struct tp_error *err);
TP_MUST_USE int app_campaign_get(struct app *a, const char *name, struct campaign *c, struct tp_error *err);
TP_MUST_USE int app_campaign_get_by_id(struct app *a, int64_t id, struct campaign *c, struct tp_error *err);
/* The same without the lead count, for hot paths (c->leads stays 0). */
TP_MUST_USE int app_campaign_settings_by_id(struct app *a, int64_t id, struct campaign *c, struct tp_error *err);
/* The outcomes a conversation of the campaign may have:
 * [{"code","label_fr","label_en","refusal","final","hot","callback","appointment","sale","do_not_call"}]. */
TP_MUST_USE int app_outcomes(struct app *a, const char *campaign, json_t **out, struct tp_error *err);
/* Where the campaign stands now in its own time zone:
 * {"campaign","now":"YYYY-MM-DD HH:MM","day","weekday","in_block":b,"in_window":b,"blocks":"…","windows":"…"}. */
TP_MUST_USE int app_campaign_now(struct app *a, const char *campaign, json_t **out, struct tp_error *err);
/* Who is calling for the campaign now: {"agents":[{"agent","state":"calling"|"paused"|"idle",
 * "since":"HH:MM"}]} ("idle": no activity for longer than the campaign's idle limit). */
TP_MUST_USE int app_campaign_agents_now(struct app *a, const char *campaign, json_t **out, struct tp_error *err);
TP_MUST_USE int app_campaign_list(struct app *a, store_campaign_fn fn, void *ctx, struct tp_error *err);
/* The same, settings only (no rules, lead count -1): a page's campaign selector. */
TP_MUST_USE int app_campaign_settings_list(struct app *a, store_campaign_fn fn, void *ctx, struct tp_error *err);
/* The documented JSON of a campaign. */
json_t *app_campaign_json(const struct campaign *c);

/* Imports (app_imports.c) -------------------------------------------------------------- */

enum app_import_kind { APP_IMPORT_PROSPECTS, APP_IMPORT_DNC, APP_IMPORT_CALLS };

struct app_import_opts {
	enum app_import_kind kind;
	const char *file;           /* the name errors give, and the import's record */
	const char *campaign;       /* prospects and calls */
	char delimiter;             /* prospects: 0 to detect */
	bool latin1;                /* prospects */
	const char *mapping_file;   /* prospects (optional) and calls (required): its name */
	const char *mapping_text;   /* and its content */
	size_t mapping_len;
	const char *source;         /* dnc: internal, bloctel or other */
	const char *region;         /* dnc: of national numbers (default FR) */
	const char *screened;       /* dnc from bloctel: the day the list was produced (default today) */
	/* prospects: a row whose number is a contact of another campaign: "keep" (default: the
	 * contact as it is), "update" (from the file's names, role, e-mail) or "reject". */
	const char *existing;
	/* Each rejected row, as it is found (may be NULL). */
	void (*on_reject)(void *arg, const struct tp_error *e);
	/* Each row kept with a remark, in the same form (prospects; may be NULL). */
	void (*on_note)(void *arg, const struct tp_error *e);
	void *arg;
	/* Set (e.g. by a signal handler) to stop: nothing is imported. */
	volatile sig_atomic_t *cancel;
};

struct app_import_result {
	long rows;
	long added;                 /* imported prospects or calls, numbers added */
	long duplicates;            /* already there (dnc: already listed) */
	long rejected;
	long notes;                 /* rows kept with a remark (on_note) */
	char campaign[256];
};

struct app_import;
/* Begins an import: one transaction, fed any number of chunks, committed by finish. */
struct app_import *app_import_begin(struct app *a, const struct app_import_opts *o, struct tp_error *err);
TP_MUST_USE int app_import_feed(struct app_import *im, const char *buf, size_t len, struct tp_error *err);
/* Commits (audited) and frees; on failure rolls back and frees. */
TP_MUST_USE int app_import_finish(struct app_import *im, struct app_import_result *res, struct tp_error *err);
/* Rolls back and frees. */
void app_import_abort(struct app_import *im);
/* Rows read so far (for progress). */
long app_import_rows(const struct app_import *im);

/* The numbers to screen against Bloctel: the open leads of campaign (NULL: of every
 * campaign under the French consumer rules), each once, in the national form the
 * service takes (0XXXXXXXXX); fn gets each. Returns how many in *n. */
TP_MUST_USE int app_export_screening(struct app *a, const char *campaign, void (*fn)(void *ctx, const char *number),
	void *ctx, long *n, struct tp_error *err);

/* Exports a campaign's prospects (manager, admin). */
TP_MUST_USE int app_export_prospects(struct app *a, const char *campaign,
	void (*keys_fn)(void *ctx, size_t n, const char *const *keys), store_export_fn fn, void *ctx,
	struct tp_error *err);

/* The export's columns, in order (canonical field ids), and one prospect as JSON:
 * {"lead_id", field: value or null…, "qualification":{key: value}}. */
extern const int app_export_columns[];
extern const size_t app_export_ncolumns;
json_t *app_export_row_json(const struct export_row *row);

/* Calling desk (app_desk.c) ------------------------------------------------------------ */

enum app_session_op { APP_SESSION_START, APP_SESSION_PAUSE, APP_SESSION_RESUME, APP_SESSION_STOP };

struct app_session_result {
	int64_t session_id;         /* start */
	int64_t calling_seconds;    /* stop */
	char campaign[256];
};

/* at: a local time of the campaign (date_parse_datetime's forms), NULL for now. An agent
 * acts for themselves only; managers and admins for anyone. */
TP_MUST_USE int app_session(struct app *a, enum app_session_op op, const char *agent, const char *campaign,
	const char *at, struct app_session_result *res, struct tp_error *err);

/* The lead to call now: {"lead_id","phone","state","attempts","campaign","contact":{},
 * "company":{},"script","calls":[],"qualification":{},"reason"}. TP_ENOTHING with the
 * reason when there is none. */
TP_MUST_USE int app_next(struct app *a, const char *agent, const char *campaign, const char *at, json_t **out,
	struct tp_error *err);

/* Why lead may or may not be called at at (a local time of its campaign, NULL: now), rule
 * by rule: {"lead_id","campaign","at","rules_set","callable",
 * "rules":[{"rule","source","ok","reason","allowed_from"}]}. */
TP_MUST_USE int app_why(struct app *a, int64_t lead_id, const char *at, json_t **out, struct tp_error *err);
/* The same for the lead of campaign with that number (as typed: 04 78 12 34 01, +33...):
 * "may I call this number I was given?". TP_ENOTFOUND naming "phone" when it is none. */
TP_MUST_USE int app_why_phone(struct app *a, const char *campaign, const char *phone, const char *at, json_t **out,
	struct tp_error *err);

/* Records that the person lead calls consented to be called: source (where: "web form",
 * "contest", "call"), day (date_parse_day's forms, NULL: today in the campaign's zone),
 * wording (the words agreed to, may be NULL). Audited. */
TP_MUST_USE int app_consent_record(struct app *a, int64_t lead_id, const char *source, const char *day,
	const char *wording, struct tp_error *err);

/* A call as users type it: times are local times of the campaign, durations text. */
struct app_call {
	const char *agent;
	int64_t lead_id;
	const char *campaign;       /* when there is no lead */
	const char *result, *outcome;
	const char *talk, *ring;    /* durations, NULL: 0 */
	const char *callback_at, *appointment_at, *at;
	const char *sales, *note, *idempotency_key;
	size_t nqual;
	const char *const *qual_key, *const *qual_value;
	bool confirm;               /* keep a callback or appointment outside the calling hours */
	int64_t dial;               /* the call Telepro placed for it (its times are the call's), 0: none */
	const char *script_variant; /* the script on the agent's screen (next's script_variant and */
	int64_t script_version;     /* script_version, 0: its latest); NULL: what the lead reads now */
};

/* {"call_id":N,"appointment_id":N|null[,"replayed":true]} */
TP_MUST_USE int app_call_log(struct app *a, const struct app_call *in, json_t **out, struct tp_error *err);

/* Spreadsheets (app_sheets.c, docs/EXPORTS.md) ------------------------------------------- */

/* The KPIs of q, the appointments (as app_appointment_list sees them) and a campaign's
 * prospects (as app_export_prospects) as an .xlsx workbook at path. */
struct app_kpi_query;
TP_MUST_USE int app_kpi_xlsx(struct app *a, const struct app_kpi_query *q, const char *path, struct tp_error *err);
TP_MUST_USE int app_appointments_xlsx(struct app *a, const char *sales, const char *campaign, const char *path,
	struct tp_error *err);
TP_MUST_USE int app_export_prospects_xlsx(struct app *a, const char *campaign, const char *path,
	struct tp_error *err);
/* insights agents (its query) as a workbook: quantity, each quality rate raw and shrunk. */
struct app_insights_query;
TP_MUST_USE int app_insights_agents_xlsx(struct app *a, const struct app_insights_query *q, const char *path,
	struct tp_error *err);

/* Webhooks (app_webhooks.c, docs/WEBHOOKS.md) -------------------------------------------- */

/* Admins: a hook for url and events ("call.logged,appointment.booked"): {"id","url",
 * "events","secret"} (the secret, once); the hooks with their deliveries' counts; one
 * removed (what it had pending is not sent); its latest 100 deliveries; a test event. */
TP_MUST_USE int app_webhook_add(struct app *a, const char *url, const char *events, json_t **out,
	struct tp_error *err);
TP_MUST_USE int app_webhook_list(struct app *a, json_t **out, struct tp_error *err);
TP_MUST_USE int app_webhook_remove(struct app *a, int64_t id, struct tp_error *err);
TP_MUST_USE int app_webhook_deliveries(struct app *a, int64_t id, json_t **out, struct tp_error *err);
TP_MUST_USE int app_webhook_test(struct app *a, int64_t id, struct tp_error *err);
/* The worker of `telepro serve` that sends the deliveries (its own database connection);
 * backoff: seconds before a failed delivery's first retry (each next doubles, at most an
 * hour apart, for a day). */
struct app_webhooks;
TP_MUST_USE int app_webhooks_start(struct app_webhooks **out, const char *db_url, int backoff_seconds,
	struct tp_error *err);
void app_webhooks_stop(struct app_webhooks *w);

/* Calendars (app_calendar.c, docs/CALENDARS.md) ------------------------------------------ */

/* The appointments (as app_appointment_list sees them; id: one, 0: all) as an iCalendar
 * text the caller frees; base: the server's address for the links ("https://host"), NULL
 * for none; french: the words of the events. */
TP_MUST_USE int app_appointments_ics(struct app *a, const char *sales, const char *campaign, int64_t id,
	const char *base, bool french, char **out, struct tp_error *err);
/* A sales person's subscription feed by its token (no signed-in user: the token is the
 * key); TP_ENOTFOUND for an unknown or revoked one. */
TP_MUST_USE int app_calendar_feed(struct app *a, const char *token, const char *base, char **out,
	struct tp_error *err);
/* A new feed token for user (a sales person; an admin, or the user), written into token
 * (44 bytes at least), replacing any other; revoke: none any more. */
TP_MUST_USE int app_calendar_token(struct app *a, const char *user, bool revoke, char *token, size_t size,
	struct tp_error *err);

/* Call scripts (app_scripts.c, docs/SCRIPTS.md) ------------------------------------------ */

struct app_script_variant {
	const char *name, *body;
};
/* Makes v[0..n) the campaign's running variants (the others stopped; a changed text a new
 * version), with weights ("50,50"; NULL: equal) and the primary rate (NULL: kept).
 * Managers and admins. */
TP_MUST_USE int app_scripts_set(struct app *a, const char *campaign, const struct app_script_variant *v, size_t n,
	const char *weights, const char *primary, struct tp_error *err);
/* {"campaign","primary","expected_call_seconds","variants":[{"variant","weight","stopped",
 * "version","author","created_at","words","reading_seconds","text"}]} */
TP_MUST_USE int app_scripts_get(struct app *a, const char *campaign, json_t **out, struct tp_error *err);
/* {"campaign","variant","versions":[{"version","author","created_at","text"}]}, newest first. */
TP_MUST_USE int app_script_history(struct app *a, const char *campaign, const char *variant, json_t **out,
	struct tp_error *err);

/* Telepro dials (app_dialer.c, docs/TELEPHONY.md) ---------------------------------------- */

/* The server's dialer: its SIP user agent (src/sip) and a database connection of its own,
 * on the SIP thread. Started by `telepro serve --sip-config`; absent otherwise. */
struct app_dialer;
struct sipconf;
/* Starts it (db_url: the server's database; password: the SIP account's, NULL when none),
 * ending first the calls a stopped server left going (logged once, never twice). */
TP_MUST_USE int app_dialer_start(struct app_dialer **out, const char *db_url, const struct sipconf *c,
	const char *password, struct tp_error *err);
/* Hangs up what is going on and stops (NULL is fine). */
void app_dialer_stop(struct app_dialer *d);
/* {"register":"off"|"trying"|"registered"|"failed","status":N,"reason":"..."} */
json_t *app_dialer_status(struct app_dialer *d);

/* Click-to-call: the acting agent has Telepro ring their phone, then lead_id's number (a
 * lead they hold, in a campaign that dials), and join them; *dial_id the call placed.
 * TP_ECONFLICT when the server has no SIP account (d NULL), the campaign dials by hand,
 * the agent has no phone or a call going on already; the rules' refusal when the lead may
 * not be called now. */
TP_MUST_USE int app_dial(struct app *a, struct app_dialer *d, int64_t lead_id, int64_t *dial_id,
	struct tp_error *err);
/* The agent's hang-up button (their own calls; managers' and admins' any). */
TP_MUST_USE int app_dial_hangup(struct app *a, struct app_dialer *d, int64_t dial_id, struct tp_error *err);
/* Progressive dialing: the acting agent's line for campaign (one that dials progressively):
 * Telepro rings their phone once and keeps the line while they call; whenever they are
 * free it takes the next lead (the rules of `next`, checked again as it dials) and joins it
 * on answer. Refusals as app_dial's. Their session is theirs to start (calling time). */
TP_MUST_USE int app_line_start(struct app *a, struct app_dialer *d, const char *campaign, struct tp_error *err);
/* The acting agent's line: its state ("none", "ringing", "ready", "dialing", "wrapup",
 * "paused", "waiting", "ended"), campaign, latest call placed (0: none) and why it waits
 * or ended (why.code 0: nothing to say; a message, said in the reader's language). */
struct app_line {
	const char *state;
	char campaign[256];
	int64_t dial_id;
	struct tp_error why;
};
TP_MUST_USE int app_line_get(struct app *a, struct app_dialer *d, struct app_line *out, struct tp_error *err);
/* What changes an agent's line: their session paused (no new call), resumed, stopped (the
 * line ends), or a conversation's outcome logged (free again). d NULL: nothing. */
enum app_line_event { APP_LINE_PAUSED, APP_LINE_RESUMED, APP_LINE_STOPPED, APP_LINE_LOGGED };
void app_dialer_notify(struct app_dialer *d, const char *agent, enum app_line_event e);
/* {"id","lead_id","agent","campaign","mode","state","end","result","sip_status",
 * "ring_seconds","talk_seconds","call_id"}: so far while it goes on. */
TP_MUST_USE int app_dial_get(struct app *a, int64_t dial_id, json_t **out, struct tp_error *err);

/* A sales person's own appointments when sales is NULL (and only theirs); managers' and
 * admins' of sales, or everyone's.
 * [{"id","call_id","lead_id","campaign","scheduled_at","agent","sales","status","result",
 * "relevant","amount_cents","contact","company","phone","due","notes","qualification":{}}],
 * soonest first ("due": its time has come; "notes": the agent's on the call that set it;
 * "qualification": the prospect's latest answers). */
TP_MUST_USE int app_appointment_list(struct app *a, const char *sales, const char *campaign, json_t **out,
	struct tp_error *err);
/* relevant: "yes"/"oui", "no"/"non" or NULL; amount: euros (units_parse_money) or NULL. */
TP_MUST_USE int app_appointment_result(struct app *a, int64_t id, const char *status, const char *relevant,
	const char *result, const char *amount, struct tp_error *err);

/* Reports (app_reports.c) -------------------------------------------------------------- */

struct app_kpi_query {
	const char *campaign, *agent;   /* NULL: all */
	const char *from, *to;          /* YYYY-MM-DD, NULL: open */
	const char *by;                 /* hour, weekday-hour, day, week, month, agent, campaign, outcome,
	                                   block, dialing; NULL: totals only */
	bool dialed_only;               /* dialing: no groups when Telepro dialed none of the calls
	                                   (the dashboard shows no table then; no call is read) */
};

/* {"filter":{...},"totals":{KPIS},"groups":[{"key",KPIS}],"objectives":{...}} (objectives
 * with a campaign: of the "to" day, default today in the campaign's zone). An agent
 * sees their own KPIs only. */
TP_MUST_USE int app_kpi(struct app *a, const struct app_kpi_query *q, json_t **out, struct tp_error *err);
/* A page of readings (the dashboard, the report) between hold true and false: its KPIs
 * and insights read each campaign's counters as of one revision (store_kpi_hold), so that
 * what one reading read another finds kept, even while calls are logged meanwhile. */
void app_kpi_hold(struct app *a, bool hold);

/* Insights (app_insights.c, docs/INSIGHTS.md) ------------------------------------------ */

struct app_insights_query {
	const char *campaign, *agent;   /* campaign required */
	const char *from, *to;          /* YYYY-MM-DD, NULL: open */
	const char *by;                 /* hour (default), weekday, weekday-hour */
	const char *rate;               /* contact_rate (default), appointment_rate, appointments_per_conversation,
	                                   sales_per_conversation, sales_per_appointment */
	bool compared_only;             /* scripts: when fewer than two variants ever ran, the variants
	                                   alone, no call read (the dashboard then shows nothing) */
};

/* The best calling slots: {"rate","by","test":{"statistic","df","p_value"},
 * "groups":[{"key","value","low","high","n"}],"too_few":[{"key","n","value","needed"}],
 * "pairs":[{"a","b","ratio","p_value","q_value","significant"}],"summary","summary_en"}. */
TP_MUST_USE int app_insights_slots(struct app *a, const struct app_insights_query *q, json_t **out,
	struct tp_error *err);

/* Quantity beside quality per agent, each quality rate also shrunk toward the team
 * (empirical Bayes, beta-binomial: eb_value, eb_low, eb_high), and the flag
 * "forced_appointments" with its evidence when sales mark an agent's appointments
 * irrelevant, no-show or lost significantly more often than the rest of the team (z-test
 * against the rest, Benjamini-Hochberg over agents and tests). Managers and admins;
 * uses campaign, from and to of q. {"agents":[{"agent","calls",...,"flags":[],
 * "evidence":[]}],"team":{...}}, agents in name order. */
TP_MUST_USE int app_insights_agents(struct app *a, const struct app_insights_query *q, json_t **out,
	struct tp_error *err);

/* Scripts compared (docs/SCRIPTS.md): campaign required; managers and admins.
 * {"campaign","primary","expected_call_seconds","variants":[{"variant","weight","stopped",
 * "version","words","reading_seconds","calls","conversations","appointments",
 * "calling_seconds", every rate as {"value","low","high","n"}}],"verdict":{"state":
 * "decided"|"continue"|"stop","winner","variant","ratio","lambda","needed","unit","summary",
 * "summary_en"},"secondary":[{"rate","variant","against","ratio","p_value","q_value",
 * "significant"}],"unassigned_calls"}. */
TP_MUST_USE int app_insights_scripts(struct app *a, const struct app_insights_query *q, json_t **out,
	struct tp_error *err);

/* Contact and success (appointment or sale) rates by attempt number (1 … 5, then 6+
 * pooled), and from which attempt further calls stop paying: the first from which every
 * attempt's success interval lies below half the first call's rate.
 * {"campaign","cap","groups":[{"key","calls","contact_rate","success_rate"}],
 * "stop_paying_from":"6+"|null,"summary","summary_en"}. */
TP_MUST_USE int app_insights_attempts(struct app *a, const struct app_insights_query *q, json_t **out,
	struct tp_error *err);

/* Realistic objectives for a campaign: its measured calls per hour (with interval) times
 * the hours of its calling blocks (else the measured hours an agent calls a day) give a
 * range for an agent's daily and weekly calls; the best day and week any agent did; and a
 * warning when a target is above the range or above anything ever done.
 * {"campaign","calls_per_hour",...,"daily_calls":{"target","realistic_low","realistic_high",
 * "best":{"calls","when","agent"},"warnings":[]},"weekly_calls":{...}}. */
TP_MUST_USE int app_insights_objectives(struct app *a, const struct app_insights_query *q, json_t **out,
	struct tp_error *err);

/* Hot prospects and callbacks that converted later (a later call to the same lead set an
 * appointment or made a sale), by outcome, with the days it took; and for won
 * appointments, the days from the booking call to the meeting and to the win.
 * {"campaign","followups":[{"outcome","conversations","converted","conversion_rate",
 * "days_to_conversion":{"n","median_days","q1_days","q3_days"}}],
 * "won_appointments":{"booking_to_meeting":{...},"booking_to_sale":{...}}}. */
TP_MUST_USE int app_insights_followups(struct app *a, const struct app_insights_query *q, json_t **out,
	struct tp_error *err);

/* The prospect file's health: leads by state, the completeness of their identity, the
 * share exhausted, invalid, and stale (open but nobody called for 90 days), and each
 * import with its duplicate and rejected rates (over time). */
TP_MUST_USE int app_insights_file(struct app *a, const struct app_insights_query *q, json_t **out,
	struct tp_error *err);

/* A person's data (app_person.c, docs/PRIVACY.md): admins only. ------------------------ */

/* Everything about the person with that phone (any written form) or email:
 * {"query":{...},"people":[{"contact":{},"company":{}|null,"leads":[],"calls":[],
 * "appointments":[],"qualification":[],"consents":[],"opposition":[]}]}. Audited. */
TP_MUST_USE int app_person_export(struct app *a, const char *phone, const char *email, json_t **out,
	struct tp_error *err);
/* Erases them (identity, address, notes, qualification, consents; counters stay); their
 * numbers stay in the opposition list only as keyed hashes, and, unless keep_callable,
 * join it as "do not call" (an erasure the person asked for: the next purchased file
 * does not bring them back). *erased gets how many contacts. TP_ENOTFOUND when nobody
 * matches. */
TP_MUST_USE int app_person_erase(struct app *a, const char *phone, const char *email, bool keep_callable, int *erased,
	struct tp_error *err);
/* People not contacted for years (never called: since they came in), for review:
 * {"years","before","people":[{"contact_id","last_name","phone","created_at","last_call_at"}]}. */
TP_MUST_USE int app_person_review(struct app *a, int years, json_t **out, struct tp_error *err);

/* Demo data and moving databases (app_admin.c) ------------------------------------------- */

struct app_demo_result {
	int campaigns, agents;
	long calls;
	int start;                  /* yyyymmdd of the first Monday */
};
/* start: YYYY-MM-DD (its Monday is used), NULL for 2026-10-05. */
TP_MUST_USE int app_demo(struct app *a, int64_t seed, int64_t weeks, const char *start, struct app_demo_result *res,
	struct tp_error *err);

/* Copies the whole database at from_url into the new, empty one at to_url, then checks
 * row counts and KPIs; *calls gets the number of calls copied. */
TP_MUST_USE int app_migrate(const char *from_url, const char *to_url, store_copy_fn fn, void *ctx,
	int64_t *calls, struct tp_error *err);

/* Backs the database up to the new file path, consistently, while others work on (SQLite;
 * admins and the system only). docs/DEPLOY.md, "Backups". */
TP_MUST_USE int app_backup(struct app *a, const char *path, struct tp_error *err);
/* Restores the backup file into the new, empty database at to_url (either backend): a
 * copy of the file is brought to the current schema (an older backup upgrades), then
 * copied as migrate does, row counts and KPIs checked. The file itself is not changed. */
TP_MUST_USE int app_restore(const char *file, const char *to_url, int64_t *calls, struct tp_error *err);

#endif
