/* Campaigns, their rules and the connection's cache of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "store/migrations.h"
#include "core/rules.h"
#include "store/store_int.h"
#include "core/dialing.h"
#include "core/hash.h"
#include "core/xalloc.h"

/* Campaigns -------------------------------------------------------------------------- */

#define CAMPAIGN_COLUMNS "id, name, kind, audience, timezone, region, script, expected_call_seconds," \
	" daily_calls, weekly_calls, daily_appointments, weekly_appointments, max_attempts," \
	" hourly_cost_cents, archived, created_at, hold_seconds, idle_limit_seconds, rule_set, revision," \
	" dialing, caller_id, ring_timeout_seconds"
/* How many: a query that selects more reads them from this index on. */
#define CAMPAIGN_NCOLUMNS 23

static void read_campaign(struct db_stmt *st, struct campaign *c)
{
	c->id = db_col_int64(st, 0);
	campaign_set_str(&c->name, db_col_text(st, 1));
	campaign_set_str(&c->kind, db_col_text(st, 2));
	campaign_set_str(&c->audience, db_col_text(st, 3));
	campaign_set_str(&c->timezone, db_col_text(st, 4));
	campaign_set_str(&c->region, db_col_text(st, 5));
	campaign_set_str(&c->script, db_col_is_null(st, 6) ? NULL : db_col_text(st, 6));
	c->expected_call_seconds = store__col_opt(st, 7);
	c->daily_calls = store__col_opt(st, 8);
	c->weekly_calls = store__col_opt(st, 9);
	c->daily_appointments = store__col_opt(st, 10);
	c->weekly_appointments = store__col_opt(st, 11);
	c->max_attempts = db_col_int64(st, 12);
	c->hourly_cost_cents = store__col_opt(st, 13);
	c->archived = db_col_int64(st, 14) != 0;
	c->created_at = db_col_int64(st, 15);
	c->hold_seconds = db_col_int64(st, 16);
	c->idle_limit_seconds = db_col_int64(st, 17);
	c->rule_set = db_col_is_null(st, 18) ? -1 : rules_set_of(db_col_text(st, 18));
	c->revision = db_col_int64(st, 19);
	{
		enum dialing d = DIALING_MANUAL;

		(void)dialing_parse(db_col_text(st, 20), &d);
		c->dialing = (int)d;
	}
	campaign_set_str(&c->caller_id, db_col_is_null(st, 21) ? NULL : db_col_text(st, 21));
	c->ring_timeout_seconds = db_col_int64(st, 22);
}

/* Binds the settings shared by INSERT and UPDATE, parameters 1..17 and 19..21. */
static void bind_campaign(struct db_stmt *st, const struct campaign *c)
{
	db_bind_text(st, 1, c->name);
	db_bind_text(st, 2, c->kind);
	db_bind_text(st, 3, c->audience);
	db_bind_text(st, 4, c->timezone);
	db_bind_text(st, 5, c->region);
	db_bind_text(st, 6, c->script);
	store__bind_opt(st, 7, c->expected_call_seconds);
	store__bind_opt(st, 8, c->daily_calls);
	store__bind_opt(st, 9, c->weekly_calls);
	store__bind_opt(st, 10, c->daily_appointments);
	store__bind_opt(st, 11, c->weekly_appointments);
	db_bind_int64(st, 12, c->max_attempts);
	store__bind_opt(st, 13, c->hourly_cost_cents);
	db_bind_int64(st, 14, c->archived ? 1 : 0);
	db_bind_int64(st, 15, c->hold_seconds);
	db_bind_int64(st, 16, c->idle_limit_seconds);
	db_bind_text(st, 17, c->rule_set >= 0 ? rules_set_name(c->rule_set) : NULL);
	db_bind_text(st, 19, dialing_name((enum dialing)c->dialing));
	db_bind_text(st, 20, c->caller_id);
	db_bind_int64(st, 21, c->ring_timeout_seconds);
}

/* Blocks and windows share a shape; table is a constant of ours, never user input. */
static int load_slots(struct store *s, const char *table, int64_t campaign_id, struct calling_block *slots, int *n,
	struct tp_error *err)
{
	char sql[256];
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT weekday, start_minute, end_minute FROM %s WHERE campaign_id = ?"
		" ORDER BY id", table);
	if (!(st = db_prepare(s->db, sql, err)))
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	*n = 0;
	while ((rc = db_step(st, err)) == DB_ROW && *n < CAMPAIGN_BLOCKS_MAX) {
		slots[*n].weekday = (int)db_col_int64(st, 0);
		slots[*n].start_minute = (int)db_col_int64(st, 1);
		slots[*n].end_minute = (int)db_col_int64(st, 2);
		(*n)++;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

static int save_slots(struct store *s, const char *table, int64_t campaign_id, const struct calling_block *slots,
	int n, struct tp_error *err)
{
	char sql[256];
	struct db_stmt *st;
	int rc = 0;

	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE campaign_id = ?", table);
	if (!(st = db_prepare(s->db, sql, err)))
		return err->code;
	db_bind_int64(st, 1, campaign_id);
	if ((rc = store__run_done(st, err)))
		return rc;
	snprintf(sql, sizeof(sql), "INSERT INTO %s (campaign_id, weekday, start_minute, end_minute)"
		" VALUES (?, ?, ?, ?)", table);
	if (!(st = db_prepare(s->db, sql, err)))
		return err->code;
	for (int i = 0; i < n && rc >= 0; i++) {
		db_bind_int64(st, 1, campaign_id);
		db_bind_int64(st, 2, slots[i].weekday);
		db_bind_int64(st, 3, slots[i].start_minute);
		db_bind_int64(st, 4, slots[i].end_minute);
		rc = db_step(st, err);
		db_reset(st);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

static int load_rules(struct store *s, struct campaign *c, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if ((rc = load_slots(s, "calling_blocks", c->id, c->blocks, &c->nblocks, err)) ||
	    (rc = load_slots(s, "calling_windows", c->id, c->windows, &c->nwindows, err)))
		return rc;
	if (!(st = db_prepare(s->db, "SELECT result, delay_seconds FROM retry_rules WHERE campaign_id = ?"
		" ORDER BY result", err)))
		return err->code;
	db_bind_int64(st, 1, c->id);
	c->nretry = 0;
	while ((rc = db_step(st, err)) == DB_ROW && c->nretry < CAMPAIGN_RETRY_MAX) {
		snprintf(c->retry[c->nretry].result, sizeof(c->retry[0].result), "%s", db_col_text(st, 0));
		c->retry[c->nretry].seconds = db_col_int64(st, 1);
		c->nretry++;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (!(st = db_prepare(s->db, "SELECT key, type, choices, label FROM qualification_fields WHERE campaign_id = ?"
		" ORDER BY id", err)))
		return err->code;
	db_bind_int64(st, 1, c->id);
	c->nfields = 0;
	while ((rc = db_step(st, err)) == DB_ROW && c->nfields < CAMPAIGN_FIELDS_MAX) {
		struct qual_field *f = &c->fields[c->nfields++];

		snprintf(f->key, sizeof(f->key), "%s", db_col_text(st, 0));
		snprintf(f->type, sizeof(f->type), "%s", db_col_text(st, 1));
		snprintf(f->choices, sizeof(f->choices), "%s", db_col_text(st, 2));
		/* Its labels ("Libellé|Label"; the key itself when it has none). */
		campaign_field_labels_read(f, db_col_text(st, 3));
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (!(st = db_prepare(s->db, "SELECT code, label_fr, label_en, is_refusal, is_final, is_callback, is_appointment,"
		" is_sale, is_do_not_call FROM outcomes WHERE campaign_id = ? ORDER BY id", err)))
		return err->code;
	db_bind_int64(st, 1, c->id);
	c->noutcomes = 0;
	while ((rc = db_step(st, err)) == DB_ROW && c->noutcomes < CAMPAIGN_OUTCOMES_MAX) {
		struct outcome_def *o = &c->outcomes[c->noutcomes++];

		snprintf(o->code, sizeof(o->code), "%s", db_col_text(st, 0));
		snprintf(o->label_fr, sizeof(o->label_fr), "%s", db_col_text(st, 1));
		snprintf(o->label_en, sizeof(o->label_en), "%s", db_col_text(st, 2));
		o->flags = 0;
		for (int k = 0; k < OUTCOME_FLAG_COUNT; k++)
			if (db_col_int64(st, 3 + k))
				o->flags |= 1u << k;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* Adds the campaign's own outcomes, or relabels them. The flags of an outcome that calls
 * already have cannot change: the counters of those calls were kept by its flags. */
static int save_outcomes(struct store *s, const struct campaign *c, struct tp_error *err)
{
	for (int i = 0; i < c->noutcomes; i++) {
		const struct outcome_def *o = &c->outcomes[i];
		struct db_stmt *st = db_prepare(s->db, "SELECT id, is_refusal, is_final, is_callback, is_appointment, is_sale,"
			" is_do_not_call, CASE WHEN EXISTS (SELECT 1 FROM calls WHERE outcome_id = outcomes.id) THEN 1 ELSE 0 END"
			" FROM outcomes WHERE campaign_id = ? AND code = ?", err);
		int64_t id = 0;
		unsigned flags = 0;
		bool used = false;
		int rc;

		if (!st)
			return err->code;
		db_bind_int64(st, 1, c->id);
		db_bind_text(st, 2, o->code);
		if ((rc = db_step(st, err)) == DB_ROW) {
			id = db_col_int64(st, 0);
			for (int k = 0; k < OUTCOME_FLAG_COUNT; k++)
				if (db_col_int64(st, 1 + k))
					flags |= 1u << k;
			used = db_col_int64(st, 7) != 0;
		}
		db_finalize(st);
		if (rc < 0)
			return rc;
		if (id && used && flags != o->flags)
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "outcome",
				"'%s' has calls already: its flags cannot change (its labels can)", o->code);
		st = db_prepare(s->db, id
			? "UPDATE outcomes SET label_fr = ?3, label_en = ?4, is_refusal = ?5, is_final = ?6, is_callback = ?7,"
			  " is_appointment = ?8, is_sale = ?9, is_do_not_call = ?10 WHERE campaign_id = ?1 AND code = ?2"
			: "INSERT INTO outcomes (campaign_id, code, label_fr, label_en, is_refusal, is_final, is_callback,"
			  " is_appointment, is_sale, is_do_not_call) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, c->id);
		db_bind_text(st, 2, o->code);
		db_bind_text(st, 3, o->label_fr);
		db_bind_text(st, 4, o->label_en);
		for (int k = 0; k < OUTCOME_FLAG_COUNT; k++)
			db_bind_int64(st, 5 + k, (o->flags >> k) & 1);
		if ((rc = store__run_done(st, err)))
			return rc;
	}
	return 0;
}

static int save_rules(struct store *s, const struct campaign *c, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if ((rc = save_slots(s, "calling_blocks", c->id, c->blocks, c->nblocks, err)) ||
	    (rc = save_slots(s, "calling_windows", c->id, c->windows, c->nwindows, err)))
		return rc;
	if (!(st = db_prepare(s->db, "DELETE FROM retry_rules WHERE campaign_id = ?", err)))
		return err->code;
	db_bind_int64(st, 1, c->id);
	if ((rc = store__run_done(st, err)))
		return rc;
	if (!(st = db_prepare(s->db, "INSERT INTO retry_rules (campaign_id, result, delay_seconds) VALUES (?, ?, ?)", err)))
		return err->code;
	for (int i = 0; i < c->nretry && rc >= 0; i++) {
		db_bind_int64(st, 1, c->id);
		db_bind_text(st, 2, c->retry[i].result);
		db_bind_int64(st, 3, c->retry[i].seconds);
		rc = db_step(st, err);
		db_reset(st);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if ((rc = save_outcomes(s, c, err)))
		return rc;
	/* Fields are added or changed, never dropped: values already recorded keep their key. */
	if (!(st = db_prepare(s->db, "INSERT INTO qualification_fields (campaign_id, key, label, type, choices)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaign_id, key) DO UPDATE SET type = excluded.type,"
		" choices = excluded.choices, label = excluded.label", err)))
		return err->code;
	for (int i = 0; i < c->nfields && rc >= 0; i++) {
		db_bind_int64(st, 1, c->id);
		db_bind_text(st, 2, c->fields[i].key);
		char labels[200];

		campaign_field_labels_text(&c->fields[i], labels, sizeof(labels));
		db_bind_text(st, 3, labels);
		db_bind_text(st, 4, c->fields[i].type);
		db_bind_text_or_null(st, 5, c->fields[i].choices);
		rc = db_step(st, err);
		db_reset(st);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_campaign_add(struct store *s, const struct store_who *who, struct campaign *c, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (campaign_validate(c, err))
		return err->code;
	if (db_begin(s->db, err))
		return err->code;
	st = db_prepare(s->db, "INSERT INTO campaigns (name, kind, audience, timezone, region, script,"
		" expected_call_seconds, daily_calls, weekly_calls, daily_appointments, weekly_appointments,"
		" max_attempts, hourly_cost_cents, archived, hold_seconds, idle_limit_seconds, rule_set, created_at, dialing,"
		" caller_id, ring_timeout_seconds)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING"
		" RETURNING id", err);
	if (!st) {
		db_rollback(s->db);
		return err->code;
	}
	c->created_at = who->at;
	bind_campaign(st, c);
	db_bind_int64(st, 18, c->created_at);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		c->id = db_col_int64(st, 0);
	db_finalize(st);
	if (rc == DB_DONE)
		rc = tp_error_at(err, TP_EEXIST, NULL, 0, "name", "a campaign named '%s' exists already", c->name);
	if (rc >= 0)
		rc = save_rules(s, c, err);
	if (rc >= 0)
		rc = store__script_campaign_saved(s, who, c->id, c->script, err);
	if (rc >= 0)
		rc = store_audit(s, who, "campaign.add", "campaign", c->id, c->name, err);
	return store__finish(s, rc, err);
}

/* Rules cache ------------------------------------------------------------------------------
 * Every desk operation needs its campaign's rules: five queries, five round trips on
 * PostgreSQL. A change of the settings bumps campaigns.revision, so the rules read for a
 * revision hold as long as the campaign row says that revision. */

static bool rules_may_keep(const struct store *s)
{
	return !s->rules_changed || s->db->tx_ended != s->rules_changed_in;
}

bool store__rules_cached(struct store *s, struct campaign *c)
{
	for (int i = 0; i < s->nrules; i++) {
		const struct campaign *k = &s->rules[i];

		if (k->id == c->id && k->revision == c->revision && k->created_at == c->created_at) {
			c->nblocks = k->nblocks;
			memcpy(c->blocks, k->blocks, sizeof(c->blocks));
			c->nwindows = k->nwindows;
			memcpy(c->windows, k->windows, sizeof(c->windows));
			c->nretry = k->nretry;
			memcpy(c->retry, k->retry, sizeof(c->retry));
			c->nfields = k->nfields;
			memcpy(c->fields, k->fields, sizeof(c->fields));
			c->noutcomes = k->noutcomes;
			memcpy(c->outcomes, k->outcomes, sizeof(c->outcomes));
			return true;
		}
	}
	return false;
}

bool store__campaign_known(struct store *s, int64_t id, int64_t revision, int64_t created_at, struct campaign *c)
{
	for (int i = 0; i < s->nrules; i++) {
		const struct campaign *k = &s->rules[i];

		if (k->id == id && k->revision == revision && k->created_at == created_at) {
			campaign_release(c);
			campaign_copy(c, k);
			return true;
		}
	}
	return false;
}

void store__rules_keep(struct store *s, const struct campaign *c)
{
	int n = (int)(sizeof(s->rules) / sizeof(s->rules[0])), slot;

	if (!rules_may_keep(s))
		return;
	if (s->nrules < n) {
		slot = s->nrules++;
	} else {
		slot = s->rules_next++ % n;
		campaign_release(&s->rules[slot]);
	}
	campaign_copy(&s->rules[slot], c);
}

void store__rules_changed(struct store *s)
{
	for (int i = 0; i < s->nrules; i++)
		campaign_release(&s->rules[i]);
	s->nrules = 0;
	s->rules_changed = true;
	s->rules_changed_in = s->db->tx_ended;
}

static int campaign_get(struct store *s, const char *sql, const char *name, int64_t id, struct campaign *c,
	bool count_leads, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, sql, err);
	int rc;

	if (!st)
		return err->code;
	if (name)
		db_bind_text(st, 1, name);
	else
		db_bind_int64(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		read_campaign(st, c);
	db_finalize(st);
	if (rc == DB_DONE && name)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "campaign", 0,
			TP_MSG("no campaign named '%s' (telepro campaign list shows them)"), 1, name);
	if (rc == DB_DONE)
		return store__no_such(err, "campaign", id);
	if (rc < 0)
		return rc;
	if (!store__rules_cached(s, c)) {
		if ((rc = load_rules(s, c, err)))
			return rc;
		store__rules_keep(s, c);
	}
	if (!count_leads) {
		store__bulk_campaign_keep(s, c);
		return 0;
	}
	st = db_prepare(s->db, "SELECT COUNT(*) FROM leads WHERE campaign_id = ?", err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, c->id);
	rc = db_step(st, err);
	c->leads = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_campaign_get(struct store *s, const char *name, struct campaign *c, struct tp_error *err)
{
	return campaign_get(s, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE name = ?", name, 0, c, true, err);
}

int store_campaign_get_for_update(struct store *s, const char *name, struct campaign *c, struct tp_error *err)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE name = ?%s", db_lock_row(s->db));
	return campaign_get(s, sql, name, 0, c, false, err);
}

int store_campaign_get_by_id(struct store *s, int64_t id, struct campaign *c, struct tp_error *err)
{
	return campaign_get(s, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE id = ?", NULL, id, c, true, err);
}

int store_campaign_settings(struct store *s, const char *name, struct campaign *c, struct tp_error *err)
{
	if (store__bulk_campaign(s, 0, name, c))
		return 0;
	return campaign_get(s, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE name = ?", name, 0, c, false, err);
}

int store_campaign_settings_by_id(struct store *s, int64_t id, struct campaign *c, struct tp_error *err)
{
	if (store__bulk_campaign(s, id, NULL, c))
		return 0;
	return campaign_get(s, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE id = ?", NULL, id, c, false, err);
}

int store__campaign_rules(struct store *s, int64_t id, struct campaign *c, struct tp_error *err)
{
	return store_campaign_settings_by_id(s, id, c, err);
}

static int campaigns_each(struct store *s, bool whole, store_campaign_fn fn, void *ctx, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, whole ? "SELECT " CAMPAIGN_COLUMNS ","
		" (SELECT COUNT(*) FROM leads l WHERE l.campaign_id = campaigns.id)"
		" FROM campaigns ORDER BY name /* scan-ok */" : "SELECT " CAMPAIGN_COLUMNS ", -1 FROM campaigns ORDER BY name"
		" /* scan-ok */", err);
	int rc;

	if (!st)
		return err->code;
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct campaign c;
		int stop;

		campaign_init(&c);
		read_campaign(st, &c);
		c.leads = db_col_int64(st, CAMPAIGN_NCOLUMNS);
		rc = whole ? load_rules(s, &c, err) : 0;
		stop = rc ? 1 : fn(ctx, &c);
		campaign_release(&c);
		if (stop)
			break;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_campaign_list(struct store *s, store_campaign_fn fn, void *ctx, struct tp_error *err)
{
	return campaigns_each(s, true, fn, ctx, err);
}

int store_campaign_settings_list(struct store *s, store_campaign_fn fn, void *ctx, struct tp_error *err)
{
	return campaigns_each(s, false, fn, ctx, err);
}

int store_campaign_update(struct store *s, const struct store_who *who, const struct campaign *c,
	struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (campaign_validate(c, err))
		return err->code;
	store__bulk_forget_rules(s);
	store__rules_changed(s);
	if (db_begin(s->db, err))
		return err->code;
	st = db_prepare(s->db, "UPDATE campaigns SET name = ?1, kind = ?2, audience = ?3, timezone = ?4, region = ?5,"
		" script = ?6, expected_call_seconds = ?7, daily_calls = ?8, weekly_calls = ?9, daily_appointments = ?10,"
		" weekly_appointments = ?11, max_attempts = ?12, hourly_cost_cents = ?13, archived = ?14, hold_seconds = ?15,"
		" idle_limit_seconds = ?16, rule_set = ?17, dialing = ?19, caller_id = ?20, ring_timeout_seconds = ?21,"
		" revision = revision + 1 WHERE id = ?18", err);
	if (!st) {
		db_rollback(s->db);
		return err->code;
	}
	bind_campaign(st, c);
	db_bind_int64(st, 18, c->id);
	rc = store__run_done(st, err);
	if (rc == 0)
		rc = save_rules(s, c, err);
	if (rc == 0)
		rc = store__script_campaign_saved(s, who, c->id, c->script, err);
	if (rc == 0)
		rc = store_audit(s, who, "campaign.set", "campaign", c->id, c->name, err);
	return store__finish(s, rc, err);
}
