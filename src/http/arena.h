#ifndef TP_ARENA_H
#define TP_ARENA_H
/*
 * A per-request arena (h2o's memory pool): everything a request allocates comes from it
 * and is freed at once by arena_release when the request completes, so no handler leaks
 * on an error path. Allocation never fails (it aborts, like xmalloc).
 */
#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used, total;
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
