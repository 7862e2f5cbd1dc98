/* The application context: store, actor, clock (app.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "app/app_int.h"
#include "core/xalloc.h"
#include "core/date.h"

int app_open(struct app **out, const char *url, const char *os_user, int *migrated, struct tp_error *err)
{
	struct app *a;

	*out = NULL;
	/* Password hashes and row hashes of imports come from libsodium. */
	if (sodium_init() < 0)
		return tp_error_set(err, TP_ERR, "libsodium could not start");
	a = xcalloc(1, sizeof(*a));
	snprintf(a->actor, sizeof(a->actor), "%s", os_user && *os_user ? os_user : "system");
	a->role = APP_SYSTEM;
	if (!(a->store = store_open(url, migrated, err))) {
		free(a);
		return err->code ? err->code : TP_ERR;
	}
	*out = a;
	return 0;
}

void app_close(struct app *a)
{
	if (!a)
		return;
	store_close(a->store);
	free(a);
}

void app_set_clock(struct app *a, int64_t (*clock)(void *arg), void *arg)
{
	a->clock = clock;
	a->clock_arg = arg;
}

void app_act_as_nobody(struct app *a)
{
	snprintf(a->actor, sizeof(a->actor), "%s", "anonymous");
	a->role = 0;
	store_kpi_hold(a->store, false);    /* nor the revisions a page of the last one held */
}

int app_set_cache_kib(struct app *a, int64_t kib, struct tp_error *err)
{
	return store_set_cache_kib(a->store, kib, err);
}

unsigned app_role_of(const char *role)
{
	static const struct {
		const char *name;
		unsigned role;
	} roles[] = {{"agent", APP_AGENT}, {"sales", APP_SALES}, {"manager", APP_MANAGER}, {"admin", APP_ADMIN}};

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (role && strcmp(role, roles[i].name) == 0)
			return roles[i].role;
	return 0;
}

void app_act_as_user(struct app *a, const struct user *u)
{
	snprintf(a->actor, sizeof(a->actor), "%s", u->name);
	a->role = app_role_of(u->role);
}

int app_act_as(struct app *a, const char *login, struct tp_error *err)
{
	struct user u;
	int rc = store_user_get(a->store, login, &u, err);

	if (rc == TP_ENOTFOUND)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "as", 0, TP_MSG("no user named '%s' to act as"), 1, login);
	if (rc)
		return rc;
	if (u.disabled)
		return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, "as", 0, TP_MSG("user '%s' is disabled"), 1, login);
	app_act_as_user(a, &u);
	return 0;
}

int64_t app_now(const struct app *a)
{
	return a->clock ? a->clock(a->clock_arg) : (int64_t)time(NULL);
}

int app_require(const struct app *a, unsigned roles, const char *what, struct tp_error *err)
{
	if (a->role & (roles | APP_SYSTEM))
		return 0;
	return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, NULL, 0, TP_MSG("%s: your role may not do that (%s)"), 2, what,
		a->actor);
}

struct store_who app_who(const struct app *a)
{
	struct store_who w = {a->actor, app_now(a)};

	return w;
}

int app_require_self(const struct app *a, const char *agent, const char *what, struct tp_error *err)
{
	if (a->role & (APP_MANAGER | APP_ADMIN | APP_SYSTEM))
		return 0;
	if ((a->role & APP_AGENT) && agent && strcmp(agent, a->actor) == 0)
		return 0;
	return tp_error_msg(err, TP_EFORBIDDEN, NULL, 0, NULL, 0, TP_MSG("%s: an agent acts for themselves only (%s)"), 2,
		what, a->actor);
}

int app_schema_version(struct app *a, int64_t *version, struct tp_error *err)
{
	return store_schema_version(a->store, version, err);
}

int app_period(const char *from, const char *to, int *from_day, int *to_day, struct tp_error *err)
{
	int rc;

	if ((from && (rc = date_parse_day(from, "from", from_day, err))) ||
	    (to && (rc = date_parse_day(to, "to", to_day, err))))
		return rc;
	if (from && to && *from_day > *to_day)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "from", 0, TP_MSG("%s is after the end of the period (%s): no day"
			" in between"), 2, from, to);
	return 0;
}

/* A session token as the store keeps it (its hash: a stolen database opens no session);
 * here, below the users and the web sessions that both need it. */
void app_web_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}
