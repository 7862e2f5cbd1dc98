/*
 * Webhooks (docs/WEBHOOKS.md): an admin registers addresses per event; the store writes a
 * delivery for each in the same transaction as its event (the outbox); the worker here,
 * a thread of `telepro serve` with its own database connection, sends them with libcurl,
 * signed (HMAC-SHA256 of "timestamp.body" with the hook's secret), and retries a failed one
 * with exponential backoff for 24 hours. Every attempt is kept: the delivery log.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app_int.h"
#include "core/xalloc.h"

#define WEBHOOK_GIVE_UP (24 * 3600)     /* after a day of failures, a delivery has failed */
#define WEBHOOK_BACKOFF_MAX 3600
/* A claimed delivery is another worker's after this: longer than an attempt (15 s at most). */
#define WEBHOOK_LEASE 30

static const char *const events[] = {"call.logged", "appointment.booked", "appointment.result", "lead.opted_out",
	"import.finished"};
#define NEVENTS (sizeof(events) / sizeof(events[0]))

/* "a,b" (each one of the events, in any order, at least one) normalised into out. */
static int events_check(const char *list, char *out, size_t size, struct tp_error *err)
{
	bool on[NEVENTS] = {false};
	const char *p = list ? list : "";
	size_t n = 0;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p), k;

		for (k = 0; k < NEVENTS && (strlen(events[k]) != len || strncmp(events[k], p, len) != 0); k++)
			;
		if (k == NEVENTS) {
			char word[64];

			snprintf(word, sizeof(word), "%.*s", (int)(len < 60 ? len : 60), p);
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "events", 0, TP_MSG("'%s': call.logged, appointment.booked,"
				" appointment.result, lead.opted_out or import.finished"), 1, word);
		}
		on[k] = true;
		p = end ? end + 1 : p + len;
	}
	out[0] = '\0';
	for (size_t k = 0; k < NEVENTS; k++)
		if (on[k]) {
			snprintf(out + strlen(out), size - strlen(out), "%s%s", n++ ? "," : "", events[k]);
		}
	if (!n)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "events", 0, TP_MSG("at least one event"), 0);
	return 0;
}

int app_webhook_add(struct app *a, const char *url, const char *event_list, json_t **out, struct tp_error *err)
{
	struct store_who who = app_who(a);
	unsigned char raw[24];
	char evs[160], secret[64], hex[49];
	int64_t id;
	int rc;

	*out = NULL;
	if ((rc = app_require(a, APP_ADMIN, "webhook add", err)))
		return rc;
	if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) || strlen(url) > 2000 ||
	    strpbrk(url, " \t\r\n\"<>"))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "url", 0, TP_MSG("an http:// or https:// address"), 0);
	if ((rc = events_check(event_list, evs, sizeof(evs), err)))
		return rc;
	/* The secret signs every delivery: shown once, here. */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	snprintf(secret, sizeof(secret), "whsec_%s", hex);
	if ((rc = store_webhook_add(a->store, &who, url, evs, secret, &id, err)))
		return rc;
	*out = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "url", url, "events", evs, "secret", secret);
	return 0;
}

static int hook_json(void *ctx, const struct webhook_row *w)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)w->id, "url", w->url,
		"events", w->events, "created_at", (json_int_t)w->created_at, "delivered", (json_int_t)w->delivered,
		"pending", (json_int_t)w->pending, "failed", (json_int_t)w->failed));
	return 0;
}

int app_webhook_list(struct app *a, json_t **out, struct tp_error *err)
{
	int rc;

	*out = NULL;
	if ((rc = app_require(a, APP_ADMIN, "webhook list", err)))
		return rc;
	*out = json_array();
	if ((rc = store_webhooks(a->store, hook_json, *out, err))) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int app_webhook_remove(struct app *a, int64_t id, struct tp_error *err)
{
	struct store_who who = app_who(a);
	int rc;

	if ((rc = app_require(a, APP_ADMIN, "webhook remove", err)))
		return rc;
	return store_webhook_remove(a->store, &who, id, err);
}

static int delivery_json(void *ctx, const struct delivery_row *d)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:I,s:I,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)d->id,
		"event", d->event, "state", d->state, "attempts", (json_int_t)d->attempts, "created_at",
		(json_int_t)d->created_at, "body", d->body, "last_status", d->last_status ? json_integer(d->last_status) :
		json_null(), "last_error", *d->last_error ? json_string(d->last_error) : json_null(), "next_at",
		strcmp(d->state, "pending") == 0 ? json_integer(d->next_at) : json_null(), "delivered_at",
		d->delivered_at ? json_integer(d->delivered_at) : json_null()));
	return 0;
}

int app_webhook_deliveries(struct app *a, int64_t id, json_t **out, struct tp_error *err)
{
	int rc;

	*out = NULL;
	if ((rc = app_require(a, APP_ADMIN, "webhook deliveries", err)))
		return rc;
	*out = json_array();
	if ((rc = store_webhook_deliveries(a->store, id, 100, delivery_json, *out, err))) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int app_webhook_test(struct app *a, int64_t id, struct tp_error *err)
{
	json_t *j;
	char *body;
	int rc;

	if ((rc = app_require(a, APP_ADMIN, "webhook test", err)))
		return rc;
	j = json_pack("{s:s,s:I,s:s,s:I}", "event", "test", "webhook_id", (json_int_t)id, "by", a->actor, "at",
		(json_int_t)app_now(a));
	body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	rc = store_webhook_test(a->store, id, body, app_now(a), err);
	free(body);
	json_decref(j);
	return rc;
}

/* The worker ----------------------------------------------------------------------------- */

struct app_webhooks {
	struct app *app;
	int backoff;                /* seconds before the first retry; each next one doubles */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping;
};

static size_t discard(char *ptr, size_t size, size_t n, void *ctx)
{
	(void)ptr, (void)ctx;
	return size * n;
}

/* One attempt: the answer's status (0: none) and why it failed ("" when it did not). */
static long post(const struct delivery_row *d, char *why, size_t size)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char line[256], hex[2 * sizeof(mac) + 1], stamp[24];
	long status = 0;
	CURLcode rc;

	why[0] = '\0';
	if (!c) {
		snprintf(why, size, "libcurl: no handle");
		return 0;
	}
	/* Signed: HMAC-SHA256 over "timestamp.body" with the hook's secret (docs/WEBHOOKS.md). */
	snprintf(stamp, sizeof(stamp), "%lld", (long long)time(NULL));
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)d->secret, strlen(d->secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp, strlen(stamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)d->body, strlen(d->body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof(line), "X-Telepro-Event: %s", d->event);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-Telepro-Delivery: %lld", (long long)d->id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-Telepro-Signature: t=%s,v1=%s", stamp, hex);
	h = curl_slist_append(h, line);
	curl_easy_setopt(c, CURLOPT_URL, d->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->body);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Telepro-Webhooks");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(why, size, "%s", curl_easy_strerror(rc));
	if (rc == CURLE_OK && (status < 200 || status > 299))
		snprintf(why, size, "HTTP %ld", status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

#define ROUND 32     /* deliveries claimed, sent, and their outcomes written (one commit) at a time */

struct round {
	struct app_webhooks *w;
	struct webhook_attempt done[ROUND];
	int sent;
};

static int deliver(void *ctx, const struct delivery_row *d)
{
	struct round *r = ctx;
	struct webhook_attempt *a;
	char why[sizeof(((struct webhook_attempt *)0)->error)];
	int64_t now, next;
	long status;
	const char *state;

	if (r->sent == ROUND)
		return 0;
	status = post(d, why, sizeof(why));

	now = app_now(r->w->app);
	if (!why[0]) {
		state = "delivered";
		next = now;
	} else {
		/* backoff, 2 backoff, 4 backoff ... at most an hour apart, for a day. */
		int64_t wait = r->w->backoff;

		for (int64_t k = 0; k < d->attempts && wait < WEBHOOK_BACKOFF_MAX; k++)
			wait *= 2;
		if (wait > WEBHOOK_BACKOFF_MAX)
			wait = WEBHOOK_BACKOFF_MAX;
		next = now + wait;
		state = next > d->created_at + WEBHOOK_GIVE_UP ? "failed" : "pending";
	}
	a = &r->done[r->sent++];
	a->id = d->id;
	a->state = state;
	a->next_at = next;
	a->status = (int)status;
	snprintf(a->error, sizeof(a->error), "%s", why);
	a->at = now;
	return 0;
}

static void *worker(void *arg)
{
	struct app_webhooks *w = arg;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct round r = {.w = w};
		struct tp_error err;
		struct timespec until;

		pthread_mutex_unlock(&w->lock);
		tp_error_clear(&err);
		if (store_webhook_due(w->app->store, app_now(w->app), WEBHOOK_LEASE, ROUND, deliver, &r, &err))
			fprintf(stderr, "webhooks: %s\n", err.reason);
		/* What was sent is written even when the round stopped early. */
		tp_error_clear(&err);
		if (store_webhook_attempted(w->app->store, r.done, (size_t)r.sent, &err))
			fprintf(stderr, "webhooks: %s\n", err.reason);
		pthread_mutex_lock(&w->lock);
		if (r.sent == ROUND)
			continue;   /* more may be due */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		if (!w->stopping)
			pthread_cond_timedwait(&w->cond, &w->lock, &until);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int app_webhooks_start(struct app_webhooks **out, const char *db_url, int backoff_seconds, struct tp_error *err)
{
	struct app_webhooks *w = xcalloc(1, sizeof(*w));
	int rc;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(w);
		return tp_error_set(err, TP_ERR, "webhooks: libcurl could not start");
	}
	if ((rc = app_open(&w->app, db_url, "webhooks", NULL, err))) {
		curl_global_cleanup();
		free(w);
		return rc;
	}
	w->backoff = backoff_seconds > 0 ? backoff_seconds : 30;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if ((rc = pthread_create(&w->thread, NULL, worker, w)) != 0) {
		app_close(w->app);
		curl_global_cleanup();
		free(w);
		return tp_error_set(err, TP_ERR, "webhooks: cannot start its thread: %s", strerror(rc));
	}
	*out = w;
	return 0;
}

void app_webhooks_stop(struct app_webhooks *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	app_close(w->app);
	curl_global_cleanup();
	free(w);
}
