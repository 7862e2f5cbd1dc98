/*
 * Insights on histories with planted effects (docs/INSIGHTS.md): the slots report finds
 * the hours that are truly better or worse and flags no pair of truly equal hours; a
 * history where every hour is the same shows no difference. Runs on the backend of the
 * run (SQLite, then PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/app.h"
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

/* calls calls at hour of weekdays in November 2026, each a conversation with probability p. */
static void history(struct store *s, int64_t campaign_id, int hour, int calls, double p)
{
	struct tp_error err;

	tp_error_clear(&err);
	for (int i = 0; i < calls; i++) {
		static const int days[] = {2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20};
		struct call_input in = {0};
		int64_t call_id, appt;
		bool replayed;
		bool talked = uniform() < p;

		in.agent = i % 2 ? "alice" : "bruno";
		in.campaign_id = campaign_id;
		in.result = talked ? "conversation" : "no_answer";
		in.outcome = talked ? "refused" : NULL;
		in.talk_seconds = talked ? 90 : 0;
		in.started_at = tz_utc("Europe/Paris", 2026, 11, days[i % 15], hour, (i / 15) % 58, 0);
		check(store_call_log(s, &in, &call_id, &appt, &replayed, &err), &err);
	}
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
	struct app a;
	char url[512];
	int64_t uid;
	json_t *out = NULL, *pairs, *p;
	size_t i;

	(void)state;
	tp_error_clear(&err);
	testdb_url("insights", url, sizeof(url));
	check(app_open(&a, url, "root", NULL, &err), &err);
	check(app_user_add(&a, "alice", "agent", "pw-alice-12345", &uid, &err), &err);
	check(app_user_add(&a, "bruno", "agent", "pw-bruno-12345", &uid, &err), &err);
	campaign_init(&c);
	campaign_init(&flat);
	check(app_campaign_add(&a, "Planted", none, 1, &c, &err), &err);
	check(app_campaign_add(&a, "Flat", none, 1, &flat, &err), &err);

	/* Five hours truly equal (25 %), 16 h truly better (40 %), 12 h truly worse (12 %), and
	 * 18 h with too few calls to say anything. */
	for (size_t h = 0; h < sizeof(equal) / sizeof(equal[0]); h++)
		history(a.store, c.id, (int)strtol(equal[h], NULL, 10), 400, 0.25);
	history(a.store, c.id, 16, 400, 0.40);
	history(a.store, c.id, 12, 400, 0.12);
	history(a.store, c.id, 18, 12, 0.25);
	for (int h = 9; h <= 12; h++)
		history(a.store, flat.id, h, 300, 0.25);

	{
		struct app_insights_query q = {"Planted", NULL, NULL, NULL, "hour", "contact_rate"};

		check(app_insights_slots(&a, &q, &out, &err), &err);
	}
	assert_int_equal(json_array_size(json_object_get(out, "groups")), 7);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "test"), "df")), 6);
	assert_true(json_real_value(json_object_get(json_object_get(out, "test"), "p_value")) < 1e-9);
	p = json_array_get(json_object_get(out, "too_few"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "key")), "18");
	assert_int_equal(json_integer_value(json_object_get(p, "n")), 12);
	assert_true(json_integer_value(json_object_get(p, "needed")) > 500);
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
		struct app_insights_query q = {"Flat", NULL, NULL, NULL, "hour", NULL};

		check(app_insights_slots(&a, &q, &out, &err), &err);
	}
	assert_true(json_real_value(json_object_get(json_object_get(out, "test"), "p_value")) > 0.05);
	json_array_foreach(json_object_get(out, "pairs"), i, p)
		assert_false(json_is_true(json_object_get(p, "significant")));
	assert_true(strncmp(json_string_value(json_object_get(out, "summary")),
		"Aucune différence démontrée entre les créneaux pour le taux de contact", 70) == 0);
	json_decref(out);

	/* Refusals say which input is wrong; an agent sees their own figures only. */
	{
		struct app_insights_query q = {"Planted", NULL, NULL, NULL, "month", NULL};

		assert_int_equal(app_insights_slots(&a, &q, &out, &err), TP_EUSAGE);
		assert_string_equal(err.field, "by");
		q.by = "weekday";
		q.rate = "happiness";
		assert_int_equal(app_insights_slots(&a, &q, &out, &err), TP_EUSAGE);
		assert_string_equal(err.field, "rate");
		q.rate = NULL;
		q.agent = "bruno";
		check(app_act_as(&a, "alice", &err), &err);
		assert_int_equal(app_insights_slots(&a, &q, &out, &err), TP_EFORBIDDEN);
	}
	campaign_release(&c);
	campaign_release(&flat);
	app_close(&a);
	testdb_drop(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted_effects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
