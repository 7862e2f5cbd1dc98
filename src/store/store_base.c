/* What every part of the store uses: units of work and their commit hooks, the statement cache, names' ids, binding helpers, COPY rows, the audit log. */
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

static struct name_id *name_find(const struct name_ids *t, const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

bool store__name_id(const struct name_ids *t, const char *name, int64_t *id)
{
	const struct name_id *e = name_find(t, name);

	if (e)
		*id = e->id;
	return e != NULL;
}

void store__name_id_keep(struct name_ids *t, int cap, const char *name, int64_t id)
{
	struct name_id *e = name_find(t, name);

	if (!e) {
		if (!t->v) {
			t->v = xcalloc((size_t)cap, sizeof(*t->v));
			t->cap = cap;
		}
		e = &t->v[t->n < t->cap ? t->n++ : t->next++ % t->cap];
		free(e->name);
		e->name = xstrdup(name);
	}
	e->id = id;
}

void store__name_ids_clear(struct name_ids *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->v[i].name);
		t->v[i].name = NULL;
	}
	t->n = t->next = 0;
}

int store_begin(struct store *s, struct tp_error *err)
{
	return db_begin(s->db, err);
}

/* With flat nesting, counter changes wait for the outermost unit: an inner unit's
 * failure then either wrote nothing or dooms the whole transaction. */
static bool inner_flat(const struct store *s)
{
	return db_is_flat(s->db) && s->db->tx_depth > 1;
}

/* After the outermost unit ended: a bulk transaction's memory goes with it. */
static void unit_ended(struct store *s)
{
	if (s->db->tx_depth == 0 && s->bulk) {
		s->bulk = false;
		db_set_flat(s->db, false);
		for (int i = 0; i < STORE_HOOKS_MAX && s->hooks->bulk_ended[i]; i++)
			s->hooks->bulk_ended[i](s);
	}
}

int store_begin_bulk(struct store *s, struct tp_error *err)
{
	if (s->db->tx_depth > 0)
		return tp_error_set(err, TP_ERR, "a bulk transaction must be the outermost one");
	if (db_begin(s->db, err))
		return err->code;
	s->bulk = true;
	db_set_flat(s->db, true);
	return 0;
}

int store_commit(struct store *s, struct tp_error *err)
{
	int rc = 0;

	for (int i = 0; !inner_flat(s) && i < STORE_HOOKS_MAX && s->hooks->flush[i]; i++)
		if (s->hooks->flush[i](s, err))
			return err->code;
	rc = db_commit(s->db, err);
	unit_ended(s);
	return rc;
}

void store_rollback(struct store *s)
{
	for (int i = 0; !inner_flat(s) && i < STORE_HOOKS_MAX && s->hooks->discard[i]; i++)
		s->hooks->discard[i](s);
	db_rollback(s->db);
	unit_ended(s);
}

struct db_stmt *store__cached(struct store *s, enum stmt_slot slot, const char *sql, struct tp_error *err)
{
	if (!s->cache[slot])
		s->cache[slot] = db_prepare(s->db, sql, err);
	return s->cache[slot];
}

struct db_stmt *store__cached_insert(struct store *s, enum stmt_slot slot, const char *sql, struct tp_error *err)
{
	if (!s->cache[slot])
		s->cache[slot] = db_prepare_insert(s->db, sql, err);
	return s->cache[slot];
}

/* Runs a prepared statement that returns no row, then finalizes it. */
int store__run_done(struct db_stmt *st, struct tp_error *err)
{
	int rc = db_step(st, err);

	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* Runs a statement expected to return one integer (e.g. RETURNING id) into *out. */
int store__run_id(struct db_stmt *st, int64_t *out, struct tp_error *err)
{
	int rc = db_step(st, err);

	if (rc == DB_ROW) {
		*out = db_col_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = tp_error_set(err, TP_ERR, "the database returned no id");
	}
	db_reset(st);
	return rc;
}

int store_audit(struct store *s, const struct store_who *who, const char *action, const char *entity,
	int64_t entity_id, const char *detail, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db,
		"INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)", err);

	if (!st)
		return err->code;
	db_bind_int64(st, 1, who->at);
	db_bind_text(st, 2, who->actor);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, entity);
	if (entity_id > 0)
		db_bind_int64(st, 5, entity_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, detail);
	return store__run_done(st, err);
}

int store__no_such(struct tp_error *err, const char *what, int64_t id)
{
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	if (strcmp(what, "lead") == 0)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, what, 0, TP_MSG("no lead %s"), 1, text);
	if (strcmp(what, "appointment") == 0)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, what, 0, TP_MSG("no appointment %s"), 1, text);
	if (strcmp(what, "dial") == 0)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, what, 0, TP_MSG("no call placed with id %s"), 1, text);
	return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, what, 0, TP_MSG("no campaign with id %s"), 1, text);
}

/* Commits, or rolls back when rc says the work failed; returns rc or the commit's error. */
int store__finish(struct store *s, int rc, struct tp_error *err)
{
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s, err)) {
		store_rollback(s);
		return err->code;
	}
	return rc;
}

int store__commit_keeping(struct store *s, int rc, struct tp_error *err)
{
	struct tp_error kept = *err;

	if (store__finish(s, 0, err))
		return err->code;
	*err = kept;
	return rc;
}

void store__sql_in_list(struct strbuf *sb, const char *head, int n)
{
	sb_adds(sb, head);
	for (int i = 0; i < n; i++)
		sb_adds(sb, i ? ", ?" : "?");
	sb_adds(sb, ")");
}

size_t store__bind_group(struct db_stmt *st, int first, const char *const *items, size_t n, size_t from,
	size_t per)
{
	size_t k = n - from < per ? n - from : per;

	/* A short last group repeats its last item. */
	for (size_t i = 0; i < per; i++)
		db_bind_text(st, first + (int)i, items[from + (i < k ? i : k - 1)]);
	return k;
}

int64_t store__col_opt(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? -1 : db_col_int64(st, col);
}

void store__bind_opt(struct db_stmt *st, int idx, int64_t v)
{
	if (v < 0)
		db_bind_null(st, idx);
	else
		db_bind_int64(st, idx, v);
}

void store__copy_text(struct strbuf *sb, const char *s, char sep)
{
	if (!s) {
		sb_adds(sb, "\\N");
	} else {
		for (; *s; s++) {
			switch (*s) {
			case '\\': sb_adds(sb, "\\\\"); break;
			case '\t': sb_adds(sb, "\\t"); break;
			case '\n': sb_adds(sb, "\\n"); break;
			case '\r': sb_adds(sb, "\\r"); break;
			default: sb_addc(sb, *s);
			}
		}
	}
	sb_addc(sb, sep);
}

void store__copy_field(struct strbuf *sb, const char *s, char sep)
{
	store__copy_text(sb, s && *s ? s : NULL, sep);
}

int store__copy_in(struct db *db, const char *copy_sql, struct strbuf *rows, struct tp_error *err)
{
	int rc = rows->len ? db->driver->copy_in(db, copy_sql, rows->buf, rows->len, err) : 0;

	sb_reset(rows);
	return rc;
}

/* Steps a SELECT that returns one id or nothing; *id is 0 when nothing. */
int store__find_id(struct db_stmt *st, int64_t *id, struct tp_error *err)
{
	int rc = db_step(st, err);

	*id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	return rc < 0 ? rc : 0;
}
