#include "hash.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 27;
	h *= 0x94D049BB133111EBULL;
	return h ^ (h >> 31);
}

uint64_t hash_ints(const int64_t *key, size_t n, uint64_t seed)
{
	uint64_t h = mix(seed + 0x9E3779B97F4A7C15ULL);

	for (size_t i = 0; i < n; i++)
		h = mix(h ^ (uint64_t)key[i]);
	return h;
}

uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = mix(seed ^ (len * 0x9E3779B97F4A7C15ULL));

	while (len >= 8) {
		uint64_t w = 0;

		for (int i = 0; i < 8; i++)
			w |= (uint64_t)p[i] << (8 * i);
		h = mix(h ^ w);
		p += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;

		for (size_t i = 0; i < len; i++)
			w |= (uint64_t)p[i] << (8 * i);
		h = mix(h ^ w ^ 0x80);
	}
	return h;
}

uint64_t hash_str(const char *s, uint64_t seed)
{
	size_t len = 0;

	if (s)
		while (s[len])
			len++;
	return hash_bytes(s ? s : "", len, seed);
}

void hashids_init(struct hashids *m)
{
	m->slot = NULL;
	m->cap = m->n = 0;
}

void hashids_free(struct hashids *m)
{
	free(m->slot);
	hashids_init(m);
}

/* Tables are at most 2^32 slots: the low 32 bits kept choose a slot as the whole hash did. */
static void put(struct hashids_slot *slot, size_t cap, uint32_t hash, uint32_t id)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slot[i].id)
		i = (i + 1) & (cap - 1);
	slot[i].hash = hash;
	slot[i].id = id;
}

bool hashids_add(struct hashids *m, uint64_t hash, int64_t id)
{
	if (id < 1 || id > (int64_t)HASHIDS_ID_MAX)
		return false;
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		struct hashids_slot *slot = xcalloc(cap, sizeof(*slot));

		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i].id)
				put(slot, cap, m->slot[i].hash, m->slot[i].id);
		free(m->slot);
		m->slot = slot;
		m->cap = cap;
	}
	put(m->slot, m->cap, (uint32_t)hash, (uint32_t)id);
	m->n++;
	return true;
}

bool hashids_next(const struct hashids *m, uint64_t hash, size_t *pos, int64_t *id)
{
	if (!m->cap)
		return false;
	for (size_t i = ((size_t)(uint32_t)hash + *pos) & (m->cap - 1); m->slot[i].id; i = (i + 1) & (m->cap - 1)) {
		(*pos)++;
		if (m->slot[i].hash == (uint32_t)hash) {
			*id = m->slot[i].id;
			return true;
		}
	}
	return false;
}

void hashkeys_init(struct hashkeys *k)
{
	hashids_init(&k->ids);
	sb_init(&k->text);
	k->end = NULL;
	k->n = k->cap = 0;
}

void hashkeys_free(struct hashkeys *k)
{
	hashids_free(&k->ids);
	sb_release(&k->text);
	free(k->end);
	k->end = NULL;
	k->n = k->cap = 0;
}

int64_t hashkeys_number(struct hashkeys *k, const void *key, size_t len, bool *added)
{
	uint64_t h = hash_bytes(key, len, 0);
	size_t pos = 0;
	int64_t id;

	while (hashids_next(&k->ids, h, &pos, &id)) {
		size_t from = id > 1 ? k->end[id - 2] : 0;

		if (k->end[id - 1] - from == len && memcmp(k->text.buf + from, key, len) == 0) {
			*added = false;
			return id;
		}
	}
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 1024;
		k->end = xrealloc(k->end, k->cap * sizeof(*k->end));
	}
	sb_add(&k->text, key, len);
	k->end[k->n++] = k->text.len;
	/* As many keys as ids would need far more memory than the allocator gives first. */
	if (!hashids_add(&k->ids, h, (int64_t)k->n))
		abort();
	*added = true;
	return (int64_t)k->n;
}
