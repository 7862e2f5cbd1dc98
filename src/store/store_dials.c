/* The calls Telepro places (core/dial.h): one row per attempt, saved as the signalling goes. */
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/store_int.h"

static const char *const state_names[] = {"ringing_agent", "ringing_prospect", "joining", "connected", "ended"};
static const char *const end_names[] = {"", "not_connected", "prospect_hung_up", "agent_hung_up",
	"agent_unreachable", "refused", "failed", "interrupted"};

int store_dial_add(struct store *s, struct dial_row *r, struct tp_error *err)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(s->db, err))
		return err->code;
	/* One prospect line per agent (docs/TELEPHONY.md). */
	if (!(st = db_prepare(s->db, "SELECT COUNT(*) FROM dials WHERE agent_id = ? AND state <> 'ended'", err))) {
		rc = err->code;
		goto out;
	}
	db_bind_int64(st, 1, r->agent_id);
	rc = db_step(st, err);
	if (rc == DB_ROW && db_col_int64(st, 0) > 0)
		rc = tp_error_msg(err, TP_ECONFLICT, NULL, 0, "dial", 0, TP_MSG("a call is going on already: hang it up"
			" first"), 0);
	db_finalize(st);
	if (rc < 0)
		goto out;
	if (!(st = db_prepare_insert(s->db, "INSERT INTO dials (lead_id, agent_id, campaign_id, mode, state,"
		" started_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)", err))) {
		rc = err->code;
		goto out;
	}
	db_bind_int64(st, 1, r->lead_id);
	db_bind_int64(st, 2, r->agent_id);
	db_bind_int64(st, 3, r->campaign_id);
	db_bind_text(st, 4, r->mode);
	db_bind_text(st, 5, dial_state_name(r->d.state));
	db_bind_int64(st, 6, r->d.started_ms);
	db_bind_int64(st, 7, r->updated_ms);
	rc = db_insert(st, &r->id, err);
	db_finalize(st);
out:
	return store__finish(s, rc, err);
}

int store_dial_save(struct store *s, const struct dial_row *r, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, "UPDATE dials SET state = ?, end_reason = ?, result = ?, sip_status = ?,"
		" agent_status = ?, started_ms = ?, prospect_ms = ?, answered_ms = ?, ended_ms = ?, updated_ms = ?"
		" WHERE id = ?", err);

	if (!st)
		return err->code;
	db_bind_text(st, 1, dial_state_name(r->d.state));
	db_bind_text_or_null(st, 2, dial_end_name(r->d.end));
	db_bind_text_or_null(st, 3, r->d.result);
	db_bind_int64(st, 4, r->d.status);
	db_bind_int64(st, 5, r->d.agent_status);
	db_bind_int64(st, 6, r->d.started_ms);
	db_bind_int64(st, 7, r->d.prospect_ms);
	db_bind_int64(st, 8, r->d.answered_ms);
	db_bind_int64(st, 9, r->d.ended_ms);
	db_bind_int64(st, 10, r->updated_ms);
	db_bind_int64(st, 11, r->id);
	return store__run_done(st, err);
}

#define DIAL_COLUMNS "SELECT d.id, d.lead_id, d.agent_id, d.campaign_id, u.name, c.name, d.mode, d.state," \
	" COALESCE(d.end_reason, ''), COALESCE(d.result, ''), d.sip_status, d.agent_status, d.started_ms," \
	" d.prospect_ms, d.answered_ms, d.ended_ms, COALESCE(d.call_id, 0), d.updated_ms" \
	" FROM dials d JOIN users u ON u.id = d.agent_id JOIN campaigns c ON c.id = d.campaign_id"

static int index_of(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return 0;
}

static void read_dial(struct db_stmt *st, struct dial_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int64(st, 0);
	r->lead_id = db_col_int64(st, 1);
	r->agent_id = db_col_int64(st, 2);
	r->campaign_id = db_col_int64(st, 3);
	snprintf(r->agent, sizeof(r->agent), "%s", db_col_text(st, 4));
	snprintf(r->campaign, sizeof(r->campaign), "%s", db_col_text(st, 5));
	snprintf(r->mode, sizeof(r->mode), "%s", db_col_text(st, 6));
	r->d.state = (enum dial_state)index_of(state_names, 5, db_col_text(st, 7));
	r->d.end = (enum dial_end)index_of(end_names, 8, db_col_text(st, 8));
	r->d.keep_line = strcmp(r->mode, "progressive") == 0;
	snprintf(r->result, sizeof(r->result), "%s", db_col_text(st, 9));
	r->d.result = r->result[0] ? r->result : NULL;
	r->d.status = (int)db_col_int64(st, 10);
	r->d.agent_status = (int)db_col_int64(st, 11);
	r->d.started_ms = db_col_int64(st, 12);
	r->d.prospect_ms = db_col_int64(st, 13);
	r->d.answered_ms = db_col_int64(st, 14);
	r->d.ended_ms = db_col_int64(st, 15);
	r->call_id = db_col_int64(st, 16);
	r->updated_ms = db_col_int64(st, 17);
}

int store_dial_get(struct store *s, int64_t id, struct dial_row *r, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, DIAL_COLUMNS " WHERE d.id = ?", err);
	int rc;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st, err)) == DB_ROW)
		read_dial(st, r);
	db_finalize(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? 0 : store__no_such(err, "dial", id);
}

int store_dials_live(struct store *s, struct dial_row **rows, size_t *n, struct tp_error *err)
{
	struct db_stmt *st = db_prepare(s->db, DIAL_COLUMNS " WHERE d.state <> 'ended' ORDER BY d.id", err);
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!st)
		return err->code;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (*n == cap)
			*rows = xrealloc(*rows, (cap = cap ? 2 * cap : 8) * sizeof(**rows));
		read_dial(st, &(*rows)[(*n)++]);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
