/* Users: roles, passwords (Argon2id through libsodium), enabling. */
#include <pthread.h>
#include <string.h>
#include <sodium.h>

#include "app/app_int.h"
#include "core/dialing.h"

int app_password_check(const char *password, struct tp_error *err)
{
	size_t n = password ? strlen(password) : 0;

	if (n < APP_PASSWORD_MIN)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "password", 0, TP_MSG("at least %s characters"), 1,
			TP_STR(APP_PASSWORD_MIN));
	if (n > APP_PASSWORD_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "password", 0, TP_MSG("at most %s bytes"), 1,
			TP_STR(APP_PASSWORD_MAX));
	return 0;
}

static int hash_password(const char *password, char hash[crypto_pwhash_STRBYTES], struct tp_error *err)
{
	int rc = app_password_check(password, err);

	if (rc)
		return rc;
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return tp_error_set(err, TP_ERR, "could not hash the password (out of memory?)");
	return 0;
}

static int check_name(const char *name, struct tp_error *err)
{
	if (!name || !*name || strlen(name) > 100)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "name", 0, TP_MSG("a user name has 1 to 100 bytes"), 0);
	return 0;
}

int app_user_add(struct app *a, const char *name, const char *role, const char *password, int64_t *id,
	struct tp_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct store_who who = app_who(a);
	int rc;

	if ((rc = app_require(a, APP_ADMIN, "user add", err)) || (rc = check_name(name, err)))
		return rc;
	if (!app_role_of(role))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "role", 0, TP_MSG("'%s': agent, sales, manager or admin"), 1,
			role ? role : "");
	if ((rc = hash_password(password, hash, err)))
		return rc;
	rc = store_user_add(a->store, &who, name, role, hash, id, err);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int app_user_get(struct app *a, const char *name, struct user *u, struct tp_error *err)
{
	return store_user_get(a->store, name, u, err);
}

int app_user_passwd(struct app *a, const char *name, const char *current, const char *password,
	const char *keep_token, struct tp_error *err)
{
	char hash[crypto_pwhash_STRBYTES], keep[65];
	struct store_who who = app_who(a);
	struct user u;
	int rc;

	/* Users change their own password, proving it is them; admins anyone's. */
	if (strcmp(name, a->actor) != 0 && (rc = app_require(a, APP_ADMIN, "user passwd", err)))
		return rc;
	if ((rc = store_user_get(a->store, name, &u, err)))
		return rc;
	if (strcmp(name, a->actor) == 0 && a->role != APP_SYSTEM) {
		struct user me;

		if (!current || !*current)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "current_password", 0, TP_MSG("give your current password"), 0);
		if (app_user_login(a, name, current, &me, err))
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "current_password", 0, TP_MSG("the current password is wrong"), 0);
	}
	if ((rc = hash_password(password, hash, err)) || (rc = store_user_set_password(a->store, &who, name, hash, err)))
		return rc;
	/* Whoever had the old password (or a session opened with it) is out. */
	if (!keep_token || strlen(keep_token) != 64)
		return store_web_sessions_end(a->store, name, NULL, err);
	app_web_token_hash(keep_token, keep);
	return store_web_sessions_end(a->store, name, keep, err);
}

int app_user_set_role(struct app *a, const char *name, const char *role, struct tp_error *err)
{
	struct store_who who = app_who(a);
	struct user u;
	int rc = app_require(a, APP_ADMIN, "user role", err);

	if (rc)
		return rc;
	if (!app_role_of(role))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "role", 0, TP_MSG("'%s': agent, sales, manager or admin"), 1,
			role ? role : "");
	/* The same role again changes nothing (the users page sends it with every save). */
	if ((rc = store_user_get(a->store, name, &u, err)) || strcmp(u.role, role) == 0)
		return rc;
	return store_user_set_role(a->store, &who, name, role, err);
}

int app_user_set_disabled(struct app *a, const char *name, bool disabled, struct tp_error *err)
{
	struct store_who who = app_who(a);
	int rc = app_require(a, APP_ADMIN, disabled ? "user disable" : "user enable", err);

	return rc ? rc : store_user_set_disabled(a->store, &who, name, disabled, err);
}

int app_user_set_lang(struct app *a, const char *name, const char *lang, struct tp_error *err)
{
	struct store_who who = app_who(a);
	int rc;

	if (strcmp(name, a->actor) != 0 && (rc = app_require(a, APP_ADMIN, "user lang", err)))
		return rc;
	if (!lang || (strcmp(lang, "fr") && strcmp(lang, "en") && *lang))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "lang", "'%s': fr, en, or empty to follow the browser",
			lang ? lang : "");
	return store_user_set_lang(a->store, &who, name, lang, err);
}

int app_user_set_phone(struct app *a, const char *name, const char *phone, struct tp_error *err)
{
	struct store_who who = app_who(a);
	int rc;

	if (strcmp(name, a->actor) != 0 && (rc = app_require(a, APP_ADMIN, "user phone", err)))
		return rc;
	if ((rc = dialing_check_phone_address(phone, err)))
		return rc;
	return store_user_set_phone(a->store, &who, name, phone, err);
}

static int list_one(void *ctx, const struct user *u)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:b,s:I,s:s,s:o}", "id", (json_int_t)u->id, "name", u->name,
		"role", u->role, "disabled", u->disabled, "created_at", (json_int_t)u->created_at, "lang", u->lang, "phone",
		u->phone[0] ? json_string(u->phone) : json_null()));
	return 0;
}

int app_user_list(struct app *a, json_t **out, struct tp_error *err)
{
	json_t *list;
	int rc;

	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "user list", err)))
		return rc;
	list = json_array();
	if ((rc = store_user_list(a->store, list_one, list, err))) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int sales_one(void *ctx, const struct user *u)
{
	if (strcmp(u->role, "sales") == 0 && !u->disabled)
		json_array_append_new(ctx, json_string(u->name));
	return 0;
}

int app_sales_people(struct app *a, json_t **out, struct tp_error *err)
{
	json_t *list;
	int rc;

	if ((rc = app_require(a, APP_AGENT | APP_SALES | APP_MANAGER | APP_ADMIN, "sales people", err)))
		return rc;
	list = json_array();
	if ((rc = store_user_list(a->store, sales_one, list, err))) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* The hash an unknown login is checked against, so that it costs what a known one does
 * (no telling accounts apart by the time of the answer). */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	unsigned char secret[32];
	char hex[65];

	randombytes_buf(secret, sizeof(secret));
	sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
	if (crypto_pwhash_str(dummy_hash, hex, strlen(hex), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

int app_user_login(struct app *a, const char *name, const char *password, struct user *u, struct tp_error *err)
{
	char hash[crypto_pwhash_STRBYTES + 1];
	int rc = store_user_password_hash(a->store, name, hash, sizeof(hash), err);

	if (rc == TP_ENOTFOUND) {
		pthread_once(&dummy_once, make_dummy);
		/* Never a match: the dummy's secret was drawn at random and thrown away. */
		if (password && strlen(password) <= APP_PASSWORD_MAX && dummy_hash[0] &&
		    crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			return tp_error_set(err, TP_ERR, "the dummy password check matched: impossible");
		goto wrong;
	}
	if (rc)
		return rc;
	if (!password || strlen(password) > APP_PASSWORD_MAX ||
	    crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
		goto wrong;
	if ((rc = store_user_get(a->store, name, u, err)))
		return rc;
	if (!u->disabled)
		return 0;
wrong:
	/* The same words whatever was wrong: no hint for whoever guesses. */
	return tp_error_at(err, TP_EUSAGE, NULL, 0, "login", "wrong login or password");
}
