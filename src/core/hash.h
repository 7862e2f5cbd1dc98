#ifndef TP_HASH_H
#define TP_HASH_H
/*
 * 64-bit hashing of small keys, and a table of ids by hash.
 *
 * struct hashids keeps (hash, id) pairs in open addressing, several ids per hash allowed:
 * a caller that needs exact keys checks each candidate id against the row it names (the
 * prospect import checks a candidate by its rowid). Ids are positive; memory is 8 bytes a
 * slot (struct hashids_slot), at most half the slots used.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "xalloc.h"

uint64_t hash_ints(const int64_t *key, size_t n, uint64_t seed);
uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);
/* A string's hash; NULL and "" hash alike. */
uint64_t hash_str(const char *s, uint64_t seed);

/* A slot keeps the hash's low 32 bits (the rest only chose the slot) and a 32-bit id:
 * 8 bytes, so that a table of a million keys stays small enough for the processor's
 * caches. A shorter hash only lets more candidates through to the caller's check. */
struct hashids_slot {
	uint32_t hash;
	uint32_t id;  /* 0: empty */
};

#define HASHIDS_ID_MAX UINT32_MAX

struct hashids {
	struct hashids_slot *slot;
	size_t cap, n;
};

void hashids_init(struct hashids *m);
void hashids_free(struct hashids *m);
/* False (nothing stored) when id is not from 1 to HASHIDS_ID_MAX. */
TP_MUST_USE bool hashids_add(struct hashids *m, uint64_t hash, int64_t id);
/* The ids stored under hash, in no given order: *pos starts at 0; false when there are no more. */
bool hashids_next(const struct hashids *m, uint64_t hash, size_t *pos, int64_t *id);

/* Distinct byte strings numbered 1, 2, ... in the order first met: a set of keys in
 * memory (an import's numbers, its companies' keys), each confirmed by its bytes. */
struct hashkeys {
	struct hashids ids;           /* number by hash */
	struct strbuf text;           /* the keys one after another */
	size_t *end;                  /* end[i - 1]: where key i ends in text */
	size_t n, cap;
};

void hashkeys_init(struct hashkeys *k);
/* Frees k's memory; hashkeys_init makes it usable again. */
void hashkeys_free(struct hashkeys *k);
/* The number of the len bytes at key; *added says whether they were new (numbered now). */
int64_t hashkeys_number(struct hashkeys *k, const void *key, size_t len, bool *added);

#endif
