/* Call scripts: versions, variants, the variant of each lead and the calls compared
 * (docs/SCRIPTS.md; core/scripts.h decides). */
#include <stdlib.h>
#include <string.h>

#include "core/scripts.h"
#include "core/xalloc.h"
#include "store/store_int.h"

/* A new version of variant's text when it differs from its latest (or it has none). */
int store__script_save(struct store *s, const struct store_who *who, int64_t campaign_id, const char *variant,
	const char *body, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT version, body FROM script_versions WHERE campaign_id = ?"
		" AND variant = ? ORDER BY version DESC LIMIT 1", err);
	int64_t version = 0;
	bool same = false;
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	db_bind_text(st, 2, variant);
	if ((rc = db_step(st, err)) == DB_ROW) {
		version = db_col_int64(st, 0);
		same = strcmp(db_col_text(st, 1), body) == 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (same)
		return 0;
	if (!(st = db_prepare(s->db, "INSERT INTO script_versions (campaign_id, variant, version, body, author, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?)", err)))
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	db_bind_text(st, 2, variant);
	db_bind_int64(st, 3, version + 1);
	db_bind_text(st, 4, body);
	db_bind_text_or_null(st, 5, who->actor);
	db_bind_int64(st, 6, who->at);
	return store__run_done(st, err);
}

/* The campaign's first variant's name, "A" when it has none yet (then made, weight 1). */
static int first_variant(struct store *s, int64_t campaign_id, char name[SCRIPT_NAME_MAX + 1], struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT variant FROM script_variants WHERE campaign_id = ?"
		" AND stopped_at IS NULL ORDER BY position LIMIT 1", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	rc = db_step(st, err);
	snprintf(name, SCRIPT_NAME_MAX + 1, "%s", rc == DB_ROW ? db_col_text(st, 0) : "A");
	db_finalize(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : 0;
	if (!(st = db_prepare(s->db, "INSERT INTO script_variants (campaign_id, variant, position, weight)"
		" VALUES (?, 'A', 0, 1) ON CONFLICT (campaign_id, variant) DO UPDATE SET stopped_at = NULL", err)))
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	return store__run_done(st, err);
}

int store__script_campaign_saved(struct store *s, const struct store_who *who, int64_t campaign_id, const char *body,
	struct tp_error *err)
{
	char name[SCRIPT_NAME_MAX + 1];
	int rc;

	if (!body)
		return 0;
	if ((rc = first_variant(s, campaign_id, name, err)))
		return rc;
	return store__script_save(s, who, campaign_id, name, body, err);
}

int store_scripts_set(struct store *s, const struct store_who *who, int64_t campaign_id,
	const struct store_script_in *v, size_t n, const char *primary, uint64_t seed, struct tp_error *err)
{
	struct db_stmt *st;
	int rc = 0;

	if (db_begin(s->db, err))
		return err->code;
	/* Every variant not named is stopped (kept, with its versions and calls). */
	if (!(st = db_prepare(s->db, "UPDATE script_variants SET stopped_at = ? WHERE campaign_id = ?"
		" AND stopped_at IS NULL", err))) {
		db_rollback(s->db);
		return err->code;
	}
	db_bind_int64(st, 1, who->at);
	db_bind_int64(st, 2, campaign_id);
	rc = store__run_done(st, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!(st = db_prepare(s->db, "INSERT INTO script_variants (campaign_id, variant, position, weight)"
			" VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, variant) DO UPDATE SET position = excluded.position,"
			" weight = excluded.weight, stopped_at = NULL", err))) {
			rc = err->code;
			break;
		}
		db_bind_int64(st, 1, campaign_id);
		db_bind_text(st, 2, v[i].variant);
		db_bind_int64(st, 3, (int64_t)i);
		db_bind_int64(st, 4, v[i].weight);
		if ((rc = store__run_done(st, err)) == 0)
			rc = store__script_save(s, who, campaign_id, v[i].variant, v[i].body, err);
	}
	/* The campaign's script is its first variant's text (what a lead without one reads);
	 * its seed is drawn once. */
	if (rc == 0 && (st = db_prepare(s->db, "UPDATE campaigns SET script = ?, script_primary = COALESCE(?,"
		" script_primary), script_seed = CASE WHEN script_seed = 0 THEN ? ELSE script_seed END,"
		" revision = revision + 1 WHERE id = ?", err))) {
		db_bind_text(st, 1, v[0].body);
		db_bind_text_or_null(st, 2, primary);
		db_bind_int64(st, 3, (int64_t)(seed & 0x7fffffffffffffffULL));
		db_bind_int64(st, 4, campaign_id);
		rc = store__run_done(st, err);
	} else if (rc == 0) {
		rc = err->code;
	}
	/* The revision bumped above makes every connection read the campaign's rules again. */
	if (rc == 0)
		rc = store_audit(s, who, "campaign.script", "campaign", campaign_id, v[0].variant, err);
	return store__finish(s, rc, err);
}

int store_scripts(struct store *s, int64_t campaign_id, bool with_stopped, store_script_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT v.variant, v.position, v.weight, v.stopped_at, sv.version,"
		" sv.body, sv.author, sv.created_at FROM script_variants v JOIN script_versions sv ON sv.campaign_id ="
		" v.campaign_id AND sv.variant = v.variant AND sv.version = (SELECT MAX(version) FROM script_versions"
		" WHERE campaign_id = v.campaign_id AND variant = v.variant) WHERE v.campaign_id = ?"
		" ORDER BY v.stopped_at IS NOT NULL, v.position, v.variant", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct script_row r = {db_col_text(st, 0), (int)db_col_int64(st, 1), (int)db_col_int64(st, 2),
			!db_col_is_null(st, 3), db_col_int64(st, 4), db_col_text(st, 5),
			db_col_is_null(st, 6) ? NULL : db_col_text(st, 6), db_col_int64(st, 7)};

		if (r.stopped && !with_stopped)
			continue;
		if ((rc = fn(ctx, &r)))
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_script_history(struct store *s, int64_t campaign_id, const char *variant, store_script_fn fn, void *ctx,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT variant, version, body, author, created_at FROM script_versions"
		" WHERE campaign_id = ? AND variant = ? ORDER BY version DESC", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	db_bind_text(st, 2, variant);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct script_row r = {.variant = db_col_text(st, 0), .version = db_col_int64(st, 1),
			.body = db_col_text(st, 2), .author = db_col_is_null(st, 3) ? NULL : db_col_text(st, 3),
			.created_at = db_col_int64(st, 4)};

		if ((rc = fn(ctx, &r)))
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_scripts_meta(struct store *s, int64_t campaign_id, char *primary, size_t size, uint64_t *seed,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT script_primary, script_seed FROM campaigns WHERE id = ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		snprintf(primary, size, "%s", db_col_is_null(st, 0) ? "" : db_col_text(st, 0));
		*seed = (uint64_t)db_col_int64(st, 1);
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return store__no_such(err, "campaign", campaign_id);
	return rc < 0 ? rc : 0;
}

int store_lead_script_set(struct store *s, int64_t lead_id, const char *variant, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "UPDATE leads SET script_variant = ? WHERE id = ?", err);

	if (!st)
		return err->code;
	db_bind_text_or_null(st, 1, variant);
	db_bind_int64(st, 2, lead_id);
	return store__run_done(st, err);
}

int store_script_version_of(struct store *s, int64_t campaign_id, const char *variant, int64_t *version,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT MAX(version) FROM script_versions WHERE campaign_id = ?"
		" AND variant = ?", err);
	int rc;

	*version = 0;
	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	db_bind_text(st, 2, variant);
	if ((rc = db_step(st, err)) == DB_ROW && !db_col_is_null(st, 0))
		*version = db_col_int64(st, 0);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_script_calls(struct store *s, int64_t campaign_id, store_script_call_fn fn, void *ctx, struct tp_error *err)
{
	/* A call's appointment: the one it booked (at most one per call). */
	struct db_stmt *st = db_prepare(s->db, "SELECT c.script_variant, c.agent_id, c.local_day, c.local_hour,"
		" c.started_at, c.ring_seconds, c.talk_seconds, c.result, c.qualification_changed, a.id, a.relevant,"
		" a.result FROM calls c LEFT JOIN appointments a ON a.call_id = c.id WHERE c.campaign_id = ?"
		" ORDER BY c.started_at, c.id /* scan-ok: a campaign's calls, in order of time */", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct script_call c = {.arm = -1};
		const char *won = db_col_is_null(st, 11) ? "pending" : db_col_text(st, 11);

		c.agent_id = db_col_is_null(st, 1) ? 0 : db_col_int64(st, 1);
		c.local_day = (int)db_col_int64(st, 2);
		c.timed = db_col_int64(st, 3) >= 0;
		c.started_at = db_col_int64(st, 4);
		c.ring_seconds = db_col_int64(st, 5);
		c.talk_seconds = db_col_int64(st, 6);
		c.conversation = strcmp(db_col_text(st, 7), "conversation") == 0;
		c.qualified = db_col_int64(st, 8) != 0;
		c.appointment = !db_col_is_null(st, 9);
		c.relevant = db_col_is_null(st, 10) ? -1 : db_col_int64(st, 10) != 0;
		c.won = strcmp(won, "won") == 0 ? 1 : strcmp(won, "lost") == 0 ? 0 : -1;
		if ((rc = fn(ctx, db_col_is_null(st, 0) ? NULL : db_col_text(st, 0), &c)))
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_lead_script(struct store *s, int64_t lead_id, int64_t *campaign_id, char *variant, size_t size,
	struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "SELECT campaign_id, script_variant FROM leads WHERE id = ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, lead_id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*campaign_id = db_col_int64(st, 0);
		snprintf(variant, size, "%s", db_col_is_null(st, 1) ? "" : db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return store__no_such(err, "lead", lead_id);
	return rc < 0 ? rc : 0;
}
