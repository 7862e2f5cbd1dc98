#include <string.h>
#include <strings.h>

#include "store/db.h"
#include "core/xalloc.h"

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/* Every statement starts with a pointer to its connection and the index of the first
 * parameter that failed to bind (0: none), whatever the driver. */
struct db_stmt {
	struct db *db;
	int bind_failed;
	bool writes;
	bool sent_ahead;   /* db_insert_ahead sent it; db_inserted_id reads its answer */
	int64_t ahead_id;  /* db_insert_ahead ran it at once: the new row's id */
};

/* Whether sql may write: anything but a SELECT (a SELECT ... FOR UPDATE locks, writes nothing). */
static bool sql_writes(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '(')
		sql++;
	return strncasecmp(sql, "SELECT", 6) != 0;
}

/* A bind that fails (an index the SQL does not have, a value too big, no memory) is
 * kept on the statement and reported by its next step: callers bind without checking
 * each call, and no failure is lost. */
static int bind_check(struct db_stmt *st, struct tp_error *err);

static void bound(struct db_stmt *st, int idx, int rc)
{
	if (rc && !st->bind_failed)
		st->bind_failed = idx;
}

static struct db *open_with(const struct db_driver *driver, const char *url, const char *target,
	struct tp_error *err)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->driver = driver;
	snprintf(db->url, sizeof(db->url), "%s", url);
	if (driver->open(db, target, err) != 0) {
		free(db);
		return NULL;
	}
	return db;
}

struct db *db_open(const char *url, struct tp_error *err)
{
	const struct db_driver *driver = NULL;
	const char *target = url;

	if (strncmp(url, "sqlite:", 7) == 0) {
		driver = &db_sqlite_driver;
		target = url + 7;
	} else if (strncmp(url, "postgresql:", 11) == 0 || strncmp(url, "postgres:", 9) == 0) {
		driver = &db_pg_driver;
	} else if (strchr(url, ':') == NULL || url[0] == '/' || url[0] == '.') {
		driver = &db_sqlite_driver;
	} else {
		tp_error_set(err, TP_EUSAGE, "%s: unknown database URL (use sqlite:PATH or postgresql://...)", url);
		return NULL;
	}
	if (!*target) {
		tp_error_set(err, TP_EUSAGE, "%s: the database URL names no file (use sqlite:PATH)", url);
		return NULL;
	}
	return open_with(driver, url, target, err);
}

struct db *db_open_scratch(struct tp_error *err)
{
	/* SQLite's name for a private temporary database is the empty file name. */
	return open_with(&db_sqlite_driver, "sqlite:(scratch)", "", err);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	db->closing = true;
	for (int i = 0; i < DB_STMT_CACHE; i++) {
		if (db->stmts[i].st)
			db->driver->finalize(db->stmts[i].st);
		free(db->stmts[i].sql);
	}
	db->driver->close(db);
	free(db);
}

int db_exec(struct db *db, const char *sql, struct tp_error *err)
{
	if (sql_writes(sql))
		db->writes++;
	return db->driver->exec(db, sql, err);
}

static struct db_stmt *prepare_cached(struct db *db, const char *sql, bool replanned, struct tp_error *err)
{
	struct db_stmt *st;
	int free_slot = -1;

	for (int i = 0; i < DB_STMT_CACHE; i++) {
		if (!db->stmts[i].st) {
			if (free_slot < 0)
				free_slot = i;
		} else if (!db->stmts[i].in_use && strcmp(db->stmts[i].sql, sql) == 0) {
			db->stmts[i].in_use = true;
			return db->stmts[i].st;
		}
	}
	st = replanned && db->driver->prepare_replanned ? db->driver->prepare_replanned(db, sql, err)
		: db->driver->prepare(db, sql, err);
	if (st)
		st->writes = sql_writes(sql);
	if (st && free_slot >= 0) {
		db->stmts[free_slot].sql = xstrdup(sql);
		db->stmts[free_slot].st = st;
		db->stmts[free_slot].in_use = true;
	}
	return st;
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct tp_error *err)
{
	return prepare_cached(db, sql, false, err);
}

struct db_stmt *db_prepare_replanned(struct db *db, const char *sql, struct tp_error *err)
{
	return prepare_cached(db, sql, true, err);
}

struct db_stmt *db_prepare_insert(struct db *db, const char *sql, struct tp_error *err)
{
	struct db_stmt *st = db->driver->prepare_insert(db, sql, err);

	if (st)
		st->writes = true;
	return st;
}

int db_insert(struct db_stmt *st, int64_t *id, struct tp_error *err)
{
	int rc = bind_check(st, err);

	if (rc)
		return rc;
	st->db->writes++;
	return st->db->driver->insert(st, id, err);
}

int db_insert_ahead(struct db_stmt *st, struct tp_error *err)
{
	int rc;

	st->sent_ahead = st->db->driver->send && st->db->tx_depth > 0;
	if (!st->sent_ahead)
		return db_insert(st, &st->ahead_id, err);
	if ((rc = db_send(st, err)))
		st->sent_ahead = false;
	return rc;
}

int db_inserted_id(struct db_stmt *st, int64_t *id, struct tp_error *err)
{
	if (!st->sent_ahead) {
		*id = st->ahead_id;
		return 0;
	}
	st->sent_ahead = false;
	return st->db->driver->insert(st, id, err);
}

void db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	bound(st, idx, st->db->driver->bind_int64(st, idx, v));
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (!s)
		bound(st, idx, st->db->driver->bind_null(st, idx));
	else
		bound(st, idx, st->db->driver->bind_text(st, idx, s, strlen(s)));
}

void db_bind_text_or_null(struct db_stmt *st, int idx, const char *s)
{
	db_bind_text(st, idx, s && *s ? s : NULL);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	bound(st, idx, st->db->driver->bind_null(st, idx));
}

/* Reports a bind failure kept on the statement, once. */
static int bind_check(struct db_stmt *st, struct tp_error *err)
{
	int idx = st->bind_failed;

	if (!idx)
		return 0;
	st->bind_failed = 0;
	return tp_error_set(err, TP_ERR, "could not bind parameter %d of a statement (a bug: please report it)", idx);
}

int db_step(struct db_stmt *st, struct tp_error *err)
{
	int rc = bind_check(st, err);

	if (rc)
		return rc;
	if (st->writes)
		st->db->writes++;
	return st->db->driver->step(st, err);
}

int db_step_later(struct db_stmt *st, struct tp_error *err)
{
	int rc = bind_check(st, err);

	if (rc)
		return rc;
	if (!st->db->driver->step_later || st->db->tx_depth == 0) {
		rc = db_step(st, err);
		return rc < 0 ? rc : 0;
	}
	st->db->writes++;
	return st->db->driver->step_later(st, err);
}

int db_send(struct db_stmt *st, struct tp_error *err)
{
	int rc = bind_check(st, err);

	if (rc || !st->db->driver->send)
		return rc;
	if (st->writes)
		st->db->writes++;
	return st->db->driver->send(st, err);
}

bool db_col_is_null(struct db_stmt *st, int col)
{
	return st->db->driver->col_is_null(st, col);
}

int64_t db_col_int64(struct db_stmt *st, int col)
{
	return st->db->driver->col_int64(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	const char *s = st->db->driver->col_text(st, col);

	return s ? s : "";
}

void db_reset(struct db_stmt *st)
{
	st->bind_failed = 0;
	st->sent_ahead = false;
	st->db->driver->reset(st);
}

void db_finalize(struct db_stmt *st)
{
	struct db *db;

	if (!st)
		return;
	db = st->db;
	for (int i = 0; i < DB_STMT_CACHE; i++) {
		if (db->stmts[i].st == st) {
			st->bind_failed = 0;
			db->driver->reset(st);
			db->stmts[i].in_use = false;
			return;
		}
	}
	db->driver->finalize(st);
}

/* Nested units are savepoints: an inner failure undoes the inner unit only. */
static int savepoint(struct db *db, const char *verb, int depth, struct tp_error *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "%s tp_%d", verb, depth);
	/* Opening or releasing one needs no answer now; rolling back to one does. */
	if (db->driver->exec_later && strncmp(verb, "ROLLBACK", 8) != 0)
		return db->driver->exec_later(db, sql, err);
	return db->driver->exec(db, sql, err);
}

/* Foreign-key checks back on after a trusted transaction. */
static int fk_on(struct db *db, struct tp_error *err)
{
	int rc = db->driver->exec(db, db->driver->fk_checks_on, err);

	if (rc == 0)
		db->fk_off = false;
	return rc;
}

/* At the end of an outer transaction: a failure leaves fk_off set, and the next db_begin
 * tries again and refuses to begin without the checks. */
static void outer_ended(struct db *db)
{
	struct tp_error later;

	tp_error_clear(&later);
	db->tx_ended++;
	db->tx_depth = 0;
	db->tx_file = NULL;
	if (db->fk_off && fk_on(db, &later))
		tp_error_clear(&later);
}

static int begin_outer(struct db *db, struct tp_error *err, const char *file, int line)
{
	int rc = db->driver->begin_write(db, err);

	if (rc == 0) {
		db->tx_depth = 1;
		db->tx_file = file;
		db->tx_line = line;
	}
	return rc;
}

int db_begin_trusted_at(struct db *db, struct tp_error *err, const char *file, int line)
{
	int rc;

	if (db->tx_depth > 0 || !db->driver->fk_checks_off || db->fk_off)
		return db_begin_at(db, err, file, line);
	if ((rc = db->driver->exec(db, db->driver->fk_checks_off, err)))
		return rc;
	db->fk_off = true;
	if ((rc = begin_outer(db, err, file, line))) {
		struct tp_error later;

		tp_error_clear(&later);
		if (fk_on(db, &later))
			tp_error_clear(&later);   /* the next db_begin tries again */
	}
	return rc;
}

int db_begin_at(struct db *db, struct tp_error *err, const char *file, int line)
{
	int rc;

	if (db->tx_depth > 0 && db->flat) {
		if (db->tx_depth >= DB_NEST_MAX)
			return tp_error_set(err, TP_ERR, "units of work nested more than %d deep", DB_NEST_MAX);
		db->marks[db->tx_depth++] = db->writes;
		return 0;
	}
	if (db->tx_depth > 0) {
		if ((rc = savepoint(db, "SAVEPOINT", db->tx_depth, err)))
			return rc;
		db->tx_depth++;
		return 0;
	}
	if (db->fk_off && (rc = fk_on(db, err)))
		return rc;
	return begin_outer(db, err, file, line);
}

int db_commit(struct db *db, struct tp_error *err)
{
	int rc;

	if (db->tx_depth > 1) {
		db->tx_depth--;
		return db->flat ? 0 : savepoint(db, "RELEASE SAVEPOINT", db->tx_depth, err);
	}
	if (db->doomed) {
		db_rollback(db);
		return tp_error_set(err, TP_ERR, "a unit of work failed after writing inside a shared transaction:"
			" nothing was kept");
	}
	rc = db->driver->exec(db, "COMMIT", err);
	if (rc == 0)
		outer_ended(db);
	return rc;
}

void db_rollback(struct db *db)
{
	struct tp_error ignored;

	tp_error_clear(&ignored);
	if (db->tx_depth == 0)
		return;
	if (db->tx_depth > 1 && db->flat) {
		db->tx_depth--;
		if (db->writes != db->marks[db->tx_depth])
			db->doomed = true;
		return;
	}
	if (db->tx_depth > 1) {
		db->tx_depth--;
		savepoint(db, "ROLLBACK TO SAVEPOINT", db->tx_depth, &ignored);
		savepoint(db, "RELEASE SAVEPOINT", db->tx_depth, &ignored);
		return;
	}
	db->driver->exec(db, "ROLLBACK", &ignored);
	db->doomed = false;
	outer_ended(db);
}

int db_query_int64(struct db *db, const char *sql, int64_t *out, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(db, sql, err);
	int rc;

	if (!st)
		return err->code;
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*out = db_col_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = tp_error_set(err, TP_ENOTFOUND, "no row for: %.200s", sql);
	}
	db_finalize(st);
	return rc;
}

const char *db_lock_rows(struct db *db)
{
	return db->driver->lock_rows ? db->driver->lock_rows : "";
}

const char *db_lock_row(struct db *db)
{
	return db->driver->lock_row ? db->driver->lock_row : "";
}

int64_t db_changes(struct db_stmt *st)
{
	return st->db->driver->changes(st);
}

int db_col_count(struct db_stmt *st)
{
	return st->db->driver->col_count(st);
}

const char *db_col_name(struct db_stmt *st, int col)
{
	return st->db->driver->col_name(st, col);
}

int db_ids_follow(struct db *db, const char *table, struct tp_error *err)
{
	return db->driver->ids_follow ? db->driver->ids_follow(db, table, err) : 0;
}

int db_set_cache_kib(struct db *db, int64_t kib, struct tp_error *err)
{
	return db->driver->set_cache_kib ? db->driver->set_cache_kib(db, kib, err) : 0;
}

void db_set_flat(struct db *db, bool flat)
{
	db->flat = flat;
}

bool db_is_flat(const struct db *db)
{
	return db->flat && db->tx_depth > 0;
}

void db_note_write(struct db *db)
{
	db->writes++;
}

bool db_in_transaction(const struct db *db)
{
	return db->tx_depth > 0;
}

bool db_can(const struct db *db, enum db_capability cap)
{
	return (db->driver->caps & (unsigned)cap) != 0;
}
