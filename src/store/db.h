#ifndef TP_DB_H
#define TP_DB_H
/*
 * The thin database layer under the store: one connection, prepared statements with
 * bound parameters, typed getters, explicit transactions. SQL passed here is portable
 * (numbered '?' placeholders, RETURNING, ON CONFLICT); what differs between database
 * engines lives in a driver (db_sqlite.c; PostgreSQL comes next) behind struct db_driver.
 *
 * Ownership: db_open returns a connection the caller frees with db_close; a statement
 * from db_prepare belongs to the caller until db_finalize; text returned by db_col_text
 * is valid until the next step, reset or finalize of that statement. A connection is
 * used by one thread at a time.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum {
	DB_ROW = 1,
	DB_DONE = 0,
};

struct db;
struct db_stmt;

/* What a driver can do beyond the common statements (db_can). */
enum db_capability {
	DB_CAP_COPY = 1,            /* bulk load (copy_in): the prospect import's bulk path, COPY of calls */
};

struct db_driver {
	const char *name;
	unsigned caps;              /* enum db_capability bits */
	/* SQL type for an auto-increment primary key column ("INTEGER PRIMARY KEY"). */
	const char *id_column;
	/* Appended to a SELECT that picks a row to claim: rows claimed by another open
	 * transaction are skipped, never waited for ("" where writers are serialised). */
	const char *lock_rows;
	/* Appended to a SELECT of one row that the transaction will rewrite: other writers
	 * of that row wait ("" where writers are serialised anyway). */
	const char *lock_row;
	int (*open)(struct db *db, const char *target, struct tp_error *err);
	void (*close)(struct db *db);
	int (*exec)(struct db *db, const char *sql, struct tp_error *err);
	struct db_stmt *(*prepare)(struct db *db, const char *sql, struct tp_error *err);
	/* Prepares an INSERT into a table with an id column so that db_insert can return the
	 * new id (SQLite: last_insert_rowid, no RETURNING and its temporary table). */
	struct db_stmt *(*prepare_insert)(struct db *db, const char *sql, struct tp_error *err);
	/* db_prepare_replanned; NULL: prepare (a planner that needs no such care). */
	struct db_stmt *(*prepare_replanned)(struct db *db, const char *sql, struct tp_error *err);
	/* Runs such an INSERT and gives the new row's id. */
	int (*insert)(struct db_stmt *st, int64_t *id, struct tp_error *err);
	int (*bind_int64)(struct db_stmt *st, int idx, int64_t v);
	int (*bind_text)(struct db_stmt *st, int idx, const char *s, size_t len);
	int (*bind_null)(struct db_stmt *st, int idx);
	int (*step)(struct db_stmt *st, struct tp_error *err);
	/* Sends a statement whose answer is not needed now (db_step_later), or plain SQL
	 * (savepoints); it goes with the next statement that needs one. NULL: run at once. */
	int (*step_later)(struct db_stmt *st, struct tp_error *err);
	/* Sends a query whose answer the statement's next step reads (db_send). */
	int (*send)(struct db_stmt *st, struct tp_error *err);
	int (*exec_later)(struct db *db, const char *sql, struct tp_error *err);
	bool (*col_is_null)(struct db_stmt *st, int col);
	int64_t (*col_int64)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	int (*col_count)(struct db_stmt *st);
	/* Rows written by the statement's last step (before its reset). */
	int64_t (*changes)(struct db_stmt *st);
	const char *(*col_name)(struct db_stmt *st, int col);
	/* After rows were inserted with explicit ids: make the next generated id follow the
	 * largest (may be NULL where that is automatic). */
	int (*ids_follow)(struct db *db, const char *table, struct tp_error *err);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	/* BEGIN for a transaction that will write (SQLite: BEGIN IMMEDIATE). */
	int (*begin_write)(struct db *db, struct tp_error *err);
	/* Bulk load: runs copy_sql ("COPY t (cols) FROM STDIN") with data in COPY text
	 * format. NULL where the backend has none (rows are then inserted one by one). */
	int (*copy_in)(struct db *db, const char *copy_sql, const char *data, size_t len, struct tp_error *err);
	/* Sizes the connection's own page cache (may be NULL where the server has one). */
	int (*set_cache_kib)(struct db *db, int64_t kib, struct tp_error *err);
	/* SQL that turns the connection's foreign-key checks off and on outside a transaction
	 * (db_begin_trusted); NULL where they cannot be. */
	const char *fk_checks_off, *fk_checks_on;
	/* Run before and after the transaction of a person's erasure, so that what it removes
	 * leaves the backend's files (SQLite: deleted content zeroed, the journal emptied);
	 * NULL where the backend cannot (PostgreSQL: docs/PRIVACY.md). */
	const char *erase_begin, *erase_end;
	/* Writes a consistent copy of the whole database to the new file path, while others
	 * keep working (SQLite's online backup); NULL where the backend has its own tools
	 * (PostgreSQL: pg_dump). */
	int (*backup_to)(struct db *db, const char *path, struct tp_error *err);
	/* Serialises schema migrations between processes (may be NULL). */
	int (*lock_schema)(struct db *db, bool lock, struct tp_error *err);
};

#define DB_STMT_CACHE 96
#define DB_NEST_MAX 16

struct db {
	const struct db_driver *driver;
	/* Statements prepared by db_prepare and given back by db_finalize are kept, reset,
	 * for the next db_prepare of the same SQL: a prepare is a round trip on PostgreSQL. */
	struct {
		char *sql;
		struct db_stmt *st;
		bool in_use;
	} stmts[DB_STMT_CACHE];
	void *handle;
	char url[512];
	const char *tx_file;  /* where the open write transaction began, for messages */
	int tx_line;
	int tx_depth;         /* nested db_begin calls: inner ones are savepoints */
	/* Flat nesting (db_set_flat): inner units are no savepoints. writes counts the steps
	 * of statements that may write (and db_note_write); marks holds its value when each
	 * inner unit began, so that the rollback of an inner unit that wrote dooms the whole
	 * transaction (its commit then fails), and one that wrote nothing costs nothing. */
	bool flat, doomed;
	/* Foreign-key checks off (db_begin_trusted): on again when the transaction ends, and
	 * before any other begins should that have failed. */
	bool fk_off;
	bool closing;         /* db_close: statements are finalised with the connection */
	uint64_t writes;
	uint64_t tx_ended;    /* outermost transactions committed or rolled back */
	uint64_t marks[DB_NEST_MAX];
};

/* Opens url: "sqlite:PATH" (or a bare path), or "postgresql://..." (or "postgres://").
 * NULL on failure, err says why. */
struct db *db_open(const char *url, struct tp_error *err);
/* A private SQLite database that lives as long as the connection (store_open_scratch). */
struct db *db_open_scratch(struct tp_error *err);
void db_close(struct db *db);

TP_MUST_USE int db_exec(struct db *db, const char *sql, struct tp_error *err);
/* Prepares sql, or takes the same statement back from the connection's cache. */
TP_MUST_USE struct db_stmt *db_prepare(struct db *db, const char *sql, struct tp_error *err);
/* db_prepare for a query whose best plan changes with the rows that the transaction
 * running it adds (a lookup in a table that a bulk import fills): PostgreSQL plans it at
 * each run, with its values and the table as it is then, where a plan kept from the
 * first runs, made for a nearly empty table, would scan the table it fills. */
TP_MUST_USE struct db_stmt *db_prepare_replanned(struct db *db, const char *sql, struct tp_error *err);
/* For "INSERT INTO t (...) VALUES (...)" (no RETURNING): db_insert runs it, resets it
 * and puts the new row's id in *id. */
TP_MUST_USE struct db_stmt *db_prepare_insert(struct db *db, const char *sql, struct tp_error *err);
TP_MUST_USE int db_insert(struct db_stmt *st, int64_t *id, struct tp_error *err);
/* db_insert in two steps, for an insert inside a transaction whose id nothing in that
 * transaction needs: db_insert_ahead runs it (PostgreSQL: sends it with the next round
 * trip, the commit's at the latest), db_inserted_id gives the id and resets it, after
 * the commit if need be. The statement is neither bound nor reset in between, and
 * db_inserted_id is called only when nothing failed since (else db_reset). */
TP_MUST_USE int db_insert_ahead(struct db_stmt *st, struct tp_error *err);
TP_MUST_USE int db_inserted_id(struct db_stmt *st, int64_t *id, struct tp_error *err);
/* Binds never fail on their own: a failure is kept on the statement and its next
 * db_step or db_insert reports it (so no bind result can be ignored). */
void db_bind_int64(struct db_stmt *st, int idx, int64_t v);
/* Binds s (NUL-terminated); NULL binds SQL NULL. */
void db_bind_text(struct db_stmt *st, int idx, const char *s);
/* Binds s, or NULL when s is NULL or empty. */
void db_bind_text_or_null(struct db_stmt *st, int idx, const char *s);
void db_bind_null(struct db_stmt *st, int idx);
/* DB_ROW, DB_DONE, or a negative tp_status with err filled. */
TP_MUST_USE int db_step(struct db_stmt *st, struct tp_error *err);
/* For a statement that returns no row and whose row count is not read (an upsert, an
 * UPDATE by id), inside a transaction: may be sent with the next statement that needs an
 * answer (PostgreSQL: pipeline mode), one round trip for all. Its failure is then that
 * statement's, or the commit's: the transaction fails either way. 0 or a tp_status; the
 * statement may be reset and bound again at once. */
TP_MUST_USE int db_step_later(struct db_stmt *st, struct tp_error *err);
/* Sends a bound query now and lets its first db_step read the answer: queries sent one
 * after the other, then stepped, cost one round trip together (PostgreSQL; elsewhere the
 * step runs it). The statement is not bound again before that step. */
TP_MUST_USE int db_send(struct db_stmt *st, struct tp_error *err);
bool db_col_is_null(struct db_stmt *st, int col);
int64_t db_col_int64(struct db_stmt *st, int col);
/* Never NULL: "" for SQL NULL. */
const char *db_col_text(struct db_stmt *st, int col);
/* Rows an INSERT, UPDATE or DELETE wrote at its last step, read before its reset (so
 * that an INSERT ... ON CONFLICT DO NOTHING says whether it added, without RETURNING:
 * SQLite builds a temporary table for each RETURNING). */
int64_t db_changes(struct db_stmt *st);
/* The number and names of a statement's result columns (after a first step). */
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
/* See struct db_driver.set_cache_kib; 0 where the driver has nothing to size. */
TP_MUST_USE int db_set_cache_kib(struct db *db, int64_t kib, struct tp_error *err);
/* See struct db_driver.ids_follow; table is a name of ours, never user input. */
TP_MUST_USE int db_ids_follow(struct db *db, const char *table, struct tp_error *err);
void db_reset(struct db_stmt *st);
/* Gives a statement back: reset and kept for reuse when it came from the cache. */
void db_finalize(struct db_stmt *st);

/* Explicit transactions; db_begin records the caller's file:line for messages. They
 * nest: inside an open transaction, a unit is a savepoint, and its rollback undoes that
 * unit only (a bad row of a bulk import is dropped, the rest goes on). */
#define db_begin(db, err) db_begin_at((db), (err), __FILE__, __LINE__)
TP_MUST_USE int db_begin_at(struct db *db, struct tp_error *err, const char *file, int line);
/* db_begin for a writer that inserts each parent row before its children and names only
 * rows that exist (the prospect import): the backend's foreign-key checks, which would
 * look every parent up again, are off until the transaction ends (SQLite). Inside an
 * open transaction, or on a backend without the setting, it is db_begin. */
#define db_begin_trusted(db, err) db_begin_trusted_at((db), (err), __FILE__, __LINE__)
TP_MUST_USE int db_begin_trusted_at(struct db *db, struct tp_error *err, const char *file, int line);
TP_MUST_USE int db_commit(struct db *db, struct tp_error *err);
void db_rollback(struct db *db);
/* Flat nesting, for a bulk job that is all-or-nothing anyway (a call history, the demo):
 * inner units cost no SAVEPOINT round trips; an inner unit that fails before writing
 * anything (a rejected row) is dropped as before, one that fails after writing makes the
 * outer commit fail and roll everything back. */
void db_set_flat(struct db *db, bool flat);
/* Inside a transaction with flat nesting. */
bool db_is_flat(const struct db *db);
/* Counts a change kept in memory for the transaction (see struct db's writes). */
void db_note_write(struct db *db);
/* Inside an explicit transaction (db_begin), whatever its depth. */
bool db_in_transaction(const struct db *db);

/* Runs sql (one statement, no parameters) and returns its first column of its first row
 * as an integer in *out; TP_ENOTFOUND when there is no row. */
TP_MUST_USE int db_query_int64(struct db *db, const char *sql, int64_t *out, struct tp_error *err);

/* The driver's row-claiming suffix (see struct db_driver.lock_rows), and its suffix for
 * a read-modify-write (lock_row). */
const char *db_lock_rows(struct db *db);
const char *db_lock_row(struct db *db);

/* Whether the database's driver can (enum db_capability). */
bool db_can(const struct db *db, enum db_capability cap);

#endif
