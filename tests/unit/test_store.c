/* The store on a real SQLite database file: migrations, users, campaigns, the import
 * transaction (commit and abort), duplicates, export and the opposition list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/db.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/migrations.h"
#include "testdb.h"

static char url[512];

static int setup(void **state)
{
	(void)state;
	testdb_url("store", url, sizeof(url));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testdb_drop(url);
	return 0;
}

static struct store *open_store(int *migrated)
{
	struct tp_error err;
	struct store *s;

	tp_error_clear(&err);
	s = store_open(url, migrated, &err);
	if (!s)
		fail_msg("store_open: %s", err.reason);
	return s;
}

static int64_t add_campaign(struct store *s, const char *name)
{
	struct campaign c;
	struct tp_error err;
	int64_t id;

	campaign_init(&c);
	tp_error_clear(&err);
	campaign_set_str(&c.name, name);
	campaign_set_str(&c.kind, "appointment");
	campaign_set_str(&c.audience, "b2b");
	campaign_set_str(&c.timezone, "Europe/Paris");
	campaign_set_str(&c.region, "FR");
	c.daily_calls = 40;
	assert_int_equal(campaign_add_blocks(&c, "14:00-16:00", &err), 0);
	assert_int_equal(store_campaign_add(s, &test_who, &c, &err), 0);
	id = c.id;
	campaign_release(&c);
	return id;
}

static void test_migrations_idempotent(void **state)
{
	int migrated = -1;
	struct store *s;
	struct tp_error err;
	int64_t v;

	(void)state;
	s = open_store(&migrated);
	assert_int_equal(migrated, migrations_latest());
	tp_error_clear(&err);
	assert_int_equal(store_schema_version(s, &v, &err), 0);
	assert_int_equal(v, migrations_latest());
	add_campaign(s, "Kept");
	store_close(s);
	s = open_store(&migrated);
	assert_int_equal(migrated, 0);
	{
		struct campaign c;

		campaign_init(&c);
		assert_int_equal(store_campaign_get(s, "Kept", &c, &err), 0);
		assert_int_equal(c.daily_calls, 40);
		assert_int_equal(c.nblocks, 5);
		campaign_release(&c);
	}
	store_close(s);
}

static void test_users(void **state)
{
	struct store *s;
	struct tp_error err;
	struct user u;
	int64_t id = 0;
	char hash[256];

	(void)state;
	s = open_store(NULL);
	tp_error_clear(&err);
	assert_int_equal(store_user_add(s, &test_who, "alice", "agent", "$argon2id$fake", &id, &err), 0);
	assert_true(id > 0);
	assert_int_equal(store_user_add(s, &test_who, "alice", "sales", "$argon2id$x", &id, &err), TP_EEXIST);
	assert_int_equal(store_user_get(s, "alice", &u, &err), 0);
	assert_string_equal(u.role, "agent");
	assert_false(u.disabled);
	assert_int_equal(store_user_set_disabled(s, &test_who, "alice", true, &err), 0);
	assert_int_equal(store_user_get(s, "alice", &u, &err), 0);
	assert_true(u.disabled);
	assert_int_equal(store_user_set_password(s, &test_who, "alice", "$argon2id$new", &err), 0);
	assert_int_equal(store_user_password_hash(s, "alice", hash, sizeof(hash), &err), 0);
	assert_string_equal(hash, "$argon2id$new");
	assert_int_equal(store_user_set_password(s, &test_who, "bob", "x", &err), TP_ENOTFOUND);
	store_close(s);
}

static void make_prospect(struct prospect *p, const char *phone, const char *last, const char *company)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < F_COUNT; i++)
		p->field[i] = "";
	p->field[F_LAST_NAME] = last;
	p->field[F_COMPANY] = company;
	p->field[F_POSTCODE] = "69002";
	snprintf(p->phone, sizeof(p->phone), "%s", phone);
	p->lead_phone = p->phone;
	p->line = 2;
}

/* Counts a verdict as the importer does. */
static void count(struct import_stats *st, int verdict)
{
	assert_true(verdict >= 0);
	if (verdict == IMPORT_ADDED)
		st->imported++;
	else if (verdict == IMPORT_DUPLICATE)
		st->duplicates++;
	else
		st->pending++;
}

struct exported {
	int n;
	char line[8][256];
	size_t nkeys;
};

static int collect(void *ctx, const struct export_row *row)
{
	struct exported *e = ctx;

	snprintf(e->line[e->n++], 256, "%s|%s|%s|%s=%s", row->field[F_COMPANY], row->field[F_LAST_NAME],
		row->field[F_PHONE], row->nqual ? row->qual_key[0] : "", row->nqual ? row->qual_value[0] : "");
	return 0;
}

/* The database's indexes and foreign keys, as their definitions (a first import drops
 * some while its rows go in, SQLite's and PostgreSQL's: store_import.c), into out. */
static void schema_defs(char *out, size_t size)
{
	struct tp_error err;
	struct db *db;
	struct db_stmt *st;
	bool sqlite = strncmp(url, "sqlite:", 7) == 0;

	tp_error_clear(&err);
	db = db_open(url, &err);
	assert_non_null(db);
	st = db_prepare(db, sqlite ? "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master"
		" WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)"
		: "SELECT (SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes"
		" WHERE schemaname = current_schema()) || ';' || (SELECT string_agg(conrelid::regclass || ' '"
		" || conname || ' ' || pg_get_constraintdef(oid), ';' ORDER BY conname) FROM pg_constraint"
		" WHERE contype = 'f')", &err);
	assert_non_null(st);
	assert_int_equal(db_step(st, &err), DB_ROW);
	snprintf(out, size, "%s", db_col_text(st, 0));
	db_finalize(st);
	db_close(db);
}

/* A first SQLite import builds its indexes in a small page cache with worker threads:
 * whatever its end, the connection gets its own settings back (db_sqlite.c's). */
static void assert_connection_settings(struct store *s)
{
	struct tp_error err;
	int64_t v;

	if (strncmp(url, "sqlite:", 7) != 0)
		return;
	tp_error_clear(&err);
	assert_int_equal(db_query_int64(s->db, "PRAGMA cache_size", &v, &err), 0);
	assert_int_equal(v, -32768);
	assert_int_equal(db_query_int64(s->db, "PRAGMA threads", &v, &err), 0);
	assert_int_equal(v, 0);
}

static void test_import_commit_abort_export(void **state)
{
	struct store *s;
	struct tp_error err;
	struct store_import *imp;
	struct prospect p;
	struct import_stats st = {0};
	const char *keys[] = {"effectif"}, *values[] = {"50"};
	struct exported ex = {0};
	int64_t a, b;
	static char schema[16384], now[16384];

	(void)state;
	s = open_store(NULL);
	tp_error_clear(&err);
	a = add_campaign(s, "A");
	b = add_campaign(s, "B");
	schema_defs(schema, sizeof(schema));
	assert_non_null(strstr(schema, "leads_contact"));
	assert_true(strlen(schema) < sizeof(schema) - 1);

	/* An aborted import leaves nothing. */
	imp = store_import_begin(s, &test_who, a, false, &err);
	assert_non_null(imp);
	make_prospect(&p, "+33142685300", "Dupont", "ACME");
	assert_true(store_import_prospect(imp, &p, &err) >= 0);
	store_import_abort(imp);
	assert_int_equal(store_export_prospects(s, a, NULL, collect, &ex, &err), 0);
	assert_int_equal(ex.n, 0);
	/* A first import drops indexes while its rows go in: an abort gives them back. */
	schema_defs(now, sizeof(now));
	assert_string_equal(now, schema);
	/* So does one stopped at its commit, once they were dropped (PostgreSQL drops them
	 * there, with the foreign keys). */
	{
		volatile sig_atomic_t stop = 1;

		imp = store_import_begin(s, &test_who, a, false, &err);
		assert_non_null(imp);
		make_prospect(&p, "+33142685300", "Dupont", "ACME");
		assert_true(store_import_prospect(imp, &p, &err) >= 0);
		store_import_cancel_on(imp, &stop);
		assert_int_equal(store_import_commit(imp, "t.csv", &st, &err), TP_ERR);
		assert_string_equal(err.reason, "interrupted: nothing was imported");
		schema_defs(now, sizeof(now));
		assert_string_equal(now, schema);
		assert_connection_settings(s);
		assert_int_equal(store_export_prospects(s, a, NULL, collect, &ex, &err), 0);
		assert_int_equal(ex.n, 0);
		memset(&st, 0, sizeof(st));
		tp_error_clear(&err);
	}

	imp = store_import_begin(s, &test_who, a, false, &err);
	make_prospect(&p, "+33142685300", "Dupont", "ACME");
	p.nqual = 1;
	p.qual_key = keys;
	p.qual_value = values;
	/* Verdicts come row by row (SQLite) or at commit (the bulk path, PostgreSQL): what
	 * counts is the total once committed. */
	count(&st, store_import_prospect(imp, &p, &err));
	count(&st, store_import_prospect(imp, &p, &err));
	make_prospect(&p, "+33142685301", "Durand", "ACME");
	count(&st, store_import_prospect(imp, &p, &err));
	assert_int_equal(store_import_commit(imp, "t.csv", &st, &err), 0);
	assert_int_equal(st.imported, 2);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.pending, 0);
	schema_defs(now, sizeof(now));
	assert_string_equal(now, schema);
	assert_connection_settings(s);

	/* The same number in another campaign is a new lead of the same contact. */
	memset(&st, 0, sizeof(st));
	imp = store_import_begin(s, &test_who, b, false, &err);
	make_prospect(&p, "+33142685300", "Other name", "Other");
	count(&st, store_import_prospect(imp, &p, &err));
	assert_int_equal(store_import_commit(imp, "t.csv", &st, &err), 0);
	assert_int_equal(st.imported, 1);

	assert_int_equal(store_export_prospects(s, a, NULL, collect, &ex, &err), 0);
	assert_int_equal(ex.n, 2);
	assert_string_equal(ex.line[0], "ACME|Dupont|+33142685300|effectif=50");
	assert_string_equal(ex.line[1], "ACME|Durand|+33142685301|effectif=");
	memset(&ex, 0, sizeof(ex));
	assert_int_equal(store_export_prospects(s, b, NULL, collect, &ex, &err), 0);
	assert_int_equal(ex.n, 1);
	assert_string_equal(ex.line[0], "ACME|Dupont|+33142685300|effectif=50");
	{
		struct campaign c;

		campaign_init(&c);
		assert_int_equal(store_campaign_get(s, "A", &c, &err), 0);
		assert_int_equal(c.leads, 2);
		campaign_release(&c);
	}
	store_close(s);
}

static void test_opposition(void **state)
{
	struct store *s;
	struct tp_error err;
	int64_t n;

	(void)state;
	s = open_store(NULL);
	tp_error_clear(&err);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685300", "bloctel", 100, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685300", "bloctel", 200, &err), 1);
	assert_int_equal(store_opposition_add(s, "+33142685300", "internal", 200, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_opposition_count(s, "bloctel", &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685399", "other", 100, &err), 0);
	store_rollback(s);
	assert_int_equal(store_opposition_count(s, "other", &n, &err), 0);
	assert_int_equal(n, 0);
	store_close(s);
}

/* A bulk transaction: inner units share it without savepoints. One that wrote nothing
 * may fail and be dropped; one that wrote and failed undoes everything at the commit. */
static void test_bulk(void **state)
{
	struct store *s;
	struct tp_error err;
	int64_t n;

	(void)state;
	s = open_store(NULL);
	tp_error_clear(&err);
	assert_int_equal(store_begin_bulk(s, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685300", "bloctel", 100, &err), 0);
	assert_int_equal(store_begin(s, &err), 0);
	store_rollback(s); /* wrote nothing: harmless */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685301", "bloctel", 100, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_opposition_count(s, "bloctel", &n, &err), 0);
	assert_int_equal(n, 2);

	/* Not inside another transaction. */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_begin_bulk(s, &err), TP_ERR);
	assert_non_null(strstr(err.reason, "outermost"));
	store_rollback(s);

	assert_int_equal(store_begin_bulk(s, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685302", "bloctel", 100, &err), 0);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685303", "bloctel", 100, &err), 0);
	store_rollback(s); /* wrote: the whole transaction is lost */
	assert_int_equal(store_opposition_add(s, "+33142685304", "bloctel", 100, &err), 0);
	assert_int_equal(store_commit(s, &err), TP_ERR);
	assert_non_null(strstr(err.reason, "nothing was kept"));
	assert_int_equal(store_opposition_count(s, "bloctel", &n, &err), 0);
	assert_int_equal(n, 2);

	/* The next transaction is an ordinary one again, savepoints and all. */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_opposition_add(s, "+33142685305", "bloctel", 100, &err), 0);
	store_rollback(s);
	assert_int_equal(store_opposition_add(s, "+33142685306", "bloctel", 100, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_opposition_count(s, "bloctel", &n, &err), 0);
	assert_int_equal(n, 3);
	store_close(s);
}

/* The blocks of campaign A as another connection reads them. */
static int blocks_seen(struct store *s, int *first_start)
{
	struct campaign c;
	struct tp_error err;
	int n;

	campaign_init(&c);
	tp_error_clear(&err);
	if (store_campaign_settings(s, "A", &c, &err))
		fail_msg("settings: %s", err.reason);
	n = c.nblocks;
	*first_start = n ? c.blocks[0].start_minute : -1;
	campaign_release(&c);
	return n;
}

/* A connection keeps the rules it read while the campaign's revision is unchanged: a
 * change by another connection, or by its own transaction, is seen at once; rules read
 * inside a transaction that changed them and then rolled back are not kept. */
static void test_rules_cache(void **state)
{
	struct store *a, *b;
	struct campaign c;
	struct tp_error err;
	int start;

	(void)state;
	a = open_store(NULL);
	b = open_store(NULL);
	tp_error_clear(&err);
	add_campaign(a, "A");
	assert_int_equal(blocks_seen(b, &start), 5); /* 14:00-16:00, Monday to Friday */
	assert_int_equal(start, 14 * 60);
	assert_int_equal(blocks_seen(b, &start), 5);

	campaign_init(&c);
	assert_int_equal(store_campaign_settings(a, "A", &c, &err), 0);
	c.nblocks = 0;
	assert_int_equal(campaign_add_blocks(&c, "mon 09:00-11:00", &err), 0);
	assert_int_equal(store_campaign_update(a, &test_who, &c, &err), 0);
	assert_int_equal(blocks_seen(b, &start), 1);
	assert_int_equal(start, 9 * 60);

	/* Changed, read, rolled back: the old rules again, in both connections. */
	assert_int_equal(store_begin(a, &err), 0);
	c.nblocks = 0;
	assert_int_equal(campaign_add_blocks(&c, "tue-wed 10:00-12:00", &err), 0);
	assert_int_equal(store_campaign_update(a, &test_who, &c, &err), 0);
	assert_int_equal(blocks_seen(a, &start), 2);
	assert_int_equal(start, 10 * 60);
	store_rollback(a);
	assert_int_equal(blocks_seen(a, &start), 1);
	assert_int_equal(start, 9 * 60);
	assert_int_equal(blocks_seen(b, &start), 1);
	/* The next change takes the revision the rolled-back one had: its own rules show. */
	c.nblocks = 0;
	assert_int_equal(campaign_add_blocks(&c, "thu 15:00-17:00", &err), 0);
	assert_int_equal(store_campaign_update(b, &test_who, &c, &err), 0);
	assert_int_equal(blocks_seen(a, &start), 1);
	assert_int_equal(start, 15 * 60);
	campaign_release(&c);
	store_close(a);
	store_close(b);
}

static int64_t count_rows(struct db *db)
{
	struct tp_error err;
	int64_t n = -1;

	tp_error_clear(&err);
	if (db_query_int64(db, "SELECT COUNT(*) FROM t", &n, &err))
		fail_msg("count: %s", err.reason);
	return n;
}

/* Writes sent without waiting for their answer (PostgreSQL's pipeline): kept when the
 * transaction commits; one that fails makes the next statement that waits fail with its
 * error, and a rollback then leaves the connection as good as new. */
static void test_step_later(void **state)
{
	struct tp_error err;
	struct db *db;
	struct db_stmt *add, *get;
	int rc;

	(void)state;
	tp_error_clear(&err);
	db = db_open(url, &err);
	assert_non_null(db);
	assert_int_equal(db_exec(db, "CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT)", &err), 0);
	assert_int_equal(db_begin(db, &err), 0);
	add = db_prepare(db, "INSERT INTO t (id, v) VALUES (?, ?)", &err);
	assert_non_null(add);
	for (int i = 1; i <= 3; i++) {
		db_bind_int64(add, 1, i);
		db_bind_int64(add, 2, 10 * i);
		assert_int_equal(db_step_later(add, &err), 0);
		db_reset(add);
	}
	/* A read sees the writes sent before it. */
	get = db_prepare(db, "SELECT SUM(v) FROM t", &err);
	assert_non_null(get);
	assert_int_equal(db_step(get, &err), DB_ROW);
	assert_int_equal(db_col_int64(get, 0), 60);
	db_finalize(get);
	assert_int_equal(db_commit(db, &err), 0);
	assert_int_equal(count_rows(db), 3);

	/* Queries sent ahead, then stepped: each reads its own answer; one reset before its
	 * step drops its answer, and runs afresh when stepped again. */
	{
		struct db_stmt *one = db_prepare(db, "SELECT v FROM t WHERE id = ?", &err);
		struct db_stmt *two = db_prepare(db, "SELECT v + 1 FROM t WHERE id = ?", &err);

		assert_non_null(one);
		assert_non_null(two);
		assert_int_equal(db_begin(db, &err), 0);
		db_bind_int64(one, 1, 1);
		assert_int_equal(db_send(one, &err), 0);
		db_bind_int64(two, 1, 2);
		assert_int_equal(db_send(two, &err), 0);
		assert_int_equal(db_step(two, &err), DB_ROW);
		assert_int_equal(db_col_int64(two, 0), 21);
		assert_int_equal(db_step(one, &err), DB_ROW);
		assert_int_equal(db_col_int64(one, 0), 10);
		db_reset(one);
		db_reset(two);
		db_bind_int64(one, 1, 3);
		assert_int_equal(db_send(one, &err), 0);
		db_reset(one); /* never stepped */
		db_bind_int64(one, 1, 2);
		assert_int_equal(db_step(one, &err), DB_ROW);
		assert_int_equal(db_col_int64(one, 0), 20);
		db_reset(one);
		assert_int_equal(db_commit(db, &err), 0);
		db_finalize(one);
		db_finalize(two);
	}

	/* A duplicate key: refused at once (SQLite) or by the next statement that waits. */
	assert_int_equal(db_begin(db, &err), 0);
	db_bind_int64(add, 1, 4);
	db_bind_int64(add, 2, 40);
	assert_int_equal(db_step_later(add, &err), 0);
	db_reset(add);
	db_bind_int64(add, 1, 2);
	db_bind_int64(add, 2, 20);
	rc = db_step_later(add, &err);
	db_reset(add);
	if (rc == 0) {
		get = db_prepare(db, "SELECT SUM(v) FROM t", &err);
		rc = get ? db_step(get, &err) : err.code;
		db_finalize(get);
	}
	assert_int_equal(rc, TP_EUSAGE);
	assert_non_null(strstr(err.reason, "duplicate") ? strstr(err.reason, "duplicate") : strstr(err.reason, "UNIQUE"));
	db_rollback(db);
	assert_int_equal(count_rows(db), 3);

	/* A failure found by the commit itself. */
	assert_int_equal(db_begin(db, &err), 0);
	db_bind_int64(add, 1, 3);
	db_bind_int64(add, 2, 30);
	rc = db_step_later(add, &err);
	db_reset(add);
	if (rc == 0)
		rc = db_commit(db, &err);
	assert_int_equal(rc, TP_EUSAGE);
	db_rollback(db);
	assert_int_equal(count_rows(db), 3);
	db_finalize(add);
	db_close(db);
}

/* Inserts a child whose parent does not exist: 0 when kept, else the error's status. */
static int orphan(struct db *db, int64_t id)
{
	struct tp_error err;
	struct db_stmt *st;
	int rc;

	tp_error_clear(&err);
	st = db_prepare(db, "INSERT INTO child (id, parent_id) VALUES (?, 999)", &err);
	assert_non_null(st);
	db_bind_int64(st, 1, id);
	rc = db_step(st, &err);
	db_finalize(st);
	return rc == DB_DONE ? 0 : rc;
}

/* db_begin_trusted: foreign-key checks off for that transaction only (SQLite), back on
 * after its commit or rollback, and never off inside a transaction begun otherwise. */
static void test_begin_trusted(void **state)
{
	struct tp_error err;
	struct db *db;
	bool sqlite = strncmp(url, "sqlite:", 7) == 0;

	(void)state;
	tp_error_clear(&err);
	db = db_open(url, &err);
	assert_non_null(db);
	assert_int_equal(db_exec(db, "CREATE TABLE parent (id BIGINT PRIMARY KEY)", &err), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE child (id BIGINT PRIMARY KEY,"
		" parent_id BIGINT NOT NULL REFERENCES parent (id))", &err), 0);

	assert_int_equal(db_begin_trusted(db, &err), 0);
	/* SQLite skips the check; PostgreSQL has no such setting and refuses the row. */
	if (sqlite)
		assert_int_equal(orphan(db, 1), 0);
	else
		assert_int_not_equal(orphan(db, 1), 0);
	db_rollback(db);

	assert_int_equal(db_begin(db, &err), 0);
	assert_int_not_equal(orphan(db, 2), 0);
	db_rollback(db);

	assert_int_equal(db_begin_trusted(db, &err), 0);
	assert_int_equal(db_commit(db, &err), 0);
	assert_int_equal(db_begin(db, &err), 0);
	assert_int_not_equal(orphan(db, 3), 0);
	db_rollback(db);

	/* Nested inside an ordinary transaction, the checks stay on. */
	assert_int_equal(db_begin(db, &err), 0);
	assert_int_equal(db_begin_trusted(db, &err), 0);
	assert_int_not_equal(orphan(db, 4), 0);
	db_rollback(db);
	db_rollback(db);
	assert_int_equal(db_exec(db, "DROP TABLE child", &err), 0);
	assert_int_equal(db_exec(db, "DROP TABLE parent", &err), 0);
	db_close(db);
}

/* The first row's first column of sql as text into out ("" when none). */
static void query_text(struct db *db, const char *sql, char *out, size_t size)
{
	struct tp_error err;
	struct db_stmt *st;

	tp_error_clear(&err);
	st = db_prepare(db, sql, &err);
	assert_non_null(st);
	out[0] = '\0';
	if (db_step(st, &err) == DB_ROW)
		snprintf(out, size, "%s", db_col_text(st, 0));
	assert_int_equal(err.code, 0);
	db_finalize(st);
}

/* The lead an agent holds is found by agent and campaign in one index. */
static void test_held_index(void **state)
{
	struct tp_error err;
	struct db *db;
	char got[512];

	(void)state;
	tp_error_clear(&err);
	db = db_open(url, &err);
	assert_non_null(db);
	assert_int_equal(migrations_apply(db, NULL, &err), 0);
	if (strncmp(url, "sqlite:", 7) == 0) {
		query_text(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info('leads_held')"
			" ORDER BY seqno)", got, sizeof(got));
		assert_string_equal(got, "held_by,campaign_id");
	} else {
		query_text(db, "SELECT indexdef FROM pg_indexes WHERE indexname = 'leads_held'", got, sizeof(got));
		assert_non_null(strstr(got, "(held_by, campaign_id) WHERE (held_by IS NOT NULL)"));
	}
	db_close(db);
}

static enum store_content content_of(struct store *s)
{
	struct tp_error err;
	enum store_content c;

	tp_error_clear(&err);
	assert_int_equal(store_content(s, &c, &err), 0);
	return c;
}

/* A new database is one with nothing but its schema; a scratch database is a working,
 * private SQLite store (the demo is made in one), copied into a new one by store_copy. */
static void test_new_and_scratch(void **state)
{
	struct store *s, *scratch, *other;
	struct tp_error err;
	struct campaign c;
	struct user u;
	int64_t id;

	(void)state;
	s = open_store(NULL);
	tp_error_clear(&err);
	assert_int_equal(content_of(s), STORE_NEW);
	assert_int_equal(store_bulk_loads(s), strncmp(url, "postgres", 8) == 0);
	scratch = store_open_scratch(&err);
	assert_non_null(scratch);
	assert_false(store_bulk_loads(scratch));
	assert_int_equal(store_user_add(scratch, &test_who, "alice", "agent", "!", &id, &err), 0);
	/* A user alone (and the audit of its creation): people only. */
	assert_int_equal(content_of(scratch), STORE_PEOPLE);
	add_campaign(scratch, "Scratch");
	assert_int_equal(content_of(scratch), STORE_FILLED);
	/* Private: a second scratch database does not see the first one's rows. */
	other = store_open_scratch(&err);
	assert_non_null(other);
	assert_int_equal(content_of(other), STORE_NEW);
	store_close(other);
	assert_int_equal(store_copy(scratch, s, NULL, NULL, &err), 0);
	/* Into a database that is not new, migrate copies nothing. */
	assert_int_equal(store_copy(scratch, s, NULL, NULL, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "the target database is not empty (users has 1 rows): migrate copies into a"
		" new database only");
	tp_error_clear(&err);
	store_close(scratch);
	assert_int_equal(content_of(s), STORE_FILLED);
	campaign_init(&c);
	assert_int_equal(store_campaign_get(s, "Scratch", &c, &err), 0);
	assert_int_equal(c.nblocks, 5); /* "14:00-16:00": Monday to Friday */
	assert_int_equal(c.daily_calls, 40);
	campaign_release(&c);
	assert_int_equal(store_user_get(s, "alice", &u, &err), 0);
	assert_string_equal(u.role, "agent");
	store_close(s);
}

static int64_t count_of(struct store *s, const char *sql)
{
	struct tp_error err;
	int64_t n;

	tp_error_clear(&err);
	assert_int_equal(db_query_int64(s->db, sql, &n, &err), 0);
	return n;
}

/* The demo into a database with its first users: they are copied into a scratch database,
 * ids kept, the demo made there, and what it added copied back (store_copy_added). */
static void test_copy_people_then_added(void **state)
{
	struct store *s, *scratch;
	struct tp_error err;
	struct user u;
	int64_t admin, bob, carl, dora;
	struct campaign c;

	(void)state;
	s = open_store(NULL);
	tp_error_clear(&err);
	assert_int_equal(store_user_add(s, &test_who, "admin", "admin", "!", &admin, &err), 0);
	assert_int_equal(content_of(s), STORE_PEOPLE);
	scratch = store_open_scratch(&err);
	assert_non_null(scratch);
	assert_int_equal(store_copy_people(s, scratch, &err), 0);
	assert_int_equal(count_of(scratch, "SELECT COUNT(*) FROM audit_log"), count_of(s, "SELECT COUNT(*) FROM audit_log"));
	/* Made in the scratch database: ids after the copied ones. */
	assert_int_equal(store_user_add(scratch, &test_who, "bob", "agent", "!", &bob, &err), 0);
	assert_int_equal(bob, admin + 1);
	add_campaign(scratch, "Demo");
	assert_int_equal(store_copy_added(scratch, s, &err), 0);
	assert_int_equal(store_user_get(s, "admin", &u, &err), 0);
	assert_int_equal(u.id, admin);
	assert_string_equal(u.role, "admin");
	assert_int_equal(store_user_get(s, "bob", &u, &err), 0);
	assert_int_equal(u.id, bob);
	campaign_init(&c);
	assert_int_equal(store_campaign_get(s, "Demo", &c, &err), 0);
	campaign_release(&c);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM audit_log"), count_of(scratch, "SELECT COUNT(*) FROM audit_log"));
	/* The ids go on after the copied rows. */
	assert_int_equal(store_user_add(s, &test_who, "carl", "agent", "!", &carl, &err), 0);
	assert_int_equal(carl, bob + 1);
	store_close(scratch);

	/* A database that changed meanwhile gets nothing: a user added, or more than people. */
	scratch = store_open_scratch(&err);
	assert_non_null(scratch);
	store_close(s);
	testdb_drop(url);
	testdb_url("store", url, sizeof(url));
	s = open_store(NULL);
	assert_int_equal(store_user_add(s, &test_who, "admin", "admin", "!", &admin, &err), 0);
	assert_int_equal(store_copy_people(s, scratch, &err), 0);
	/* Only into a new scratch database. */
	assert_int_equal(store_copy_people(s, scratch, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "the scratch database is not new (users has 1 rows)");
	tp_error_clear(&err);
	add_campaign(scratch, "Demo");
	assert_int_equal(store_user_add(s, &test_who, "dora", "agent", "!", &dora, &err), 0);
	assert_int_equal(store_copy_added(scratch, s, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "the database's users changed (2 rows, 1 when the copy began): nothing was copied");
	tp_error_clear(&err);
	add_campaign(s, "Other");
	assert_int_equal(store_copy_added(scratch, s, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "the database is no longer new (campaigns has 1 rows): nothing was copied");
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM campaigns"), 1);
	store_close(scratch);
	store_close(s);
}

static void test_bad_urls(void **state)
{
	struct tp_error err;

	(void)state;
	tp_error_clear(&err);
	assert_null(store_open("mysql://x", NULL, &err));
	assert_int_equal(err.code, TP_EUSAGE);
	assert_null(store_open("sqlite:", NULL, &err));
	assert_null(store_open("sqlite:/nonexistent-dir/x.db", NULL, &err));
	assert_int_equal(err.code, TP_ERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_commit_abort_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_opposition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_and_scratch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_people_then_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_urls, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
