/*
 * Web sessions: a login opens a session kept in the database (so that any server behind a
 * load balancer knows it), named by a random 256-bit token that only the browser's cookie
 * holds; the database keeps its BLAKE2b hash. Failed logins are counted per login and per
 * address over a window, in the database too, so that guessing is slow on every server.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "app/app_int.h"

static pthread_mutex_t checking = PTHREAD_MUTEX_INITIALIZER;

static void random_hex(char out[65])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 65, raw, sizeof(raw));
}

/* The stored name of a token: its hash, so that a copy of the database opens nothing. */
int64_t app_login_wait(int64_t failures, int64_t last, int64_t free, int64_t now)
{
	int64_t wait = APP_LOGIN_WAIT_FIRST;

	if (failures < free)
		return 0;
	for (int64_t i = free; i < failures && wait < APP_LOGIN_WAIT_MAX; i++)
		wait *= 2;
	if (wait > APP_LOGIN_WAIT_MAX)
		wait = APP_LOGIN_WAIT_MAX;
	return last + wait > now ? last + wait - now : 0;
}

int app_web_login(struct app *a, const char *login, const char *password, const char *ip,
	struct app_web_session *out, struct tp_error *err)
{
	int64_t now = app_now(a), wait;
	struct login_failures f;
	char hash[65];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!login || !*login || strlen(login) > 100)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "login", "wrong login or password");
	if ((rc = store_login_failures(a->store, login, ip, now - APP_LOGIN_WINDOW_SECONDS, &f, err)))
		return rc;
	wait = app_login_wait(f.pair, f.pair_last, APP_LOGIN_FREE_PER_PAIR, now);
	if (app_login_wait(f.ip, f.ip_last, APP_LOGIN_FREE_PER_IP, now) > wait)
		wait = app_login_wait(f.ip, f.ip_last, APP_LOGIN_FREE_PER_IP, now);
	if (wait > 0) {
		out->retry_after = wait;
		return tp_error_at(err, TP_ETOOMANY, NULL, 0, "login", "too many failed logins: try again in %lld seconds",
			(long long)wait);
	}
	/* One password check at a time in a process: Argon2id takes 64 MiB for each, and a
	 * burst of logins must not multiply the server's memory. */
	pthread_mutex_lock(&checking);
	rc = app_user_login(a, login, password, &out->user, err);
	pthread_mutex_unlock(&checking);
	if (rc == TP_EUSAGE) {
		struct tp_error e2;
		int rc2;

		tp_error_clear(&e2);
		rc2 = store_login_failure_add(a->store, login, ip, now, now - APP_LOGIN_WINDOW_SECONDS, &e2);
		if (rc2) {
			*err = e2;
			return rc2;
		}
		return rc;
	}
	if (rc)
		return rc;
	random_hex(out->token);
	random_hex(out->csrf);
	out->expires_at = now + APP_WEB_SESSION_SECONDS;
	app_web_token_hash(out->token, hash);
	if ((rc = store_web_session_add(a->store, hash, out->user.id, out->csrf, now, out->expires_at, err)))
		return rc;
	app_act_as_user(a, &out->user);
	return 0;
}

int app_web_session(struct app *a, const char *token, struct app_web_session *out, struct tp_error *err)
{
	struct web_session ws;
	int64_t now = app_now(a);
	char hash[65];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != 64)
		return tp_error_set(err, TP_ENOTFOUND, "no such session");
	app_web_token_hash(token, hash);
	if ((rc = store_web_session_get(a->store, hash, now, &ws, err)))
		return rc;
	/* Sliding expiry, written at most twice a session-length rather than on every request. */
	if (ws.expires_at - now < APP_WEB_SESSION_SECONDS / 2) {
		ws.expires_at = now + APP_WEB_SESSION_SECONDS;
		if ((rc = store_web_session_extend(a->store, hash, ws.expires_at, err)))
			return rc;
	}
	out->user = ws.user;
	snprintf(out->csrf, sizeof(out->csrf), "%s", ws.csrf);
	out->expires_at = ws.expires_at;
	app_act_as_user(a, &out->user);
	return 0;
}

int app_web_logout(struct app *a, const char *token, struct tp_error *err)
{
	char hash[65];

	int64_t seconds;
	int rc;

	if (!token || strlen(token) != 64)
		return 0;
	/* Signing out ends the agent's calling session: no calling time is counted after it. */
	if (a->role & (APP_AGENT | APP_MANAGER | APP_ADMIN)) {
		rc = store_session_stop(a->store, a->actor, app_now(a), &seconds, err);
		if (rc && rc != TP_ENOTFOUND && rc != TP_EUSAGE)
			return rc;
		tp_error_clear(err);
	}
	app_web_token_hash(token, hash);
	return store_web_session_delete(a->store, hash, err);
}
