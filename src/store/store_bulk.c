/*
 * What a bulk transaction (store_begin_bulk: a call history, the demo) keeps in memory
 * until it ends. Inside one long transaction, rows rewritten again and again are the
 * cost on PostgreSQL: each rewrite leaves a row version that later lookups of the same
 * transaction walk through, and each statement is a round trip. So the campaign rules,
 * outcomes, users and agents' sessions it reads are read once, the lead a "next" claims
 * is handed to the call log after it without being read again (its hold written only if
 * something could see it first), and the agents' sessions and day spans (like the KPI
 * counters, store_kpi.c) are kept in memory and written once, when it commits.
 */
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/xalloc.h"
#include "store/store_int.h"

#define BULK_CAMPAIGNS 16
#define BULK_OUTCOMES 128
#define BULK_USERS 64

struct span {
	int64_t campaign_id, agent_id, day, first, last;
};

struct bulk_cache {
	struct campaign campaigns[BULK_CAMPAIGNS];
	int ncampaigns;
	struct {
		int64_t campaign_id;
		struct outcome o;
	} outcomes[BULK_OUTCOMES];
	int noutcomes;
	struct name_ids users;
	struct {
		int64_t agent_id;
		struct session ses;
	} sessions[BULK_USERS];
	int nsessions;
	struct lead_row leads[BULK_LEADS];  /* store__bulk_lead_keep */
	int nleads;
	struct session_write {
		struct session ses;
		int64_t ended_at;
	} *writes;                    /* store__bulk_session_write */
	size_t nwrites, writes_cap;
	int64_t hold_lead, hold_agent, hold_until;  /* store__bulk_hold_keep; lead 0: none */
	/* Day spans: an array and an open-addressing index over it (row + 1; 0 empty). */
	struct span *spans;
	size_t nspans, spans_cap, slots;
	uint32_t *index;
	struct strbuf calls;          /* store__bulk_calls */
	bool calls_ready;
};

static struct bulk_cache *cache(struct store *s)
{
	if (!s->bulk)
		return NULL;
	if (!s->bc)
		s->bc = xcalloc(1, sizeof(*s->bc));
	return s->bc;
}

void store__bulk_forget_rules(struct store *s)
{
	struct bulk_cache *bc = s->bc;

	if (!bc)
		return;
	for (int i = 0; i < bc->ncampaigns; i++)
		campaign_release(&bc->campaigns[i]);
	bc->ncampaigns = 0;
	bc->noutcomes = 0;
	store__name_ids_clear(&bc->users);
	bc->nsessions = 0;
	bc->nleads = 0;
	bc->hold_lead = 0;
}

void store__bulk_forget(struct store *s)
{
	struct bulk_cache *bc = s->bc;

	if (!bc)
		return;
	store__bulk_forget_rules(s);
	if (bc->calls_ready)
		sb_release(&bc->calls);
	free(bc->users.v);
	free(bc->writes);
	free(bc->spans);
	free(bc->index);
	free(bc);
	s->bc = NULL;
}

bool store__bulk_campaign(struct store *s, int64_t id, const char *name, struct campaign *c)
{
	struct bulk_cache *bc = cache(s);

	for (int i = 0; bc && i < bc->ncampaigns; i++) {
		const struct campaign *k = &bc->campaigns[i];

		if (name ? strcmp(k->name, name) == 0 : k->id == id) {
			campaign_release(c);
			campaign_copy(c, k);
			return true;
		}
	}
	return false;
}

void store__bulk_campaign_keep(struct store *s, const struct campaign *c)
{
	struct bulk_cache *bc = cache(s);

	if (bc && bc->ncampaigns < BULK_CAMPAIGNS && c->name) {
		campaign_copy(&bc->campaigns[bc->ncampaigns], c);
		bc->campaigns[bc->ncampaigns++].leads = 0;
	}
}

bool store__bulk_outcome(struct store *s, int64_t campaign_id, const char *code, struct outcome *o)
{
	struct bulk_cache *bc = cache(s);

	for (int i = 0; bc && i < bc->noutcomes; i++)
		if (bc->outcomes[i].campaign_id == campaign_id && strcmp(bc->outcomes[i].o.code, code) == 0) {
			*o = bc->outcomes[i].o;
			return true;
		}
	return false;
}

void store__bulk_outcome_keep(struct store *s, int64_t campaign_id, const struct outcome *o)
{
	struct bulk_cache *bc = cache(s);

	if (bc && bc->noutcomes < BULK_OUTCOMES) {
		bc->outcomes[bc->noutcomes].campaign_id = campaign_id;
		bc->outcomes[bc->noutcomes++].o = *o;
	}
}

bool store__bulk_user(struct store *s, const char *name, int64_t *id)
{
	struct bulk_cache *bc = cache(s);

	return bc && store__name_id(&bc->users, name, id);
}

void store__bulk_user_keep(struct store *s, const char *name, int64_t id)
{
	struct bulk_cache *bc = cache(s);

	if (bc)
		store__name_id_keep(&bc->users, BULK_USERS, name, id);
}

bool store__bulk_session(struct store *s, int64_t agent_id, struct session *ses)
{
	struct bulk_cache *bc = cache(s);

	for (int i = 0; bc && i < bc->nsessions; i++) {
		if (bc->sessions[i].agent_id == agent_id) {
			*ses = bc->sessions[i].ses;
			return true;
		}
	}
	return false;
}

bool store__bulk_session_keep(struct store *s, int64_t agent_id, const struct session *ses)
{
	struct bulk_cache *bc = cache(s);
	int i;

	if (!bc)
		return false;
	for (i = 0; i < bc->nsessions && bc->sessions[i].agent_id != agent_id; i++)
		;
	if (i == BULK_USERS)
		return false;
	if (i == bc->nsessions)
		bc->nsessions++;
	bc->sessions[i].agent_id = agent_id;
	bc->sessions[i].ses = *ses;
	return true;
}

void store__bulk_session_forget(struct store *s, int64_t agent_id)
{
	struct bulk_cache *bc = s->bc;

	for (int i = 0; bc && i < bc->nsessions; i++) {
		if (bc->sessions[i].agent_id == agent_id) {
			bc->sessions[i] = bc->sessions[--bc->nsessions];
			return;
		}
	}
}

void store__bulk_session_write(struct store *s, const struct session *ses, int64_t ended_at)
{
	struct bulk_cache *bc = cache(s);
	size_t i;

	if (!bc)
		return;
	for (i = 0; i < bc->nwrites && bc->writes[i].ses.id != ses->id; i++)
		;
	if (i == bc->nwrites) {
		if (bc->nwrites == bc->writes_cap) {
			bc->writes_cap = bc->writes_cap ? 2 * bc->writes_cap : 16;
			bc->writes = xrealloc(bc->writes, bc->writes_cap * sizeof(*bc->writes));
		}
		bc->nwrites++;
	}
	bc->writes[i].ses = *ses;
	bc->writes[i].ended_at = ended_at;
	db_note_write(s->db);
}

static int by_session(const void *a, const void *b)
{
	const struct session_write *x = a, *y = b;

	return x->ses.id < y->ses.id ? -1 : x->ses.id > y->ses.id;
}

int store__bulk_sessions_each(struct store *s, store_session_row_fn fn, struct tp_error *err)
{
	struct bulk_cache *bc = s->bc;
	int rc = 0;

	if (!bc || !bc->nwrites)
		return 0;
	/* In id order, so that writers never wait in a cycle. */
	qsort(bc->writes, bc->nwrites, sizeof(*bc->writes), by_session);
	for (size_t i = 0; i < bc->nwrites && rc == 0; i++)
		rc = fn(s, &bc->writes[i].ses, bc->writes[i].ended_at, err);
	bc->nwrites = 0;
	return rc;
}

static struct lead_row *bulk_lead(struct store *s, int64_t lead_id)
{
	struct bulk_cache *bc = s->bulk ? s->bc : NULL;

	for (int i = 0; bc && lead_id && i < bc->nleads; i++)
		if (bc->leads[i].id == lead_id)
			return &bc->leads[i];
	return NULL;
}

bool store__bulk_lead_get(struct store *s, int64_t lead_id, struct lead_row *l)
{
	struct lead_row *k = bulk_lead(s, lead_id);

	if (k)
		*l = *k;
	return k != NULL;
}

void store__bulk_lead_called(struct store *s, int64_t lead_id)
{
	struct lead_row *k = bulk_lead(s, lead_id);

	if (k)
		k->attempts++;
}

void store__bulk_leads_clear(struct store *s)
{
	if (s->bc)
		s->bc->nleads = 0;
}

bool store__bulk_hold_keep(struct store *s, int64_t lead_id, int64_t agent_id, int64_t until)
{
	struct bulk_cache *bc = cache(s);

	if (!bc || bc->hold_lead)
		return false;
	bc->hold_lead = lead_id;
	bc->hold_agent = agent_id;
	bc->hold_until = until;
	return true;
}

bool store__bulk_hold_peek(struct store *s, int64_t *lead_id, int64_t *agent_id, int64_t *until)
{
	struct bulk_cache *bc = s->bulk ? s->bc : NULL;

	if (!bc || !bc->hold_lead)
		return false;
	*lead_id = bc->hold_lead;
	*agent_id = bc->hold_agent;
	*until = bc->hold_until;
	return true;
}

void store__bulk_hold_clear(struct store *s, int64_t lead_id)
{
	if (s->bc && s->bc->hold_lead == lead_id)
		s->bc->hold_lead = 0;
}

void store__bulk_lead_keep(struct store *s, const struct lead_row *l)
{
	struct bulk_cache *bc = cache(s);
	struct lead_row *k = bc ? bulk_lead(s, l->id) : NULL;

	if (k)
		*k = *l;
	else if (bc && bc->nleads < BULK_LEADS)
		bc->leads[bc->nleads++] = *l;
}

/* Day spans ---------------------------------------------------------------------------- */

static size_t span_hash(int64_t campaign_id, int64_t agent_id, int64_t day)
{
	const int64_t key[3] = {campaign_id, agent_id, day};

	return (size_t)hash_ints(key, 3, 0);
}

static size_t span_slot(const struct bulk_cache *bc, int64_t campaign_id, int64_t agent_id, int64_t day)
{
	size_t mask = bc->slots - 1, i = span_hash(campaign_id, agent_id, day) & mask;

	while (bc->index[i]) {
		const struct span *sp = &bc->spans[bc->index[i] - 1];

		if (sp->campaign_id == campaign_id && sp->agent_id == agent_id && sp->day == day)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

bool store__bulk_span(struct store *s, int64_t campaign_id, int64_t agent_id, int64_t day, int64_t *first,
	int64_t *last)
{
	struct bulk_cache *bc = cache(s);
	size_t i;

	if (!bc || !bc->slots)
		return false;
	i = span_slot(bc, campaign_id, agent_id, day);
	if (!bc->index[i])
		return false;
	*first = bc->spans[bc->index[i] - 1].first;
	*last = bc->spans[bc->index[i] - 1].last;
	return true;
}

bool store__bulk_span_keep(struct store *s, int64_t campaign_id, int64_t agent_id, int64_t day, int64_t first,
	int64_t last)
{
	struct bulk_cache *bc = cache(s);
	size_t i;

	if (!bc)
		return false;
	if (2 * (bc->nspans + 1) > bc->slots) {
		free(bc->index);
		bc->slots = bc->slots ? bc->slots * 2 : 256;
		bc->index = xcalloc(bc->slots, sizeof(*bc->index));
		for (size_t r = 0; r < bc->nspans; r++)
			bc->index[span_slot(bc, bc->spans[r].campaign_id, bc->spans[r].agent_id, bc->spans[r].day)] =
				(uint32_t)(r + 1);
	}
	i = span_slot(bc, campaign_id, agent_id, day);
	if (!bc->index[i]) {
		if (bc->nspans == bc->spans_cap) {
			bc->spans_cap = bc->spans_cap ? bc->spans_cap * 2 : 256;
			bc->spans = xrealloc(bc->spans, bc->spans_cap * sizeof(*bc->spans));
		}
		bc->spans[bc->nspans] = (struct span){campaign_id, agent_id, day, first, last};
		bc->index[i] = (uint32_t)++bc->nspans;
	} else {
		bc->spans[bc->index[i] - 1].first = first;
		bc->spans[bc->index[i] - 1].last = last;
	}
	db_note_write(s->db);
	return true;
}

int store__span_write(struct store *s, int64_t campaign_id, int64_t agent_id, int64_t day, int64_t first,
	int64_t last, struct tp_error *err)
{
	struct db_stmt *set = store__cached(s, SLOT_SPAN_SET, "INSERT INTO agent_day_spans (campaign_id, agent_id, local_day,"
		" first_start, last_end) VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaign_id, agent_id, local_day)"
		" DO UPDATE SET first_start = excluded.first_start, last_end = excluded.last_end", err);
	int rc;

	if (!set)
		return err->code;
	db_bind_int64(set, 1, campaign_id);
	db_bind_int64(set, 2, agent_id);
	db_bind_int64(set, 3, day);
	db_bind_int64(set, 4, first);
	db_bind_int64(set, 5, last);
	rc = db_step_later(set, err);
	db_reset(set);
	return rc;
}

static int by_key(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->campaign_id != y->campaign_id)
		return x->campaign_id < y->campaign_id ? -1 : 1;
	if (x->agent_id != y->agent_id)
		return x->agent_id < y->agent_id ? -1 : 1;
	return x->day < y->day ? -1 : x->day > y->day;
}

struct strbuf *store__bulk_calls(struct store *s)
{
	struct bulk_cache *bc = db_can(s->db, DB_CAP_COPY) ? cache(s) : NULL;

	if (!bc)
		return NULL;
	if (!bc->calls_ready) {
		sb_init(&bc->calls);
		bc->calls_ready = true;
	}
	return &bc->calls;
}

int store__bulk_spans_flush(struct store *s, struct tp_error *err)
{
	struct bulk_cache *bc = s->bc;
	int rc = 0;

	if (!bc || !bc->nspans)
		return 0;
	/* In one global order, as the counters are, so that writers never wait in a cycle. */
	qsort(bc->spans, bc->nspans, sizeof(*bc->spans), by_key);
	for (size_t i = 0; i < bc->nspans && rc == 0; i++)
		rc = store__span_write(s, bc->spans[i].campaign_id, bc->spans[i].agent_id, bc->spans[i].day,
			bc->spans[i].first, bc->spans[i].last, err);
	bc->nspans = 0;
	if (bc->index)
		memset(bc->index, 0, bc->slots * sizeof(*bc->index));
	return rc;
}
