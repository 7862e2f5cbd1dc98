#ifndef TP_MEMO_H
#define TP_MEMO_H
/*
 * A process-wide memo of computed results (the dashboard's KPI reads, docs/KPI.md "What
 * a page reads"): bytes kept under a key that names everything they were computed from,
 * the database's revisions among it (store_kpi_revision), so that a result is found
 * again only while nothing it depends on has changed. Thread-safe; bounded by
 * MEMO_ENTRIES entries and MEMO_BYTES bytes, the least recently used given back first.
 *
 * A key may name its scope and generation: "SCOPE\x1fGENERATION|REST" (MEMO_GENERATION
 * between them; store_kpi_revision: the database and campaign, then its revisions). A
 * newer generation of a scope makes the older ones useless: keeping one gives back what
 * its scope kept under another generation (in both memos).
 *
 * memo_put copies key and data; memo_get gives a copy the caller frees.
 */
#define MEMO_GENERATION "\x1f"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define MEMO_ENTRIES 512
#define MEMO_BYTES (32u << 20)

/* True with *data (malloc'd, the caller's) and *size when key is kept. */
bool memo_get(const char *key, void **data, size_t *size);
/* True with out filled when key holds exactly size bytes (a struct kept whole). */
bool memo_get_exact(const char *key, void *out, size_t size);
/* Keeps a copy of data under key (replacing what it held); a result larger than a
 * quarter of MEMO_BYTES is not kept. */
void memo_put(const char *key, const void *data, size_t size);
/* Forgets everything (tests; a process that changed databases under the same name). */
void memo_clear(void);
/* Appends to key (size bytes) what fmt says. "" stays "" (nothing may be kept), and so
 * becomes a key that cannot hold it whole (a cut key could name another result). */
void memo_key_add(char *key, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* How many lookups found their key, and how many did not, since the start. */
void memo_stats(long long *hits, long long *misses);

/*
 * Each thread's own memo of JSON values, for results that cost more to build than to
 * keep (a page's KPIs: core/kpi_json.h): kept by reference, so read-only from then on,
 * and never seen by another thread (jansson's values are not for sharing). At most
 * MEMO_THREAD_ENTRIES a thread and MEMO_THREAD_WEIGHT of weight (the caller's measure of
 * a value's size: a KPI answer weighs its groups), the least recently used given back
 * first, all of them when the thread ends.
 */
#define MEMO_THREAD_ENTRIES 16
#define MEMO_THREAD_WEIGHT 4000

/* A new reference to the value kept under key, or NULL. */
json_t *memo_json_get(const char *key);
/* Keeps a reference to v under key (v must not change from now on); one weighing more
 * than a quarter of MEMO_THREAD_WEIGHT is not kept. */
void memo_json_put(const char *key, json_t *v, size_t weight);

#endif
