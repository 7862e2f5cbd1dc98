#include "app/prospect_writer.h"

#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

static void write_batch(struct prospect_writer *w, struct pw_batch *b)
{
	for (size_t r = 0; r < b->n && !w->failed; r++) {
		struct pw_row *row = &b->row[r];
		const char *keys[CSV_FIELDS_MAX], *values[CSV_FIELDS_MAX];
		struct tp_error err;
		int rc;

		for (int f = 0; f < F_COUNT; f++)
			row->p.field[f] = b->text.buf + row->off[f];
		row->p.lead_phone = row->lead_is_mobile ? row->p.mobile : row->p.phone;
		for (size_t q = 0; q < row->p.nqual; q++) {
			keys[q] = b->text.buf + b->qual[2 * (row->qual + q)];
			values[q] = b->text.buf + b->qual[2 * (row->qual + q) + 1];
		}
		row->p.qual_key = keys;
		row->p.qual_value = values;
		tp_error_clear(&err);
		rc = w->write(w->ctx, &row->p, &err);
		if (rc < 0) {
			pthread_mutex_lock(&w->mu);
			w->err = err;
			w->failed = true;
			pthread_mutex_unlock(&w->mu);
		} else if (rc == IMPORT_PENDING) {
			w->pending++;
		} else if (rc == IMPORT_DUPLICATE) {
			w->duplicates++;
		} else if (rc == IMPORT_REFUSED) {
			w->refused++;
		} else {
			w->added++;
		}
	}
}

/* The batch is the filler's again (it was written or skipped). */
static void empty(struct pw_batch *b)
{
	b->n = 0;
	b->nqual = 0;
	sb_reset(&b->text);
}

static void *run(void *arg)
{
	struct prospect_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->count == 0 && !w->done && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit || (w->count == 0 && w->done))
			break;
		struct pw_batch *b = &w->batch[w->head];

		pthread_mutex_unlock(&w->mu);
		write_batch(w, b);
		empty(b);
		pthread_mutex_lock(&w->mu);
		w->head = (w->head + 1) % PW_QUEUE;
		w->count--;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int pw_start(struct prospect_writer *w, int (*write)(void *ctx, const struct prospect *p, struct tp_error *err),
	void *ctx, struct tp_error *err)
{
	int rc;

	memset(w, 0, sizeof(*w));
	w->write = write;
	w->ctx = ctx;
	for (int i = 0; i < PW_QUEUE; i++)
		sb_init(&w->batch[i].text);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if ((rc = pthread_create(&w->thread, NULL, run, w)) != 0)
		return tp_error_set(err, TP_ERR, "cannot start the import's writer thread: %s", strerror(rc));
	w->started = true;
	return 0;
}

/* The batch being filled: the one after the full ones (the writer moves head and count
 * together, so it stays the same while the writer works). Waits while the queue is full. */
static struct pw_batch *filling(struct prospect_writer *w)
{
	struct pw_batch *b;

	pthread_mutex_lock(&w->mu);
	while (w->count == PW_QUEUE && !w->failed)
		pthread_cond_wait(&w->cv, &w->mu);
	b = &w->batch[(w->head + w->count) % PW_QUEUE];
	pthread_mutex_unlock(&w->mu);
	return b;
}

/* Hands the batch being filled to the writer. */
static void submit(struct prospect_writer *w)
{
	w->fill = NULL;
	pthread_mutex_lock(&w->mu);
	w->count++;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static size_t add_text(struct strbuf *sb, const char *s)
{
	size_t off = sb->len;

	sb_add(sb, s, strlen(s) + 1);
	return off;
}

static int failed(struct prospect_writer *w, struct tp_error *err)
{
	bool f;

	pthread_mutex_lock(&w->mu);
	f = w->failed;
	if (f)
		*err = w->err;
	pthread_mutex_unlock(&w->mu);
	return f ? (err->code ? err->code : TP_ERR) : 0;
}

int pw_add(struct prospect_writer *w, const struct prospect *p, struct tp_error *err)
{
	struct pw_batch *b = w->fill;
	struct pw_row *row;
	int rc;

	/* The lock only once a batch: a writer's error is seen at the next batch. */
	if (!b) {
		b = filling(w);
		if ((rc = failed(w, err)))
			return rc;
		w->fill = b;
	}
	row = &b->row[b->n];
	row->p = *p;
	for (int f = 0; f < F_COUNT; f++)
		row->off[f] = add_text(&b->text, p->field[f] ? p->field[f] : "");
	row->lead_is_mobile = p->lead_phone != p->phone;
	row->qual = b->nqual;
	if (b->qcap < 2 * (b->nqual + p->nqual)) {
		b->qcap = 2 * (b->nqual + p->nqual) + 64;
		b->qual = xrealloc(b->qual, b->qcap * sizeof(*b->qual));
	}
	for (size_t q = 0; q < p->nqual; q++) {
		b->qual[2 * b->nqual] = add_text(&b->text, p->qual_key[q]);
		b->qual[2 * b->nqual + 1] = add_text(&b->text, p->qual_value[q]);
		b->nqual++;
	}
	if (++b->n == PW_BATCH)
		submit(w);
	return IMPORT_PENDING;
}

/* Waits for the thread to end; quit: without writing what is left. */
static void stop(struct prospect_writer *w, bool quit)
{
	if (!w->started)
		return;
	pthread_mutex_lock(&w->mu);
	w->done = true;
	w->quit = quit;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	w->started = false;
}

int pw_finish(struct prospect_writer *w, struct tp_error *err)
{
	if (w->fill && w->fill->n)
		submit(w);
	stop(w, false);
	return failed(w, err);
}

void pw_release(struct prospect_writer *w)
{
	stop(w, true);
	for (int i = 0; i < PW_QUEUE; i++) {
		sb_release(&w->batch[i].text);
		free(w->batch[i].qual);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}
