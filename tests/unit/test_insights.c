/*
 * Insights on histories with planted effects (docs/INSIGHTS.md): the slots report finds
 * the hours that are truly better or worse and flags no pair of truly equal hours; a
 * history where every hour is the same shows no difference. Runs on the backend of the
 * run (SQLite, then PostgreSQL).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/app_int.h"
#include "core/tz.h"
#include "testdb.h"

static uint64_t rng = 88172645463325252ull;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void check(int rc, const struct tp_error *err)
{
	if (rc)
		fail_msg("%s: %s", err->field, err->reason);
}

/* calls calls at hour of weekdays in November 2026 by agent (NULL: alice and bruno in
 * turn), each a conversation with probability p. */
static void calls_of(struct store *s, int64_t campaign_id, const char *agent, int hour, int calls, double p)
{
	struct tp_error err;

	tp_error_clear(&err);
	for (int i = 0; i < calls; i++) {
		static const int days[] = {2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20};
		struct call_input in = {0};
		int64_t call_id, appt;
		bool replayed;
		bool talked = uniform() < p;

		in.agent = agent ? agent : i % 2 ? "alice" : "bruno";
		in.campaign_id = campaign_id;
		in.result = talked ? "conversation" : "no_answer";
		in.outcome = talked ? "refused" : NULL;
		in.talk_seconds = talked ? 90 : 0;
		in.started_at = tz_utc("Europe/Paris", 2026, 11, days[i % 15], hour, (i / 15) % 58, 0);
		check(store_call_log(s, &in, &call_id, &appt, &replayed, &err), &err);
	}
}

static void history(struct store *s, int64_t campaign_id, int hour, int calls, double p)
{
	calls_of(s, campaign_id, NULL, hour, calls, p);
}

static json_t *find_pair(json_t *pairs, const char *a, const char *b)
{
	size_t i;
	json_t *p;

	json_array_foreach(pairs, i, p) {
		const char *pa = json_string_value(json_object_get(p, "a")), *pb = json_string_value(json_object_get(p, "b"));

		if ((strcmp(pa, a) == 0 && strcmp(pb, b) == 0) || (strcmp(pa, b) == 0 && strcmp(pb, a) == 0))
			return p;
	}
	fail_msg("no pair %s %s", a, b);
	return NULL;
}

static void test_planted_effects(void **state)
{
	static const char *const equal[] = {"09", "10", "11", "14", "15"};
	static const struct campaign_setting none[] = {{"kind", "appointment"}};
	struct tp_error err;
	struct campaign c, flat;
	struct app *a = NULL;
	char url[512];
	int64_t uid;
	json_t *out = NULL, *pairs, *p;
	size_t i;

	(void)state;
	tp_error_clear(&err);
	testdb_url("insights", url, sizeof(url));
	check(app_open(&a, url, "root", NULL, &err), &err);
	check(app_user_add(a, "alice", "agent", "pw-alice-12345", &uid, &err), &err);
	check(app_user_add(a, "bruno", "agent", "pw-bruno-12345", &uid, &err), &err);
	campaign_init(&c);
	campaign_init(&flat);
	check(app_campaign_add(a, "Planted", none, 1, &c, &err), &err);
	check(app_campaign_add(a, "Flat", none, 1, &flat, &err), &err);

	/* Five hours truly equal (25 %), 16 h truly better (40 %), 12 h truly worse (12 %), and
	 * 18 h with too few calls to say anything. */
	for (size_t h = 0; h < sizeof(equal) / sizeof(equal[0]); h++)
		history(a->store, c.id, (int)strtol(equal[h], NULL, 10), 400, 0.25);
	history(a->store, c.id, 16, 400, 0.40);
	history(a->store, c.id, 12, 400, 0.12);
	history(a->store, c.id, 18, 12, 0.25);
	for (int h = 9; h <= 12; h++)
		history(a->store, flat.id, h, 300, 0.25);

	{
		struct app_insights_query q = {"Planted", NULL, NULL, NULL, "hour", "contact_rate", false};

		check(app_insights_slots(a, &q, &out, &err), &err);
	}
	assert_int_equal(json_array_size(json_object_get(out, "groups")), 7);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "test"), "df")), 6);
	assert_true(json_real_value(json_object_get(json_object_get(out, "test"), "p_value")) < 1e-9);
	p = json_array_get(json_object_get(out, "too_few"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "key")), "18");
	assert_int_equal(json_integer_value(json_object_get(p, "n")), 12);
	assert_true(json_integer_value(json_object_get(p, "needed")) > 500);
	json_decref(out);
	/* A rate so high (85 %) that a 25 % lift is out of reach: a slot of 25 trials still
	 * needs the 5 more that ranking takes, not "0 more". */
	{
		struct campaign high;
		struct app_insights_query q = {"High", NULL, NULL, NULL, "hour", "contact_rate", false};

		campaign_init(&high);
		check(app_campaign_add(a, "High", none, 1, &high, &err), &err);
		for (int h = 9; h <= 11; h++)
			history(a->store, high.id, h, 300, 0.85);
		history(a->store, high.id, 15, 25, 0.85);
		check(app_insights_slots(a, &q, &out, &err), &err);
		p = json_array_get(json_object_get(out, "too_few"), 0);
		assert_string_equal(json_string_value(json_object_get(p, "key")), "15");
		assert_int_equal(json_integer_value(json_object_get(p, "needed")), 5);
		campaign_release(&high);
	}
	json_decref(out);
	{
		struct app_insights_query q = {"Planted", NULL, NULL, NULL, "hour", "contact_rate", false};

		check(app_insights_slots(a, &q, &out, &err), &err);
	}
	pairs = json_object_get(out, "pairs");
	assert_int_equal(json_array_size(pairs), 21);
	/* The planted differences are found, the better hour first... */
	p = find_pair(pairs, "16", "12");
	assert_string_equal(json_string_value(json_object_get(p, "a")), "16");
	assert_true(json_is_true(json_object_get(p, "significant")));
	assert_true(json_real_value(json_object_get(p, "ratio")) > 2.5);
	for (size_t h = 0; h < sizeof(equal) / sizeof(equal[0]); h++) {
		assert_true(json_is_true(json_object_get(find_pair(pairs, "16", equal[h]), "significant")));
		assert_true(json_is_true(json_object_get(find_pair(pairs, equal[h], "12"), "significant")));
	}
	/* ...and no pair of truly equal hours is called different. */
	json_array_foreach(pairs, i, p) {
		const char *pa = json_string_value(json_object_get(p, "a")), *pb = json_string_value(json_object_get(p, "b"));
		bool a_equal = false, b_equal = false;

		for (size_t h = 0; h < sizeof(equal) / sizeof(equal[0]); h++) {
			a_equal |= strcmp(pa, equal[h]) == 0;
			b_equal |= strcmp(pb, equal[h]) == 0;
		}
		if (a_equal && b_equal && json_is_true(json_object_get(p, "significant")))
			fail_msg("%s and %s are truly equal but called different (q = %g)", pa, pb,
				json_real_value(json_object_get(p, "q_value")));
	}
	assert_true(strncmp(json_string_value(json_object_get(out, "summary")), "16 h : ", 7) == 0);
	assert_non_null(strstr(json_string_value(json_object_get(out, "summary")), "le taux de contact de 12 h — significatif"));
	assert_true(strncmp(json_string_value(json_object_get(out, "summary_en")), "16:00: ", 7) == 0);
	json_decref(out);

	/* Every hour the same: nothing to report but that. */
	{
		struct app_insights_query q = {"Flat", NULL, NULL, NULL, "hour", NULL, false};

		check(app_insights_slots(a, &q, &out, &err), &err);
	}
	assert_true(json_real_value(json_object_get(json_object_get(out, "test"), "p_value")) > 0.05);
	json_array_foreach(json_object_get(out, "pairs"), i, p)
		assert_false(json_is_true(json_object_get(p, "significant")));
	assert_true(strncmp(json_string_value(json_object_get(out, "summary")),
		"Aucune différence démontrée entre les créneaux pour le taux de contact", 70) == 0);
	json_decref(out);

	/* Refusals say which input is wrong; an agent sees their own figures only. */
	{
		struct app_insights_query q = {"Planted", NULL, NULL, NULL, "season", NULL, false};

		assert_int_equal(app_insights_slots(a, &q, &out, &err), TP_EUSAGE);
		assert_string_equal(err.field, "by");
		q.by = "weekday";
		q.rate = "happiness";
		assert_int_equal(app_insights_slots(a, &q, &out, &err), TP_EUSAGE);
		assert_string_equal(err.field, "rate");
		q.rate = NULL;
		q.agent = "bruno";
		check(app_act_as(a, "alice", &err), &err);
		assert_int_equal(app_insights_slots(a, &q, &out, &err), TP_EFORBIDDEN);
	}
	campaign_release(&c);
	campaign_release(&flat);
	app_close(a);
	testdb_drop(url);
}

/* agent books appointments that sales marks relevant and won with these odds. */
static void appointments_of(struct store *s, int64_t campaign_id, const char *agent, int n, double relevant,
	double won)
{
	struct tp_error err;

	tp_error_clear(&err);
	for (int i = 0; i < n; i++) {
		struct call_input in = {0};
		int64_t call_id, appt = 0;
		bool replayed, rel = uniform() < relevant, win = rel && uniform() < won;

		in.agent = agent;
		in.campaign_id = campaign_id;
		in.result = "conversation";
		in.outcome = "appointment";
		in.talk_seconds = 300;
		in.started_at = tz_utc("Europe/Paris", 2026, 11, 2 + i % 20, 10, i % 50, 0);
		in.appointment_at = in.started_at + 7 * 86400;
		check(store_call_log(s, &in, &call_id, &appt, &replayed, &err), &err);
		/* Recorded once the appointment has taken place. */
		const struct store_who sales = {"test", in.appointment_at + 3600};
		check(store_appointment_result(s, &sales, appt, "held", rel ? 1 : 0, win ? "won" : "lost", win ? 100000 : -1,
			&err), &err);
	}
}

/* One agent books appointments sales rejects: flagged, with the evidence; the others not.
 * An agent with a dozen lucky calls is not first: shrunk toward the team. */
static void test_forced_appointments(void **state)
{
	static const struct campaign_setting none[] = {{"kind", "appointment"}};
	struct tp_error err;
	struct campaign c;
	struct app *a = NULL;
	char url[512];
	int64_t uid;
	json_t *out = NULL, *g;
	size_t i;

	(void)state;
	tp_error_clear(&err);
	testdb_url("agents", url, sizeof(url));
	check(app_open(&a, url, "root", NULL, &err), &err);
	for (const char *const *n = (const char *const[]){"alice", "bruno", "chloe", "dora", NULL}; *n; n++)
		check(app_user_add(a, *n, "agent", "pw-agent-12345", &uid, &err), &err);
	campaign_init(&c);
	check(app_campaign_add(a, "Agents", none, 1, &c, &err), &err);
	appointments_of(a->store, c.id, "alice", 40, 0.9, 0.4);
	appointments_of(a->store, c.id, "chloe", 40, 0.9, 0.4);
	appointments_of(a->store, c.id, "bruno", 40, 0.35, 0.4);
	/* Everyone's other calls: a quarter reach someone (the appointments come on top). */
	calls_of(a->store, c.id, "alice", 10, 300, 0.25);
	calls_of(a->store, c.id, "bruno", 11, 300, 0.25);
	calls_of(a->store, c.id, "chloe", 14, 300, 0.25);
	{
		struct tp_error e2;
		tp_error_clear(&e2);
		for (int i = 0; i < 12; i++) {      /* dora: 9 conversations out of 12 calls */
			struct call_input in = {0};
			int64_t call_id, appt;
			bool replayed;

			in.agent = "dora";
			in.campaign_id = c.id;
			in.result = i < 9 ? "conversation" : "no_answer";
			in.outcome = i < 9 ? "refused" : NULL;
			in.talk_seconds = i < 9 ? 60 : 0;
			in.started_at = tz_utc("Europe/Paris", 2026, 11, 25, 11, i, 0);
			check(store_call_log(a->store, &in, &call_id, &appt, &replayed, &e2), &e2);
		}
	}
	{
		struct app_insights_query q = {"Agents", NULL, NULL, NULL, NULL, NULL, false};

		check(app_insights_agents(a, &q, &out, &err), &err);
	}
	assert_int_equal(json_array_size(json_object_get(out, "agents")), 4);
	json_array_foreach(json_object_get(out, "agents"), i, g) {
		const char *name = json_string_value(json_object_get(g, "agent"));
		json_t *flags = json_object_get(g, "flags");

		if (strcmp(name, "bruno") == 0) {
			json_t *e = json_array_get(json_object_get(g, "evidence"), 0);

			assert_int_equal(json_array_size(flags), 1);
			assert_string_equal(json_string_value(json_array_get(flags, 0)), "forced_appointments");
			assert_string_equal(json_string_value(json_object_get(e, "test")), "irrelevant");
			assert_true(json_real_value(json_object_get(e, "q_value")) <= 0.05);
			assert_true(json_real_value(json_object_get(e, "agent_share")) >
				json_real_value(json_object_get(e, "team_share")));
		} else {
			assert_int_equal(json_array_size(flags), 0);
		}
		if (strcmp(name, "dora") == 0) {
			json_t *cr = json_object_get(g, "contact_rate");

			/* 75 % raw, but twelve calls: the estimate stays near the team's 35 %. */
			assert_true(json_real_value(json_object_get(cr, "value")) == 0.75);
			assert_true(json_real_value(json_object_get(cr, "eb_value")) < 0.45);
			assert_true(json_real_value(json_object_get(cr, "eb_low")) < 0.35);
		}
	}
	json_decref(out);
	check(app_act_as(a, "alice", &err), &err);
	{
		struct app_insights_query q = {"Agents", NULL, NULL, NULL, NULL, NULL, false};

		assert_int_equal(app_insights_agents(a, &q, &out, &err), TP_EFORBIDDEN);
	}
	campaign_release(&c);
	app_close(a);
	testdb_drop(url);
}

/* A target above anything an agent ever did is said so; the range follows the blocks. */
static void test_objectives(void **state)
{
	static const struct campaign_setting set[] = {{"block", "mon-fri 14:00-16:00"}, {"daily-calls", "100"},
		{"weekly-calls", "50"}};
	struct tp_error err;
	struct campaign c;
	struct app *a = NULL;
	char url[512];
	int64_t uid;
	json_t *out = NULL, *d, *w;

	(void)state;
	tp_error_clear(&err);
	testdb_url("objectives", url, sizeof(url));
	check(app_open(&a, url, "root", NULL, &err), &err);
	check(app_user_add(a, "alice", "agent", "pw-agent-12345", &uid, &err), &err);
	check(app_user_add(a, "bruno", "agent", "pw-agent-12345", &uid, &err), &err);
	campaign_init(&c);
	check(app_campaign_add(a, "Obj", set, 3, &c, &err), &err);
	/* 400 calls over 15 days by two agents: 13 or 14 calls an agent-day, about 67 a week. */
	history(a->store, c.id, 14, 400, 0.25);
	{
		struct app_insights_query q = {"Obj", NULL, NULL, NULL, NULL, NULL, false};

		check(app_insights_objectives(a, &q, &out, &err), &err);
	}
	assert_true(json_real_value(json_object_get(out, "hours_per_day")) == 2.0);
	assert_true(json_real_value(json_object_get(out, "hours_per_week")) == 10.0);
	assert_string_equal(json_string_value(json_object_get(out, "hours_from")), "calling blocks");
	d = json_object_get(out, "daily_calls");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "best"), "calls")), 14);
	assert_int_equal(json_integer_value(json_object_get(d, "target")), 100);
	w = json_object_get(d, "warnings");
	assert_true(json_array_size(w) >= 1);
	assert_true(strncmp(json_string_value(json_array_get(w, 0)), "above what any agent ever did (14 calls, ", 41) == 0);
	/* The realistic range is calls per hour (with its interval) times the 2 hours. */
	assert_true(json_real_value(json_object_get(d, "realistic_low")) ==
		2 * json_real_value(json_object_get(json_object_get(out, "calls_per_hour"), "low")));
	d = json_object_get(out, "weekly_calls");
	assert_true(json_integer_value(json_object_get(json_object_get(d, "best"), "calls")) >= 60);
	for (size_t i = 0; i < json_array_size(json_object_get(d, "warnings")); i++)
		assert_null(strstr(json_string_value(json_array_get(json_object_get(d, "warnings"), i)), "ever did"));
	json_decref(out);
	campaign_release(&c);
	app_close(a);
	testdb_drop(url);
}

/* Hot prospects and callbacks that turned into appointments or sales later; the days
 * from booking to the win. */
static void test_followups(void **state)
{
	static const struct campaign_setting none[] = {{"kind", "appointment"}};
	struct tp_error err;
	struct campaign c;
	struct app *a = NULL;
	struct store_import *imp;
	struct import_stats st = {0};
	char url[512];
	int64_t uid, day = tz_utc("Europe/Paris", 2026, 11, 2, 10, 0, 0), appt = 0;
	json_t *out = NULL, *g;
	size_t i;

	(void)state;
	tp_error_clear(&err);
	testdb_url("followups", url, sizeof(url));
	check(app_open(&a, url, "root", NULL, &err), &err);
	check(app_user_add(a, "alice", "agent", "pw-agent-12345", &uid, &err), &err);
	campaign_init(&c);
	check(app_campaign_add(a, "Follow", none, 1, &c, &err), &err);
	imp = store_import_begin(a->store, &test_who, c.id, false, &err);
	for (int l = 1; l <= 3; l++) {
		struct prospect p;

		memset(&p, 0, sizeof(p));
		for (int f = 0; f < F_COUNT; f++)
			p.field[f] = "";
		snprintf(p.phone, sizeof(p.phone), "+3314268530%d", l);
		p.lead_phone = p.phone;
		assert_true(store_import_prospect(imp, &p, &err) >= 0);
	}
	check(store_import_commit(imp, "t", &st, &err), &err);
	{
		/* lead 1: hot, then 10 days later an appointment, won 20 days after booking;
		 * lead 2: a callback, then a refusal; lead 3: a callback, then a sale 2 days on. */
		static const struct {
			int lead, day;
			const char *outcome;
		} calls[] = {{1, 0, "hot_short"}, {2, 0, "callback"}, {3, 0, "callback"}, {2, 1, "refused"}, {3, 2, "sale"},
			{1, 10, "appointment"}};

		for (size_t k = 0; k < sizeof(calls) / sizeof(calls[0]); k++) {
			struct call_input in = {0};
			int64_t call_id, ap = 0;
			bool replayed;

			in.agent = "alice";
			in.lead_id = calls[k].lead;
			in.result = "conversation";
			in.outcome = calls[k].outcome;
			in.talk_seconds = 120;
			in.started_at = day + calls[k].day * 86400 + (int64_t)k * 60;
			if (strcmp(calls[k].outcome, "callback") == 0)
				in.callback_at = in.started_at + 86400 - 600;
			if (strcmp(calls[k].outcome, "appointment") == 0)
				in.appointment_at = in.started_at + 5 * 86400;
			check(store_call_log(a->store, &in, &call_id, &ap, &replayed, &err), &err);
			if (ap)
				appt = ap;
		}
	}
	{
		struct store_who later = {"sophie", day + 30 * 86400 + 5 * 60};

		check(store_appointment_result(a->store, &later, appt, "held", 1, "won", 150000, &err), &err);
	}
	{
		struct app_insights_query q = {"Follow", NULL, NULL, NULL, NULL, NULL, false};

		check(app_insights_followups(a, &q, &out, &err), &err);
	}
	json_array_foreach(json_object_get(out, "followups"), i, g) {
		const char *code = json_string_value(json_object_get(g, "outcome"));
		json_t *d = json_object_get(g, "days_to_conversion");

		if (strcmp(code, "hot_short") == 0) {
			assert_int_equal(json_integer_value(json_object_get(g, "conversations")), 1);
			assert_int_equal(json_integer_value(json_object_get(g, "converted")), 1);
			assert_true(fabs(json_real_value(json_object_get(d, "median_days")) - (10 + 5.0 / 1440)) < 1e-9);
		} else if (strcmp(code, "callback") == 0) {
			assert_int_equal(json_integer_value(json_object_get(g, "conversations")), 2);
			assert_int_equal(json_integer_value(json_object_get(g, "converted")), 1);
			assert_true(fabs(json_real_value(json_object_get(d, "median_days")) - (2 + 2.0 / 1440)) < 1e-9);
		} else {
			fail_msg("unexpected follow-up %s", code);
		}
	}
	assert_int_equal(json_array_size(json_object_get(out, "followups")), 2);
	g = json_object_get(json_object_get(out, "won_appointments"), "booking_to_sale");
	assert_int_equal(json_integer_value(json_object_get(g, "n")), 1);
	assert_true(fabs(json_real_value(json_object_get(g, "median_days")) - 20) < 1e-9);
	g = json_object_get(json_object_get(out, "won_appointments"), "booking_to_meeting");
	assert_true(fabs(json_real_value(json_object_get(g, "median_days")) - 5) < 1e-9);
	json_decref(out);
	campaign_release(&c);
	app_close(a);
	testdb_drop(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted_effects),
		cmocka_unit_test(test_forced_appointments),
		cmocka_unit_test(test_objectives),
		cmocka_unit_test(test_followups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
