/*
 * KPI reports read from the counters (store_counters.c writes them): store_kpi_groups and
 * store_kpi_totals, so that a report's cost follows the hours worked, not the calls made;
 * store_kpi_recompute is the independent reference over raw rows.
 */
#include <pthread.h>
#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/calling.h"
#include "core/hash.h"
#include "core/memo.h"
#include "core/tz.h"
#include "core/when.h"
#include "core/xalloc.h"
#include "store/store_int.h"

/* WHERE conditions for a filter; only the ones in use, so that indexes serve them.
 * day_col is the column holding the day, or the month (by_month: bind_filter_as then binds
 * months). A day column also holds the codes of history calls that did not say their day
 * (core/when.h): they are in a period that covers their whole month, never in part of it. */
static void where_as(struct strbuf *sb, const struct kpi_filter *f, const char *day_col, bool by_month)
{
	sb_adds(sb, " WHERE 1 = 1");
	if (f->campaign_id)
		sb_adds(sb, " AND campaign_id = ?");
	if (f->agent_id)
		sb_adds(sb, " AND agent_id = ?");
	if (f->from_day)
		sb_addf(sb, " AND %s >= ?", day_col);
	if (f->from_day && !by_month && when_period_from(f->from_day) != f->from_day)
		sb_addf(sb, " AND (%s %% 100 <= 31 OR %s >= ?)", day_col, day_col);
	if (f->to_day)
		sb_addf(sb, " AND %s <= ?", day_col);
}

static void where(struct strbuf *sb, const struct kpi_filter *f, const char *day_col)
{
	where_as(sb, f, day_col, false);
}

static int bind_filter_as(struct db_stmt *st, const struct kpi_filter *f, int idx, bool by_month)
{
	if (f->campaign_id)
		db_bind_int64(st, idx++, f->campaign_id);
	if (f->agent_id)
		db_bind_int64(st, idx++, f->agent_id);
	if (f->from_day)
		db_bind_int64(st, idx++, by_month ? f->from_day / 100 : f->from_day);
	if (f->from_day && !by_month && when_period_from(f->from_day) != f->from_day)
		db_bind_int64(st, idx++, when_period_from(f->from_day));
	if (f->to_day)
		db_bind_int64(st, idx++, by_month ? f->to_day / 100 : when_period_to(f->to_day));
	return idx;
}

static int bind_filter(struct db_stmt *st, const struct kpi_filter *f, int idx)
{
	return bind_filter_as(st, f, idx, false);
}

/* True when the filter's days cover whole months (so month rollups answer exactly). */
static bool month_aligned(const struct kpi_filter *f)
{
	if (f->from_day && f->from_day % 100 != 1)
		return false;
	if (f->to_day) {
		int next = tz_day_from_number(tz_day_number(f->to_day) + 1);

		if (next % 100 != 1)
			return false;
	}
	return true;
}

/* Which counters table answers a query: the coarsest one that has the dimensions the
 * grouping and the filter need. */
enum source_table { SRC_HOURLY, SRC_AGENT_MONTH, SRC_HOUR_MONTH, SRC_DAY };

static const struct {
	const char *table;
	const char *day_col;      /* the column the day filter applies to */
	bool by_month;            /* that column holds yyyymm */
} sources[] = {
	[SRC_HOURLY] = {"kpi_counters", "local_day", false},
	[SRC_AGENT_MONTH] = {"kpi_agent_month", "month", true},
	[SRC_HOUR_MONTH] = {"kpi_hour_month", "month", true},
	[SRC_DAY] = {"kpi_day", "local_day", false},
};

static enum source_table pick_source(const struct kpi_filter *f, enum kpi_group by)
{
	bool aligned = month_aligned(f);

	switch (by) {
	case KPI_BY_AGENT:
		return aligned ? SRC_AGENT_MONTH : SRC_HOURLY;
	case KPI_BY_NONE:
	case KPI_BY_CAMPAIGN:
	case KPI_BY_MONTH:
		if (aligned)
			return SRC_AGENT_MONTH;
		return f->agent_id ? SRC_HOURLY : SRC_DAY;
	case KPI_BY_HOUR:
	case KPI_BY_WEEKDAY:
	case KPI_BY_WEEKDAY_HOUR:
	case KPI_BY_BLOCK:
		return aligned && !f->agent_id ? SRC_HOUR_MONTH : SRC_HOURLY;
	case KPI_BY_DAY:
	case KPI_BY_WEEK:
	default:
		return f->agent_id ? SRC_HOURLY : SRC_DAY;
	}
}

/*
 * The SELECT list of a grouping on a source: day as yyyymmdd (or 0), hour, campaign,
 * agent, weekday (or -1: from the day); row_key folds each row into its group.
 */
static void grouping_sql(enum kpi_group by, enum source_table src, const char **select)
{
	bool hm = src == SRC_HOUR_MONTH;

	switch (by) {
	case KPI_BY_HOUR:
		*select = "0, local_hour, 0, 0, -1";
		break;
	case KPI_BY_WEEKDAY:
	case KPI_BY_WEEKDAY_HOUR:
		*select = hm ? "0, local_hour, 0, 0, local_weekday" : "local_day, local_hour, 0, 0, -1";
		break;
	case KPI_BY_BLOCK:
		*select = hm ? "0, local_hour, campaign_id, 0, local_weekday" : "local_day, local_hour, campaign_id, 0, -1";
		break;
	case KPI_BY_MONTH:
		*select = src == SRC_AGENT_MONTH ? "month * 100 + 1, 0, 0, 0, -1" : "local_day / 100 * 100 + 1, 0, 0, 0, -1";
		break;
	case KPI_BY_AGENT:
		*select = "0, 0, 0, agent_id, -1";
		break;
	case KPI_BY_CAMPAIGN:
		*select = "0, 0, campaign_id, 0, -1";
		break;
	default: /* day, week */
		*select = "local_day, 0, 0, 0, -1";
		break;
	}
}

/* Every counter (KPI_COUNTERS), summed, or as it is, then read back in that order. */
static void add_sums(struct strbuf *sb)
{
#define SUM_(name, json, from) ", SUM(" #name ")"
	sb_adds(sb, KPI_COUNTERS(SUM_));
#undef SUM_
}

static void add_columns(struct strbuf *sb)
{
#define COLUMN_(name, json, from) ", " #name
	sb_adds(sb, KPI_COUNTERS(COLUMN_));
#undef COLUMN_
}

static void read_sums(struct db_stmt *st, int first, struct kpi_counts *c)
{
	int i = first;

#define READ_(name, json, from) c->name = db_col_int64(st, i++);
	KPI_COUNTERS(READ_)
#undef READ_
}

/* The database's name in memo keys (struct store's memo_name): its address and its id,
 * drawn the first time any connection asks. A database where it cannot be drawn (read
 * only) keeps nothing: this connection's memo is off, its readings go on. */
static void memo_name(struct store *s)
{
	unsigned char bytes[12];
	char hex[2 * sizeof(bytes) + 1];
	struct tp_error err;
	struct db_stmt *st;

	tp_error_clear(&err);
	randombytes_buf(bytes, sizeof(bytes));
	sodium_bin2hex(hex, sizeof(hex), bytes, sizeof(bytes));
	if ((st = db_prepare(s->db, "INSERT INTO settings (key, value) VALUES ('memo.id', ?) ON CONFLICT (key) DO NOTHING",
		&err))) {
		db_bind_text(st, 1, hex);
		if (db_step(st, &err) < 0)
			tp_error_clear(&err);
		db_finalize(st);
	}
	if ((st = db_prepare(s->db, "SELECT value FROM settings WHERE key = 'memo.id'", &err))) {
		if (db_step(st, &err) == DB_ROW) {
			struct strbuf sb;

			sb_init(&sb);
			sb_addf(&sb, "%s#%s", s->memo_url, db_col_text(st, 0));
			s->memo_name = sb.buf;
		}
		db_finalize(st);
	}
	if (!s->memo_name) {
		free(s->memo_url);
		s->memo_url = NULL;
	}
}

/* The key of h's revisions ("" when it cannot be whole). */
static void revision_key(const struct store *s, const struct kpi_held *h, char *key, size_t size)
{
	int n = snprintf(key, size, "%s|%lld" MEMO_GENERATION "%lld.%lld", s->memo_name, (long long)h->campaign_id,
		(long long)h->counters, (long long)h->settings);

	if (n < 0 || (size_t)n >= size)
		key[0] = '\0';
}

int store_kpi_revision(struct store *s, int64_t campaign_id, char *key, size_t size, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	key[0] = '\0';
	if (!s->memo_url || db_in_transaction(s->db) || getenv("TELEPRO_NO_MEMO"))
		return 0;
	if (!s->memo_name)
		memo_name(s);
	if (!s->memo_name)
		return 0;
	for (int i = 0; s->kpi_held && i < s->nheld; i++)
		if (s->held[i].campaign_id == campaign_id) {
			revision_key(s, &s->held[i], key, size);
			return 0;
		}
	/* Read before the data it stands for: what is kept under it is at least that recent. */
	st = db_prepare(s->db, campaign_id ? "SELECT COALESCE((SELECT revision FROM kpi_revisions WHERE campaign_id = ?1), 0),"
		" COALESCE((SELECT revision FROM campaigns WHERE id = ?1), -1)"
		: "SELECT COALESCE((SELECT SUM(revision) FROM kpi_revisions), 0), COALESCE((SELECT SUM(revision) + COUNT(*)"
		" FROM campaigns), 0) /* scan-ok: a row per campaign */", err);
	if (!st)
		return err->code;
	if (campaign_id)
		db_bind_int64(st, 1, campaign_id);
	if ((rc = db_step(st, err)) == DB_ROW) {
		struct kpi_held h = {campaign_id, db_col_int64(st, 0), db_col_int64(st, 1)};

		revision_key(s, &h, key, size);
		if (s->kpi_held && s->nheld < (int)(sizeof(s->held) / sizeof(s->held[0])))
			s->held[s->nheld++] = h;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

void store_kpi_hold(struct store *s, bool hold)
{
	s->kpi_held = hold;
	s->nheld = 0;
}

/* The memo key of a read of f (what: the read and its grouping) at f's campaign's
 * revision; "" when it may not be kept. */
static int memo_key(struct store *s, const struct kpi_filter *f, const char *what, char *key, size_t size,
	struct tp_error *err)
{
	int rc = store_kpi_revision(s, f->campaign_id, key, size, err);

	memo_key_add(key, size, "|%s|%lld|%d|%d", what, (long long)f->agent_id, f->from_day, f->to_day);
	return rc;
}

int store_kpi_totals(struct store *s, const struct kpi_filter *f, struct kpi_counts *out, struct tp_error *err)
{
	enum source_table src = pick_source(f, KPI_BY_NONE);
	char key[1024];
	struct strbuf sb;
	struct db_stmt *st;
	int rc;

	if ((rc = memo_key(s, f, "totals", key, sizeof(key), err)))
		return rc;
	if (key[0] && memo_get_exact(key, out, sizeof(*out)))
		return 0;
	sb_init(&sb);
	sb_adds(&sb, "SELECT 0");
	add_sums(&sb);
	sb_addf(&sb, " FROM %s", sources[src].table);
	where_as(&sb, f, sources[src].day_col, sources[src].by_month);
	sb_adds(&sb, " /* scan-ok: a rollup, a few rows per month */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	bind_filter_as(st, f, 1, sources[src].by_month);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		read_sums(st, 1, out);
	db_finalize(st);
	if (rc == DB_ROW && key[0])
		memo_put(key, out, sizeof(*out));
	return rc < 0 ? rc : 0;
}

struct group {
	int64_t key;
	char label[128];
	struct kpi_counts c;
};

struct groups {
	struct group *g;
	size_t n, cap;
	size_t last;                /* rows come ordered: the last group is the likely one */
};

static struct kpi_counts *group_get(struct groups *gs, int64_t key)
{
	size_t lo = 0, hi = gs->n;

	if (gs->n && gs->g[gs->last].key == key)
		return &gs->g[gs->last].c;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (gs->g[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == gs->n || gs->g[lo].key != key) {
		if (gs->n == gs->cap) {
			gs->cap = gs->cap ? gs->cap * 2 : 64;
			gs->g = xrealloc(gs->g, gs->cap * sizeof(*gs->g));
		}
		memmove(&gs->g[lo + 1], &gs->g[lo], (gs->n - lo) * sizeof(*gs->g));
		memset(&gs->g[lo], 0, sizeof(*gs->g));
		gs->g[lo].key = key;
		gs->n++;
	}
	gs->last = lo;
	return &gs->g[lo].c;
}

static const char *const weekday_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

/* The group key of a counters row (day, hour, campaign, agent) and, later, its label. */
static int64_t row_key(enum kpi_group by, int day, int hour, int weekday, int64_t campaign_id, int64_t agent_id,
	const struct campaign *blocks_of)
{
	if (weekday < 0 && day)
		weekday = when_weekday(day);
	switch (by) {
	case KPI_BY_HOUR:
		return hour;
	case KPI_BY_WEEKDAY_HOUR:
		return ((weekday + 6) % 7) * 100 + hour; /* Monday first */
	case KPI_BY_WEEKDAY:
		return (weekday + 6) % 7;
	case KPI_BY_DAY:
		return day;
	case KPI_BY_WEEK:
		return tz_iso_week(day);
	case KPI_BY_MONTH:
		return day / 100;
	case KPI_BY_AGENT:
		return agent_id;
	case KPI_BY_CAMPAIGN:
		return campaign_id;
	case KPI_BY_BLOCK:
		return blocks_of && slots_in(blocks_of->blocks, blocks_of->nblocks, weekday, hour * 60) ? 0 : 1;
	default:
		return 0;
	}
}

/* Whether a counters row (day code, hour, weekday or -1) can be placed in a group of by:
 * a history's call that did not say its hour has none, nor its day or weekday. */
static bool row_placed(enum kpi_group by, int day, int hour, int weekday)
{
	if (weekday < 0 && day)
		weekday = when_weekday(day);
	switch (by) {
	case KPI_BY_HOUR:
	case KPI_BY_BLOCK:
		return hour >= 0;
	case KPI_BY_WEEKDAY_HOUR:
		return hour >= 0 && weekday >= 0;
	case KPI_BY_WEEKDAY:
		return weekday >= 0;
	case KPI_BY_DAY:
	case KPI_BY_WEEK:
		return when_day_known(day);
	default:
		return true;
	}
}

/* Names agents and campaigns with names_st (a prepared SELECT name ... WHERE id = ?). */
static int label(enum kpi_group by, struct group *g, struct db_stmt *names_st, struct tp_error *err)
{
	struct db_stmt *st = NULL;
	int rc;

	switch (by) {
	case KPI_BY_HOUR:
		snprintf(g->label, sizeof(g->label), "%02d", (int)g->key);
		break;
	case KPI_BY_WEEKDAY_HOUR:
		snprintf(g->label, sizeof(g->label), "%s %02d", weekday_names[(g->key / 100 + 1) % 7], (int)(g->key % 100));
		break;
	case KPI_BY_WEEKDAY:
		snprintf(g->label, sizeof(g->label), "%s", weekday_names[(g->key + 1) % 7]);
		break;
	case KPI_BY_DAY:
		snprintf(g->label, sizeof(g->label), "%04d-%02d-%02d", (int)(g->key / 10000), (int)(g->key / 100 % 100),
			(int)(g->key % 100));
		break;
	case KPI_BY_WEEK:
		snprintf(g->label, sizeof(g->label), "%04d-W%02d", (int)(g->key / 100), (int)(g->key % 100));
		break;
	case KPI_BY_MONTH:
		snprintf(g->label, sizeof(g->label), "%04d-%02d", (int)(g->key / 100), (int)(g->key % 100));
		break;
	case KPI_BY_AGENT:
	case KPI_BY_CAMPAIGN:
		st = names_st;
		break;
	case KPI_BY_BLOCK:
		snprintf(g->label, sizeof(g->label), "%s", g->key == 0 ? "inside" : "outside");
		break;
	default:
		break;
	}
	if (!st)
		return 0;
	db_bind_int64(st, 1, g->key);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		snprintf(g->label, sizeof(g->label), "%s", db_col_text(st, 0));
	db_reset(st);
	if (rc == DB_DONE)
		return tp_error_set(err, TP_ERR, "counters name %s %lld, which does not exist",
			by == KPI_BY_AGENT ? "agent" : "campaign", (long long)g->key);
	return rc < 0 ? rc : 0;
}

/* The typed key of group g of grouping by (its label made). */
static struct kpi_group_key typed(enum kpi_group by, const struct group *g)
{
	struct kpi_group_key k = {.by = by, .label = g->label, .hour = -1};

	switch (by) {
	case KPI_BY_HOUR: k.hour = (int)g->key; break;
	case KPI_BY_WEEKDAY_HOUR: k.weekday = (int)(g->key / 100) + 1; k.hour = (int)(g->key % 100); break;
	case KPI_BY_WEEKDAY: k.weekday = (int)g->key + 1; break;
	case KPI_BY_DAY:
		k.year = (int)(g->key / 10000);
		k.month = (int)(g->key / 100 % 100);
		k.day = (int)(g->key % 100);
		break;
	case KPI_BY_WEEK: k.year = (int)(g->key / 100); k.week = (int)(g->key % 100); break;
	case KPI_BY_MONTH: k.year = (int)(g->key / 100); k.month = (int)(g->key % 100); break;
	case KPI_BY_AGENT: case KPI_BY_CAMPAIGN: case KPI_BY_OUTCOME: k.id = g->key; break;
	case KPI_BY_BLOCK: k.inside = g->key == 0; break;
	default: break;
	}
	return k;
}

/* Each group to fn, typed, then the calls no group could place (label NULL). */
static int emit_groups(enum kpi_group by, const struct groups *gs, const struct kpi_counts *unplaced, store_kpi_fn fn,
	void *ctx)
{
	int rc = 0;

	for (size_t i = 0; i < gs->n && rc == 0; i++) {
		struct kpi_group_key k = typed(by, &gs->g[i]);

		rc = fn(ctx, &k, &gs->g[i].c);
	}
	if (rc == 0 && unplaced && unplaced->calls) {
		struct kpi_group_key none = {.by = by, .hour = -1};

		rc = fn(ctx, &none, unplaced);
	}
	return rc;
}

static int by_label(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->label, ((const struct group *)b)->label);
}

/* Outcomes are not a counters dimension: grouped from raw conversations. */
/* Names each group (an outcome id) with its code; a group of no outcome is "none". */
static int label_outcomes(struct store *s, struct groups *gs, struct tp_error *err)
{
	for (size_t i = 0; i < gs->n; i++) {
		struct db_stmt *o = db_prepare(s->db, "SELECT code FROM outcomes WHERE id = ?", err);
		int rc;

		if (!o)
			return err->code;
		db_bind_int64(o, 1, gs->g[i].key);
		rc = db_step(o, err);
		snprintf(gs->g[i].label, sizeof(gs->g[i].label), "%s", rc == DB_ROW ? db_col_text(o, 0) : "none");
		db_finalize(o);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Conversations by outcome, from the outcome counters: by month when the filter covers
 * whole months, else by day. */
static int groups_by_outcome(struct store *s, const struct kpi_filter *f, struct groups *gs, struct tp_error *err)
{
	bool monthly = month_aligned(f);
	struct strbuf sb;
	struct db_stmt *st;
	int rc;

	sb_init(&sb);
	sb_adds(&sb, "SELECT outcome_id");
	add_columns(&sb);
	sb_addf(&sb, " FROM %s", monthly ? "kpi_outcome_month" : "kpi_outcome_day");
	where_as(&sb, f, monthly ? "month" : "local_day", monthly);
	sb_adds(&sb, " /* scan-ok: a rollup */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	bind_filter_as(st, f, 1, monthly);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct kpi_counts row;

		read_sums(st, 1, &row);
		kpi_add(group_get(gs, db_col_int64(st, 0)), &row);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	return label_outcomes(s, gs, err);
}

/* The same from the raw calls: the reference the tests hold the counters to. */
static int recompute_by_outcome(struct store *s, const struct kpi_filter *f, struct groups *gs, struct tp_error *err)
{
	struct strbuf sb;
	struct db_stmt *st;
	int rc;

	sb_init(&sb);
	sb_adds(&sb, "SELECT outcome_id, COUNT(*), SUM(talk_seconds), SUM(talk_seconds * talk_seconds),"
		" SUM(qualification_changed) FROM calls");
	where(&sb, f, "local_day");
	sb_adds(&sb, " AND result = 'conversation' GROUP BY outcome_id");
	sb_adds(&sb, f->campaign_id ? "" : " /* scan-ok: every campaign */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	bind_filter(st, f, 1);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct kpi_counts *c = group_get(gs, db_col_int64(st, 0));

		c->calls += db_col_int64(st, 1);
		c->conversations += db_col_int64(st, 1);
		c->talk_seconds += db_col_int64(st, 2);
		c->talk_seconds_sq += db_col_int64(st, 3);
		c->qualified += db_col_int64(st, 4);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < gs->n; i++) {
		struct db_stmt *o = db_prepare(s->db, "SELECT code, is_appointment, is_sale, is_hot, is_callback,"
			" is_refusal FROM outcomes WHERE id = ?", err);

		if (!o)
			return err->code;
		db_bind_int64(o, 1, gs->g[i].key);
		if ((rc = db_step(o, err)) < 0) {
			db_finalize(o);
			return rc;
		}
		if (rc == DB_ROW) {
			struct kpi_counts *c = &gs->g[i].c;

			snprintf(gs->g[i].label, sizeof(gs->g[i].label), "%s", db_col_text(o, 0));
			c->appointments = db_col_int64(o, 1) ? c->conversations : 0;
			c->sales = db_col_int64(o, 2) ? c->conversations : 0;
			c->hot = db_col_int64(o, 3) ? c->conversations : 0;
			c->callbacks = db_col_int64(o, 4) ? c->conversations : 0;
			c->refusals = db_col_int64(o, 5) ? c->conversations : 0;
		} else {
			snprintf(gs->g[i].label, sizeof(gs->g[i].label), "none");
		}
		db_finalize(o);
	}
	return 0;
}

/* The groups of a read as the memo keeps them: the calls no group placed, then each group. */
static void groups_keep(const char *key, const struct groups *gs, const struct kpi_counts *unplaced)
{
	size_t size = sizeof(*unplaced) + gs->n * sizeof(*gs->g);
	char *blob = xmalloc(size);

	memcpy(blob, unplaced, sizeof(*unplaced));
	if (gs->n)
		memcpy(blob + sizeof(*unplaced), gs->g, gs->n * sizeof(*gs->g));
	memo_put(key, blob, size);
	free(blob);
}

static bool groups_kept(const char *key, struct groups *gs, struct kpi_counts *unplaced)
{
	void *kept;
	size_t size;

	if (!key[0] || !memo_get(key, &kept, &size))
		return false;
	if (size < sizeof(*unplaced) || (size - sizeof(*unplaced)) % sizeof(*gs->g)) {
		free(kept);
		return false;
	}
	memcpy(unplaced, kept, sizeof(*unplaced));
	gs->n = gs->cap = (size - sizeof(*unplaced)) / sizeof(*gs->g);
	gs->g = xmalloc(gs->n ? gs->n * sizeof(*gs->g) : 1);
	memcpy(gs->g, (char *)kept + sizeof(*unplaced), gs->n * sizeof(*gs->g));
	free(kept);
	return true;
}

/* The groups of f by `by` from the counters, labelled and in their order, into gs. */
static int groups_read(struct store *s, const struct kpi_filter *f, enum kpi_group by, struct groups *gs,
	struct kpi_counts *unplaced, struct tp_error *err)
{
	enum source_table src;
	const char *select;
	struct strbuf sb;
	struct db_stmt *st, *names = NULL;
	struct campaign blocks_of;
	int64_t blocks_campaign = -1;
	int rc = 0, day, hour, weekday;

	campaign_init(&blocks_of);
	if (by == KPI_BY_OUTCOME) {
		rc = groups_by_outcome(s, f, gs, err);
		goto sort;
	}
	src = pick_source(f, by);
	grouping_sql(by, src, &select);
	sb_init(&sb);
	/* Rows are read in primary-key order and folded here: a GROUP BY on another column
	 * would make SQLite sort every row first. */
	sb_addf(&sb, "SELECT %s", select);
	add_columns(&sb);
	sb_addf(&sb, " FROM %s", sources[src].table);
	where_as(&sb, f, sources[src].day_col, sources[src].by_month);
	sb_adds(&sb, " /* scan-ok: a rollup, or one agent's hours */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st) {
		rc = err->code;
		goto out;
	}
	bind_filter_as(st, f, 1, sources[src].by_month);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct kpi_counts row;
		int64_t campaign_id = db_col_int64(st, 2);

		if (by == KPI_BY_BLOCK && campaign_id != blocks_campaign) {
			campaign_release(&blocks_of);
			if ((rc = store__campaign_rules(s, campaign_id, &blocks_of, err)))
				break;
			blocks_campaign = campaign_id;
		}
		read_sums(st, 5, &row);
		day = (int)db_col_int64(st, 0);
		hour = (int)db_col_int64(st, 1);
		weekday = (int)db_col_int64(st, 4);
		if (!row_placed(by, day, hour, weekday)) {
			kpi_add(unplaced, &row);
			continue;
		}
		kpi_add(group_get(gs, row_key(by, day, hour, weekday, campaign_id, db_col_int64(st, 3), &blocks_of)), &row);
	}
	db_finalize(st);
	if (rc > 0)
		rc = 0;
	if (rc == 0 && (by == KPI_BY_AGENT || by == KPI_BY_CAMPAIGN)) {
		names = db_prepare(s->db, by == KPI_BY_AGENT ? "SELECT name FROM users WHERE id = ?"
			: "SELECT name FROM campaigns WHERE id = ?", err);
		if (!names)
			rc = err->code;
	}
	for (size_t i = 0; i < gs->n && rc == 0; i++)
		rc = label(by, &gs->g[i], names, err);
	db_finalize(names);
sort:
	if (rc == 0 && (by == KPI_BY_AGENT || by == KPI_BY_CAMPAIGN || by == KPI_BY_OUTCOME) && gs->n > 1)
		qsort(gs->g, gs->n, sizeof(*gs->g), by_label);
out:
	campaign_release(&blocks_of);
	return rc < 0 ? rc : 0;
}

int store_kpi_groups(struct store *s, const struct kpi_filter *f, enum kpi_group by, store_kpi_fn fn, void *ctx,
	struct tp_error *err)
{
	struct groups gs = {0};
	struct kpi_counts unplaced = {0};
	char key[1024], what[32];
	int rc;

	/* Kept while the campaign's counters and settings stay at this revision (the block of
	 * an hour, a campaign's name). */
	snprintf(what, sizeof(what), "groups %d", (int)by);
	if ((rc = memo_key(s, f, what, key, sizeof(key), err)))
		return rc;
	if (!groups_kept(key, &gs, &unplaced)) {
		if ((rc = groups_read(s, f, by, &gs, &unplaced, err)))
			goto out;
		if (key[0])
			groups_keep(key, &gs, &unplaced);
	}
	if ((by == KPI_BY_DAY || by == KPI_BY_WEEK) && unplaced.calls)
		rc = tp_error_at(err, TP_EUSAGE, NULL, 0, "by", "%lld calls of this period have no day of the month (their"
			" history gives the month, or the month and weekday): --by %s cannot place them; use --by month or"
			" --by weekday, or a period without them", (long long)unplaced.calls, by == KPI_BY_DAY ? "day" : "week");
	else
		rc = emit_groups(by, &gs, &unplaced, fn, ctx);
out:
	free(gs.g);
	return rc < 0 ? rc : 0;
}

int store_kpi_recompute_by_outcome(struct store *s, const struct kpi_filter *f, store_kpi_fn fn, void *ctx,
	struct tp_error *err)
{
	struct groups gs = {0};
	int rc = recompute_by_outcome(s, f, &gs, err);

	if (rc == 0 && gs.n > 1)
		qsort(gs.g, gs.n, sizeof(*gs.g), by_label);
	if (rc == 0)
		rc = emit_groups(KPI_BY_OUTCOME, &gs, NULL, fn, ctx);
	free(gs.g);
	return rc < 0 ? rc : 0;
}

/* Runs the query in sb (then released) with the filter's parameters and adds its first
 * row's columns to *outs[0..n). */
static int add_row(struct store *s, struct strbuf *sb, const struct kpi_filter *f, int64_t *const *outs, int n,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, sb->buf, err);
	int rc;

	sb_release(sb);
	if (!st)
		return err->code;
	bind_filter(st, f, 1);
	if ((rc = db_step(st, err)) == DB_ROW)
		for (int i = 0; i < n; i++)
			*outs[i] += db_col_int64(st, i);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_kpi_recompute(struct store *s, const struct kpi_filter *f, struct kpi_counts *out, struct tp_error *err)
{
	struct kpi_filter no_days = {f->campaign_id, f->agent_id, 0, 0};
	int64_t *const from_calls[] = {&out->calls, &out->conversations, &out->appointments, &out->sales,
		&out->talk_seconds, &out->talk_seconds_sq, &out->qualified, &out->hot, &out->callbacks, &out->refusals,
		&out->untimed_calls, &out->untimed_conversations};
	int64_t *const from_appointments[] = {&out->appointments_won, &out->appointments_known,
		&out->appointments_held, &out->appointments_no_show, &out->appointments_relevant,
		&out->appointments_rated, &out->amount_cents, &out->sales};
	int64_t *const calling[] = {&out->calling_seconds};
	struct strbuf sb;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Calls and their outcomes' flags. */
	sb_init(&sb);
	sb_adds(&sb, "SELECT COUNT(*),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' AND o.is_appointment = 1 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' AND o.is_sale = 1 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' THEN c.talk_seconds ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' THEN c.talk_seconds * c.talk_seconds ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' THEN c.qualification_changed ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' AND o.is_hot = 1 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' AND o.is_callback = 1 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.result = 'conversation' AND o.is_refusal = 1 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.local_hour < 0 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN c.local_hour < 0 AND c.result = 'conversation' THEN 1 ELSE 0 END), 0)"
		" FROM (SELECT * FROM calls");
	where(&sb, f, "local_day");
	sb_adds(&sb, ") c LEFT JOIN outcomes o ON o.id = c.outcome_id /* scan-ok: the reference */");
	if ((rc = add_row(s, &sb, f, from_calls, 12, err)))
		return rc;
	/* Appointment results, counted at the call that set the appointment; won ones are sales. */
	sb_init(&sb);
	sb_adds(&sb, "SELECT COALESCE(SUM(CASE WHEN result = 'won' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN result = 'won' OR result = 'lost' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN relevant = 1 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN relevant IS NOT NULL THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN result = 'won' THEN COALESCE(amount_cents, 0) ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN result = 'won' THEN 1 ELSE 0 END), 0)"
		" FROM appointments");
	where(&sb, f, "local_day");
	sb_adds(&sb, " /* scan-ok: the reference */");
	if ((rc = add_row(s, &sb, f, from_appointments, 8, err)))
		return rc;
	/* Calling time: closed sessions, plus the daily span of calls made outside sessions.
	 * (Sessions are not split by day here: use no day filter with this reference.) */
	sb_init(&sb);
	sb_adds(&sb, "SELECT COALESCE(SUM(ended_at - started_at - paused_seconds), 0) FROM agent_sessions");
	where(&sb, &no_days, "0");
	sb_adds(&sb, " AND ended_at IS NOT NULL /* scan-ok: the reference */");
	if ((rc = add_row(s, &sb, &no_days, calling, 1, err)))
		return rc;
	sb_init(&sb);
	sb_adds(&sb, "SELECT COALESCE(SUM(span), 0) FROM (SELECT MAX(started_at + ring_seconds + talk_seconds)"
		" - MIN(started_at) AS span FROM calls");
	where(&sb, f, "local_day");
	sb_adds(&sb, " AND session_id IS NULL AND local_hour >= 0 GROUP BY campaign_id, agent_id, local_day) spans"
		" /* scan-ok: the reference */");
	return add_row(s, &sb, f, calling, 1, err);
}

int store_attempt_groups(struct store *s, const struct kpi_filter *f, store_attempt_fn fn, void *ctx,
	struct tp_error *err)
{
	struct strbuf sb;
	struct db_stmt *st;
	int rc;

	sb_init(&sb);
	sb_adds(&sb, "SELECT attempt, COUNT(*), SUM(CASE WHEN result = 'conversation' THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN outcome_id IN (SELECT id FROM outcomes WHERE is_sale = 1 OR is_appointment = 1) THEN 1 ELSE 0 END)"
		" FROM calls");
	where(&sb, f, "local_day");
	sb_adds(&sb, " AND attempt IS NOT NULL GROUP BY attempt ORDER BY attempt"
		" /* scan-ok: insights read a campaign's calls */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	bind_filter(st, f, 1);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2), db_col_int64(st, 3))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_agent_days(struct store *s, const struct kpi_filter *f, store_agent_day_fn fn, void *ctx,
	struct tp_error *err)
{
	struct strbuf sb;
	struct db_stmt *st;
	int rc;

	sb_init(&sb);
	sb_adds(&sb, "SELECT u.name, k.local_day, SUM(k.calls) FROM kpi_counters k JOIN users u ON u.id = k.agent_id");
	where(&sb, f, "k.local_day");
	sb_adds(&sb, " AND k.local_day % 100 <= 31 GROUP BY u.name, k.local_day ORDER BY u.name, k.local_day /* scan-ok: an agent-day a row */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	bind_filter(st, f, 1);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_text(st, 0), (int)db_col_int64(st, 1), db_col_int64(st, 2))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_followups(struct store *s, int64_t campaign_id, store_followup_fn fn, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT o.code, c.started_at, (SELECT MIN(c2.started_at) FROM calls c2"
		" JOIN outcomes o2 ON o2.id = c2.outcome_id WHERE c2.lead_id = c.lead_id AND c2.started_at > c.started_at"
		" AND (o2.is_appointment = 1 OR o2.is_sale = 1)) FROM calls c JOIN outcomes o ON o.id = c.outcome_id"
		" WHERE c.campaign_id = ? AND c.lead_id IS NOT NULL AND (o.is_hot = 1 OR o.is_callback = 1)"
		" ORDER BY c.started_at /* scan-ok: insights read a campaign's calls */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_text(st, 0), db_col_int64(st, 1), db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_won_appointments(struct store *s, int64_t campaign_id, store_won_fn fn, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT c.started_at, a.scheduled_at, a.updated_at FROM appointments a"
		" JOIN calls c ON c.id = a.call_id WHERE a.campaign_id = ? AND a.result = 'won' ORDER BY a.id", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_file_states(struct store *s, int64_t campaign_id, int64_t stale_before, store_file_state_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT l.state, COUNT(*),"
		" SUM(CASE WHEN c.first_name IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.last_name IS NOT NULL THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN c.email IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.role IS NOT NULL THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN COALESCE(c.postcode, co.postcode) IS NOT NULL THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN co.name IS NOT NULL THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN (l.state = 'new' OR l.state = 'in_progress' OR l.state = 'callback' OR l.state = 'hot')"
		" AND COALESCE(l.last_call_at, l.created_at) < ?2 THEN 1 ELSE 0 END)"
		" FROM leads l JOIN contacts c ON c.id = l.contact_id LEFT JOIN companies co ON co.id = c.company_id"
		" WHERE l.campaign_id = ?1 GROUP BY l.state ORDER BY l.state /* scan-ok: the campaign's leads */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	db_bind_int64(st, 2, stale_before);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct file_state fs = {db_col_text(st, 0), db_col_int64(st, 1), db_col_int64(st, 2), db_col_int64(st, 3),
			db_col_int64(st, 4), db_col_int64(st, 5), db_col_int64(st, 6), db_col_int64(st, 7), db_col_int64(st, 8)};

		if ((rc = fn(ctx, &fs)) != 0)
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_imports_of(struct store *s, int64_t campaign_id, store_import_row_fn fn, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT file, at, imported, duplicates, rejected FROM imports"
		" WHERE campaign_id = ? AND kind = 'prospects' ORDER BY at, id /* scan-ok: a few rows */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((rc = fn(ctx, db_col_text(st, 0), db_col_int64(st, 1), db_col_int64(st, 2), db_col_int64(st, 3),
			db_col_int64(st, 4))) != 0)
			break;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_kpi_agents_active(struct store *s, int64_t campaign_id, int from_day, int to_day, int64_t *n,
	struct tp_error *err)
{
	/* The campaign's agents of those months (a small rollup), then for each an indexed look
	 * at its counters of those days. */
	struct kpi_filter f = {campaign_id, 0, from_day, to_day};
	struct db_stmt *st;
	char key[1024];
	int rc;

	if ((rc = memo_key(s, &f, "agents active", key, sizeof(key), err)))
		return rc;
	if (key[0] && memo_get_exact(key, n, sizeof(*n)))
		return 0;
	st = db_prepare(s->db, "SELECT COUNT(*) FROM (SELECT DISTINCT agent_id FROM kpi_agent_month"
		" WHERE campaign_id = ?1 AND month >= ?2 AND month <= ?3) m WHERE EXISTS (SELECT 1 FROM kpi_counters k"
		" WHERE k.campaign_id = ?1 AND k.agent_id = m.agent_id AND k.local_day >= ?4 AND k.local_day <= ?5"
		" AND k.calls > 0)", err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	db_bind_int64(st, 2, from_day / 100);
	db_bind_int64(st, 3, to_day / 100);
	db_bind_int64(st, 4, from_day);
	db_bind_int64(st, 5, to_day);
	rc = db_step(st, err);
	*n = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_finalize(st);
	if (rc == DB_ROW && key[0])
		memo_put(key, n, sizeof(*n));
	return rc < 0 ? rc : 0;
}

int store_kpi_dialing(struct store *s, const struct kpi_filter *f, struct kpi_dialing_group g[KPI_DIAL_COUNT],
	struct tp_error *err)
{
	struct kpi_dialing_call prev = {0};
	bool any = false;
	char key[1024];
	struct strbuf sb;
	struct db_stmt *st;
	size_t gsize = KPI_DIAL_COUNT * sizeof(*g);
	int rc;

	memset(g, 0, gsize);
	if ((rc = memo_key(s, f, "dialing", key, sizeof(key), err)))
		return rc;
	if (key[0] && memo_get_exact(key, g, gsize))
		return 0;
	sb_init(&sb);
	/* The dials' columns under names of their own: the filter names the calls' columns. */
	sb_adds(&sb, "SELECT COALESCE(dm.dial_mode, 'manual'), agent_id, local_day, local_hour, started_at,"
		" ring_seconds, talk_seconds, result FROM calls LEFT JOIN (SELECT call_id AS dial_call, mode AS dial_mode"
		" FROM dials WHERE call_id IS NOT NULL) dm ON dm.dial_call = calls.id");
	where(&sb, f, "local_day");
	sb_adds(&sb, " ORDER BY agent_id, started_at, calls.id /* scan-ok: a period's calls, in each agent's order */");
	st = db_prepare(s->db, sb.buf, err);
	sb_release(&sb);
	if (!st)
		return err->code;
	bind_filter_as(st, f, 1, false);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct kpi_dialing_call c = {0};

		if (kpi_dialing_parse(db_col_text(st, 0), &c.mode))
			c.mode = KPI_DIAL_MANUAL;
		c.agent_id = db_col_int64(st, 1);
		c.local_day = (int)db_col_int64(st, 2);
		c.timed = db_col_int64(st, 3) >= 0;
		c.started_at = db_col_int64(st, 4);
		c.ring_seconds = db_col_int64(st, 5);
		c.talk_seconds = db_col_int64(st, 6);
		c.conversation = strcmp(db_col_text(st, 7), "conversation") == 0;
		kpi_dialing_add(g, any ? &prev : NULL, &c);
		prev = c;
		any = true;
	}
	db_finalize(st);
	if (rc == DB_DONE && key[0])
		memo_put(key, g, gsize);
	return rc < 0 ? rc : 0;
}

int store_kpi_dialed_any(struct store *s, const struct kpi_filter *f, bool *any, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	*any = false;
	st = db_prepare(s->db, f->campaign_id && f->agent_id ? "SELECT 1 FROM dials WHERE call_id IS NOT NULL"
		" AND campaign_id = ? AND agent_id = ? LIMIT 1" : f->campaign_id ? "SELECT 1 FROM dials WHERE call_id IS NOT NULL"
		" AND campaign_id = ? LIMIT 1" : f->agent_id ? "SELECT 1 FROM dials WHERE call_id IS NOT NULL AND agent_id = ?"
		" LIMIT 1" : "SELECT 1 FROM dials WHERE call_id IS NOT NULL LIMIT 1 /* scan-ok: stops at the first */", err);
	if (!st)
		return err->code;
	if (f->campaign_id)
		db_bind_int64(st, 1, f->campaign_id);
	if (f->agent_id)
		db_bind_int64(st, f->campaign_id ? 2 : 1, f->agent_id);
	if ((rc = db_step(st, err)) == DB_ROW)
		*any = true;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
