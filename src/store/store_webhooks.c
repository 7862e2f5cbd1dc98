/* Webhooks (docs/WEBHOOKS.md): the registered addresses, the outbox written with each
 * event, and the worker's claims and results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "store/store_int.h"

static int64_t monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

int store__webhooks_any(struct store *s, bool *any, struct tp_error *err)
{
	int64_t now = monotonic_s(), n = 0;
	int rc;

	if (s->webhooks_read && now - s->webhooks_read < 2) {
		*any = s->webhooks_any;
		return 0;
	}
	if ((rc = db_query_int64(s->db, "SELECT COUNT(*) FROM webhooks WHERE disabled = 0 /* scan-ok: a handful */", &n,
		err)))
		return rc;
	s->webhooks_any = *any = n > 0;
	s->webhooks_read = now;
	return 0;
}

/* Deliveries of event for hook_id (0: every hook that takes event); *added how many. */
static int enqueue(struct store *s, const char *event, const char *body, int64_t at, int64_t hook_id, int64_t *added,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, hook_id ?
		"INSERT INTO webhook_deliveries (hook_id, event, body, created_at, next_at)"
		" SELECT id, ?, ?, ?, ? FROM webhooks WHERE disabled = 0 AND id = ?" :
		"INSERT INTO webhook_deliveries (hook_id, event, body, created_at, next_at)"
		" SELECT id, ?, ?, ?, ? FROM webhooks WHERE disabled = 0 AND (',' || events || ',') LIKE ?", err);
	char like[80];
	int rc;

	if (!st)
		return err->code;
	snprintf(like, sizeof(like), "%%,%s,%%", event);
	db_bind_text(st, 1, event);
	db_bind_text(st, 2, body);
	db_bind_int64(st, 3, at);
	db_bind_int64(st, 4, at);
	if (hook_id)
		db_bind_int64(st, 5, hook_id);
	else
		db_bind_text(st, 5, like);
	rc = db_step(st, err);
	*added = rc >= 0 ? db_changes(st) : 0;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store__webhook_event(struct store *s, const char *event, const char *body, int64_t at, struct tp_error *err)
{
	int64_t added;

	return enqueue(s, event, body, at, 0, &added, err);
}

int store_webhook_add(struct store *s, const struct store_who *who, const char *url, const char *events,
	const char *secret, int64_t *id, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	if (!(st = db_prepare_insert(s->db, "INSERT INTO webhooks (url, events, secret, created_at) VALUES (?, ?, ?, ?)",
		err)))
		return store__finish(s, err->code, err);
	db_bind_text(st, 1, url);
	db_bind_text(st, 2, events);
	db_bind_text(st, 3, secret);
	db_bind_int64(st, 4, who->at);
	rc = db_insert(st, id, err);
	db_finalize(st);
	if (rc == 0)
		rc = store_audit(s, who, "webhook.add", "webhook", *id, url, err);
	s->webhooks_read = 0;
	return store__finish(s, rc, err);
}

int store_webhook_remove(struct store *s, const struct store_who *who, int64_t id, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	if (!(st = db_prepare(s->db, "UPDATE webhooks SET disabled = 1 WHERE id = ? AND disabled = 0", err)))
		return store__finish(s, err->code, err);
	db_bind_int64(st, 1, id);
	rc = db_step(st, err);
	if (rc >= 0 && db_changes(st) == 0)
		rc = tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "webhook", 0, TP_MSG("no such webhook"), 0);
	else if (rc >= 0)
		rc = 0;
	db_finalize(st);
	/* What was waiting for it is not sent any more. */
	if (rc == 0 && (st = db_prepare(s->db, "UPDATE webhook_deliveries SET state = 'failed', last_error ="
		" 'webhook removed' WHERE hook_id = ? AND state = 'pending'", err))) {
		db_bind_int64(st, 1, id);
		rc = store__run_done(st, err);
	} else if (rc == 0) {
		rc = err->code;
	}
	if (rc == 0)
		rc = store_audit(s, who, "webhook.remove", "webhook", id, NULL, err);
	s->webhooks_read = 0;
	return store__finish(s, rc, err);
}

int store_webhooks(struct store *s, store_webhook_fn fn, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT w.id, w.url, w.events, w.created_at,"
		" (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.hook_id = w.id AND d.state = 'delivered'),"
		" (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.hook_id = w.id AND d.state = 'pending'),"
		" (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.hook_id = w.id AND d.state = 'failed')"
		" FROM webhooks w WHERE w.disabled = 0 ORDER BY w.id /* scan-ok: a handful */", err);
	int rc;

	if (!st)
		return err->code;
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct webhook_row w = {db_col_int64(st, 0), db_col_text(st, 1), db_col_text(st, 2), NULL,
			db_col_int64(st, 3), db_col_int64(st, 4), db_col_int64(st, 5), db_col_int64(st, 6)};

		if ((rc = fn(ctx, &w)))
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

#define DELIVERY_COLUMNS "d.id, d.hook_id, d.event, d.body, d.created_at, d.next_at, d.attempts, d.state," \
	" COALESCE(d.last_status, 0), COALESCE(d.last_error, ''), COALESCE(d.delivered_at, 0)"

/* A row of DELIVERY_COLUMNS (then the hook's url and secret when with_hook). */
static struct delivery_row delivery_of(struct db_stmt *st, bool with_hook)
{
	return (struct delivery_row){db_col_int64(st, 0), db_col_int64(st, 1), db_col_text(st, 2), db_col_text(st, 3),
		db_col_int64(st, 4), db_col_int64(st, 5), db_col_int64(st, 6), db_col_text(st, 7), db_col_int64(st, 8),
		db_col_text(st, 9), db_col_int64(st, 10), with_hook ? db_col_text(st, 11) : NULL,
		with_hook ? db_col_text(st, 12) : NULL};
}

int store_webhook_deliveries(struct store *s, int64_t hook_id, int limit, store_delivery_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d"
		" WHERE d.hook_id = ? ORDER BY d.id DESC LIMIT ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, hook_id);
	db_bind_int64(st, 2, limit);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct delivery_row d = delivery_of(st, false);

		if ((rc = fn(ctx, &d)))
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_webhook_due(struct store *s, int64_t now, int64_t lease, int limit, store_delivery_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st;
	int64_t ids[64];
	int n = 0, rc;

	if (limit > 64)
		limit = 64;
	if (db_begin(s->db, err))
		return err->code;
	/* Claimed for lease seconds: another server's worker leaves them alone meanwhile. */
	if (!(st = db_prepare(s->db, "SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_at <= ?"
		" ORDER BY next_at, id LIMIT ?", err)))
		return store__finish(s, err->code, err);
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, limit);
	while ((rc = db_step(st, err)) == DB_ROW)
		ids[n++] = db_col_int64(st, 0);
	db_finalize(st);
	for (int i = 0; rc >= 0 && i < n; i++) {
		if (!(st = db_prepare(s->db, "UPDATE webhook_deliveries SET next_at = ? WHERE id = ? AND state = 'pending'",
			err))) {
			rc = err->code;
			break;
		}
		db_bind_int64(st, 1, now + lease);
		db_bind_int64(st, 2, ids[i]);
		rc = store__run_done(st, err);
	}
	if ((rc = store__finish(s, rc < 0 ? rc : 0, err)))
		return rc;
	for (int i = 0; i < n; i++) {
		if (!(st = db_prepare(s->db, "SELECT " DELIVERY_COLUMNS ", w.url, w.secret FROM webhook_deliveries d"
			" JOIN webhooks w ON w.id = d.hook_id WHERE d.id = ?", err)))
			return err->code;
		db_bind_int64(st, 1, ids[i]);
		if ((rc = db_step(st, err)) == DB_ROW) {
			struct delivery_row d = delivery_of(st, true);

			rc = fn(ctx, &d);
		}
		db_finalize(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int store_webhook_attempted(struct store *s, const struct webhook_attempt *a, size_t n, struct tp_error *err)
{
	int rc = 0;

	if (n == 0)
		return 0;
	if (db_begin(s->db, err))
		return err->code;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct db_stmt *st = db_prepare(s->db, "UPDATE webhook_deliveries SET attempts = attempts + 1, state = ?,"
			" next_at = ?, last_status = ?, last_error = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE"
			" delivered_at END WHERE id = ?", err);

		if (!st) {
			rc = err->code;
			break;
		}
		db_bind_text(st, 1, a[i].state);
		db_bind_int64(st, 2, a[i].next_at);
		db_bind_int64(st, 3, a[i].status);
		db_bind_text_or_null(st, 4, a[i].error[0] ? a[i].error : NULL);
		db_bind_text(st, 5, a[i].state);
		db_bind_int64(st, 6, a[i].at);
		db_bind_int64(st, 7, a[i].id);
		rc = store__run_done(st, err);
	}
	return store__finish(s, rc, err);
}

int store_webhook_event(struct store *s, const char *event, const char *body, int64_t at, struct tp_error *err)
{
	if (db_begin(s->db, err))
		return err->code;
	return store__finish(s, store__webhook_event(s, event, body, at, err), err);
}

int store_webhook_test(struct store *s, int64_t hook_id, const char *body, int64_t at, struct tp_error *err)
{
	int64_t added = 0;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	if ((rc = enqueue(s, "test", body, at, hook_id, &added, err)) == 0 && added == 0)
		rc = tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "webhook", 0, TP_MSG("no such webhook"), 0);
	return store__finish(s, rc, err);
}
