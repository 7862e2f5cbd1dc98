/* Deadlines for slow clients (guard.h). */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "core/xalloc.h"
#include "http/guard.h"

struct watch {
	int fd;
	bool in_head, in_body, cut;
	int64_t since_ms;            /* the head's or the body's start */
	size_t body_bytes;
	struct watch *prev, *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cv = PTHREAD_COND_INITIALIZER;
static struct watch *head;
static pthread_t thread;
static bool running, stopping;
static int64_t head_ms, floor_bps;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Shuts down the connections past their deadline; under mu. */
static void sweep(int64_t now)
{
	for (struct watch *w = head; w; w = w->next) {
		bool late = false;

		if (w->cut)
			continue;
		if (w->in_head)
			late = now - w->since_ms > head_ms;
		else if (w->in_body && now - w->since_ms > head_ms)
			late = (int64_t)w->body_bytes * 1000 / (now - w->since_ms) < floor_bps;
		if (late) {
			/* The server's poll sees the socket end and closes the connection. */
			shutdown(w->fd, SHUT_RDWR);
			w->cut = true;
		}
	}
}

static void *run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&stop_cv, &mu, &until);
		sweep(now_ms());
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int guard_start(unsigned head_seconds, unsigned bytes_per_second)
{
	head_ms = (int64_t)head_seconds * 1000;
	floor_bps = bytes_per_second;
	stopping = false;
	if (pthread_create(&thread, NULL, run, NULL) != 0)
		return -1;
	running = true;
	return 0;
}

void guard_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_signal(&stop_cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	running = false;
}

void guard_open(void **ctx, int fd)
{
	struct watch *w = xcalloc(1, sizeof(*w));

	w->fd = fd;
	w->in_head = true;
	w->since_ms = now_ms();
	pthread_mutex_lock(&mu);
	w->next = head;
	if (head)
		head->prev = w;
	head = w;
	pthread_mutex_unlock(&mu);
	*ctx = w;
}

void guard_close(void **ctx)
{
	struct watch *w = *ctx;

	if (!w)
		return;
	pthread_mutex_lock(&mu);
	if (w->prev)
		w->prev->next = w->next;
	else
		head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&mu);
	free(w);
	*ctx = NULL;
}

/* Moves the watch to a phase: the head (from now), the body (from now, no byte yet), or
 * neither (the answer being made). */
static void phase(void *ctx, bool in_head, bool in_body)
{
	struct watch *w = ctx;

	if (!w)
		return;
	pthread_mutex_lock(&mu);
	w->in_head = in_head;
	w->in_body = in_body;
	if (in_head || in_body) {
		w->since_ms = now_ms();
		w->body_bytes = 0;
	}
	pthread_mutex_unlock(&mu);
}

void guard_head_done(void *ctx)
{
	phase(ctx, false, true);
}

void guard_body(void *ctx, size_t bytes)
{
	struct watch *w = ctx;

	if (!w)
		return;
	pthread_mutex_lock(&mu);
	w->body_bytes += bytes;
	pthread_mutex_unlock(&mu);
}

void guard_processing(void *ctx)
{
	phase(ctx, false, false);
}

void guard_answered(void *ctx)
{
	phase(ctx, true, false);
}
