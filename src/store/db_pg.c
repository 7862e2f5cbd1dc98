/*
 * The PostgreSQL driver (libpq): one connection per struct db (so per thread), each
 * statement prepared once on its connection, parameters always bound (text format,
 * types inferred by the server), RETURNING id for inserts, and FOR UPDATE SKIP LOCKED
 * where the store hands out a lead, so that a lead held by one transaction is never given
 * by another and never waited for. Portable SQL from the store is adapted here only:
 * '?' and '?N' placeholders become '$N'.
 *
 * Round trips are the cost of a desk operation here, not the server's work. So what the
 * store sends without needing an answer (BEGIN, savepoints, counter upserts, row updates:
 * db_step_later) is queued in libpq's pipeline mode and goes with the next statement
 * whose answer it needs: the whole queue, that statement and one sync cost one round
 * trip. A queued statement that failed makes that statement fail with its error.
 */
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "store/db.h"
#include "core/xalloc.h"

#define PG_PARAMS_MAX 64
#define PG_QUEUE_MAX 256

struct db_stmt {
	struct db *db;                /* these two first, as in db.c */
	int bind_failed;
	bool writes;                  /* not a SELECT: counted in struct db's writes */
	bool sent_ahead;              /* as in db.c */
	int64_t ahead_id;
	char name[32];
	int nparams;
	char *values[PG_PARAMS_MAX];  /* owned copies, NULL for SQL NULL */
	PGresult *res;
	int row;                      /* the current row, -1 before the first step */
	int nrows;
	bool returns_id;              /* prepared by prepare_insert */
	char *text;                   /* prepare_replanned: the SQL, sent at each run (else prepared) */
	bool awaiting;                /* sent in the pipeline (db_send), its answer not read yet */
};

struct pg_conn {
	PGconn *conn;
	unsigned long next_stmt;
	int queued;                   /* statements sent in pipeline mode, not yet answered */
	struct db_stmt *target[PG_QUEUE_MAX];  /* where each one's answer goes (NULL: checked only) */
};

static PGconn *conn(struct db *db)
{
	return ((struct pg_conn *)db->handle)->conn;
}

/* TP_EUNAVAILABLE when the server has gone away (the connection is lost), else code. */
static int lost_or(struct db *db, int code)
{
	return db->handle && PQstatus(((struct pg_conn *)db->handle)->conn) == CONNECTION_BAD ? TP_EUNAVAILABLE : code;
}

/* Maps a failed result to an error: integrity violations are the user's (exit 2). */
static int fail(struct db *db, PGresult *res, struct tp_error *err, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn(db));
	int code = state && strncmp(state, "23", 2) == 0 ? TP_EUSAGE : TP_ERR;

	/* The server went away (a restart, a shutdown): the connection is lost, not the data. */
	if (PQstatus(conn(db)) == CONNECTION_BAD || (state && (strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)))
		code = TP_EUNAVAILABLE;
	char clean[400];
	size_t n;

	snprintf(clean, sizeof(clean), "%s", msg && *msg ? msg : "error");
	n = strlen(clean);
	while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
		clean[--n] = '\0';
	if (db->tx_file && state && (!strcmp(state, "40001") || !strcmp(state, "40P01")))
		return tp_error_set(err, code, "%s: %s (our transaction began at %s:%d)", what, clean, db->tx_file,
			db->tx_line);
	return tp_error_set(err, code, "%s: %s", what, clean);
}

/* Sends sql (one statement, no parameters) or the prepared statement st into the
 * pipeline, entering pipeline mode when needed; its result goes to target (a statement
 * whose db_step will read it), or is only checked when target is NULL. */
static int send_queued(struct db *db, const char *sql, struct db_stmt *st, struct db_stmt *target,
	struct tp_error *err);

/* Syncs the pipeline and reads every answer, each to its target statement. Returns the
 * first error of a queued statement, or 0 (a target whose statement failed or was skipped
 * gets no result). Leaves pipeline mode. */
static int settle(struct db *db, struct tp_error *err)
{
	struct pg_conn *pc = db->handle;
	int n = pc->queued, idx = 0, rc = 0;
	bool got = false;             /* query idx has given its result */
	PGresult *res;

	if (!n && PQpipelineStatus(pc->conn) == PQ_PIPELINE_OFF)
		return 0;
	pc->queued = 0;
	if (!PQpipelineSync(pc->conn))
		rc = tp_error_set(err, lost_or(db, TP_ERR), "PostgreSQL pipeline: %s", PQerrorMessage(pc->conn));
	/* Each query's results end with a NULL; the sync's result comes last. */
	while (rc == 0 || PQstatus(pc->conn) == CONNECTION_OK) {
		struct db_stmt *target = idx < n ? pc->target[idx] : NULL;
		ExecStatusType st;

		res = PQgetResult(pc->conn);
		if (!res) {
			if (target)
				target->awaiting = false;
			got = false;
			if (++idx > n + 1 || PQstatus(pc->conn) != CONNECTION_OK) {
				if (rc == 0)
					rc = tp_error_set(err, lost_or(db, TP_ERR), "PostgreSQL pipeline: %s", PQerrorMessage(pc->conn));
				break;
			}
			continue;
		}
		st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (st == PGRES_FATAL_ERROR && rc == 0)
			rc = fail(db, res, err, target ? "running a statement" : "running a queued statement");
		if (target && !got && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)) {
			target->res = res;
			target->row = -1;
			target->nrows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
		} else {
			PQclear(res);
		}
		got = true;
	}
	for (int i = 0; i < n; i++)
		if (pc->target[i])
			pc->target[i]->awaiting = false;
	if (!PQexitPipelineMode(pc->conn) && rc == 0)
		rc = tp_error_set(err, lost_or(db, TP_ERR), "PostgreSQL pipeline: %s", PQerrorMessage(pc->conn));
	return rc;
}

static int send_queued(struct db *db, const char *sql, struct db_stmt *st, struct db_stmt *target,
	struct tp_error *err)
{
	struct pg_conn *pc = db->handle;
	int ok, rc;

	if (pc->queued == PG_QUEUE_MAX && (rc = settle(db, err)))
		return rc;
	if (!pc->queued && PQpipelineStatus(pc->conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(pc->conn))
		return tp_error_set(err, lost_or(db, TP_ERR), "PostgreSQL pipeline: %s", PQerrorMessage(pc->conn));
	ok = !st ? PQsendQueryParams(pc->conn, sql, 0, NULL, NULL, NULL, NULL, 0)
		: st->text ? PQsendQueryParams(pc->conn, st->text, st->nparams, NULL, (const char *const *)st->values, NULL,
		NULL, 0) : PQsendQueryPrepared(pc->conn, st->name, st->nparams, (const char *const *)st->values, NULL, NULL, 0);
	if (!ok)
		return tp_error_set(err, lost_or(db, TP_ERR), "PostgreSQL pipeline: %s", PQerrorMessage(pc->conn));
	if (target)
		target->awaiting = true;
	pc->target[pc->queued++] = target;
	return 0;
}

/* A statement given back before its answer came: the answer is dropped. */
static void forget_target(struct db_stmt *st)
{
	struct pg_conn *pc = st->db->handle;

	if (!st->awaiting || !pc)
		return;
	for (int i = 0; i < pc->queued; i++)
		if (pc->target[i] == st)
			pc->target[i] = NULL;
	st->awaiting = false;
}

/* Queues a statement that needs no answer now: inside a transaction only, where its
 * failure fails the transaction anyway. */
static int pg_exec_later(struct db *db, const char *sql, struct tp_error *err)
{
	return send_queued(db, sql, NULL, NULL, err);
}

static int pg_exec(struct db *db, const char *sql, struct tp_error *err)
{
	struct pg_conn *pc = db->handle;
	PGresult *res;
	ExecStatusType st;
	int rc = 0;

	if (pc->queued && !strchr(sql, ';') && strncmp(sql, "ROLLBACK", 8) != 0)
		/* With the queue: one round trip (a COMMIT, a savepoint). */
		return (rc = send_queued(db, sql, NULL, NULL, err)) ? rc : settle(db, err);
	/* A ROLLBACK must run even when a queued statement failed: the queue first. */
	if (pc->queued && (rc = settle(db, err)) && strncmp(sql, "ROLLBACK", 8) != 0)
		return rc;
	rc = 0;
	res = PQexec(pc->conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = fail(db, res, err, "running a statement");
	PQclear(res);
	return rc;
}

static void notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* "relation already exists, skipping" and the like */
}

static int pg_open(struct db *db, const char *target, struct tp_error *err)
{
	struct pg_conn *pc = xcalloc(1, sizeof(*pc));

	(void)target;
	/* libpq takes the whole URL (postgresql://user@host:port/db?...). */
	pc->conn = PQconnectdb(db->url);
	if (PQstatus(pc->conn) != CONNECTION_OK) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(pc->conn));
		msg[strcspn(msg, "\n")] = '\0';
		tp_error_set(err, TP_EUNAVAILABLE, "cannot connect to PostgreSQL: %s", msg);
		PQfinish(pc->conn);
		free(pc);
		return TP_ERR;
	}
	PQsetNoticeProcessor(pc->conn, notice_quiet, NULL);
	db->handle = pc;
	return pg_exec(db, "SET client_min_messages = warning; SET TIME ZONE 'UTC'", err);
}

static void pg_close(struct db *db)
{
	struct pg_conn *pc = db->handle;

	if (!pc)
		return;
	PQfinish(pc->conn);
	free(pc);
	db->handle = NULL;
}

/* Rewrites '?' and '?N' placeholders as '$N'; *nparams gets the highest number. */
static char *convert(const char *sql, int *nparams)
{
	struct strbuf sb;
	int seq = 0, max = 0;
	bool quoted = false;

	sb_init(&sb);
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p != '?' || quoted) {
			sb_addc(&sb, *p);
			continue;
		}
		if (p[1] >= '0' && p[1] <= '9') {
			int n = 0;

			while (p[1] >= '0' && p[1] <= '9')
				n = n * 10 + (*++p - '0');
			sb_addf(&sb, "$%d", n);
			if (n > max)
				max = n;
		} else {
			sb_addf(&sb, "$%d", ++seq);
			if (seq > max)
				max = seq;
		}
	}
	*nparams = max;
	return sb.buf;
}

static struct db_stmt *prepare(struct db *db, const char *sql, bool returns_id, bool replan, struct tp_error *err)
{
	struct pg_conn *pc = db->handle;
	struct db_stmt *st;
	char *text;
	PGresult *res;
	int n;

	if (returns_id) {
		struct strbuf sb;

		sb_init(&sb);
		sb_adds(&sb, sql);
		sb_adds(&sb, " RETURNING id");
		text = convert(sb.buf, &n);
		sb_release(&sb);
	} else {
		text = convert(sql, &n);
	}
	if (n > PG_PARAMS_MAX) {
		free(text);
		tp_error_set(err, TP_ERR, "preparing a statement: more than %d parameters", PG_PARAMS_MAX);
		return NULL;
	}
	st = xcalloc(1, sizeof(*st));
	st->db = db;
	st->nparams = n;
	st->row = -1;
	st->returns_id = returns_id;
	snprintf(st->name, sizeof(st->name), "tp%lu", ++pc->next_stmt);
	if (replan) {
		/* Parsed and planned by the server at each run, with the values it gets. */
		st->text = text;
		return st;
	}
	if (pc->queued && settle(db, err)) {
		free(text);
		free(st);
		return NULL;
	}
	res = PQprepare(pc->conn, st->name, text, n, NULL);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fail(db, res, err, "preparing a statement");
		PQclear(res);
		free(st);
		return NULL;
	}
	PQclear(res);
	return st;
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql, struct tp_error *err)
{
	return prepare(db, sql, false, false, err);
}

static struct db_stmt *pg_prepare_insert(struct db *db, const char *sql, struct tp_error *err)
{
	return prepare(db, sql, true, false, err);
}

static struct db_stmt *pg_prepare_replanned(struct db *db, const char *sql, struct tp_error *err)
{
	return prepare(db, sql, false, true, err);
}

static int set_param(struct db_stmt *st, int idx, char *value)
{
	if (idx < 1 || idx > st->nparams) {
		free(value);
		return TP_ERR;
	}
	free(st->values[idx - 1]);
	st->values[idx - 1] = value;
	return 0;
}

static int pg_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return set_param(st, idx, xstrdup(buf));
}

static int pg_bind_text(struct db_stmt *st, int idx, const char *s, size_t len)
{
	return set_param(st, idx, xstrndup(s, len));
}

static int pg_bind_null(struct db_stmt *st, int idx)
{
	return set_param(st, idx, NULL);
}

static void clear_result(struct db_stmt *st)
{
	forget_target(st);
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
}

static int pg_step(struct db_stmt *st, struct tp_error *err)
{
	struct pg_conn *pc = st->db->handle;

	if (!st->res && (pc->queued || st->awaiting)) {
		/* Sent already (db_send), or with the queue: one round trip for all. */
		int rc = st->awaiting ? 0 : send_queued(st->db, NULL, st, st, err);

		if (rc == 0)
			rc = settle(st->db, err);
		if (rc == 0 && !st->res)
			rc = tp_error_set(err, lost_or(st->db, TP_ERR), "running a statement: no answer (an earlier statement failed)");
		if (rc) {
			clear_result(st);
			return rc;
		}
	}
	if (!st->res) {
		ExecStatusType status;

		st->res = st->text ? PQexecParams(conn(st->db), st->text, st->nparams, NULL,
			(const char *const *)st->values, NULL, NULL, 0) : PQexecPrepared(conn(st->db), st->name, st->nparams,
			(const char *const *)st->values, NULL, NULL, 0);
		status = PQresultStatus(st->res);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			int rc = fail(st->db, st->res, err, "running a statement");

			clear_result(st);
			return rc;
		}
		st->nrows = status == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
	}
	st->row++;
	return st->row < st->nrows ? DB_ROW : DB_DONE;
}

static int pg_step_later(struct db_stmt *st, struct tp_error *err)
{
	return send_queued(st->db, NULL, st, NULL, err);
}

static int pg_send(struct db_stmt *st, struct tp_error *err)
{
	if (st->res || st->awaiting)
		return tp_error_set(err, TP_ERR, "sending a statement not reset since its last run");
	return send_queued(st->db, NULL, st, st, err);
}

static int64_t pg_changes(struct db_stmt *st)
{
	const char *n = st->res ? PQcmdTuples(st->res) : "";

	return *n ? strtoll(n, NULL, 10) : 0;
}

static bool pg_col_is_null(struct db_stmt *st, int col)
{
	return PQgetisnull(st->res, st->row, col);
}

static int64_t pg_col_int64(struct db_stmt *st, int col)
{
	return PQgetisnull(st->res, st->row, col) ? 0 : strtoll(PQgetvalue(st->res, st->row, col), NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	return PQgetisnull(st->res, st->row, col) ? NULL : PQgetvalue(st->res, st->row, col);
}

static int pg_col_count(struct db_stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_col_name(struct db_stmt *st, int col)
{
	return st->res ? PQfname(st->res, col) : "";
}

static int pg_ids_follow(struct db *db, const char *table, struct tp_error *err)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
		" COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)", table, table);
	return pg_exec(db, sql, err);
}

static void pg_reset(struct db_stmt *st)
{
	clear_result(st);
}

static void pg_finalize(struct db_stmt *st)
{
	char sql[64];
	PGresult *res;

	clear_result(st);
	for (int i = 0; i < st->nparams; i++)
		free(st->values[i]);
	/* A connection about to close forgets its statements anyway. */
	if (st->text) {
		free(st->text);
	} else if (st->db->handle && !st->db->closing && PQstatus(conn(st->db)) == CONNECTION_OK) {
		struct tp_error ignored;

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		if (((struct pg_conn *)st->db->handle)->queued) {
			/* Goes with the queue (a failure there is the queue's, not this). */
			if (send_queued(st->db, sql, NULL, NULL, &ignored))
				tp_error_clear(&ignored);
		} else {
			res = PQexec(conn(st->db), sql);
			PQclear(res);
		}
	}
	free(st);
}

static int pg_insert(struct db_stmt *st, int64_t *id, struct tp_error *err)
{
	int rc = pg_step(st, err);

	if (rc == DB_ROW) {
		*id = pg_col_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = tp_error_set(err, TP_ERR, "inserting a row: no id returned");
	}
	clear_result(st);
	return rc;
}

static int pg_copy_in(struct db *db, const char *copy_sql, const char *data, size_t len, struct tp_error *err)
{
	PGresult *res;
	int rc = ((struct pg_conn *)db->handle)->queued ? settle(db, err) : 0;

	if (rc)
		return rc;
	res = PQexec(conn(db), copy_sql);

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = fail(db, res, err, "starting a bulk load");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	while (len > 0 && rc == 0) {
		int chunk = len > (1 << 20) ? (1 << 20) : (int)len;

		if (PQputCopyData(conn(db), data, chunk) != 1)
			rc = tp_error_set(err, lost_or(db, TP_ERR), "bulk load: %s", PQerrorMessage(conn(db)));
		data += chunk;
		len -= (size_t)chunk;
	}
	if (PQputCopyEnd(conn(db), rc ? "aborted" : NULL) != 1 && rc == 0)
		rc = tp_error_set(err, lost_or(db, TP_ERR), "bulk load: %s", PQerrorMessage(conn(db)));
	while ((res = PQgetResult(conn(db))) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = fail(db, res, err, "bulk load");
		PQclear(res);
	}
	return rc;
}

static int pg_begin_write(struct db *db, struct tp_error *err)
{
	return pg_exec_later(db, "BEGIN", err);
}

static int pg_lock_schema(struct db *db, bool lock, struct tp_error *err)
{
	/* One migrating process at a time, across the whole cluster's clients. */
	return pg_exec(db, lock ? "SELECT pg_advisory_lock(7357001)" : "SELECT pg_advisory_unlock(7357001)", err);
}

const struct db_driver db_pg_driver = {
	.name = "postgresql",
	.id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.lock_rows = " FOR UPDATE SKIP LOCKED",
	.lock_row = " FOR UPDATE",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.prepare_insert = pg_prepare_insert,
	.prepare_replanned = pg_prepare_replanned,
	.insert = pg_insert,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.changes = pg_changes,
	.step = pg_step,
	.step_later = pg_step_later,
	.send = pg_send,
	.exec_later = pg_exec_later,
	.col_is_null = pg_col_is_null,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.ids_follow = pg_ids_follow,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.begin_write = pg_begin_write,
	.caps = DB_CAP_COPY,
	.copy_in = pg_copy_in,
	.lock_schema = pg_lock_schema,
};
