/*
 * Copying a whole database to another (telepro migrate), whatever their backends: every
 * table in foreign-key order, rows with their ids, in one transaction on the target, then
 * row counts and KPIs compared. The target must be empty (only its schema and built-in
 * outcomes). The demo copies in the same way what it made in a scratch database, into a
 * database that may already have its first users (store_copy_people, store_copy_added).
 */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/store_int.h"

/* Tables in an order where every row's references are already copied. */
static const char *const tables[] = {
	"users", "companies", "contacts", "campaigns", "script_versions", "script_variants", "calling_blocks", "calling_windows", "retry_rules",
	"outcomes", "qualification_fields", "leads", "qualification_values", "agent_sessions", "calls",
	"appointments", "dials", "kpi_counters", "kpi_agent_month", "kpi_hour_month", "kpi_day", "kpi_outcome_day", "kpi_outcome_month", "kpi_revisions", "agent_day_spans",
	"opposition", "consents", "screenings", "imports", "audit_log", "settings", "webhooks", "webhook_deliveries",
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* Tables whose id column is generated. */
static bool has_id(const char *table)
{
	return strcmp(table, "retry_rules") && strncmp(table, "kpi_", 4) && strcmp(table, "agent_day_spans") &&
		strcmp(table, "settings") && strcmp(table, "script_variants");
}

static int count_rows(struct store *s, const char *table, const char *where, int64_t *n, struct tp_error *err)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s%s /* scan-ok */", table, where);
	return db_query_int64(s->db, sql, n, err);
}

/* Built-in outcomes come with the schema; they are not copied but must be the same. */
static const char *skip_where(const char *table)
{
	/* A copy is another database: it draws its own id for the memo (store_kpi.c). */
	if (strcmp(table, "settings") == 0)
		return " WHERE key <> 'memo.id'";
	return strcmp(table, "outcomes") == 0 ? " WHERE campaign_id IS NOT NULL" : "";
}

/* Rows go by COPY where the target bulk loads (a round trip per megabyte, not per row),
 * else by one prepared INSERT each. */
#define COPY_CHUNK (1 << 20)

static int copy_table(struct store *from, struct store *to, const char *table, const char *where, int64_t *copied,
	struct tp_error *err)
{
	struct db_stmt *rd, *wr = NULL;
	struct strbuf head, rows;
	bool bulk = to->db->driver->copy_in != NULL;
	char sql[256];
	int rc, ncols = 0;

	*copied = 0;
	snprintf(sql, sizeof(sql), "SELECT * FROM %s%s /* scan-ok: a copy */", table, where);
	if (!(rd = db_prepare(from->db, sql, err)))
		return err->code;
	sb_init(&head);
	sb_init(&rows);
	while ((rc = db_step(rd, err)) == DB_ROW) {
		if (head.len == 0) {
			ncols = db_col_count(rd);
			sb_addf(&head, bulk ? "COPY %s (" : "INSERT INTO %s (", table);
			for (int i = 0; i < ncols; i++)
				sb_addf(&head, "%s%s", i ? ", " : "", db_col_name(rd, i));
			if (bulk) {
				sb_adds(&head, ") FROM STDIN");
			} else {
				store__sql_in_list(&head, ") VALUES (", ncols);
				if (!(wr = db_prepare(to->db, head.buf, err))) {
					rc = err->code;
					break;
				}
			}
		}
		if (bulk) {
			for (int i = 0; i < ncols; i++)
				store__copy_text(&rows, db_col_is_null(rd, i) ? NULL : db_col_text(rd, i),
					i + 1 < ncols ? '\t' : '\n');
			rc = rows.len >= COPY_CHUNK ? store__copy_in(to->db, head.buf, &rows, err) : 0;
		} else {
			for (int i = 0; i < ncols; i++) {
				if (db_col_is_null(rd, i))
					db_bind_null(wr, i + 1);
				else
					db_bind_text(wr, i + 1, db_col_text(rd, i));
			}
			rc = db_step(wr, err);
			db_reset(wr);
		}
		if (rc < 0)
			break;
		(*copied)++;
	}
	if (rc == 0 && bulk)
		rc = store__copy_in(to->db, head.buf, &rows, err);
	db_finalize(rd);
	db_finalize(wr);
	sb_release(&head);
	sb_release(&rows);
	if (rc < 0)
		return rc;
	return has_id(table) ? db_ids_follow(to->db, table, err) : 0;
}

/* Tables in which a new team's database may have rows before its demo is made: its first
 * users and the audit of their creation (the demo never changes them). */
static bool people_table(const char *table)
{
	return strcmp(table, "users") == 0 || strcmp(table, "audit_log") == 0;
}

/* The first table that has rows, people's too or not (*table NULL: none), and its row
 * count. */
static int first_filled(struct store *s, bool people, const char **table, int64_t *n, struct tp_error *err)
{
	*table = NULL;
	for (size_t t = 0; t < NTABLES; t++) {
		int rc;

		if (!people && people_table(tables[t]))
			continue;
		if ((rc = count_rows(s, tables[t], skip_where(tables[t]), n, err)))
			return rc;
		if (*n) {
			*table = tables[t];
			return 0;
		}
	}
	return 0;
}

int store_content(struct store *s, enum store_content *content, struct tp_error *err)
{
	const char *table;
	int64_t n;
	int rc;

	*content = STORE_FILLED;
	if ((rc = first_filled(s, false, &table, &n, err)) || table)
		return rc;
	if ((rc = first_filled(s, true, &table, &n, err)))
		return rc;
	*content = table ? STORE_PEOPLE : STORE_NEW;
	return 0;
}

/* TP_EUSAGE ("what (table has n rows)then") unless s has no rows (but people's when
 * people is false). */
static int must_be_empty(struct store *s, bool people, const char *what, const char *then, struct tp_error *err)
{
	const char *filled;
	int64_t n;
	int rc;

	if ((rc = first_filled(s, people, &filled, &n, err)))
		return rc;
	if (filled)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "to", "%s (%s has %lld rows)%s", what, filled, (long long)n, then);
	return 0;
}

static int same_builtins(struct store *from, struct store *to, struct tp_error *err)
{
	int64_t n, m;
	int rc;

	if ((rc = count_rows(from, "outcomes", " WHERE campaign_id IS NULL", &n, err)) ||
	    (rc = count_rows(to, "outcomes", " WHERE campaign_id IS NULL", &m, err)))
		return rc;
	return n == m ? 0 : tp_error_set(err, TP_ERR, "the two databases do not have the same built-in outcomes");
}

/* Copies every table's rows of from into to, in one transaction, each table's rows with
 * an id above after[t] (those up to it are in both already), checking each table's row
 * count; fn (may be NULL) hears of each table. */
static int copy_tables(struct store *from, struct store *to, const int64_t after[NTABLES], store_copy_fn fn,
	void *ctx, struct tp_error *err)
{
	int rc = 0;

	if (db_begin(to->db, err))
		return err->code;
	for (size_t t = 0; t < NTABLES && rc == 0; t++) {
		int64_t copied, source_rows, target_rows;
		char where[96];

		if (after[t])
			snprintf(where, sizeof(where), " WHERE id > %lld", (long long)after[t]);
		else
			snprintf(where, sizeof(where), "%s", skip_where(tables[t]));
		rc = copy_table(from, to, tables[t], where, &copied, err);
		if (rc == 0)
			rc = count_rows(from, tables[t], where, &source_rows, err);
		if (rc == 0)
			rc = count_rows(to, tables[t], where, &target_rows, err);
		if (rc == 0 && (source_rows != target_rows || copied != source_rows))
			rc = tp_error_set(err, TP_ERR, "%s: %lld rows in the source, %lld copied", tables[t],
				(long long)source_rows, (long long)target_rows);
		if (rc == 0 && fn)
			fn(ctx, tables[t], copied);
	}
	return store__finish(to, rc, err);
}

int store_copy(struct store *from, struct store *to, store_copy_fn fn, void *ctx, struct tp_error *err)
{
	static const int64_t none[NTABLES];
	int rc;

	if ((rc = must_be_empty(to, true, "the target database is not empty",
		": migrate copies into a new database only", err)) || (rc = same_builtins(from, to, err)))
		return rc;
	return copy_tables(from, to, none, fn, ctx, err);
}

int store_copy_people(struct store *from, struct store *to, struct tp_error *err)
{
	int64_t n;
	int rc;

	if ((rc = must_be_empty(to, true, "the scratch database is not new", "", err)))
		return rc;
	if (db_begin(to->db, err))
		return err->code;
	for (size_t t = 0; t < NTABLES && rc == 0; t++)
		if (people_table(tables[t]))
			rc = copy_table(from, to, tables[t], "", &n, err);
	return store__finish(to, rc, err);
}

int store_copy_added(struct store *from, struct store *to, struct tp_error *err)
{
	int64_t after[NTABLES] = {0};
	int64_t n;
	int rc;

	if ((rc = must_be_empty(to, false, "the database is no longer new", ": nothing was copied", err)) ||
	    (rc = same_builtins(from, to, err)))
		return rc;
	/* Its people's rows are from's first ones (store_copy_people): the same count, up to
	 * the same highest id. */
	for (size_t t = 0; t < NTABLES; t++) {
		char where[64];
		int64_t m;

		if (!people_table(tables[t]))
			continue;
		snprintf(where, sizeof(where), "SELECT COALESCE(MAX(id), 0) FROM %s", tables[t]);
		if ((rc = db_query_int64(to->db, where, &after[t], err)))
			return rc;
		snprintf(where, sizeof(where), " WHERE id <= %lld", (long long)after[t]);
		if ((rc = count_rows(to, tables[t], "", &n, err)) || (rc = count_rows(from, tables[t], where, &m, err)))
			return rc;
		if (n != m)
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "to",
				"the database's %s changed (%lld rows, %lld when the copy began): nothing was copied", tables[t],
				(long long)n, (long long)m);
	}
	return copy_tables(from, to, after, NULL, NULL, err);
}

int store_backup(struct store *s, const char *path, struct tp_error *err)
{
	if (!s->db->driver->backup_to)
		return tp_error_set(err, TP_EUSAGE, "a %s database is backed up with its own tools: pg_dump -Fc, and"
			" pg_restore into a new database (docs/DEPLOY.md)", s->db->driver->name);
	return s->db->driver->backup_to(s->db, path, err);
}
