/* The process-wide memo (memo.h): a hash table of entries, chained, under one mutex;
 * each entry stamped at its last use, the oldest evicted when a bound is passed. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/memo.h"
#include "core/xalloc.h"

#define MEMO_BUCKETS 1024   /* a power of two, at least MEMO_ENTRIES */

struct memo_entry {
	struct memo_entry *next;    /* in its bucket */
	uint64_t hash, used;
	char *key;
	void *data;
	size_t size;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct memo_entry *buckets[MEMO_BUCKETS];
static size_t entries, bytes;
static uint64_t clock_;
static long long hits, misses;

/* True when a and b name the same scope under other generations (memo.h). */
static bool other_generation(const char *a, const char *b)
{
	const char *ga = strchr(a, MEMO_GENERATION[0]), *gb = strchr(b, MEMO_GENERATION[0]);
	size_t la, lb;

	if (!ga || !gb || ga - a != gb - b || memcmp(a, b, (size_t)(ga - a)) != 0)
		return false;
	la = strcspn(ga, "|");
	lb = strcspn(gb, "|");
	return la != lb || memcmp(ga, gb, la) != 0;
}

static struct memo_entry **find(const char *key, uint64_t h)
{
	struct memo_entry **e = &buckets[h & (MEMO_BUCKETS - 1)];

	while (*e && ((*e)->hash != h || strcmp((*e)->key, key) != 0))
		e = &(*e)->next;
	return e;
}

static void drop(struct memo_entry **at)
{
	struct memo_entry *e = *at;

	*at = e->next;
	entries--;
	bytes -= e->size + strlen(e->key);
	free(e->key);
	free(e->data);
	free(e);
}

/* Gives back the least recently used entry (a scan: at most MEMO_ENTRIES). */
static void evict_oldest(void)
{
	struct memo_entry **oldest = NULL;

	for (size_t b = 0; b < MEMO_BUCKETS; b++)
		for (struct memo_entry **e = &buckets[b]; *e; e = &(*e)->next)
			if (!oldest || (*e)->used < (*oldest)->used)
				oldest = e;
	if (oldest)
		drop(oldest);
}

bool memo_get(const char *key, void **data, size_t *size)
{
	uint64_t h = hash_str(key, 0x6d656d6f);
	struct memo_entry *e;
	bool found = false;

	pthread_mutex_lock(&lock);
	e = *find(key, h);
	if (e) {
		e->used = ++clock_;
		*data = xmalloc(e->size ? e->size : 1);
		memcpy(*data, e->data, e->size);
		*size = e->size;
		found = true;
		hits++;
	} else {
		misses++;
	}
	pthread_mutex_unlock(&lock);
	return found;
}

bool memo_get_exact(const char *key, void *out, size_t size)
{
	void *data;
	size_t have;
	bool ok;

	if (!memo_get(key, &data, &have))
		return false;
	if ((ok = have == size))
		memcpy(out, data, size);
	free(data);
	return ok;
}

void memo_put(const char *key, const void *data, size_t size)
{
	uint64_t h = hash_str(key, 0x6d656d6f);
	size_t klen = strlen(key);
	struct memo_entry **at, *e;

	if (size + klen > MEMO_BYTES / 4)
		return;
	pthread_mutex_lock(&lock);
	at = find(key, h);
	if (*at)
		drop(at);
	if (strchr(key, MEMO_GENERATION[0])) {
		for (size_t b = 0; b < MEMO_BUCKETS; b++) {
			for (struct memo_entry **e = &buckets[b]; *e;) {
				if (other_generation((*e)->key, key))
					drop(e);
				else
					e = &(*e)->next;
			}
		}
	}
	while (entries && (entries >= MEMO_ENTRIES || bytes + size + klen > MEMO_BYTES))
		evict_oldest();
	e = xcalloc(1, sizeof(*e));
	e->hash = h;
	e->used = ++clock_;
	e->key = xstrdup(key);
	e->data = xmalloc(size ? size : 1);
	memcpy(e->data, data, size);
	e->size = size;
	at = &buckets[h & (MEMO_BUCKETS - 1)];
	e->next = *at;
	*at = e;
	entries++;
	bytes += size + klen;
	pthread_mutex_unlock(&lock);
}

void memo_key_add(char *key, size_t size, const char *fmt, ...)
{
	size_t used = strlen(key);
	va_list ap;
	int n;

	if (!key[0])
		return;
	va_start(ap, fmt);
	n = vsnprintf(key + used, size - used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - used)
		key[0] = '\0';
}

void memo_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t b = 0; b < MEMO_BUCKETS; b++)
		while (buckets[b])
			drop(&buckets[b]);
	pthread_mutex_unlock(&lock);
}

void memo_stats(long long *h, long long *m)
{
	pthread_mutex_lock(&lock);
	*h = hits;
	*m = misses;
	pthread_mutex_unlock(&lock);
}

/* The threads' own memos --------------------------------------------------------------- */

struct memo_json {
	char *key;
	json_t *value;
	uint64_t used;
	size_t weight;
};

struct memo_thread {
	struct memo_json e[MEMO_THREAD_ENTRIES];
	uint64_t clock;
	size_t weight;
};

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void thread_release(void *arg)
{
	struct memo_thread *t = arg;

	for (int i = 0; i < MEMO_THREAD_ENTRIES; i++) {
		free(t->e[i].key);
		json_decref(t->e[i].value);
	}
	free(t);
}

static void thread_key_make(void)
{
	if (pthread_key_create(&thread_key, thread_release) != 0)
		abort();
}

static struct memo_thread *thread_memo(void)
{
	struct memo_thread *t;

	pthread_once(&thread_once, thread_key_make);
	if (!(t = pthread_getspecific(thread_key))) {
		t = xcalloc(1, sizeof(*t));
		if (pthread_setspecific(thread_key, t) != 0)
			abort();
	}
	return t;
}

json_t *memo_json_get(const char *key)
{
	struct memo_thread *t = thread_memo();

	for (int i = 0; i < MEMO_THREAD_ENTRIES; i++)
		if (t->e[i].key && strcmp(t->e[i].key, key) == 0) {
			t->e[i].used = ++t->clock;
			return json_incref(t->e[i].value);
		}
	return NULL;
}

static void thread_drop(struct memo_thread *t, int i)
{
	free(t->e[i].key);
	json_decref(t->e[i].value);
	t->weight -= t->e[i].weight;
	memset(&t->e[i], 0, sizeof(t->e[i]));
}

void memo_json_put(const char *key, json_t *v, size_t weight)
{
	struct memo_thread *t = thread_memo();
	int slot = -1;

	if (weight > MEMO_THREAD_WEIGHT / 4)
		return;
	for (int i = 0; i < MEMO_THREAD_ENTRIES; i++)
		if (t->e[i].key && (strcmp(t->e[i].key, key) == 0 || other_generation(t->e[i].key, key)))
			thread_drop(t, i);
	/* Room: a free entry, within the weight, the least recently used given back. */
	for (;;) {
		int oldest = -1;

		slot = -1;
		for (int i = 0; i < MEMO_THREAD_ENTRIES; i++) {
			if (!t->e[i].key)
				slot = i;
			else if (oldest < 0 || t->e[i].used < t->e[oldest].used)
				oldest = i;
		}
		if (slot >= 0 && t->weight + weight <= MEMO_THREAD_WEIGHT)
			break;
		thread_drop(t, oldest);
	}
	t->e[slot].key = xstrdup(key);
	t->e[slot].value = json_incref(v);
	t->e[slot].used = ++t->clock;
	t->e[slot].weight = weight;
	t->weight += weight;
}
