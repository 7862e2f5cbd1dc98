#ifndef TP_APP_INT_H
#define TP_APP_INT_H
/* Helpers shared by the app layer's files; not for use outside src/app. */
#include "app/app.h"

/* The actor and the clock's now, for the store's audited writes. */
struct store_who app_who(const struct app *a);
/* An agent may act for themselves; managers, admins and the system for anyone. */
TP_MUST_USE int app_require_self(const struct app *a, const char *agent, const char *what, struct tp_error *err);

#endif
