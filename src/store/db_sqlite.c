/*
 * The SQLite driver: WAL journal with synchronous=NORMAL (a committed transaction survives
 * a crash of the process; a power loss may lose the last transactions but never corrupts
 * the file, see docs/ARCHITECTURE.md), foreign keys on, a busy timeout, BEGIN IMMEDIATE
 * for writes so that a writer waits at BEGIN rather than failing at its first write.
 *
 * With TELEPRO_SQL_CHECK set (the test suite sets it), a statement that scanned a whole
 * table is reported on stderr when it is finalized, unless its SQL says scan-ok.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sqlite3.h>

#include "store/db.h"
#include "core/xalloc.h"

struct db_stmt {
	struct db *db;                /* these two first, as in db.c */
	int bind_failed;
	bool writes;                  /* not a SELECT: counted in struct db's writes */
	bool sent_ahead;              /* as in db.c */
	int64_t ahead_id;
	sqlite3_stmt *st;
};

static sqlite3 *conn(struct db *db)
{
	return db->handle;
}

/* A full disk said as such: SQLite calls it "disk I/O error" when the journal cannot grow
 * (ENOSPC), "database or disk is full" when the file cannot. NULL when it is not that. */
static const char *disk_full(sqlite3 *h, int rc)
{
	if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(h) == ENOSPC))
		return "database or disk is full: nothing was done; free some space and try again";
	return NULL;
}

static int fail(struct db *db, struct tp_error *err, const char *what)
{
	int rc = sqlite3_extended_errcode(conn(db));
	int code = (rc & 0xff) == SQLITE_CONSTRAINT ? TP_EUSAGE : TP_ERR;

	if (disk_full(conn(db), rc))
		return tp_error_set(err, TP_ERR, "%s: %s", what, disk_full(conn(db), rc));
	/* Busy past the timeout: nothing was done, another try may do it (app.h, APP_TRIES). */
	if ((rc & 0xff) == SQLITE_BUSY && db->tx_file)
		return tp_error_set(err, TP_EUNAVAILABLE, "%s: database busy (our write transaction began at %s:%d)",
			what, db->tx_file, db->tx_line);
	if ((rc & 0xff) == SQLITE_BUSY)
		return tp_error_set(err, TP_EUNAVAILABLE, "%s: database busy: another writer held it too long", what);
	return tp_error_set(err, code, "%s: %s", what, sqlite3_errmsg(conn(db)));
}

static int sq_exec(struct db *db, const char *sql, struct tp_error *err)
{
	char *msg = NULL;

	int rc = sqlite3_exec(conn(db), sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		const char *full = disk_full(conn(db), sqlite3_extended_errcode(conn(db)));

		if ((rc & 0xff) == SQLITE_BUSY) {
			tp_error_set(err, TP_EUNAVAILABLE, "%s: database busy: another writer held it too long", db->url);
			sqlite3_free(msg);
			return TP_EUNAVAILABLE;
		}
		tp_error_set(err, TP_ERR, "%s: %s", db->url, full ? full : msg ? msg : "error");
		sqlite3_free(msg);
		return TP_ERR;
	}
	return 0;
}

/* Before SQLite initialises: no global allocation statistics (a mutex on every malloc). */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(struct db *db, const char *path, struct tp_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sqlite3 *h = NULL;
	int rc;

	pthread_once(&once, configure_once);
	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK) {
		tp_error_set(err, TP_ERR, "%s: cannot open the database: %s", path,
			h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return TP_ERR;
	}
	db->handle = h;
	/* Writers take turns; one waits this long for another (TELEPRO_SQLITE_BUSY_MS, for
	 * tests and tuning: docs/DEPLOY.md). */
	{
		const char *ms = getenv("TELEPRO_SQLITE_BUSY_MS");
		long v = ms ? strtol(ms, NULL, 10) : 0;

		sqlite3_busy_timeout(h, v > 0 && v <= 600000 ? (int)v : 10000);
	}
	sqlite3_extended_result_codes(h, 1);
	if (sq_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;", err)) {
		sqlite3_close(h);
		db->handle = NULL;
		return TP_ERR;
	}
	return 0;
}

static void sq_close(struct db *db)
{
	sqlite3_close(conn(db));
	db->handle = NULL;
}

static struct db_stmt *sq_prepare(struct db *db, const char *sql, struct tp_error *err)
{
	sqlite3_stmt *st = NULL;
	struct db_stmt *s;

	if (sqlite3_prepare_v3(conn(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fail(db, err, "preparing a statement");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->db = db;
	s->st = st;
	return s;
}

static int sq_insert(struct db_stmt *s, int64_t *id, struct tp_error *err)
{
	int rc = sqlite3_step(s->st);

	if (rc != SQLITE_DONE) {
		rc = fail(s->db, err, "inserting a row");
		sqlite3_reset(s->st);
		return rc;
	}
	*id = sqlite3_last_insert_rowid(conn(s->db));
	sqlite3_reset(s->st);
	return 0;
}

static int sq_bind_int64(struct db_stmt *s, int idx, int64_t v)
{
	return sqlite3_bind_int64(s->st, idx, v) == SQLITE_OK ? 0 : TP_ERR;
}

static int sq_bind_text(struct db_stmt *s, int idx, const char *v, size_t len)
{
	return sqlite3_bind_text64(s->st, idx, v, len, SQLITE_TRANSIENT, SQLITE_UTF8) == SQLITE_OK ? 0 : TP_ERR;
}

static int sq_bind_null(struct db_stmt *s, int idx)
{
	return sqlite3_bind_null(s->st, idx) == SQLITE_OK ? 0 : TP_ERR;
}

static int sq_step(struct db_stmt *s, struct tp_error *err)
{
	switch (sqlite3_step(s->st)) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	default:
		return fail(s->db, err, "running a statement");
	}
}

static int64_t sq_changes(struct db_stmt *s)
{
	return sqlite3_changes64(conn(s->db));
}

static bool sq_col_is_null(struct db_stmt *s, int col)
{
	return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

static int64_t sq_col_int64(struct db_stmt *s, int col)
{
	return sqlite3_column_int64(s->st, col);
}

static const char *sq_col_text(struct db_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s->st, col);
}

static int sq_col_count(struct db_stmt *s)
{
	return sqlite3_column_count(s->st);
}

static const char *sq_col_name(struct db_stmt *s, int col)
{
	return sqlite3_column_name(s->st, col);
}

static void check_scans(struct db_stmt *s)
{
	static int enabled = -1;
	const char *sql;

	if (enabled < 0)
		enabled = getenv("TELEPRO_SQL_CHECK") != NULL;
	if (!enabled)
		return;
	sql = sqlite3_sql(s->st);
	if (sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1) > 0 && sql &&
	    !strstr(sql, "scan-ok"))
		fprintf(stderr, "telepro: SQL check: full table scan in: %s\n", sql);
}

static void sq_reset(struct db_stmt *s)
{
	check_scans(s);
	sqlite3_reset(s->st);
}

static void sq_finalize(struct db_stmt *s)
{
	check_scans(s);
	sqlite3_finalize(s->st);
	free(s);
}

static int sq_begin_write(struct db *db, struct tp_error *err)
{
	return sq_exec(db, "BEGIN IMMEDIATE", err);
}

/* The copy goes to path.partial, renamed to path once whole: a failed backup leaves no
 * file that looks like one. Pages are copied a thousand at a time, so that writers (the
 * server) wait at most for one step. */
static int sq_backup_to(struct db *db, const char *path, struct tp_error *err)
{
	char partial[4096];
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc;

	if (snprintf(partial, sizeof(partial), "%s.partial", path) >= (int)sizeof(partial))
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "output", "the path is too long");
	if (access(path, F_OK) == 0 || access(partial, F_OK) == 0)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "output", "'%s' exists already: a backup never overwrites a file",
			access(path, F_OK) == 0 ? path : partial);
	if (sqlite3_open_v2(partial, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		tp_error_at(err, TP_ERR, NULL, 0, "output", "%s: %s", partial, to ? sqlite3_errmsg(to) : "cannot create it");
		sqlite3_close(to);
		return TP_ERR;
	}
	if (!(b = sqlite3_backup_init(to, "main", conn(db), "main"))) {
		tp_error_set(err, TP_ERR, "backup: %s", sqlite3_errmsg(to));
		sqlite3_close(to);
		unlink(partial);
		return TP_ERR;
	}
	do {
		rc = sqlite3_backup_step(b, 1000);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		tp_error_set(err, TP_ERR, "backup to %s: %s", path, sqlite3_errstr(rc));
		sqlite3_close(to);
		unlink(partial);
		return TP_ERR;
	}
	if (sqlite3_close(to) != SQLITE_OK || rename(partial, path) != 0) {
		tp_error_set(err, TP_ERR, "backup to %s: %s", path, strerror(errno));
		unlink(partial);
		return TP_ERR;
	}
	return 0;
}

static int sq_set_cache_kib(struct db *db, int64_t kib, struct tp_error *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%lld", (long long)kib);
	return sq_exec(db, sql, err);
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.id_column = "INTEGER PRIMARY KEY",
	.lock_rows = "", /* BEGIN IMMEDIATE already serialises writers */
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.prepare_insert = sq_prepare,
	.insert = sq_insert,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.changes = sq_changes,
	.step = sq_step,
	.col_is_null = sq_col_is_null,
	.col_int64 = sq_col_int64,
	.col_text = sq_col_text,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.begin_write = sq_begin_write,
	.set_cache_kib = sq_set_cache_kib,
	.backup_to = sq_backup_to,
	.fk_checks_off = "PRAGMA foreign_keys=OFF",
	.fk_checks_on = "PRAGMA foreign_keys=ON",
	/* Debian's SQLite zeroes deleted content by default; others may not. The journal's
	 * older frames still hold what was erased until a checkpoint empties it. */
	.erase_begin = "PRAGMA secure_delete = ON",
	.erase_end = "PRAGMA wal_checkpoint(TRUNCATE)",
};
