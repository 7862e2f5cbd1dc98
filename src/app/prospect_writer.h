#ifndef TP_PROSPECT_WRITER_H
#define TP_PROSPECT_WRITER_H
/*
 * A second thread that writes an import's prospects, so that reading, checking and
 * normalising a row (the caller's thread) overlaps with storing the rows before it.
 * Rows are copied in batches to a short queue; write() is called for each, in file
 * order, on the writer's thread, which alone uses the store meanwhile. The writer's
 * verdicts are counted, and its first error stops it and is given back.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/import.h"
#include "core/xalloc.h"

#define PW_BATCH 512
#define PW_QUEUE 4

struct pw_row {
	struct prospect p;          /* its strings rebuilt from off when written */
	size_t off[F_COUNT];
	size_t qual;                /* its first (key, value) pair in the batch's quals */
	bool lead_is_mobile;
};

struct pw_batch {
	struct pw_row row[PW_BATCH];
	size_t n;
	struct strbuf text;         /* the rows' strings, each ending in NUL */
	size_t *qual, nqual, qcap;  /* (key, value) offsets in text */
};

struct prospect_writer {
	int (*write)(void *ctx, const struct prospect *p, struct tp_error *err);
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pw_batch batch[PW_QUEUE];
	size_t head, count;         /* full batches: head .. head + count - 1 (mod PW_QUEUE) */
	struct pw_batch *fill;      /* the caller's batch being filled; NULL: take the next */
	bool started, done, quit, failed;
	long added, duplicates, pending, refused;
	struct tp_error err;
};

/* Starts the thread; 0, or a negative tp_status with err set. */
TP_MUST_USE int pw_start(struct prospect_writer *w, int (*write)(void *ctx, const struct prospect *p,
	struct tp_error *err), void *ctx, struct tp_error *err);
/* Queues a copy of p; IMPORT_PENDING, or the writer's error. */
TP_MUST_USE int pw_add(struct prospect_writer *w, const struct prospect *p, struct tp_error *err);
/* Writes what is queued and stops the thread: 0, or the writer's first error. */
TP_MUST_USE int pw_finish(struct prospect_writer *w, struct tp_error *err);
/* Stops the thread without writing what is left; frees. Safe after pw_finish. */
void pw_release(struct prospect_writer *w);

#endif
