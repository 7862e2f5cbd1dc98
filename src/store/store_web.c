/*
 * The web server's state that must outlive a request and be shared by several servers:
 * sessions (kept by the hash of their token) and failed logins (for throttling).
 */
#include <stdio.h>

#include "store/store_int.h"

int store_web_session_add(struct store *s, const char *token_hash, int64_t user_id, const char *csrf,
	int64_t now, int64_t expires_at, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	st = db_prepare(s->db, "DELETE FROM web_sessions WHERE expires_at <= ?", err);
	if (!st)
		return store__finish(s, err->code, err);
	db_bind_int64(st, 1, now);
	rc = store__run_done(st, err);
	if (rc == 0) {
		st = db_prepare(s->db, "INSERT INTO web_sessions (token_hash, user_id, csrf, created_at, expires_at)"
			" VALUES (?, ?, ?, ?, ?)", err);
		if (!st)
			return store__finish(s, err->code, err);
		db_bind_text(st, 1, token_hash);
		db_bind_int64(st, 2, user_id);
		db_bind_text(st, 3, csrf);
		db_bind_int64(st, 4, now);
		db_bind_int64(st, 5, expires_at);
		rc = store__run_done(st, err);
	}
	return store__finish(s, rc, err);
}

int store_web_session_get(struct store *s, const char *token_hash, int64_t now, struct web_session *ws,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db,
		"SELECT u.id, u.name, u.role, u.disabled, u.created_at, u.lang, w.csrf, w.expires_at"
		" FROM web_sessions w JOIN users u ON u.id = w.user_id"
		" WHERE w.token_hash = ? AND w.expires_at > ? AND u.disabled = 0", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_text(st, 1, token_hash);
	db_bind_int64(st, 2, now);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		ws->user.id = db_col_int64(st, 0);
		snprintf(ws->user.name, sizeof(ws->user.name), "%s", db_col_text(st, 1));
		snprintf(ws->user.role, sizeof(ws->user.role), "%s", db_col_text(st, 2));
		ws->user.disabled = false;
		ws->user.created_at = db_col_int64(st, 4);
		snprintf(ws->user.lang, sizeof(ws->user.lang), "%s", db_col_text(st, 5));
		snprintf(ws->csrf, sizeof(ws->csrf), "%s", db_col_text(st, 6));
		ws->expires_at = db_col_int64(st, 7);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = tp_error_set(err, TP_ENOTFOUND, "no such session (expired or signed out)");
	}
	db_finalize(st);
	return rc;
}

/* Runs one statement binding a text and an optional integer, in its own transaction. */
static int write_one(struct store *s, const char *sql, const char *text, const int64_t *num, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	st = db_prepare(s->db, sql, err);
	if (!st)
		return store__finish(s, err->code, err);
	if (num) {
		db_bind_int64(st, 1, *num);
		db_bind_text(st, 2, text);
	} else {
		db_bind_text(st, 1, text);
	}
	rc = store__run_done(st, err);
	return store__finish(s, rc, err);
}

int store_web_session_extend(struct store *s, const char *token_hash, int64_t expires_at, struct tp_error *err)
{
	return write_one(s, "UPDATE web_sessions SET expires_at = ? WHERE token_hash = ?", token_hash, &expires_at,
		err);
}

int store_web_session_delete(struct store *s, const char *token_hash, struct tp_error *err)
{
	return write_one(s, "DELETE FROM web_sessions WHERE token_hash = ?", token_hash, NULL, err);
}

int store_web_sessions_end(struct store *s, const char *name, const char *keep, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "DELETE FROM web_sessions WHERE user_id = (SELECT id FROM users"
		" WHERE name = ?1) AND token_hash <> ?2", err);

	if (!st)
		return err->code;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, keep ? keep : "");
	return store__run_done(st, err);
}

int store_login_failures(struct store *s, const char *login, const char *ip, int64_t since,
	struct login_failures *out, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db,
		"SELECT (SELECT COUNT(*) FROM login_failures WHERE login = ?1 AND ip = ?2 AND at >= ?3),"
		" (SELECT COALESCE(MAX(at), 0) FROM login_failures WHERE login = ?1 AND ip = ?2 AND at >= ?3),"
		" (SELECT COUNT(*) FROM login_failures WHERE ip = ?2 AND at >= ?3),"
		" (SELECT COALESCE(MAX(at), 0) FROM login_failures WHERE ip = ?2 AND at >= ?3)", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	db_bind_text(st, 1, login);
	db_bind_text(st, 2, ip);
	db_bind_int64(st, 3, since);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		out->pair = db_col_int64(st, 0);
		out->pair_last = db_col_int64(st, 1);
		out->ip = db_col_int64(st, 2);
		out->ip_last = db_col_int64(st, 3);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = tp_error_set(err, TP_ERR, "counting failed logins returned no row");
	}
	db_finalize(st);
	return rc;
}

int store_login_failure_add(struct store *s, const char *login, const char *ip, int64_t at, int64_t forget_before,
	struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	st = db_prepare(s->db, "DELETE FROM login_failures WHERE at < ?", err);
	if (!st)
		return store__finish(s, err->code, err);
	db_bind_int64(st, 1, forget_before);
	rc = store__run_done(st, err);
	if (rc == 0) {
		st = db_prepare(s->db, "INSERT INTO login_failures (login, ip, at) VALUES (?, ?, ?)", err);
		if (!st)
			return store__finish(s, err->code, err);
		db_bind_text(st, 1, login);
		db_bind_text(st, 2, ip);
		db_bind_int64(st, 3, at);
		rc = store__run_done(st, err);
	}
	return store__finish(s, rc, err);
}
