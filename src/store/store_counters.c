/*
 * KPI counters written: in the same transaction as each call, appointment result and
 * session change (store__counters_add, store__credit_calling_time), collected during a
 * unit of work and written at its end in one global order (a commit hook).
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/calling.h"
#include "core/hash.h"
#include "core/tz.h"
#include "core/when.h"
#include "core/xalloc.h"
#include "store/store_int.h"

static const struct {
	const char *name;
	size_t offset;
} cols[] = {
#define COL_(name, json, from) {#name, offsetof(struct kpi_counts, name)},
	KPI_COUNTERS(COL_)
#undef COL_
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static int64_t field_of(const struct kpi_counts *c, size_t i)
{
	return *(const int64_t *)((const char *)c + cols[i].offset);
}

/* The counters tables: the hourly one and its rollups, with their key columns. */
static const struct {
	const char *table;
	const char *keys;
	int nkeys;
	enum stmt_slot slot;
} tables[] = {
	{"kpi_counters", "campaign_id, agent_id, local_day, local_hour", 4, SLOT_COUNTERS_ADD},
	{"kpi_agent_month", "campaign_id, agent_id, month", 3, SLOT_ROLLUP_AGENT_MONTH},
	{"kpi_hour_month", "campaign_id, month, local_weekday, local_hour", 4, SLOT_ROLLUP_HOUR_MONTH},
	{"kpi_day", "campaign_id, local_day", 2, SLOT_ROLLUP_DAY},
	{"kpi_outcome_day", "campaign_id, agent_id, local_day, outcome_id", 4, SLOT_OUTCOME_DAY},
	{"kpi_outcome_month", "campaign_id, agent_id, month, outcome_id", 4, SLOT_OUTCOME_MONTH},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))
#define NHOURLY 4   /* the first four: every counted event; the others: conversations by outcome */

static char upsert_sql[NTABLES][4096];
static pthread_once_t upsert_once = PTHREAD_ONCE_INIT;

static void build_upserts(void)
{
	for (size_t t = 0; t < NTABLES; t++) {
		struct strbuf sb;

		sb_init(&sb);
		sb_addf(&sb, "INSERT INTO %s (%s", tables[t].table, tables[t].keys);
		for (size_t i = 0; i < NCOLS; i++)
			sb_addf(&sb, ", %s", cols[i].name);
		sb_adds(&sb, ") VALUES (?");
		for (size_t i = 1; i < NCOLS + (size_t)tables[t].nkeys; i++)
			sb_adds(&sb, ", ?");
		sb_addf(&sb, ") ON CONFLICT (%s) DO UPDATE SET ", tables[t].keys);
		for (size_t i = 0; i < NCOLS; i++)
			sb_addf(&sb, "%s%s = %s.%s + excluded.%s", i ? ", " : "", cols[i].name, tables[t].table,
				cols[i].name, cols[i].name);
		snprintf(upsert_sql[t], sizeof(upsert_sql[t]), "%s", sb.buf);
		sb_release(&sb);
	}
}

/* One row of one counters table and what to add to it. */
struct pending_row {
	int table;
	int64_t key[4];
	struct kpi_counts delta;
};

/* Kept until the unit of work ends (counters_flush): merged per row, then written in one
 * global order so that concurrent writers never wait on each other in a cycle. */
static size_t pending_hash(size_t t, const int64_t key[4])
{
	return (size_t)hash_ints(key, 4, t);
}

/* The slot of (t, key) in the index: the row's, or the empty one where it would go. */
static size_t pending_slot(const struct store *s, size_t t, const int64_t key[4])
{
	const struct pending_row *rows = s->pending;
	size_t mask = s->pending_slots - 1, i = pending_hash(t, key) & mask;

	while (s->pending_index[i]) {
		const struct pending_row *r = &rows[s->pending_index[i] - 1];

		if (r->table == (int)t && memcmp(r->key, key, sizeof(r->key)) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void pending_reindex(struct store *s)
{
	const struct pending_row *rows = s->pending;

	free(s->pending_index);
	s->pending_slots = s->pending_slots ? s->pending_slots * 2 : 64;
	s->pending_index = xcalloc(s->pending_slots, sizeof(*s->pending_index));
	for (size_t r = 0; r < s->npending; r++)
		s->pending_index[pending_slot(s, (size_t)rows[r].table, rows[r].key)] = (uint32_t)(r + 1);
}

static void pending_clear(struct store *s)
{
	if (s->npending && s->pending_index)
		memset(s->pending_index, 0, s->pending_slots * sizeof(*s->pending_index));
	s->npending = 0;
}

static void pending_add(struct store *s, size_t t, const int64_t key[4], const struct kpi_counts *delta)
{
	struct pending_row *rows;
	size_t slot;

	if (2 * (s->npending + 1) > s->pending_slots)
		pending_reindex(s);
	slot = pending_slot(s, t, key);
	if (!s->pending_index[slot]) {
		if (s->npending == s->pending_cap) {
			s->pending_cap = s->pending_cap ? s->pending_cap * 2 : 16;
			s->pending = xrealloc(s->pending, s->pending_cap * sizeof(struct pending_row));
		}
		rows = s->pending;
		memset(&rows[s->npending], 0, sizeof(rows[0]));
		rows[s->npending].table = (int)t;
		memcpy(rows[s->npending].key, key, sizeof(rows[0].key));
		s->pending_index[slot] = (uint32_t)++s->npending;
	}
	rows = s->pending;
	kpi_add(&rows[s->pending_index[slot] - 1].delta, delta);
	db_note_write(s->db);
}

int store__counters_add(struct store *s, int64_t campaign_id, int64_t agent_id, int day, int hour,
	const struct kpi_counts *delta, struct tp_error *err)
{
	const int64_t keys[NHOURLY][4] = {
		{campaign_id, agent_id, day, hour},
		{campaign_id, agent_id, day / 100, 0},
		{campaign_id, day / 100, when_weekday(day), hour},
		{campaign_id, day, 0, 0},
	};

	(void)err;
	for (size_t t = 0; t < NHOURLY; t++)
		pending_add(s, t, keys[t], delta);
	return 0;
}

int store__outcome_counters_add(struct store *s, int64_t campaign_id, int64_t agent_id, int day,
	int64_t outcome_id, const struct kpi_counts *delta, struct tp_error *err)
{
	const int64_t day_key[4] = {campaign_id, agent_id, day, outcome_id};
	const int64_t month_key[4] = {campaign_id, agent_id, day / 100, outcome_id};

	(void)err;
	pending_add(s, NHOURLY, day_key, delta);
	pending_add(s, NHOURLY + 1, month_key, delta);
	return 0;
}

static int by_table_then_key(const void *a, const void *b)
{
	const struct pending_row *x = a, *y = b;

	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	for (int k = 0; k < 4; k++)
		if (x->key[k] != y->key[k])
			return x->key[k] < y->key[k] ? -1 : 1;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* One more revision for each campaign whose counters the unit changed (every counters
 * key starts with the campaign), in the same transaction, after the counters rows and in
 * the campaigns' order: what a page kept for the old revision is not found again
 * (store_kpi_revision). */
static int bump_revisions(struct store *s, const struct pending_row *rows, size_t n, struct tp_error *err)
{
	int64_t *ids = xmalloc(n * sizeof(*ids));
	size_t k = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		ids[i] = rows[i].key[0];
	qsort(ids, n, sizeof(*ids), by_value);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct db_stmt *st;

		if (k && ids[i] == ids[k - 1])
			continue;
		ids[k++] = ids[i];
		if (!(st = store__cached(s, SLOT_KPI_REVISION, "INSERT INTO kpi_revisions (campaign_id, revision)"
			" VALUES (?, 1) ON CONFLICT (campaign_id) DO UPDATE SET revision = kpi_revisions.revision + 1", err))) {
			rc = err->code;
			break;
		}
		db_bind_int64(st, 1, ids[i]);
		rc = db_step_later(st, err);
		db_reset(st);
	}
	free(ids);
	return rc;
}

void store__counters_discard(struct store *s)
{
	pending_clear(s);
}

int store__counters_flush(struct store *s, struct tp_error *err)
{
	struct pending_row *rows = s->pending;
	int rc = 0;

	if (!s->npending)
		return 0;
	pthread_once(&upsert_once, build_upserts);
	qsort(rows, s->npending, sizeof(*rows), by_table_then_key);
	for (size_t i = 0; i < s->npending && rc == 0; i++) {
		int t = rows[i].table, k;
		struct db_stmt *st = store__cached(s, tables[t].slot, upsert_sql[t], err);

		if (!st) {
			rc = err->code;
			break;
		}
		for (k = 0; k < tables[t].nkeys; k++)
			db_bind_int64(st, k + 1, rows[i].key[k]);
		for (size_t c = 0; c < NCOLS; c++)
			db_bind_int64(st, k + (int)c + 1, field_of(&rows[i].delta, c));
		rc = db_step_later(st, err);
		db_reset(st);
	}
	if (rc == 0)
		rc = bump_revisions(s, rows, s->npending, err);
	pending_clear(s);
	return rc;
}

int store__credit_calling_time(struct store *s, int64_t campaign_id, int64_t agent_id, const char *zone, int64_t from,
	int64_t to, struct tp_error *err)
{
	while (from < to) {
		int64_t end = tz_hour_end(zone, from);
		struct kpi_counts d;
		struct tz_local l;
		int rc;

		if (end > to)
			end = to;
		tz_local(zone, from, &l);
		memset(&d, 0, sizeof(d));
		d.calling_seconds = end - from;
		if ((rc = store__counters_add(s, campaign_id, agent_id, l.yyyymmdd, l.hour, &d, err)))
			return rc;
		from = end;
	}
	return 0;
}
