#ifndef TP_APP_INT_H
#define TP_APP_INT_H
/* Helpers shared by the app layer's files; not for use outside src/app. */
#include "app/app.h"
#include "store/store.h"

/* The use cases' context (app.h). */
struct app {
	struct store *store;
	char actor[128];            /* the login recorded in the audit log */
	unsigned role;              /* one enum app_role */
	int64_t (*clock)(void *arg);  /* UTC seconds now; NULL: the system clock */
	void *clock_arg;
	/* The dialer's connection only: the call placed it is logging, as it stands before it
	 * is saved ended (app_dialer.c). */
	const struct dial_row *placing;
};


/* The actor and the clock's now, for the store's audited writes. */
struct store_who app_who(const struct app *a);
/* An agent may act for themselves; managers, admins and the system for anyone. */
TP_MUST_USE int app_require_self(const struct app *a, const char *agent, const char *what, struct tp_error *err);

/* The rules' verdict on lead_id at at_text (a local time of its campaign, NULL: now) for
 * agent (a lead agent holds is theirs to call): c (initialised by the caller, released by
 * it), *when, the consumer (its phone among the facts) and *r filled. */
struct rules_consumer;
struct rules_result;
/* Scripts (app_scripts.c): gives the lead its variant when it has none running yet; the
 * variant and version a call of the lead records (given: the one the agent had on
 * screen, checked; NULL: what the lead reads now; variant "" and version 0 when none). */
/* Whose appointments the actor may see: sales their own (*sales set to them when NULL),
 * managers and admins anyone's. */
TP_MUST_USE int app__appointments_scope(struct app *a, const char **sales, struct tp_error *err);
TP_MUST_USE int app__script_assign(struct app *a, int64_t lead_id, struct tp_error *err);
TP_MUST_USE int app__script_of_call(struct app *a, int64_t lead_id, const char *given, int64_t given_version,
	char *variant, size_t size, int64_t *version, struct tp_error *err);
TP_MUST_USE int app__lead_verdict(struct app *a, int64_t lead_id, const char *at_text, const char *agent,
	struct campaign *c, int64_t *when, struct rules_consumer *cons, struct rules_result *r, struct tp_error *err);
/* The call placed dial_id (app_dialer.c) as the call the agent logs for lead_id: its
 * result, times and started_at put in ci; TP_ECONFLICT when it is not theirs to log
 * (another's, another lead, still going on, logged already, not a conversation). */
struct call_input;
TP_MUST_USE int app__dial_call(struct app *a, int64_t dial_id, const char *agent, int64_t lead_id,
	struct call_input *ci, struct tp_error *err);

/* A report's period: from and to (YYYY-MM-DD, either may be NULL: open) into *from_day
 * and *to_day (yyyymmdd, left as they are when NULL); a "from" after the "to" is refused
 * (TP_EUSAGE naming from) rather than answered with zeros. */
TP_MUST_USE int app_period(const char *from, const char *to, int *from_day, int *to_day, struct tp_error *err);

#endif
