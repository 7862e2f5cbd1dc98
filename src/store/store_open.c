/* The store's lifecycle: opening (migrations), the commit hooks, closing. */
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

/* A hold a bulk transaction kept, written at its commit. */
static int holds_flush(struct store *s, struct tp_error *err)
{
	return store__hold_flush(s, 0, err);
}

static const struct store_hooks hooks = {
	/* The calls, holds and sessions a bulk transaction kept, its agents' day spans, then
	 * the counters of the unit. */
	.flush = {store__calls_flush, holds_flush, store__sessions_write, store__bulk_spans_flush, store__counters_flush},
	.discard = {store__counters_discard},
	.bulk_ended = {store__bulk_forget},
};

static struct store *store_on(struct db *db, int *migrated, struct tp_error *err)
{
	struct store *s;

	if (!db)
		return NULL;
	if (migrations_apply(db, migrated, err)) {
		db_close(db);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->db = db;
	s->hooks = &hooks;
	return s;
}

struct store *store_open(const char *url, int *migrated, struct tp_error *err)
{
	struct store *s = store_on(db_open(url, err), migrated, err);

	if (s)
		s->memo_url = xstrdup(url);
	return s;
}

struct store *store_open_scratch(struct tp_error *err)
{
	return store_on(db_open_scratch(err), NULL, err);
}

bool store_bulk_loads(const struct store *s)
{
	return db_can(s->db, DB_CAP_COPY);
}

int store_set_cache_kib(struct store *s, int64_t kib, struct tp_error *err)
{
	return db_set_cache_kib(s->db, kib, err);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < STORE_CACHE_SIZE; i++)
		db_finalize(s->cache[i]);
	for (int i = 0; i < s->nrules; i++)
		campaign_release(&s->rules[i]);
	store__bulk_forget(s);
	store__name_ids_clear(&s->desk_agents);
	store__name_ids_clear(&s->desk_campaigns);
	free(s->desk_agents.v);
	free(s->desk_campaigns.v);
	free(s->pending);
	free(s->pending_index);
	free(s->memo_url);
	free(s->memo_name);
	db_close(s->db);
	free(s);
}

int store_schema_version(struct store *s, int64_t *version, struct tp_error *err)
{
	return db_query_int64(s->db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", version, err);
}
