/* Lead selection order and holds (issue "Calling and KPIs", "Next lead"): callbacks due
 * (own first, then shared), hot follow-ups due, new leads by priority, then retries; a
 * held lead is nobody else's; never a lead on the opposition list or outside windows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/tz.h"
#include "store/store.h"
#include "testdb.h"

static char url[512];

static void check(int rc, const struct tp_error *err)
{
	if (rc)
		fail_msg("store: %s: %s", err->field, err->reason);
}

static struct store *fresh(void)
{
	struct tp_error err;
	struct store *s;

	testdb_url("next", url, sizeof(url));
	tp_error_clear(&err);
	if (!(s = store_open(url, NULL, &err)))
		fail_msg("%s", err.reason);
	return s;
}

/* A second connection to the database fresh() made, and alice added through the first:
 * one connection changes what the other reads. */
static struct store *second_with_alice(struct store *a)
{
	struct tp_error err;
	struct store *b;
	int64_t uid;

	tp_error_clear(&err);
	if (!(b = store_open(url, NULL, &err)))
		fail_msg("%s", err.reason);
	check(store_user_add(a, &test_who, "alice", "agent", "!", &uid, &err), &err);
	return b;
}

static int64_t t(int day, int hour, int minute)
{
	return tz_utc("Europe/Paris", 2026, 12, day, hour, minute, 0);
}

/* Logs a call on lead by agent at time at; returns the call's id. */
static int64_t log_call(struct store *s, const char *agent, int64_t lead, const char *result, const char *outcome,
	int64_t at, int64_t callback_at)
{
	struct call_input in = {0};
	struct tp_error err;
	int64_t call_id, appt_id;
	bool replayed;

	tp_error_clear(&err);
	in.agent = agent;
	in.lead_id = lead;
	in.result = result;
	in.outcome = outcome;
	in.started_at = at;
	in.talk_seconds = outcome ? 60 : 0;
	in.callback_at = callback_at;
	check(store_call_log(s, &in, &call_id, &appt_id, &replayed, &err), &err);
	assert_false(replayed);
	return call_id;
}

static int64_t next_in(struct store *s, const char *campaign, const char *agent, int64_t at, char *reason,
	size_t size)
{
	struct next_lead lead;
	struct tp_error err;
	int rc;

	tp_error_clear(&err);
	rc = store_next_lead(s, agent, campaign, at, &lead, &err);
	if (rc == TP_ENOTHING) {
		snprintf(reason, size, "%s", err.reason);
		return 0;
	}
	check(rc, &err);
	snprintf(reason, size, "%s", lead.reason);
	return lead.lead_id;
}

static int64_t next(struct store *s, const char *agent, int64_t at, char *reason, size_t size)
{
	return next_in(s, "C", agent, at, reason, size);
}

static int count_attempt(void *ctx, int64_t attempt, int64_t calls, int64_t conversations, int64_t successes)
{
	int64_t *by = ctx;

	(void)conversations;
	(void)successes;
	if (attempt >= 1 && attempt <= 3)
		by[attempt] += calls;
	return 0;
}

/* Agents alice, bob and carol, the first n of them. */
static void add_agents(struct store *s, int n)
{
	static const char *const names[] = {"alice", "bob", "carol"};
	struct tp_error err;
	int64_t uid;

	tp_error_clear(&err);
	for (int i = 0; i < n; i++)
		check(store_user_add(s, &test_who, names[i], "agent", "!", &uid, &err), &err);
}

/* Campaign "C" (B2B, Paris) with retry and max_attempts, and n new leads +3314268530i. */
static void add_campaign(struct store *s, struct campaign *c, int max_attempts, const char *retry, int n)
{
	struct tp_error err;
	struct store_import *imp;
	struct import_stats st = {0};

	tp_error_clear(&err);
	campaign_init(c);
	campaign_set_str(&c->name, "C");
	campaign_set_str(&c->kind, "appointment");
	campaign_set_str(&c->audience, "b2b");
	campaign_set_str(&c->timezone, "Europe/Paris");
	campaign_set_str(&c->region, "FR");
	c->max_attempts = max_attempts;
	check(campaign_set_retry(c, retry, &err), &err);
	check(store_campaign_add(s, &test_who, c, &err), &err);
	imp = store_import_begin(s, &test_who, c->id, false, &err);
	for (int i = 1; i <= n; i++) {
		struct prospect p;

		memset(&p, 0, sizeof(p));
		for (int f = 0; f < F_COUNT; f++)
			p.field[f] = "";
		snprintf(p.phone, sizeof(p.phone), "+3314268530%d", i % 10);
		p.lead_phone = p.phone;
		assert_true(store_import_prospect(imp, &p, &err) >= 0);
	}
	check(store_import_commit(imp, "t", &st, &err), &err);
}

static void test_order_and_holds(void **state)
{
	struct store *s = fresh();
	struct tp_error err;
	struct campaign c;
	char why[512];

	(void)state;
	tp_error_clear(&err);
	add_agents(s, 2);
	add_campaign(s, &c, 2, "no_answer=1h", 6);
	/* Lead 6 is on the opposition list. */
	check(store_begin(s, &err), &err);
	assert_int_equal(store_opposition_add(s, "+33142685306", "bloctel", 0, &err), 0);
	check(store_commit(s, &err), &err);

	/* Tuesday 1 December: new leads in import order, each held for its agent. */
	assert_int_equal(next(s, "alice", t(1, 9, 0), why, sizeof(why)), 1);
	assert_string_equal(why, "new lead");
	assert_int_equal(next(s, "bob", t(1, 9, 0), why, sizeof(why)), 2);
	assert_int_equal(next(s, "alice", t(1, 9, 1), why, sizeof(why)), 1);
	assert_string_equal(why, "the lead you hold");
	log_call(s, "alice", 1, "no_answer", NULL, t(1, 9, 2), 0);            /* retry at 10:02 */
	log_call(s, "bob", 2, "conversation", "callback", t(1, 9, 3), t(1, 11, 0));
	assert_int_equal(next(s, "alice", t(1, 9, 5), why, sizeof(why)), 3);
	log_call(s, "alice", 3, "conversation", "hot_short", t(1, 9, 6), 0);  /* follow-up in 30 days */
	assert_int_equal(next(s, "alice", t(1, 9, 8), why, sizeof(why)), 4);
	log_call(s, "alice", 4, "conversation", "callback", t(1, 9, 9), t(1, 10, 30));
	assert_int_equal(next(s, "alice", t(1, 9, 10), why, sizeof(why)), 5);
	log_call(s, "alice", 5, "wrong_number", NULL, t(1, 9, 11), 0);
	/* Nothing due: the reason says what waits; lead 6 is never offered. */
	assert_int_equal(next(s, "alice", t(1, 9, 12), why, sizeof(why)), 0);
	assert_true(strstr(why, "nothing to call now; next callback at 2026-12-01 10:30") != NULL);
	assert_true(strstr(why, "1 leads wait for their retry delay") != NULL);
	assert_true(strstr(why, "1 leads are on the opposition list") != NULL);
	/* 10:31: alice's own callback (lead 4) before the retry due since 10:02. */
	assert_int_equal(next(s, "alice", t(1, 10, 31), why, sizeof(why)), 4);
	assert_string_equal(why, "your callback, due");
	log_call(s, "alice", 4, "conversation", "refused", t(1, 10, 32), 0);
	assert_int_equal(next(s, "alice", t(1, 10, 33), why, sizeof(why)), 1);
	assert_string_equal(why, "retry: attempt 2 of 2");
	log_call(s, "alice", 1, "no_answer", NULL, t(1, 10, 34), 0);         /* second attempt: exhausted */
	/* 11:01: bob's callback is his; alice gets it only once an hour overdue. */
	assert_int_equal(next(s, "alice", t(1, 11, 1), why, sizeof(why)), 0);
	assert_int_equal(next(s, "alice", t(1, 12, 1), why, sizeof(why)), 2);
	assert_string_equal(why, "shared callback, due");
	log_call(s, "alice", 2, "conversation", "not_target", t(1, 12, 2), 0);
	/* 31 days later the hot prospect is due again. Outside windows, nothing at all. */
	assert_int_equal(next(s, "alice", tz_utc("Europe/Paris", 2027, 1, 4, 9, 30, 0), why, sizeof(why)), 3);
	assert_string_equal(why, "hot prospect, follow-up due");
	assert_int_equal(next(s, "bob", tz_utc("Europe/Paris", 2027, 1, 9, 10, 0, 0), why, sizeof(why)), 0);
	assert_true(strstr(why, "outside the calling windows (mon-fri 09:00-19:00); they open again at 2027-01-11 09:00")
		!= NULL);
	/* Each call knows its rank among its lead's calls: five first calls, three second ones. */
	{
		struct kpi_filter f = {c.id, 0, 0, 0};
		int64_t by_attempt[4] = {0};

		check(store_attempt_groups(s, &f, count_attempt, by_attempt, &err), &err);
		assert_int_equal(by_attempt[1], 5);
		assert_int_equal(by_attempt[2], 3);
		assert_int_equal(by_attempt[3], 0);
	}
	campaign_release(&c);
	store_close(s);
	testdb_drop(url);
}

static int last_call_id(void *ctx, const struct lead_call *c)
{
	*(int64_t *)ctx = c->call_id;
	return 0;
}

/* The claim of a new lead that goes with the preflight (PostgreSQL) is let go when an
 * earlier queue or the held lead wins: the next agent gets that new lead. The id a call
 * log gives (read after its commit on PostgreSQL) is the call's. */
static void test_claims_let_go(void **state)
{
	struct store *s = fresh(), *s2;
	struct tp_error err;
	struct campaign c;
	struct lead_view v;
	char why[512];
	int64_t id1, id2, seen = 0;

	(void)state;
	tp_error_clear(&err);
	s2 = store_open(url, NULL, &err);
	assert_non_null(s2);
	add_agents(s, 3);
	add_campaign(s, &c, 3, "no_answer=1h", 4);
	assert_int_equal(next(s, "alice", t(1, 9, 0), why, sizeof(why)), 1);
	id1 = log_call(s, "alice", 1, "conversation", "callback", t(1, 9, 1), t(1, 9, 30));
	assert_true(id1 > 0);
	/* 9:31: alice's callback wins over the new leads; bob, on his own connection, gets
	 * the first of them. */
	assert_int_equal(next(s, "alice", t(1, 9, 31), why, sizeof(why)), 1);
	assert_string_equal(why, "your callback, due");
	assert_int_equal(next(s2, "bob", t(1, 9, 31), why, sizeof(why)), 2);
	assert_string_equal(why, "new lead");
	/* 9:32: each holds his lead; carol gets the next new one. */
	assert_int_equal(next(s, "alice", t(1, 9, 32), why, sizeof(why)), 1);
	assert_string_equal(why, "the lead you hold");
	assert_int_equal(next(s2, "bob", t(1, 9, 32), why, sizeof(why)), 2);
	assert_string_equal(why, "the lead you hold");
	assert_int_equal(next(s, "carol", t(1, 9, 32), why, sizeof(why)), 3);
	assert_string_equal(why, "new lead");
	/* Call ids follow each other and are the rows' own. */
	id2 = log_call(s2, "bob", 2, "no_answer", NULL, t(1, 9, 33), 0);
	assert_int_equal(id2, id1 + 1);
	check(store_lead_view(s, 2, &v, last_call_id, NULL, &seen, &err), &err);
	assert_int_equal(seen, id2);
	lead_view_release(&v);
	assert_int_equal(log_call(s, "alice", 1, "no_answer", NULL, t(1, 9, 34), 0), id2 + 1);
	campaign_release(&c);
	store_close(s2);
	store_close(s);
	testdb_drop(url);
}

/* In a bulk transaction (the demo) a "next" writes its hold only when something could see
 * it: another "next" does not get the lead, and the holds still open at the commit are
 * kept. */
static void test_bulk_holds(void **state)
{
	struct store *s = fresh();
	struct tp_error err;
	struct campaign c;
	char why[512];

	(void)state;
	tp_error_clear(&err);
	add_agents(s, 3);
	add_campaign(s, &c, 3, "no_answer=1h", 5);
	check(store_begin_bulk(s, &err), &err);
	assert_int_equal(next(s, "alice", t(1, 9, 0), why, sizeof(why)), 1);
	assert_int_equal(next(s, "bob", t(1, 9, 0), why, sizeof(why)), 2);
	assert_int_equal(next(s, "alice", t(1, 9, 1), why, sizeof(why)), 1);
	assert_string_equal(why, "the lead you hold");
	log_call(s, "alice", 1, "no_answer", NULL, t(1, 9, 2), 0);
	assert_int_equal(next(s, "alice", t(1, 9, 3), why, sizeof(why)), 3);
	check(store_commit(s, &err), &err);
	/* After it: bob still holds lead 2 and alice lead 3; carol gets lead 4. */
	assert_int_equal(next(s, "bob", t(1, 9, 4), why, sizeof(why)), 2);
	assert_string_equal(why, "the lead you hold");
	assert_int_equal(next(s, "alice", t(1, 9, 4), why, sizeof(why)), 3);
	assert_string_equal(why, "the lead you hold");
	assert_int_equal(next(s, "carol", t(1, 9, 4), why, sizeof(why)), 4);
	assert_string_equal(why, "new lead");
	campaign_release(&c);
	store_close(s);
	testdb_drop(url);
}

/* Calling time: a "next" notes the session's activity and the call after it credits the
 * time since the last credit; a session closed for idleness after a "next" with no call
 * still counts its time up to that "next". */
static void test_calling_time(void **state)
{
	struct store *s = fresh();
	struct tp_error err;
	struct campaign c;
	struct kpi_counts k;
	struct kpi_filter f = {0, 0, 0, 0};
	char why[512];
	int64_t uid, sid, secs;

	(void)state;
	tp_error_clear(&err);
	check(store_user_add(s, &test_who, "alice", "agent", "!", &uid, &err), &err);
	add_campaign(s, &c, 3, "no_answer=1h", 4);
	f.campaign_id = c.id;
	check(store_session_start(s, "alice", "C", t(1, 9, 0), &sid, &err), &err);
	assert_int_equal(next(s, "alice", t(1, 9, 10), why, sizeof(why)), 1);
	log_call(s, "alice", 1, "no_answer", NULL, t(1, 9, 11), 0);
	check(store_kpi_totals(s, &f, &k, &err), &err);
	assert_int_equal(k.calling_seconds, 11 * 60);
	/* 9:20 a "next", then nothing till 10:30: the session closed at 9:20. */
	assert_int_equal(next(s, "alice", t(1, 9, 20), why, sizeof(why)), 2);
	assert_int_equal(store_session_stop(s, "alice", t(1, 10, 30), &secs, &err), TP_ENOTFOUND);
	assert_non_null(strstr(err.reason, "idle too long"));
	check(store_kpi_totals(s, &f, &k, &err), &err);
	assert_int_equal(k.calling_seconds, 20 * 60);
	assert_int_equal(k.calls, 1);
	campaign_release(&c);
	store_close(s);
	testdb_drop(url);
}

/* A connection keeps the campaign it read; a change made through another one is applied
 * from the next call on (the desk and the call log read the campaign's revision). */
static void test_rules_change_seen(void **state)
{
	struct store *a = fresh(), *b = second_with_alice(a);
	struct tp_error err;
	struct campaign c;
	char why[512];

	(void)state;
	tp_error_clear(&err);
	add_campaign(a, &c, 5, "no_answer=1h", 1);

	assert_int_equal(next(b, "alice", t(1, 9, 0), why, sizeof(why)), 1);
	log_call(b, "alice", 1, "no_answer", NULL, t(1, 9, 1), 0);
	assert_int_equal(next(b, "alice", t(1, 10, 2), why, sizeof(why)), 1);
	assert_string_equal(why, "retry: attempt 2 of 5");
	/* Four hours between tries now, and three tries at most. */
	c.nretry = 0;
	c.max_attempts = 3;
	check(campaign_set_retry(&c, "no_answer=4h", &err), &err);
	check(store_campaign_update(a, &test_who, &c, &err), &err);
	log_call(b, "alice", 1, "no_answer", NULL, t(1, 10, 3), 0);
	assert_int_equal(next(b, "alice", t(1, 13, 0), why, sizeof(why)), 0);
	assert_int_equal(next(b, "alice", t(1, 14, 4), why, sizeof(why)), 1);
	assert_string_equal(why, "retry: attempt 3 of 3");
	campaign_release(&c);
	store_close(b);
	store_close(a);
	testdb_drop(url);
}

/* A connection's "next" sends its claim with the queries that read the agent and the
 * campaign, for the ids it found for those names last time (PostgreSQL): a name that has
 * changed hands since is read again, and the claim's answer dropped. */
static void test_name_changes_hands(void **state)
{
	struct store *a = fresh(), *b = second_with_alice(a);
	struct tp_error err;
	struct campaign old, c;
	char why[512];

	(void)state;
	tp_error_clear(&err);
	add_campaign(a, &old, 5, "no_answer=1h", 2);
	assert_int_equal(next(b, "alice", t(1, 9, 0), why, sizeof(why)), 1);
	log_call(b, "alice", 1, "wrong_number", NULL, t(1, 9, 1), 0);
	/* "C" is renamed, and a new campaign takes its name (leads 3 and 4). */
	campaign_set_str(&old.name, "Old");
	check(store_campaign_update(a, &test_who, &old, &err), &err);
	add_campaign(a, &c, 5, "no_answer=1h", 2);
	assert_int_equal(next(b, "alice", t(1, 9, 2), why, sizeof(why)), 3);
	assert_string_equal(why, "new lead");
	assert_int_equal(next_in(b, "Old", "alice", t(1, 9, 3), why, sizeof(why)), 2);
	/* The lead alice holds in "C" is hers still. */
	assert_int_equal(next(b, "alice", t(1, 9, 4), why, sizeof(why)), 3);
	assert_string_equal(why, "the lead you hold");
	campaign_release(&old);
	campaign_release(&c);
	store_close(b);
	store_close(a);
	testdb_drop(url);
}

/* Imports one consumer a lead (phone, postcode) into campaign id. */
static void add_consumer(struct store *s, int64_t campaign_id, const char *phone, const char *postcode)
{
	struct tp_error err;
	struct store_import *imp;
	struct import_stats st = {0};
	struct prospect p;

	tp_error_clear(&err);
	imp = store_import_begin(s, &test_who, campaign_id, false, &err);
	memset(&p, 0, sizeof(p));
	for (int f = 0; f < F_COUNTRY; f++)
		p.field[f] = "";
	for (int f = F_COUNTRY; f < F_COUNT; f++)
		p.field[f] = "";
	p.field[F_POSTCODE] = postcode;
	p.field[F_COUNTRY] = "FR";
	snprintf(p.phone, sizeof(p.phone), "%s", phone);
	p.lead_phone = p.phone;
	assert_true(store_import_prospect(imp, &p, &err) >= 0);
	/* Consumers called after 11 August 2026 need their consent on record. */
	assert_true(store_consent_add(s, &test_who, phone, tz_utc("Europe/Paris", 2026, 9, 1, 0, 0, 0), "web form", NULL,
		&err) >= 0);
	check(store_import_commit(imp, "t", &st, &err), &err);
}

/* A B2C campaign in France: the legal rules pass over leads they forbid now, and say why
 * when no lead is left (docs/RULES.md). */
static void test_rules_of_the_trade(void **state)
{
	struct store *s = fresh();
	struct tp_error err;
	struct campaign c, other;
	char why[512];
	int64_t uid;

	(void)state;
	tp_error_clear(&err);
	check(store_user_add(s, &test_who, "alice", "agent", "!", &uid, &err), &err);
	campaign_init(&c);
	campaign_set_str(&c.name, "C");
	campaign_set_str(&c.kind, "sales");
	campaign_set_str(&c.audience, "b2c");
	campaign_set_str(&c.timezone, "Europe/Paris");
	campaign_set_str(&c.region, "FR");
	c.max_attempts = 10;
	check(campaign_set_retry(&c, "no_answer=1h", &err), &err);
	check(store_campaign_add(s, &test_who, &c, &err), &err);
	campaign_init(&other);
	campaign_set_str(&other.name, "Other");
	campaign_set_str(&other.kind, "sales");
	campaign_set_str(&other.audience, "b2c");
	campaign_set_str(&other.timezone, "Europe/Paris");
	campaign_set_str(&other.region, "FR");
	check(store_campaign_add(s, &test_who, &other, &err), &err);
	add_consumer(s, c.id, "+262262000001", "97400");   /* lead 1: Réunion, UTC+4 */
	add_consumer(s, c.id, "+33142685301", "75001");    /* lead 2: Paris */
	/* The files are screened against Bloctel every month (at most 30 days before a call). */
	check(store_screening_add(s, "bloctel", t(1, 9, 0), 2, t(1, 9, 0), &err), &err);
	check(store_screening_add(s, "bloctel", tz_utc("Europe/Paris", 2027, 1, 2, 9, 0, 0), 2, 0, &err), &err);
	check(store_screening_add(s, "bloctel", tz_utc("Europe/Paris", 2027, 2, 1, 9, 0, 0), 2, 0, &err), &err);
	check(store_screening_add(s, "bloctel", tz_utc("Europe/Paris", 2027, 11, 1, 9, 0, 0), 2, 0, &err), &err);

	/* Thursday 3 December 17:30 in Paris is 20:30 in Réunion: lead 1 is passed over. */
	assert_int_equal(next(s, "alice", t(3, 17, 30), why, sizeof(why)), 2);
	log_call(s, "alice", 2, "no_answer", NULL, t(3, 17, 31), 0);
	/* Nothing left to call: the reason names the rule. */
	assert_int_equal(next(s, "alice", t(3, 17, 33), why, sizeof(why)), 0);
	assert_string_equal(why, "no lead may be called now under the rules of the trade (fr-b2c): 1 passed over;"
		" lead 1: 20:33 in Indian/Reunion: consumers are called 10:00-13:00 and 14:00-20:00 only");
	/* At 15:00 in Paris (18:00 in Réunion) lead 1 may be called. */
	assert_int_equal(next(s, "alice", t(4, 15, 0), why, sizeof(why)), 1);
	log_call(s, "alice", 1, "conversation", "refused", t(4, 15, 1), 0);

	/* 4 calls to the Paris number in 30 days, one of them from another campaign: no 5th. */
	add_consumer(s, other.id, "+33142685301", "75001");   /* lead 3, the same person */
	log_call(s, "alice", 3, "no_answer", NULL, t(4, 10, 0), 0);
	log_call(s, "alice", 2, "no_answer", NULL, t(7, 10, 0), 0);
	assert_int_equal(next(s, "alice", t(7, 11, 30), why, sizeof(why)), 2);   /* the 4th */
	log_call(s, "alice", 2, "busy", NULL, t(7, 11, 31), 0);
	assert_int_equal(next(s, "alice", t(7, 14, 0), why, sizeof(why)), 0);    /* the 5th: no */
	assert_true(strstr(why, "lead 2: 4 calls or attempts to this number since 2026-12-03 (at most 4 in 30 calendar"
		" days): the first day allowed is 2027-01-03") != NULL);
	/* The 30 calendar days after the first of the four (3 December) over, the number may be
	 * called again (Monday 4 January: the 3rd is a Sunday). */
	assert_int_equal(next(s, "alice", tz_utc("Europe/Paris", 2027, 1, 4, 14, 0, 0), why, sizeof(why)), 2);

	/* A refusal in one campaign holds for the person in every campaign: 60 times 24 hours
	 * later, not yet (60 calendar days after the day of the refusal, 7 December, end on
	 * 5 February at midnight); the next working day after, again. */
	add_consumer(s, other.id, "+33142685309", "69001");   /* lead 4 */
	log_call(s, "alice", 4, "conversation", "refused", t(7, 12, 0), 0);
	campaign_set_str(&other.name, "R");
	check(store_campaign_add(s, &test_who, &other, &err), &err);
	add_consumer(s, other.id, "+33142685309", "69001");   /* lead 5, in campaign R */
	assert_int_equal(next_in(s, "R", "alice", t(7, 12, 0) + 60 * 86400, why, sizeof(why)), 0);
	assert_true(strstr(why, "lead 5: refused during a call on 2026-12-07: none for 60 calendar days after a refusal:"
		" the first day allowed is 2027-02-06") != NULL);
	assert_int_equal(next_in(s, "R", "alice", tz_utc("Europe/Paris", 2027, 2, 8, 10, 0, 0), why, sizeof(why)), 5);

	/* 11 November: a public holiday, nothing at all. */
	assert_int_equal(next(s, "alice", tz_utc("Europe/Paris", 2027, 11, 11, 11, 0, 0), why, sizeof(why)), 0);
	assert_true(strstr(why, "is a public holiday where the consumer lives: Armistice Day") != NULL);
	campaign_release(&c);
	campaign_release(&other);
	store_close(s);
	testdb_drop(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_holds),
		cmocka_unit_test(test_claims_let_go),
		cmocka_unit_test(test_calling_time),
		cmocka_unit_test(test_bulk_holds),
		cmocka_unit_test(test_rules_of_the_trade),
		cmocka_unit_test(test_rules_change_seen),
		cmocka_unit_test(test_name_changes_hands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
