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
};


/* The actor and the clock's now, for the store's audited writes. */
struct store_who app_who(const struct app *a);
/* An agent may act for themselves; managers, admins and the system for anyone. */
TP_MUST_USE int app_require_self(const struct app *a, const char *agent, const char *what, struct tp_error *err);

/* A report's period: from and to (YYYY-MM-DD, either may be NULL: open) into *from_day
 * and *to_day (yyyymmdd, left as they are when NULL); a "from" after the "to" is refused
 * (TP_EUSAGE naming from) rather than answered with zeros. */
TP_MUST_USE int app_period(const char *from, const char *to, int *from_day, int *to_day, struct tp_error *err);

#endif
