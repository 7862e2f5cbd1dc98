/* Users. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "store/migrations.h"
#include "core/rules.h"
#include "store/store_int.h"
#include "core/hash.h"
#include "core/xalloc.h"

/* Users ------------------------------------------------------------------------------ */

int store_user_add(struct store *s, const struct store_who *who, const char *name, const char *role,
	const char *password_hash, int64_t *id, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	st = db_prepare(s->db, "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)"
		" ON CONFLICT (name) DO NOTHING RETURNING id", err);
	if (!st) {
		db_rollback(s->db);
		return err->code;
	}
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, role);
	db_bind_text(st, 3, password_hash);
	db_bind_int64(st, 4, who->at);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_finalize(st);
	if (rc == DB_DONE)
		rc = tp_error_at(err, TP_EEXIST, NULL, 0, "name", "a user named '%s' exists already", name);
	if (rc >= 0)
		rc = store_audit(s, who, "user.add", "user", *id, role, err);
	return store__finish(s, rc, err);
}

static void read_user(struct db_stmt *st, struct user *u)
{
	u->id = db_col_int64(st, 0);
	snprintf(u->name, sizeof(u->name), "%s", db_col_text(st, 1));
	snprintf(u->role, sizeof(u->role), "%s", db_col_text(st, 2));
	u->disabled = db_col_int64(st, 3) != 0;
	u->created_at = db_col_int64(st, 4);
	snprintf(u->lang, sizeof(u->lang), "%s", db_col_text(st, 5));
	snprintf(u->phone, sizeof(u->phone), "%s", db_col_text(st, 6));
}

int store_user_list(struct store *s, store_user_fn fn, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db,
		"SELECT id, name, role, disabled, created_at, lang, COALESCE(phone, '') FROM users ORDER BY name /* scan-ok */", err);
	int rc;

	if (!st)
		return err->code;
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct user u;

		read_user(st, &u);
		if (fn(ctx, &u))
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_user_get(struct store *s, const char *name, struct user *u, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db,
		"SELECT id, name, role, disabled, created_at, lang, COALESCE(phone, '') FROM users WHERE name = ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_text(st, 1, name);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		read_user(st, u);
	db_finalize(st);
	if (rc == DB_DONE)
		return tp_error_at(err, TP_ENOTFOUND, NULL, 0, "user", "no user named '%s'", name);
	return rc < 0 ? rc : 0;
}

int store_user_password_hash(struct store *s, const char *name, char *buf, size_t size, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT password_hash FROM users WHERE name = ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_text(st, 1, name);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		snprintf(buf, size, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (rc == DB_DONE)
		return tp_error_at(err, TP_ENOTFOUND, NULL, 0, "user", "no user named '%s'", name);
	return rc < 0 ? rc : 0;
}

/* Runs an UPDATE of one user by name with one bound value, audited, in a transaction;
 * keep_an_admin: refused (TP_ECONFLICT) when it leaves no enabled admin (app_users.c). */
static int update_user(struct store *s, const struct store_who *who, const char *sql, const char *name,
	const char *text, int64_t num, const char *action, bool keep_an_admin, struct tp_error *err)
{
	struct db_stmt *st;
	struct user u;
	int rc;

	store__bulk_forget_rules(s);
	if (db_begin(s->db, err))
		return err->code;
	rc = store_user_get(s, name, &u, err);
	if (rc == 0) {
		st = db_prepare(s->db, sql, err);
		if (!st) {
			rc = err->code;
		} else {
			if (text)
				db_bind_text(st, 1, text);
			else
				db_bind_int64(st, 1, num);
			db_bind_int64(st, 2, u.id);
			rc = store__run_done(st, err);
		}
	}
	/* Only a change to an enabled admin can leave the team without one. */
	if (rc == 0 && keep_an_admin && strcmp(u.role, "admin") == 0 && !u.disabled) {
		int64_t admins = 0;

		if ((rc = db_query_int64(s->db, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"
			" /* scan-ok: the team's users */", &admins, err)) == 0 && admins == 0)
			rc = tp_error_at(err, TP_ECONFLICT, NULL, 0, "user", "'%s' is the last admin: make another user admin"
				" before disabling or demoting them", name);
	}
	if (rc == 0)
		rc = store_audit(s, who, action, "user", u.id, text && (strcmp(action, "user.role") == 0 ||
			strcmp(action, "user.phone") == 0) ? text : NULL, err);
	return store__finish(s, rc, err);
}

int store_user_set_password(struct store *s, const struct store_who *who, const char *name,
	const char *password_hash, struct tp_error *err)
{
	return update_user(s, who, "UPDATE users SET password_hash = ? WHERE id = ?", name, password_hash, 0,
		"user.passwd", false, err);
}

int store_user_set_lang(struct store *s, const struct store_who *who, const char *name, const char *lang,
	struct tp_error *err)
{
	return update_user(s, who, "UPDATE users SET lang = ? WHERE id = ?", name, lang, 0, "user.lang", false, err);
}

int store_user_set_phone(struct store *s, const struct store_who *who, const char *name, const char *phone,
	struct tp_error *err)
{
	/* "" is none (never NULL here: update_user binds a number in its place). */
	return update_user(s, who, "UPDATE users SET phone = NULLIF(?, '') WHERE id = ?", name, phone ? phone : "", 0,
		"user.phone", false, err);
}

int store_user_set_role(struct store *s, const struct store_who *who, const char *name, const char *role,
	struct tp_error *err)
{
	return update_user(s, who, "UPDATE users SET role = ? WHERE id = ?", name, role, 0, "user.role", true, err);
}

int store_user_set_disabled(struct store *s, const struct store_who *who, const char *name, bool disabled,
	struct tp_error *err)
{
	return update_user(s, who, "UPDATE users SET disabled = ? WHERE id = ?", name, NULL, disabled ? 1 : 0,
		disabled ? "user.disable" : "user.enable", disabled, err);
}

int store_user_ensure_agent(struct store *s, const struct store_who *who, const char *name, int64_t *id,
	struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	/* A bulk transaction (a call history) knows the agents it met. */
	if (store__bulk_user(s, name, id))
		return 0;
	if (db_begin(s->db, err))
		return err->code;
	/* One statement: a concurrent import naming the same agent waits, then adds nothing. */
	st = db_prepare(s->db, "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, 'agent', '!', ?)"
		" ON CONFLICT (name) DO NOTHING RETURNING id", err);
	if (!st)
		return store__finish(s, err->code, err);
	db_bind_text(st, 1, name);
	db_bind_int64(st, 2, who->at);
	*id = 0;
	rc = store__find_id(st, id, err);
	db_finalize(st);
	if (rc == 0 && *id) {
		rc = store_audit(s, who, "user.add", "user", *id, "agent, from an imported call history", err);
	} else if (rc == 0) {
		st = db_prepare(s->db, "SELECT id FROM users WHERE name = ?", err);
		if (!st)
			return store__finish(s, err->code, err);
		db_bind_text(st, 1, name);
		rc = store__find_id(st, id, err);
		db_finalize(st);
	}
	if (rc == 0 && *id)
		store__bulk_user_keep(s, name, *id);
	return store__finish(s, rc, err);
}

int store_user_calendar_set(struct store *s, const struct store_who *who, const char *user, const char *token_hash,
	struct tp_error *err)
{
	/* "" is none: revoked. */
	return update_user(s, who, "UPDATE users SET calendar_token = NULLIF(?, '') WHERE id = ?", user,
		token_hash ? token_hash : "", 0, token_hash ? "user.calendar" : "user.calendar_revoked", false, err);
}

int store_user_by_calendar(struct store *s, const char *token_hash, char *user, size_t size, bool *found,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT name FROM users WHERE calendar_token = ? AND disabled = 0", err);
	int rc;

	*found = false;
	if (!st)
		return err->code;
	db_bind_text(st, 1, token_hash);
	if ((rc = db_step(st, err)) == DB_ROW) {
		snprintf(user, size, "%s", db_col_text(st, 0));
		*found = true;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
