/*
 * Property test: random histories of sessions, calls and appointment results, recorded
 * through the store, must give counters whose KPIs equal a recomputation from the raw
 * calls, appointments and sessions, for every filter and grouping tried. Also checks the
 * desk's promises on the way: a held lead is not given to another agent, an idempotent
 * call is recorded once, bad input records nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/memo.h"
#include "core/tz.h"
#include "store/store.h"
#include "testdb.h"

static char url[512];
static unsigned rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

static void remove_db(void)
{
	testdb_drop(url);
}

static struct store *fresh(void)
{
	struct tp_error err;
	struct store *s;

	testdb_url("counters", url, sizeof(url));
	tp_error_clear(&err);
	s = store_open(url, NULL, &err);
	if (!s)
		fail_msg("%s", err.reason);
	return s;
}

static void check(int rc, const struct tp_error *err)
{
	if (rc)
		fail_msg("store: %s: %s", err->field, err->reason);
}

static int64_t setup_campaign(struct store *s, const char *name, int nleads, int64_t first_phone)
{
	struct campaign c;
	struct tp_error err;
	struct store_import *imp;
	struct import_stats st = {0};
	int64_t id;

	tp_error_clear(&err);
	campaign_init(&c);
	campaign_set_str(&c.name, name);
	campaign_set_str(&c.kind, "appointment");
	campaign_set_str(&c.audience, "b2b");
	campaign_set_str(&c.timezone, "Europe/Paris");
	campaign_set_str(&c.region, "FR");
	c.max_attempts = 4;
	check(campaign_add_blocks(&c, "14:00-16:00", &err), &err);
	check(campaign_add_windows(&c, "mon-sun 00:00-24:00", &err), &err);
	check(store_campaign_add(s, &test_who, &c, &err), &err);
	id = c.id;
	campaign_release(&c);
	imp = store_import_begin(s, &test_who, id, false, &err);
	assert_non_null(imp);
	for (int i = 0; i < nleads; i++) {
		struct prospect p;

		memset(&p, 0, sizeof(p));
		for (int f = 0; f < F_COUNT; f++)
			p.field[f] = "";
		p.field[F_COMPANY] = name;
		snprintf(p.phone, sizeof(p.phone), "+33%09lld", (long long)(first_phone + i));
		p.lead_phone = p.phone;
		assert_true(store_import_prospect(imp, &p, &err) >= 0);
	}
	check(store_import_commit(imp, "gen", &st, &err), &err);
	return id;
}

static void assert_same(const struct kpi_counts *a, const struct kpi_counts *b, const char *what)
{
	if (memcmp(a, b, sizeof(*a)) != 0)
		fail_msg("%s: counters and raw recomputation differ: calls %lld/%lld conv %lld/%lld appts %lld/%lld "
			"sales %lld/%lld talk %lld/%lld qualified %lld/%lld won %lld/%lld known %lld/%lld held %lld/%lld "
			"relevant %lld/%lld rated %lld/%lld amount %lld/%lld calling %lld/%lld", what,
			(long long)a->calls, (long long)b->calls, (long long)a->conversations, (long long)b->conversations,
			(long long)a->appointments, (long long)b->appointments, (long long)a->sales, (long long)b->sales,
			(long long)a->talk_seconds, (long long)b->talk_seconds, (long long)a->qualified, (long long)b->qualified,
			(long long)a->appointments_won, (long long)b->appointments_won, (long long)a->appointments_known,
			(long long)b->appointments_known, (long long)a->appointments_held, (long long)b->appointments_held,
			(long long)a->appointments_relevant, (long long)b->appointments_relevant,
			(long long)a->appointments_rated, (long long)b->appointments_rated, (long long)a->amount_cents,
			(long long)b->amount_cents, (long long)a->calling_seconds, (long long)b->calling_seconds);
}

static int sum_group(void *ctx, const struct kpi_group_key *key, const struct kpi_counts *c)
{
	(void)key;
	kpi_add(ctx, c);
	return 0;
}

static const char *const agents[] = {"alice", "bruno", "chloe"};

/* Groups by outcome, kept in order, to compare the counters with the raw calls. */
struct outcome_groups {
	int n;
	char key[16][24];
	struct kpi_counts c[16];
};

static int keep_group(void *ctx, const struct kpi_group_key *key, const struct kpi_counts *c)
{
	struct outcome_groups *g = ctx;

	assert_true(g->n < 16);
	assert_int_equal(key->by, KPI_BY_OUTCOME);
	snprintf(g->key[g->n], sizeof(g->key[g->n]), "%s", key->label);
	g->c[g->n++] = *c;
	return 0;
}

/* The outcome counters give exactly the raw calls' groups (every count, in order). */
static void check_outcomes(struct store *s, const struct kpi_filter *f, const char *what)
{
	struct outcome_groups counters = {0}, raw = {0};
	struct tp_error err;

	tp_error_clear(&err);
	if (store_kpi_groups(s, f, KPI_BY_OUTCOME, keep_group, &counters, &err) ||
	    store_kpi_recompute_by_outcome(s, f, keep_group, &raw, &err))
		fail_msg("%s: %s", what, err.reason);
	assert_int_equal(counters.n, raw.n);
	for (int i = 0; i < raw.n; i++) {
		char w[128];

		assert_string_equal(counters.key[i], raw.key[i]);
		snprintf(w, sizeof(w), "%s outcome %s", what, raw.key[i]);
		assert_same(&counters.c[i], &raw.c[i], w);
	}
}

/* Each agent's group must be that agent's totals (user ids 1..3 in agents[] order). */
struct by_agent {
	struct store *s;
	struct kpi_filter f;
	int seen;
};

static int check_agent_group(void *ctx, const struct kpi_group_key *group, const struct kpi_counts *c)
{
	struct by_agent *b = ctx;
	struct kpi_filter f = b->f;
	struct kpi_counts want;
	struct tp_error err;
	const char *key = group->label;

	tp_error_clear(&err);
	for (int a = 0; a < 3; a++)
		if (strcmp(key, agents[a]) == 0)
			f.agent_id = a + 1;
	/* The typed key is the agent's id. */
	assert_int_equal(group->id, f.agent_id);
	if (!f.agent_id)
		fail_msg("unexpected agent group '%s'", key);
	check(store_kpi_totals(b->s, &f, &want, &err), &err);
	assert_same(c, &want, key);
	b->seen++;
	return 0;
}
static const char *const results[] = {"no_answer", "busy", "voicemail", "gatekeeper", "wrong_number", "conversation",
	"conversation", "conversation"};
static const char *const outcomes[] = {"refused", "hot_short", "hot_medium", "hot_long", "callback", "appointment",
	"appointment", "sale", "do_not_call", "not_target"};

/* bulk: the whole history in one bulk transaction (store_begin_bulk), as an import or the
 * demo runs it: counters and spans kept in memory until the commit must come out the same. */
static void run_history(unsigned seed, bool bulk)
{
	struct store *s = fresh();
	struct tp_error err;
	int64_t campaigns[2], appointments[400];
	int nappointments = 0;
	int64_t now;
	bool in_session[3] = {false}, paused[3] = {false};
	int64_t uid;

	rng = seed;
	tp_error_clear(&err);
	for (int a = 0; a < 3; a++)
		check(store_user_add(s, &test_who, agents[a], "agent", "!", &uid, &err), &err);
	check(store_user_add(s, &test_who, "sam", "sales", "!", &uid, &err), &err);
	campaigns[0] = setup_campaign(s, "A", 80, 142000000);
	campaigns[1] = setup_campaign(s, "B", 40, 472000000);
	/* One clock for everybody: time only moves forward, as it does at a calling desk. */
	now = tz_utc("Europe/Paris", 2026, 11, 2, 8, 0, 0);
	if (bulk)
		check(store_begin_bulk(s, &err), &err);

	for (int step = 0; step < 400; step++) {
		int a = (int)rnd(3);
		const char *cname = a == 2 ? "B" : "A";
		int op = (int)rnd(20);

		/* Read as a page reads (through the memo, core/memo.h) while the history goes on:
		 * whatever changed since, the answer is the raw recomputation's. */
		if (!bulk && step % 25 == 24) {
			struct kpi_filter live[] = {{0, 0, 0, 0}, {campaigns[0], 0, 0, 0}, {campaigns[1], 0, 0, 0}};

			for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++) {
				struct kpi_counts counters, raw, sum = {0};

				check(store_kpi_totals(s, &live[i], &counters, &err), &err);
				check(store_kpi_recompute(s, &live[i], &raw, &err), &err);
				check(store_kpi_groups(s, &live[i], KPI_BY_HOUR, sum_group, &sum, &err), &err);
				/* Calling time of sessions still open is credited as they go on; the
				 * recomputation counts it to their end: compared at the end, below. */
				counters.calling_seconds = sum.calling_seconds = raw.calling_seconds;
				assert_same(&counters, &raw, "totals during the history");
				assert_same(&sum, &raw, "hours during the history");
			}
		}

		now += 30 + rnd(600);
		if (rnd(40) == 0)
			now += 3600 + rnd(86400); /* a long gap: the idle limit, another day */
		if (op == 0 && !in_session[a]) {
			int64_t id;
			int rc = store_session_start(s, agents[a], cname, now, &id, &err);

			if (rc == 0)
				in_session[a] = true;
			else
				assert_int_equal(rc, TP_EEXIST);
		} else if (op == 1 && in_session[a]) {
			int rc = paused[a] ? store_session_resume(s, agents[a], now, &err)
				: store_session_pause(s, agents[a], now, &err);

			if (rc == 0)
				paused[a] = !paused[a];
			else
				in_session[a] = paused[a] = false; /* closed for idleness */
		} else if (op == 2 && in_session[a]) {
			int64_t secs;
			int rc = store_session_stop(s, agents[a], now, &secs, &err);

			/* Stopped, or found closed for idleness: nothing else. */
			assert_true(rc == 0 || rc == TP_ENOTFOUND);
			in_session[a] = paused[a] = false;
		} else if (op < 5 && nappointments > 0) {
			static const char *const st[] = {"held", "no_show", "cancelled", "scheduled"};
			static const char *const res[] = {"won", "lost", "pending"};
			const char *status = st[rnd(4)];
			const char *result = strcmp(status, "held") == 0 ? res[rnd(3)] : rnd(2) ? "pending" : NULL;

			/* Recorded after every appointment's time (sales record what took place). */
			static const struct store_who sales = {"test", 1900000000};
			int rc = store_appointment_result(s, &sales, appointments[rnd((unsigned)nappointments)], status,
				(int)rnd(3) - 1, result, rnd(2) ? (int64_t)rnd(1000000) : -1, &err);

			/* The one refusal a random change meets: a won or lost appointment set to not held. */
			if (rc != 0) {
				assert_int_equal(rc, TP_EUSAGE);
				assert_non_null(strstr(err.reason, "once held"));
			}
		} else {
			struct next_lead lead;
			struct call_input in = {0};
			const char *keys[1] = {"effectif"}, *values[1];
			char value[16];
			int64_t call_id, appt_id;
			bool replayed;
			int rc;

			if (paused[a]) {
				check(store_session_resume(s, agents[a], now, &err), &err);
				paused[a] = false;
			}
			rc = store_next_lead(s, agents[a], cname, now, &lead, &err);
			if (rc == TP_ENOTHING)
				continue;
			check(rc, &err);
			/* Another agent of the same campaign never gets the lead held for this one. */
			if (a < 2) {
				struct next_lead l2;

				if (store_next_lead(s, agents[1 - a], cname, now, &l2, &err) == 0)
					assert_int_not_equal(l2.lead_id, lead.lead_id);
			}
			in.agent = agents[a];
			in.lead_id = lead.lead_id;
			in.result = results[rnd(8)];
			in.started_at = now;
			in.ring_seconds = rnd(40);
			if (strcmp(in.result, "conversation") == 0) {
				in.outcome = outcomes[rnd(10)];
				in.talk_seconds = 20 + rnd(900);
				if (strcmp(in.outcome, "callback") == 0)
					in.callback_at = now + 3600 + rnd(86400);
				if (strcmp(in.outcome, "appointment") == 0) {
					in.appointment_at = now + 86400 * (1 + rnd(10));
					in.sales = rnd(2) ? "sam" : NULL;
				}
				if (rnd(2)) {
					snprintf(value, sizeof(value), "%u", rnd(4) * 10);
					values[0] = value;
					in.nqual = 1;
					in.qual_key = keys;
					in.qual_value = values;
				}
			}
			if (rnd(10) == 0) {
				/* Bad input records nothing. */
				struct call_input bad = in;

				bad.result = "conversation";
				bad.outcome = NULL;
				assert_int_equal(store_call_log(s, &bad, &call_id, &appt_id, &replayed, &err), TP_EUSAGE);
				assert_string_equal(err.field, "outcome");
			}
			char key[32];

			snprintf(key, sizeof(key), "k%u-%d", seed, step);
			in.idempotency_key = key;
			check(store_call_log(s, &in, &call_id, &appt_id, &replayed, &err), &err);
			assert_false(replayed);
			if (rnd(8) == 0) {
				int64_t again, again_appt;

				check(store_call_log(s, &in, &again, &again_appt, &replayed, &err), &err);
				assert_true(replayed);
				assert_int_equal(again, call_id);
				assert_int_equal(again_appt, appt_id);
			}
			if (appt_id && nappointments < 400)
				appointments[nappointments++] = appt_id;
			now = in.started_at + in.ring_seconds + in.talk_seconds;
		}
	}
	now += 60;
	for (int a = 0; a < 3; a++) {
		int64_t secs;

		int rc = in_session[a] ? store_session_stop(s, agents[a], now, &secs, &err) : 0;

		/* TP_ENOTFOUND: the session had been closed for idleness meanwhile. */
		if (rc && rc != TP_ENOTFOUND)
			check(rc, &err);
	}
	if (bulk)
		check(store_commit(s, &err), &err);

	/* Totals, per campaign, per agent, per day range: counters == raw. */
	{
		struct kpi_filter filters[] = {
			{0, 0, 0, 0}, {campaigns[0], 0, 0, 0}, {campaigns[1], 0, 0, 0}, {campaigns[0], 1, 0, 0},
			{0, 2, 0, 0},
		};
		enum kpi_group groupings[] = {KPI_BY_HOUR, KPI_BY_WEEKDAY_HOUR, KPI_BY_DAY, KPI_BY_WEEK, KPI_BY_MONTH,
			KPI_BY_AGENT, KPI_BY_CAMPAIGN, KPI_BY_BLOCK, KPI_BY_WEEKDAY};

		for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
			struct kpi_counts counters, raw;
			char what[64];

			check(store_kpi_totals(s, &filters[i], &counters, &err), &err);
			check(store_kpi_recompute(s, &filters[i], &raw, &err), &err);
			snprintf(what, sizeof(what), "seed %u filter %zu", seed, i);
			assert_same(&counters, &raw, what);
			assert_true(counters.calls > 0 || i > 2);
			check_outcomes(s, &filters[i], what);
			for (size_t g = 0; g < sizeof(groupings) / sizeof(groupings[0]); g++) {
				struct kpi_counts sum;

				memset(&sum, 0, sizeof(sum));
				check(store_kpi_groups(s, &filters[i], groupings[g], sum_group, &sum, &err), &err);
				snprintf(what, sizeof(what), "seed %u filter %zu grouping %d", seed, i, (int)groupings[g]);
				assert_same(&sum, &counters, what);
			}
			if (!filters[i].agent_id) {
				struct by_agent b = {s, filters[i], 0};

				check(store_kpi_groups(s, &filters[i], KPI_BY_AGENT, check_agent_group, &b, &err), &err);
				assert_true(b.seen > 0);
			}
		}
		/* Day ranges, whole months or not, with and without an agent: the rollups and the
		 * hourly counters agree (calls and appointments against raw; calling time, which
		 * the reference cannot split by day, between the tables). */
		{
			struct kpi_filter ranges[] = {
				{0, 0, 20261103, 20261105}, {campaigns[0], 0, 20261101, 20261130}, {0, 1, 20261104, 20261212},
				{0, 0, 20261201, 0}, {campaigns[1], 0, 0, 20261115},
			};

			for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
				struct kpi_counts counters, raw;
				char what[80];

				check(store_kpi_totals(s, &ranges[i], &counters, &err), &err);
				check(store_kpi_recompute(s, &ranges[i], &raw, &err), &err);
				assert_int_equal(counters.calls, raw.calls);
				assert_int_equal(counters.conversations, raw.conversations);
				assert_int_equal(counters.talk_seconds, raw.talk_seconds);
				assert_int_equal(counters.appointments_won, raw.appointments_won);
				assert_int_equal(counters.amount_cents, raw.amount_cents);
				assert_int_equal(counters.sales, raw.sales);
				snprintf(what, sizeof(what), "seed %u range %zu", seed, i);
				check_outcomes(s, &ranges[i], what);
				for (size_t g = 0; g < sizeof(groupings) / sizeof(groupings[0]); g++) {
					struct kpi_counts sum;

					memset(&sum, 0, sizeof(sum));
					check(store_kpi_groups(s, &ranges[i], groupings[g], sum_group, &sum, &err), &err);
					snprintf(what, sizeof(what), "seed %u range %zu grouping %d", seed, i, (int)groupings[g]);
					assert_same(&sum, &counters, what);
				}
				if (!ranges[i].agent_id) {
					struct by_agent b = {s, ranges[i], 0};

					check(store_kpi_groups(s, &ranges[i], KPI_BY_AGENT, check_agent_group, &b, &err), &err);
					assert_true(b.seen > 0 || counters.calls == 0);
				}
			}
		}
	}
	store_close(s);
	remove_db();
}

/* One call of agent's on campaign at now: its result; the appointment's id in *appt. */
static void log_one(struct store *s, const char *agent, const char *campaign, int64_t now, const char *result,
	int64_t *appt)
{
	struct next_lead lead;
	struct call_input in = {0};
	struct tp_error err;
	int64_t call_id, appt_id;
	bool replayed;

	tp_error_clear(&err);
	check(store_next_lead(s, agent, campaign, now, &lead, &err), &err);
	in.agent = agent;
	in.lead_id = lead.lead_id;
	in.result = result;
	in.started_at = now;
	in.ring_seconds = 10;
	if (strcmp(result, "conversation") == 0) {
		in.outcome = "appointment";
		in.talk_seconds = 120;
		in.appointment_at = now + 86400;
		in.sales = "sam";
	}
	check(store_call_log(s, &in, &call_id, &appt_id, &replayed, &err), &err);
	if (appt)
		*appt = appt_id;
}

static int64_t calls_of(struct store *s, int64_t campaign_id)
{
	struct kpi_filter f = {campaign_id, 0, 0, 0};
	struct kpi_counts c;
	struct tp_error err;

	tp_error_clear(&err);
	check(store_kpi_totals(s, &f, &c, &err), &err);
	return c.calls;
}

/* What the memo keeps is found again only while nothing it was read from changed: a call,
 * an appointment's fate, a rolled-back transaction, a database made again at the same
 * address (docs/KPI.md, "What a page reads"). */
static void test_memo_follows_changes(void **state)
{
	struct store *s = fresh();
	struct tp_error err;
	struct kpi_filter f;
	struct kpi_counts c;
	char rev1[1024], rev2[1024];
	long long hits0, hits1, misses;
	int64_t a, b, uid, appt, now = tz_utc("Europe/Paris", 2026, 11, 3, 10, 0, 0);

	(void)state;
	tp_error_clear(&err);
	check(store_user_add(s, &test_who, "alice", "agent", "!", &uid, &err), &err);
	check(store_user_add(s, &test_who, "sam", "sales", "!", &uid, &err), &err);
	a = setup_campaign(s, "A", 20, 142000000);
	b = setup_campaign(s, "B", 20, 472000000);
	log_one(s, "alice", "A", now, "conversation", &appt);
	assert_int_equal(calls_of(s, a), 1);
	/* Found again: the memo answers (else this test would test nothing). */
	memo_stats(&hits0, &misses);
	assert_int_equal(calls_of(s, a), 1);
	memo_stats(&hits1, &misses);
	assert_int_equal(hits1, hits0 + 1);

	/* A call of campaign A changes A's revision, not B's. */
	check(store_kpi_revision(s, b, rev1, sizeof(rev1), &err), &err);
	assert_true(rev1[0] != '\0');
	log_one(s, "alice", "A", now + 600, "busy", NULL);
	assert_int_equal(calls_of(s, a), 2);
	check(store_kpi_revision(s, b, rev2, sizeof(rev2), &err), &err);
	assert_string_equal(rev1, rev2);

	/* An appointment's fate, recorded by sales. */
	f = (struct kpi_filter){a, 0, 0, 0};
	check(store_kpi_totals(s, &f, &c, &err), &err);
	assert_int_equal(c.appointments_held, 0);
	{
		static const struct store_who sales = {"test", 1900000000};   /* after the appointment */

		check(store_appointment_result(s, &sales, appt, "held", 1, "won", 150000, &err), &err);
	}
	check(store_kpi_totals(s, &f, &c, &err), &err);
	assert_int_equal(c.appointments_held, 1);
	assert_int_equal(c.appointments_won, 1);

	/* Inside a transaction nothing is kept (it may roll back); rolled back, the memo still
	 * answers what was committed. */
	check(store_kpi_revision(s, a, rev1, sizeof(rev1), &err), &err);
	check(store_begin(s, &err), &err);
	log_one(s, "alice", "A", now + 1200, "no_answer", NULL);
	check(store_kpi_revision(s, a, rev2, sizeof(rev2), &err), &err);
	assert_string_equal(rev2, "");
	assert_int_equal(calls_of(s, a), 3);
	store_rollback(s);
	assert_int_equal(calls_of(s, a), 2);
	check(store_kpi_revision(s, a, rev2, sizeof(rev2), &err), &err);
	assert_string_equal(rev1, rev2);
	log_one(s, "alice", "A", now + 1800, "no_answer", NULL);
	assert_int_equal(calls_of(s, a), 3);

	/* A page holds the revision it read first: its readings share it while calls are
	 * logged meanwhile; released, the next reading sees them. */
	store_kpi_hold(s, true);
	check(store_kpi_revision(s, a, rev1, sizeof(rev1), &err), &err);
	assert_int_equal(calls_of(s, a), 3);
	log_one(s, "alice", "A", now + 2400, "no_answer", NULL);
	check(store_kpi_revision(s, a, rev2, sizeof(rev2), &err), &err);
	assert_string_equal(rev1, rev2);
	assert_int_equal(calls_of(s, a), 3);
	store_kpi_hold(s, false);
	assert_int_equal(calls_of(s, a), 4);
	store_close(s);

	/* The same address, another database (SQLite: a file made again): nothing of the first
	 * one's is found, though its revisions start again from the same numbers. */
	if (strncmp(url, "sqlite:", 7) == 0) {
		remove_db();
		testdb_seq--;
		s = fresh();
		check(store_user_add(s, &test_who, "alice", "agent", "!", &uid, &err), &err);
		check(store_user_add(s, &test_who, "sam", "sales", "!", &uid, &err), &err);
		a = setup_campaign(s, "A", 20, 142000000);
		log_one(s, "alice", "A", now, "busy", NULL);
		log_one(s, "alice", "A", now + 600, "busy", NULL);
		f = (struct kpi_filter){a, 0, 0, 0};
		check(store_kpi_totals(s, &f, &c, &err), &err);
		assert_int_equal(c.calls, 2);
		assert_int_equal(c.conversations, 0);
		store_close(s);
	}
	remove_db();
}

static void test_random_histories(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 6; seed++)
		run_history(seed, false);
	for (unsigned seed = 7; seed <= 9; seed++)
		run_history(seed, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_histories),
		cmocka_unit_test(test_memo_follows_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
